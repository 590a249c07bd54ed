//! "Shown once on this device": per-device marks in `meta` for reminders
//! that come due by the clock rather than by a write (Later reminders,
//! check-in asks). Each item keeps the value it was last shown for (the
//! op that set a reminder, the date a check-in asked), so a new value
//! shows again; the first check on a device only records what is already
//! due (no backlog on a new device); marks of items that are gone are
//! forgotten. What a check wrote is made durable before it returns, so a
//! crash cannot show a reminder twice.

use std::cell::Cell;

use chrono::{DateTime, Utc};

use super::rows::enc;
use super::Store;
use crate::error::Result;

/// The marks of one kind of reminder.
pub(crate) struct ShownMarks<'a> {
    store: &'a Store,
    meta: &'a sled::Tree,
    wrote: Cell<bool>,
    started_key: &'static [u8],
    prefix: &'static [u8],
    started: bool,
}

impl<'a> ShownMarks<'a> {
    /// The marks under `prefix`; `started_key` records the first check.
    pub(crate) fn open(
        store: &'a Store,
        started_key: &'static [u8],
        prefix: &'static [u8],
    ) -> Result<Self> {
        let meta = &store.trees().meta;
        Ok(ShownMarks {
            store,
            meta,
            wrote: Cell::new(false),
            started_key,
            prefix,
            started: meta.get(started_key)?.is_some(),
        })
    }

    /// Whether a check ran on this device before (else nothing is shown).
    pub(crate) fn started(&self) -> bool {
        self.started
    }

    /// Marks `id` shown for `value`: true if it was not already (so it is
    /// to be shown, once the marks have started).
    pub(crate) fn mark(&self, id: &[u8], value: &[u8]) -> Result<bool> {
        let key = [self.prefix, id].concat();
        if self.meta.get(&key)?.is_some_and(|v| v.as_ref() == value) {
            return Ok(false);
        }
        self.meta.insert(key, value)?;
        self.wrote.set(true);
        Ok(true)
    }

    /// Forgets the marks of ids for which `live` says no, and records that
    /// a check ran.
    pub(crate) fn finish(self, live: impl Fn(&[u8]) -> bool, now: DateTime<Utc>) -> Result<()> {
        for kv in self.meta.scan_prefix(self.prefix) {
            let (k, _) = kv?;
            if !live(&k[self.prefix.len()..]) {
                self.meta.remove(k)?;
                self.wrote.set(true);
            }
        }
        if !self.started {
            self.meta.insert(self.started_key, enc(&now))?;
            self.wrote.set(true);
        }
        if self.wrote.get() {
            self.store.durable()?;
        }
        Ok(())
    }
}

impl Store {
    /// I am paused or away now: reminders wait for the end.
    pub(crate) fn paused_now(&self) -> Result<bool> {
        let now = self.now();
        Ok(self
            .policy_me()?
            .settings
            .pause_until
            .is_some_and(|p| p > now))
    }
}
