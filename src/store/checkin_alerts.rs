//! Check-in asks on my devices: which occurrences asked me and were not
//! shown here yet. An ask's instant is the start of my working day, so it
//! needs no moving into my hours. Each occurrence shows once per device:
//! `meta` remembers, per check-in, the date last shown. The first check on
//! a device only starts (no backlog). Not while I am paused or away: an
//! ask still open when that ends shows then; a check-in that is paused
//! asks nothing.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::checkin_days::Days;
use super::shown::ShownMarks;
use super::Store;
use crate::error::Result;
use crate::model::checkin::date_key;
use crate::policy::{text, Notification, NotificationKey};

/// Meta key: set once the first check ran.
const STARTED: &[u8] = b"checkin_alerts_started";
/// Meta key prefix: ++ check-in → the date key last shown.
const SHOWN: &[u8] = b"checkin_alerts_shown/";

impl Store {
    /// Check-in asks that came and were not shown on this device (at most
    /// one per check-in: its latest occurrence); marks them shown.
    pub fn due_checkin_asks(&self) -> Result<Vec<Notification>> {
        if self.me().is_none() {
            return Ok(Vec::new());
        }
        let marks = ShownMarks::open(self, STARTED, SHOWN)?;
        // Away is folded into the pause by `policy_me`.
        if marks.started() && self.paused_now()? {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for ask in self.checkin_asks_for_me()? {
            if !marks.mark(&ask.checkin.to_bytes(), &date_key(ask.date))? || !marks.started() {
                continue;
            }
            out.push(Notification {
                key: NotificationKey::Checkin(ask.checkin, ask.date),
                thread: None,
                title: format!("Check-in: {}", text::label(&ask.question)),
                body: format!(
                    "#{} — answer when it suits you",
                    text::label(&ask.channel_name)
                ),
                count: 1,
                reminder: false,
            });
        }
        // Forget marks of check-ins that are gone or stopped.
        let live: HashSet<[u8; 16]> = self
            .checkin_rows()?
            .into_iter()
            .filter(|(_, r)| r.stopped.is_none())
            .map(|(id, _)| id.to_bytes())
            .collect();
        marks.finish(|id| live.contains(id), self.now())?;
        Ok(out)
    }

    /// When a check-in next asks me, if one will.
    pub fn next_checkin_ask(&self) -> Result<Option<DateTime<Utc>>> {
        let Some(me) = self.me() else {
            return Ok(None);
        };
        let days = Days::load(self)?;
        let mut next: Option<DateTime<Utc>> = None;
        for (_, row) in self.checkin_rows()? {
            if let Some((_, at)) = days.next(&row, me) {
                next = Some(next.map_or(at, |n| n.min(at)));
            }
        }
        Ok(next)
    }
}
