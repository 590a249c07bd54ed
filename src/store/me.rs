//! The local person's derived view of a thread: unread count, first unread
//! comment, whether it belongs in the inbox or the done list, and the
//! per-channel unread counts. Kept for "me" only, and recomputed from the
//! thread's rows whenever something about the thread changes, so the result
//! does not depend on the order ops arrived in.

use super::apply::Applier;
use super::rows::{involvement, CommentRow, MyThreadRow, PersonalRow, ThreadRow};
use super::trees::{inverted, key, member_thread, thread_comment_key, T};
use crate::error::Result;
use crate::model::ids::{CommentId, MemberId, OpId, ThreadId};

/// My follow/mute/done state of one thread, resolved.
pub struct MyState {
    /// I follow it (explicitly, or implicitly by taking part).
    pub following: bool,
    /// I muted it.
    pub muted: bool,
    /// Marked done, and no one else wrote since.
    pub done: bool,
}

/// Resolves my state from stored rows.
pub fn state(personal: &PersonalRow, involved: u8, last_other: Option<OpId>) -> MyState {
    let following = match &personal.followed {
        Some(f) => f.value,
        None => involved != 0,
    };
    let muted = personal.muted.as_ref().is_some_and(|m| m.value);
    let done = personal
        .done
        .as_ref()
        .is_some_and(|d| d.value && last_other.is_none_or(|o| d.at > o));
    MyState {
        following,
        muted,
        done,
    }
}

/// What happened to a thread, so my row can be updated without rescanning
/// the whole thread for each new comment.
#[derive(Clone, Copy, Debug)]
pub enum Delta {
    /// Recount unread from my read position (it may have moved).
    Recount,
    /// Only follow/mute/done/snooze or the title changed.
    State,
    /// A comment was added.
    Added {
        /// Its creation op.
        at: OpId,
        /// Its author.
        author: MemberId,
    },
    /// A comment was deleted.
    Removed {
        /// Its creation op.
        at: OpId,
        /// Its author.
        author: MemberId,
    },
}

/// Updates my row for `thread` after `delta`.
///
/// My read position is the later of my explicit read marker and my own
/// latest post in the thread (answering means I saw what came before).
/// Counts are updated incrementally and recounted from the read position
/// when it moves; both give the same result, so the order ops arrive in
/// does not matter (the convergence property test checks this).
pub fn refresh(a: &mut Applier, thread: ThreadId, delta: Delta) -> Result<()> {
    let Some(me) = a.me else { return Ok(()) };
    let Some(t) = a.tx.row::<ThreadRow>(T::Threads, &thread.to_bytes())? else {
        return Ok(());
    };
    let tk = thread.to_bytes();
    let stored: Option<MyThreadRow> = a.tx.row(T::MyThreads, &tk)?;
    let old = stored.clone().unwrap_or_default();
    let mt = member_thread(me, thread);
    let personal: PersonalRow = a.tx.row(T::Personal, &mt)?.unwrap_or_default();
    let involved =
        a.tx.get(T::Involved, &mt)?
            .and_then(|v| v.first().copied())
            .unwrap_or(0)
            | if t.notify.contains(&me) {
                involvement::NAMED
            } else {
                0
            };

    let mut row = old.clone();
    if let Delta::Added { at, author } = delta {
        if author == me {
            row.mine_last = row.mine_last.max(Some(at));
        } else {
            row.last_other = row.last_other.max(Some(at));
        }
    }
    if t.author == me {
        row.mine_last = row.mine_last.max(Some(t.created));
    } else {
        row.last_other = row.last_other.max(Some(t.created));
    }
    let marker = personal.read_up_to.max(row.mine_last);
    let moved = marker != old.seen_up_to || stored.is_none();
    row.seen_up_to = marker;
    let after_marker = |at: OpId| marker.is_none_or(|m| at > m);
    match delta {
        _ if moved => recount(a, &t, thread, me, marker, &mut row)?,
        Delta::Recount => recount(a, &t, thread, me, marker, &mut row)?,
        Delta::Added { at, author } if author != me && after_marker(at) => {
            row.unread += 1;
            row.first_unread = earliest(row.first_unread, at);
        }
        Delta::Removed { at, author } if author != me && after_marker(at) => {
            row.unread = row.unread.saturating_sub(1);
            if row.first_unread == Some(at) {
                row.first_unread = first_unread(a, &t, thread, me, marker)?;
            }
        }
        _ => {}
    }

    let st = state(&personal, involved, row.last_other);
    let snoozed = personal.snoozed.as_ref().is_some_and(|s| s.value.is_some());
    let later = personal.later_item().map(|(l, _)| l);
    // A reminder hides the thread until it is due, then brings it back:
    // keep it among the inbox candidates like a snooze.
    let reminds = later.is_some_and(|l| l.reminds());
    row.later = later.is_some();
    row.following = st.following;
    row.muted = st.muted;
    row.done = st.done;
    row.reminder = snoozed || reminds;
    if row.later
        && matches!(delta, Delta::Added { author, .. } | Delta::Removed { author, .. } if author != me)
    {
        // "On reply" reminders may have become due (or not, after a delete).
        a.fx.changes.insert(crate::events::Change::Later);
    }
    row.inbox_key =
        (st.following && !st.muted && !st.done && (row.unread > 0 || snoozed || reminds))
            .then(|| key(&[&inverted(&t.last_activity), &tk]));
    row.done_key = match (&personal.done, st.done) {
        (Some(d), true) => Some(key(&[&inverted(&d.at), &tk])),
        _ => None,
    };
    row.counted = row.unread > 0 && !st.muted;
    if row.counted != old.counted {
        let ck = t.channel.to_bytes();
        let n: u32 = a.tx.row(T::MyChanUnread, &ck)?.unwrap_or(0);
        let n = if row.counted {
            n + 1
        } else {
            n.saturating_sub(1)
        };
        a.tx.put_row(T::MyChanUnread, ck.to_vec(), &n);
    }
    if stored.as_ref() != Some(&row) {
        write_keys(a, &tk, &old, &row)?;
    }
    Ok(())
}

/// Unread = the opening post (if by someone else and after the marker)
/// plus every live comment by others after the marker; the first unread is
/// the earliest of them by op order.
fn recount(
    a: &Applier,
    t: &ThreadRow,
    thread: ThreadId,
    me: MemberId,
    marker: Option<OpId>,
    row: &mut MyThreadRow,
) -> Result<()> {
    let root = (t.author != me && marker.is_none_or(|m| m < t.created)).then_some(t.created);
    row.unread = u32::from(root.is_some());
    row.first_unread = root;
    for (_, c) in comments_after(a, thread, marker)? {
        if c.author != me && c.deleted.is_none() {
            row.unread += 1;
            row.first_unread = earliest(row.first_unread, c.created);
        }
    }
    Ok(())
}

fn earliest(a: Option<OpId>, b: OpId) -> Option<OpId> {
    Some(a.map_or(b, |a| a.min(b)))
}

/// The earliest unread item after the marker (after a deletion).
fn first_unread(
    a: &Applier,
    t: &ThreadRow,
    thread: ThreadId,
    me: MemberId,
    marker: Option<OpId>,
) -> Result<Option<OpId>> {
    let first = (t.author != me && marker.is_none_or(|m| m < t.created)).then_some(t.created);
    for (_, c) in comments_after(a, thread, marker)? {
        if c.author != me && c.deleted.is_none() {
            return Ok(earliest(first, c.created));
        }
    }
    Ok(first)
}

/// Comments of `thread` created strictly after `marker`, in order.
fn comments_after(
    a: &Applier,
    thread: ThreadId,
    marker: Option<OpId>,
) -> Result<Vec<(CommentId, CommentRow)>> {
    let prefix = thread.to_bytes().to_vec();
    let from = match marker {
        Some(m) => thread_comment_key(thread, &m),
        None => prefix.clone(),
    };
    let mut out = Vec::new();
    for (k, v) in a.tx.range_in_prefix(T::ThreadComments, &prefix, &from)? {
        if marker.is_some() && k == from {
            continue;
        }
        let c: CommentRow = super::rows::dec(&v)?;
        out.push((c.id, c));
    }
    Ok(out)
}

fn write_keys(a: &mut Applier, tk: &[u8; 16], old: &MyThreadRow, new: &MyThreadRow) -> Result<()> {
    if old.inbox_key != new.inbox_key {
        if let Some(k) = &old.inbox_key {
            a.tx.del(T::MyInbox, k.clone());
        }
        if let Some(k) = &new.inbox_key {
            a.tx.put(T::MyInbox, k.clone(), Vec::new());
        }
    }
    if old.done_key != new.done_key {
        if let Some(k) = &old.done_key {
            a.tx.del(T::MyDone, k.clone());
        }
        if let Some(k) = &new.done_key {
            a.tx.put(T::MyDone, k.clone(), Vec::new());
        }
    }
    if old.later != new.later {
        if new.later {
            a.tx.put(T::MyLater, tk.to_vec(), Vec::new());
        } else {
            a.tx.del(T::MyLater, tk.to_vec());
        }
    }
    a.tx.put_row(T::MyThreads, tk.to_vec(), new);
    Ok(())
}

impl crate::store::Store {
    /// A member's personal row for a thread (empty if they never touched it).
    pub(crate) fn personal_row(&self, member: MemberId, thread: ThreadId) -> Result<PersonalRow> {
        Ok(self
            .trees()
            .get(T::Personal)
            .get(member_thread(member, thread))?
            .map(|v| super::rows::dec(&v))
            .transpose()?
            .unwrap_or_default())
    }

    /// My resolved state of a thread (follow, mute, done) with my row, for
    /// views and the notification policy: one read of my row, which keeps
    /// the state resolved ([`refresh`]).
    pub(crate) fn my_view_of(&self, id: ThreadId) -> Result<(MyThreadRow, MyState)> {
        let my = self.my_thread_row(id)?;
        let st = MyState {
            following: my.following,
            muted: my.muted,
            done: my.done,
        };
        Ok((my, st))
    }
}
