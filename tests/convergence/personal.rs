//! The model's rules for one person's own state, from their personal ops
//! (made on any of their devices) and the shared content:
//!
//! - follow: their latest explicit follow/unfollow, else whether they take
//!   part: started the thread, were named to notify, were @mentioned in its
//!   post, in a comment or in an edit of one (a mention is a grow-only
//!   fact: an edit that loses to a later one, or comes after a delete,
//!   still mentioned them), or commented;
//! - mute, snooze, Later item, notification and urgent settings: their
//!   latest op;
//! - done: their latest done/undone says done, and no one else wrote in the
//!   thread after it (a comment deleted since still was written);
//! - read position: the later of their furthest read marker and their own
//!   latest post (answering means they saw what came before); unread = the
//!   opening post if someone else's and after it, plus every live comment
//!   by others after it;
//! - inbox: followed, not muted, not done, unread, and neither snoozed nor
//!   waiting for a Later reminder (every snooze and reminder the generator
//!   makes ends after the replicas' clock);
//! - Later list: done, upcoming (a reminder time) or saved.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use tidings::model::ids::{MemberId, OpId, ThreadId};
use tidings::model::later::Later;
use tidings::model::op::{Op, OpKind};
use tidings::model::profile::NotificationSettings;
use tidings::model::urgent::UrgentSettings;

use super::model::{lww, Facts, Model};

/// A person's resolved state of one thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mine {
    pub following: bool,
    pub muted: bool,
    pub done: bool,
    pub unread: u32,
}

/// One thread's personal ops by the person.
#[derive(Default)]
struct Slots {
    followed: Option<(OpId, bool)>,
    muted: Option<(OpId, bool)>,
    done: Option<(OpId, bool)>,
    snoozed: Option<(OpId, Option<DateTime<Utc>>)>,
    later: Option<(OpId, Option<Later>)>,
    read: Option<OpId>,
    mentioned: bool,
}

/// Fills `m`'s personal parts for `me`.
pub fn of(ops: &[Op], f: &Facts, me: MemberId, m: &mut Model) {
    let mut slots: BTreeMap<ThreadId, Slots> = BTreeMap::new();
    let mut settings: Option<(OpId, NotificationSettings)> = None;
    let mut urgent: Option<(OpId, UrgentSettings)> = None;
    for op in ops {
        let exists = |t: &ThreadId| f.threads.contains_key(t);
        match &op.kind {
            // Mentions in an edit by the comment's author count whatever
            // became of the edit.
            OpKind::CommentEdited {
                comment, mentions, ..
            } if f.author_of(*comment) == Some(op.author) && mentions.contains(&me) => {
                let t = f.comments[comment].thread;
                slots.entry(t).or_default().mentioned = true;
            }
            _ if op.author != me => {}
            OpKind::ThreadFollowed { thread, followed } if exists(thread) => lww(
                &mut slots.entry(*thread).or_default().followed,
                op.id,
                followed,
            ),
            OpKind::ThreadMuted { thread, muted } if exists(thread) => {
                lww(&mut slots.entry(*thread).or_default().muted, op.id, muted)
            }
            OpKind::ThreadDone { thread, done } if exists(thread) => {
                lww(&mut slots.entry(*thread).or_default().done, op.id, done)
            }
            OpKind::ThreadSnoozed { thread, until } if exists(thread) => {
                lww(&mut slots.entry(*thread).or_default().snoozed, op.id, until)
            }
            OpKind::LaterSet { thread, later } if exists(thread) => {
                lww(&mut slots.entry(*thread).or_default().later, op.id, later)
            }
            OpKind::ReadUpTo { thread, up_to } if exists(thread) => {
                let s = slots.entry(*thread).or_default();
                s.read = s.read.max(Some(*up_to));
            }
            OpKind::NotificationSettingsSet { settings: s } => lww(&mut settings, op.id, s),
            OpKind::UrgentSettingsSet { settings: s } => lww(&mut urgent, op.id, s),
            _ => {}
        }
    }
    m.settings = (
        settings.map(|s| s.1).unwrap_or_default(),
        urgent.map(|s| s.1).unwrap_or_default(),
    );

    for (id, t) in &f.threads {
        let s = slots.remove(id).unwrap_or_default();
        let comments: Vec<_> = f.comments.iter().filter(|(_, c)| c.thread == *id).collect();
        let takes_part = t.author == me
            || t.notify.contains(&me)
            || t.mentions.contains(&me)
            || s.mentioned
            || comments
                .iter()
                .any(|(_, c)| c.author == me || c.mentions.contains(&me));
        let following = s.followed.map_or(takes_part, |(_, v)| v);
        let muted = s.muted.is_some_and(|(_, v)| v);
        // The latest post by someone else, deleted or not.
        let last_other = comments
            .iter()
            .filter(|(_, c)| c.author != me)
            .map(|(_, c)| c.created)
            .chain((t.author != me).then_some(t.created))
            .max();
        let done = s
            .done
            .is_some_and(|(at, v)| v && last_other.is_none_or(|o| at > o));
        let mine_last = comments
            .iter()
            .filter(|(_, c)| c.author == me)
            .map(|(_, c)| c.created)
            .chain((t.author == me).then_some(t.created))
            .max();
        let marker = s.read.max(mine_last);
        let after = |at: OpId| marker.is_none_or(|r| at > r);
        let unread = u32::from(t.author != me && after(t.created))
            + comments
                .iter()
                .filter(|(c, x)| x.author != me && !f.deleted.contains(c) && after(x.created))
                .count() as u32;
        let later = s.later.and_then(|(_, l)| l);
        let snoozed = s.snoozed.is_some_and(|(_, u)| u.is_some());
        let hidden = snoozed || later.is_some_and(|l| l.reminds());
        if following && !muted && !done && unread > 0 && !hidden {
            m.inbox.insert(*id);
        }
        if done {
            m.done.insert(*id);
        }
        if let Some(l) = later {
            let state = if l.done {
                "done"
            } else if l.remind_at.is_some() || l.on_reply {
                "upcoming"
            } else {
                "saved"
            };
            m.later.insert(*id, state);
        }
        m.mine.insert(
            *id,
            Mine {
                following,
                muted,
                done,
                unread,
            },
        );
    }
}
