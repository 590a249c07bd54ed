//! Later reminders on my devices: which came due and were not shown yet. A
//! reminder's instant is already inside my working hours (see
//! [`crate::model::later`]). Each item's reminder shows once per device:
//! `meta` remembers, per thread, the op of the item last shown, so a new
//! reminder on the same thread shows again, and a reply that was written
//! before the last check but arrives after it still reminds. Not while I am
//! paused or away: then they come when that ends.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::later::Reply;
use super::shown::ShownMarks;
use super::Store;
use crate::error::Result;
use crate::model::ids::{OpId, ThreadId};
use crate::model::op::{Op, OpKind};
use crate::policy::{text, Notification, NotificationKey};
use crate::views::people::People;

/// Meta key: set once the first check ran (before it nothing is shown:
/// a new device does not replay old reminders).
const STARTED: &[u8] = b"later_alerts_started";
/// Meta key prefix: ++ thread → the key of the item's op last shown.
const SHOWN: &[u8] = b"later_alerts_shown/";

impl Store {
    /// Later reminders that came due and were not shown on this device,
    /// one per thread; marks them shown. The first call only starts (no
    /// backlog on a new device).
    pub fn due_reminders(&self) -> Result<Vec<Notification>> {
        let Some(me) = self.me() else {
            return Ok(Vec::new());
        };
        let marks = ShownMarks::open(self, STARTED, SHOWN)?;
        if marks.started() && self.paused_now()? {
            return Ok(Vec::new());
        }
        let now = self.now();
        let profile = self.my_profile()?;
        let people = People::load(self)?;
        let entries = self.later_entries()?;
        let mut out = Vec::new();
        for e in &entries {
            let (Some(due), reply) = self.later_due(e, me, &profile)? else {
                continue;
            };
            if due > now || !marks.mark(&e.thread.to_bytes(), &e.set.to_key())? {
                continue;
            }
            if !marks.started() {
                continue;
            }
            out.extend(self.reminder(e.thread, reply, &people));
        }
        // Forget marks of threads no longer in Later.
        let live: HashSet<[u8; 16]> = entries.iter().map(|e| e.thread.to_bytes()).collect();
        marks.finish(|id| live.contains(id), now)?;
        Ok(out)
    }

    /// The reminders that replies among `ops` brought, due now, shown
    /// already or not (marks nothing): a reminder shown a moment before its
    /// reply's own notification was decided on stands for that one.
    pub fn reminders_brought_by(&self, ops: &[Op]) -> Result<Vec<Notification>> {
        let Some(me) = self.me() else {
            return Ok(Vec::new());
        };
        let replies: HashSet<OpId> = ops
            .iter()
            .filter(|op| matches!(op.kind, OpKind::CommentAdded { .. }))
            .map(|op| op.id)
            .collect();
        if replies.is_empty() {
            return Ok(Vec::new());
        }
        let now = self.now();
        let profile = self.my_profile()?;
        let people = People::load(self)?;
        let mut out = Vec::new();
        for e in self.later_entries()? {
            if !e.later.on_reply {
                continue;
            }
            let (Some(due), Some(reply)) = self.later_due(&e, me, &profile)? else {
                continue;
            };
            if due <= now && replies.contains(&reply.op) {
                out.extend(self.reminder(e.thread, Some(reply), &people));
            }
        }
        Ok(out)
    }

    /// The notification of the reminder on `thread`, brought by `reply` or
    /// by its time (none if the thread is gone).
    fn reminder(
        &self,
        thread: ThreadId,
        reply: Option<Reply>,
        people: &People,
    ) -> Option<Notification> {
        let t = self.thread_row(thread).ok()?;
        let body = match reply {
            Some(r) => format!(
                "{} replied. You asked to hear when someone did.",
                text::label(&people.person(r.by).name)
            ),
            None => "You asked to come back to this now.".to_string(),
        };
        Some(Notification {
            key: NotificationKey::Thread(thread),
            thread: Some(thread),
            title: format!("Reminder: {}", text::label(&t.title.value)),
            body,
            count: 1,
            reminder: true,
        })
    }

    /// When the next Later reminder is due, if one is set.
    pub fn next_reminder(&self) -> Result<Option<DateTime<Utc>>> {
        let Some(me) = self.me() else {
            return Ok(None);
        };
        let now = self.now();
        let profile = self.my_profile()?;
        let mut next: Option<DateTime<Utc>> = None;
        for e in self.later_entries()? {
            if let (Some(due), _) = self.later_due(&e, me, &profile)? {
                if due > now {
                    next = Some(next.map_or(due, |n| n.min(due)));
                }
            }
        }
        Ok(next)
    }
}
