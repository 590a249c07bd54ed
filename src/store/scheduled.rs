//! The merge rules of sending later.
//!
//! A `PostScheduled` op is kept as a [`ScheduledRow`] and writes nothing a
//! person can see. When this replica's clock passes the reveal instant for
//! its person, [`reveal_due`] turns it into the thread or comment it
//! carries, dated at that instant (so it sorts and counts as unread as if
//! posted then), through the same rules as any `ThreadCreated` or
//! `CommentAdded`.
//!
//! - A post is *live* while it is not cancelled and nothing replaced it.
//! - A cancel or a replacement (an edit or reschedule) is valid only from
//!   the post's author and only when made before the post's earliest
//!   reveal instant; this depends on the op and its target alone, so every
//!   replica decides alike. The cancel is a tombstone; of several
//!   replacements of one post, the latest op wins.
//! - A valid cancel or replacement can still reach a replica after it
//!   showed the post (its author was offline when they cancelled): a
//!   comment is then removed as if its author had deleted it. A thread
//!   stays (its removal would orphan the answers teammates already wrote);
//!   this is the one case where replicas can disagree, and the author's
//!   app warns when cancelling offline close to the delivery time.

use chrono::{DateTime, Utc};
use tracing::warn;

use super::apply::Applier;
use super::content::{self, Ready};
use super::rows::ScheduledRow;
use super::trees::{key, Target, T};
use super::tx::Tx;
use crate::error::{Error, ErrorCode, Result};
use crate::events::Change;
use crate::model::ids::{Hlc, OpId};
use crate::model::op::{Op, OpKind};
use crate::model::schedule::{PostRef, Reveal, ScheduledPost};

/// The row of a scheduled post.
pub fn row(tx: &Tx, post: PostRef) -> Result<Option<ScheduledRow>> {
    tx.row(T::Scheduled, &post.to_key())
}

/// Whether the post will be (or was rightly) shown.
pub fn is_live(tx: &Tx, row: &ScheduledRow) -> Result<bool> {
    if row.cancelled.is_some() || row.replaced_by.is_some() {
        return Ok(false);
    }
    // A replacement shows only if it is the latest of its post's.
    if let Some(old) = row.replaces {
        let me = row.post.post_ref();
        return Ok(match self::row(tx, old)? {
            Some(o) => o.replaced_by.map(|(_, p)| p) == Some(me),
            None => false,
        });
    }
    Ok(true)
}

/// Checks a cancel or replacement against the post it targets.
fn may_change(op: &Op, target: PostRef, tx: &Tx) -> Result<Ready> {
    let Some(r) = row(tx, target)? else {
        return Ok(Ready::Wait(Target::Scheduled(target)));
    };
    if r.author != op.author {
        return Ok(Ready::Refuse(Error::new(
            ErrorCode::NotAuthor,
            format!(
                "Op {} refused: only its author may change a scheduled post",
                op.id
            ),
        )));
    }
    if op.id.time() >= r.reveal.at {
        return Ok(Ready::Refuse(too_late(&r.reveal)));
    }
    Ok(Ready::Yes)
}

/// The error for changing a post whose delivery has begun.
pub fn too_late(reveal: &Reveal) -> Error {
    Error::new(
        ErrorCode::TooLate,
        format!(
            "It was delivered at {}: edit or delete it in its thread instead",
            reveal.at.format("%Y-%m-%d %H:%M UTC")
        ),
    )
}

/// What a scheduling op needs before it can apply.
pub fn readiness(tx: &Tx, op: &Op) -> Result<Ready> {
    Ok(match &op.kind {
        OpKind::PostScheduled { post, replaces, .. } => {
            let target = match post {
                ScheduledPost::Thread { channel, .. } => {
                    if tx.contains(T::Channels, &channel.to_bytes())? {
                        Ready::Yes
                    } else {
                        Ready::Wait(Target::Channel(*channel))
                    }
                }
                ScheduledPost::Comment { thread, .. } => {
                    if tx.contains(T::Threads, &thread.to_bytes())? {
                        Ready::Yes
                    } else {
                        Ready::Wait(Target::Thread(*thread))
                    }
                }
            };
            match (target, replaces) {
                (Ready::Yes, Some(old)) => may_change(op, *old, tx)?,
                (r, _) => r,
            }
        }
        OpKind::ScheduleCancelled { post } => may_change(op, *post, tx)?,
        _ => Ready::Refuse(Error::corrupt("not a scheduling op")),
    })
}

fn reveal_key(at: DateTime<Utc>, post: PostRef) -> Vec<u8> {
    let ms = at.timestamp_millis().max(0) as u64;
    key(&[&ms.to_be_bytes(), &post.to_key()])
}

fn put(a: &mut Applier, r: &ScheduledRow) {
    a.tx.put_row(T::Scheduled, r.post.post_ref().to_key(), r);
}

/// Applies `PostScheduled` and `ScheduleCancelled`. Returns the targets
/// created (the post itself, for cancels and replacements waiting on it).
pub fn take_effect(a: &mut Applier, op: &Op) -> Result<Vec<Target>> {
    match &op.kind {
        OpKind::PostScheduled {
            post,
            reveal,
            replaces,
        } => {
            let me_ref = post.post_ref();
            if row(&a.tx, me_ref)?.is_some() {
                return Ok(Vec::new());
            }
            let new = ScheduledRow {
                op: op.id,
                author: op.author,
                post: post.clone(),
                reveal: reveal.clone(),
                replaces: *replaces,
                cancelled: None,
                replaced_by: None,
                shown: None,
            };
            put(a, &new);
            let mut lost = false;
            if let Some(old) = replaces {
                if let Some(mut o) = row(&a.tx, *old)? {
                    let previous = o.replaced_by;
                    lost = previous.is_some_and(|(at, _)| op.id < at);
                    if previous.is_none_or(|(at, _)| op.id > at) {
                        o.replaced_by = Some((op.id, me_ref));
                        withdraw_if_shown(a, &o, op)?;
                        strip(&mut o.post);
                        put(a, &o);
                        // An earlier replacement loses to this one.
                        if let Some((_, loser)) = previous {
                            if let Some(mut l) = row(&a.tx, loser)? {
                                withdraw_if_shown(a, &l, op)?;
                                strip(&mut l.post);
                                put(a, &l);
                            }
                        }
                    }
                }
            }
            if lost {
                // A later replacement of the same post arrived first: this
                // one is born superseded, as if it had lost on arrival.
                let mut new = new;
                strip(&mut new.post);
                put(a, &new);
            } else {
                let when = reveal.for_member(a.me);
                a.tx.put(T::Reveals, reveal_key(when, me_ref), Vec::new());
            }
            a.fx.changes.insert(Change::Scheduled);
            Ok(vec![Target::Scheduled(me_ref)])
        }
        OpKind::ScheduleCancelled { post } => {
            if let Some(mut r) = row(&a.tx, *post)? {
                if r.cancelled.is_none_or(|c| op.id < c) {
                    let first = r.cancelled.is_none();
                    r.cancelled = Some(op.id);
                    // Its words are no longer anyone's to read here: the
                    // derived row keeps only what identifies it.
                    strip(&mut r.post);
                    put(a, &r);
                    if first {
                        a.tx.del(T::Reveals, reveal_key(r.reveal.for_member(a.me), *post));
                        withdraw_if_shown(a, &r, op)?;
                    }
                    a.fx.changes.insert(Change::Scheduled);
                }
            }
            Ok(Vec::new())
        }
        _ => Err(Error::corrupt("not a scheduling op")),
    }
}

/// Drops the words of a post that will never be shown (cancelled or
/// replaced): the derived row keeps its ids only. The signed op in the log
/// still holds them, as it must to be forwarded (see docs/async.md).
fn strip(post: &mut ScheduledPost) {
    match post {
        ScheduledPost::Thread { title, body, .. } => {
            title.clear();
            body.clear();
        }
        ScheduledPost::Comment { body, .. } => body.clear(),
    }
}

/// The late case of the module doc: a post already shown here lost its
/// place (cancelled or replaced in time, but the news came late).
fn withdraw_if_shown(a: &mut Applier, r: &ScheduledRow, by: &Op) -> Result<()> {
    if r.shown.is_none() {
        return Ok(());
    }
    match &r.post {
        ScheduledPost::Comment { comment, .. } => {
            let delete = Op {
                id: by.id,
                author: r.author,
                kind: OpKind::CommentDeleted { comment: *comment },
            };
            content::take_effect(a, &delete)?;
        }
        ScheduledPost::Thread { thread, .. } => {
            warn!(%thread, "a scheduled thread was cancelled after it was shown here; it stays");
        }
    }
    Ok(())
}

/// Where a post revealed at `at` sits among ops: at that instant, with a
/// counter from its id's low bits above any real op's counter in practice,
/// and the scheduling device. It is a position, not a stored op.
fn shown_at(r: &ScheduledRow, at: DateTime<Utc>) -> OpId {
    let id_bits = match r.post {
        ScheduledPost::Thread { thread, .. } => thread.0,
        ScheduledPost::Comment { comment, .. } => comment.0,
    };
    OpId {
        hlc: Hlc {
            ms: at.timestamp_millis().max(0) as u64,
            counter: 0x8000_0000 | (id_bits as u32 & 0x7fff_ffff),
        },
        device: r.op.device,
    }
}

/// Shows every live scheduled post whose instant for this replica's person
/// is at or before `now`, as the thread or comment it carries.
pub fn reveal_due(a: &mut Applier, now: DateTime<Utc>) -> Result<()> {
    let end = ((now.timestamp_millis().max(0) as u64) + 1).to_be_bytes();
    let due = a.tx.scan_range(T::Reveals, &[], &end)?;
    for (k, _) in due {
        a.tx.del(T::Reveals, k.clone());
        let post = &k[8..];
        let Some(mut r): Option<ScheduledRow> = a.tx.row(T::Scheduled, post)? else {
            continue;
        };
        if r.shown.is_some() || !is_live(&a.tx, &r)? {
            continue;
        }
        let at = shown_at(&r, r.reveal.for_member(a.me));
        let kind = r.post.clone().into_kind();
        let shown = Op {
            id: at,
            author: r.author,
            kind,
        };
        a.take_effect(&shown)?;
        r.shown = Some(at);
        a.tx.put_row(T::Scheduled, post.to_vec(), &r);
        a.fx.changes.insert(Change::Scheduled);
    }
    Ok(())
}

/// The next instant a scheduled post is due to be shown here.
pub fn next_reveal(tree: super::part::Part) -> Result<Option<DateTime<Utc>>> {
    Ok(match tree.first()? {
        Some((k, _)) if k.len() >= 8 => {
            let mut ms = [0u8; 8];
            ms.copy_from_slice(&k[..8]);
            DateTime::from_timestamp_millis(u64::from_be_bytes(ms) as i64)
        }
        _ => None,
    })
}

impl super::Store {
    /// Whether `op` schedules someone else's post not shown here yet.
    pub fn is_hidden_scheduled(&self, op: &Op) -> Result<bool> {
        let OpKind::PostScheduled { post, .. } = &op.kind else {
            return Ok(false);
        };
        if Some(op.author) == self.me() {
            return Ok(false);
        }
        let r: Option<ScheduledRow> = self
            .trees()
            .get(T::Scheduled)
            .get(post.post_ref().to_key())?
            .map(|v| super::rows::dec(&v))
            .transpose()?;
        Ok(r.is_none_or(|r| r.shown.is_none()))
    }

    /// How many ops schedule others' posts not shown here yet.
    pub fn scheduled_hidden_from_me(&self) -> Result<usize> {
        let me = self.me();
        let mut n = 0;
        for kv in self.trees().get(T::Scheduled).iter() {
            let (_, v) = kv?;
            let r: ScheduledRow = super::rows::dec(&v)?;
            if Some(r.author) != me && r.shown.is_none() {
                n += 1;
            }
        }
        Ok(n)
    }
}
