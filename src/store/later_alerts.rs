//! Later reminders on my devices: which came due since the last check. A
//! reminder's instant is already inside my working hours (see
//! [`crate::model::later`]); the last check is kept in `meta` (local to
//! this device), so each shows once here, and not while I am paused or
//! away: then they come when that ends.

use chrono::{DateTime, Utc};

use super::rows::{dec, enc};
use super::Store;
use crate::error::Result;
use crate::policy::{Notification, NotificationKey};
use crate::views::people::People;

/// Meta key: the instant up to which reminders were considered.
const CHECKED: &[u8] = b"later_alerts_checked";

impl Store {
    /// Later reminders due since the last call, one per thread; marks them
    /// shown. The first call only starts the count (no backlog).
    pub fn due_reminders(&self) -> Result<Vec<Notification>> {
        let Some(me) = self.me() else {
            return Ok(Vec::new());
        };
        let now = self.now();
        let meta = &self.trees().meta;
        let since: Option<DateTime<Utc>> = meta.get(CHECKED)?.map(|v| dec(&v)).transpose()?;
        let Some(since) = since else {
            meta.insert(CHECKED, enc(&now))?;
            return Ok(Vec::new());
        };
        if self
            .policy_me()?
            .settings
            .pause_until
            .is_some_and(|p| p > now)
        {
            return Ok(Vec::new());
        }
        let profile = self.my_profile()?;
        let people = People::load(self)?;
        let mut out = Vec::new();
        for e in self.later_entries()? {
            let (Some(due), by) = self.later_due(&e, me, &profile)? else {
                continue;
            };
            if due <= since || due > now {
                continue;
            }
            let Ok(t) = self.thread_row(e.thread) else {
                continue;
            };
            let body = match by {
                Some(m) => format!(
                    "{} replied. You asked to hear when someone did.",
                    people.person(m).name
                ),
                None => "You asked to come back to this now.".to_string(),
            };
            out.push(Notification {
                key: NotificationKey::Thread(e.thread),
                thread: Some(e.thread),
                title: format!("Reminder: {}", t.title.value),
                body,
                count: 1,
                reminder: true,
            });
        }
        meta.insert(CHECKED, enc(&now))?;
        Ok(out)
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
