//! The local person's derived view of a thread: unread count, first unread
//! comment, whether it belongs in the inbox or the done list, and the
//! per-channel unread counts. Kept for "me" only, and recomputed from the
//! thread's rows whenever something about the thread changes, so the result
//! does not depend on the order ops arrived in.

use super::apply::Applier;
use super::rows::{involvement, CommentRow, MyThreadRow, PersonalRow, ThreadRow};
use super::trees::{inverted, key, member_thread, thread_comment_key, T};
use crate::error::Result;
use crate::model::ids::{CommentId, OpId, ThreadId};

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

/// Recomputes my row for `thread`. `new_other` is a new op by someone else
/// in it (its activity decides whether "done" still holds).
pub fn refresh(a: &mut Applier, thread: ThreadId, new_other: Option<OpId>) -> Result<()> {
    let Some(me) = a.me else { return Ok(()) };
    let Some(t) = a.tx.row::<ThreadRow>(T::Threads, &thread.to_bytes())? else {
        return Ok(());
    };
    let tk = thread.to_bytes();
    let old: MyThreadRow = a.tx.row(T::MyThreads, &tk)?.unwrap_or_default();
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

    let mut row = MyThreadRow {
        last_other: old.last_other.max(new_other),
        ..Default::default()
    };
    if t.author != me {
        row.last_other = row.last_other.max(Some(t.created));
    }

    // Unread: the opening post and every live comment by others after my marker.
    let marker = personal.read_up_to;
    if t.author != me && marker.is_none_or(|m| m < t.created) {
        row.unread += 1;
        row.first_unread = Some(t.created);
    }
    let prefix = tk.to_vec();
    let from = match marker {
        Some(m) => thread_comment_key(thread, &m),
        None => prefix.clone(),
    };
    for (k, v) in a.tx.range_in_prefix(T::ThreadComments, &prefix, &from)? {
        if k == from && marker.is_some() {
            continue;
        }
        let Ok(cid) = <[u8; 16]>::try_from(v.as_slice()) else {
            continue;
        };
        let Some(c) =
            a.tx.row::<CommentRow>(T::Comments, &CommentId::from_bytes(cid).to_bytes())?
        else {
            continue;
        };
        if c.author != me && c.deleted.is_none() {
            row.unread += 1;
            if row.first_unread.is_none() {
                row.first_unread = Some(c.created);
            }
        }
    }

    let st = state(&personal, involved, row.last_other);
    let snoozed = personal.snoozed.as_ref().is_some_and(|s| s.value.is_some());
    if st.following && !st.muted && !st.done && (row.unread > 0 || snoozed) {
        row.inbox_key = Some(key(&[&inverted(&t.last_activity), &tk]));
    }
    if st.done {
        if let Some(d) = &personal.done {
            row.done_key = Some(key(&[&inverted(&d.at), &tk]));
        }
    }
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
    if row != old {
        write_keys(a, &tk, &old, &row)?;
    }
    Ok(())
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
    a.tx.put_row(T::MyThreads, tk.to_vec(), new);
    Ok(())
}
