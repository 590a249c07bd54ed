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
use super::rows::enc;
use super::Store;
use crate::error::Result;
use crate::model::checkin::date_key;
use crate::model::ids::CheckinId;
use crate::policy::{Notification, NotificationKey};

/// Meta key: set once the first check ran.
const STARTED: &[u8] = b"checkin_alerts_started";
/// Meta key prefix: ++ check-in → the date key last shown.
const SHOWN: &[u8] = b"checkin_alerts_shown/";

fn shown_key(c: CheckinId) -> Vec<u8> {
    [SHOWN, &c.to_bytes()[..]].concat()
}

impl Store {
    /// Check-in asks that came and were not shown on this device (at most
    /// one per check-in: its latest occurrence); marks them shown.
    pub fn due_checkin_asks(&self) -> Result<Vec<Notification>> {
        if self.me().is_none() {
            return Ok(Vec::new());
        }
        let now = self.now();
        let meta = &self.trees().meta;
        let started = meta.get(STARTED)?.is_some();
        // Away is folded into the pause by `policy_me`.
        if started
            && self
                .policy_me()?
                .settings
                .pause_until
                .is_some_and(|p| p > now)
        {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for ask in self.checkin_asks_for_me()? {
            let key = shown_key(ask.checkin);
            let date = date_key(ask.date);
            if meta.get(&key)?.is_some_and(|v| v.as_ref() == date) {
                continue;
            }
            meta.insert(key, date.to_vec())?;
            if !started {
                continue;
            }
            out.push(Notification {
                key: NotificationKey::Checkin(ask.checkin, ask.date),
                thread: None,
                title: format!("Check-in: {}", ask.question),
                body: format!("#{} — answer when it suits you", ask.channel_name),
                count: 1,
                reminder: false,
            });
        }
        // Forget marks of check-ins that are gone or stopped.
        let live: HashSet<CheckinId> = self
            .checkin_rows()?
            .into_iter()
            .filter(|(_, r)| r.stopped.is_none())
            .map(|(id, _)| id)
            .collect();
        for kv in meta.scan_prefix(SHOWN) {
            let (k, _) = kv?;
            let gone = <[u8; 16]>::try_from(&k[SHOWN.len()..])
                .map(CheckinId::from_bytes)
                .map_or(true, |c| !live.contains(&c));
            if gone {
                meta.remove(k)?;
            }
        }
        if !started {
            meta.insert(STARTED, enc(&now))?;
        }
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
