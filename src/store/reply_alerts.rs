//! Reply-by reminders on the asked person's device: which are due since the
//! last check. The instants come from [`crate::policy::reply_alerts`]; the
//! last check is kept in `meta` (local to this device), so each reminder is
//! shown once, and not while I am paused or away: then they come when that
//! ends.

use chrono::{DateTime, Utc};

use super::rows::{dec, enc};
use super::Store;
use crate::error::Result;
use crate::policy::reply_alerts::{alert_times, AlertKind};
use crate::policy::{text, Notification, NotificationKey};

/// Meta key: the instant up to which reminders were considered.
const CHECKED: &[u8] = b"reply_alerts_checked";

impl Store {
    /// Reply-by reminders due since the last call, one per thread; marks
    /// them shown. The first call only starts the count (no backlog).
    pub fn due_reply_alerts(&self) -> Result<Vec<Notification>> {
        if self.me().is_none() {
            return Ok(Vec::new());
        }
        let now = self.now();
        let meta = &self.trees().meta;
        let since: Option<DateTime<Utc>> = meta.get(CHECKED)?.map(|v| dec(&v)).transpose()?;
        let Some(since) = since else {
            meta.insert(CHECKED, enc(&now))?;
            self.durable()?;
            return Ok(Vec::new());
        };
        let me = self.policy_me()?;
        // Paused or away: they wait for the return. (Working hours need no
        // check: every reminder instant lies in them by construction.)
        if me.settings.pause_until.is_some_and(|p| p > now) {
            return Ok(Vec::new());
        }
        let mut out: Vec<Notification> = Vec::new();
        for w in self.waiting_on_me()? {
            for (at, kind) in alert_times(w.ask.time(), w.due.utc, me.tz, &me.hours) {
                if at <= since || at > now {
                    continue;
                }
                let (title, body) = match kind {
                    AlertKind::DueToday => (
                        format!("Due today: {}", text::label(&w.title)),
                        format!(
                            "{} is waiting on you — by {}",
                            text::label(&w.asker.name),
                            w.due.local
                        ),
                    ),
                    AlertKind::Overdue => (
                        format!("Overdue: {}", text::label(&w.title)),
                        format!(
                            "{} asked for an answer by {}",
                            text::label(&w.asker.name),
                            w.due.local
                        ),
                    ),
                };
                out.retain(|n| n.thread != Some(w.thread));
                out.push(Notification {
                    key: NotificationKey::Thread(w.thread),
                    thread: Some(w.thread),
                    title,
                    body,
                    count: 1,
                    reminder: false,
                });
            }
        }
        // Nothing fell in (since, now]: keeping `since` is the same window
        // next time, and an idle app's checks write nothing.
        if !out.is_empty() {
            meta.insert(CHECKED, enc(&now))?;
            self.durable()?;
        }
        Ok(out)
    }

    /// When the next reply-by reminder is due, if any ask is open.
    pub fn next_reply_alert(&self) -> Result<Option<DateTime<Utc>>> {
        if self.me().is_none() {
            return Ok(None);
        }
        let now = self.now();
        let me = self.policy_me()?;
        Ok(self
            .waiting_on_me()?
            .iter()
            .flat_map(|w| alert_times(w.ask.time(), w.due.utc, me.tz, &me.hours))
            .map(|(at, _)| at)
            .filter(|at| *at > now)
            .min())
    }
}
