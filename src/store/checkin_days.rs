//! Where a check-in stands for each person on each of their dates, from
//! the rows and the clock: shared by the commands (may I answer for this
//! date?), the views (the board, histories, my open asks) and the
//! notifications, so they never disagree.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::rows::{dec, CheckinRow, Lww};
use super::trees::T;
use super::Store;
use crate::error::{Error, Result};
use crate::model::away::Away;
use crate::model::checkin::{
    asks_on, latest_asked, next_ask, nominal_instant, Active, AskState, AwaySpan,
};
use crate::model::ids::MemberId;
use crate::model::profile::Profile;
use crate::views::people::People;
use crate::views::DayMark;

/// How far back an occurrence stays open: a weekly check-in's last ask.
pub(crate) const OPEN_DAYS: i64 = 8;
/// How far ahead the next ask is looked for.
const NEXT_DAYS: i64 = 15;

/// When a check-in's row asks at all.
pub(crate) fn active(row: &CheckinRow) -> Active {
    Active {
        from: row.created.time(),
        paused_from: row.paused.value.then(|| row.paused.at.time()),
        until: row.stopped.map(|s| s.time()),
    }
}

/// Everyone's profile and away period, read once, and the clock.
pub(crate) struct Days {
    pub now: DateTime<Utc>,
    pub people: std::sync::Arc<People>,
    away: HashMap<MemberId, AwaySpan>,
}

impl Days {
    pub fn load(store: &Store) -> Result<Self> {
        let people = People::load(store)?;
        let mut away = HashMap::new();
        for kv in store.trees().get(T::Away).iter() {
            let (k, v) = kv?;
            let row: Lww<Option<Away>> = dec(&v)?;
            let m = MemberId::from_bytes(
                k.as_ref()
                    .try_into()
                    .map_err(|_| Error::corrupt("away key"))?,
            );
            if let Some(a) = row.value {
                away.insert(
                    m,
                    AwaySpan {
                        from: row.at.time(),
                        until: a.until,
                    },
                );
            }
        }
        Ok(Days {
            now: store.now(),
            people,
            away,
        })
    }

    /// A member's profile, if it arrived.
    pub fn profile(&self, m: MemberId) -> Option<Profile> {
        self.people.get(m).map(|v| Profile {
            display_name: v.display_name.clone(),
            time_zone: v.time_zone.clone(),
            working_hours: v.working_hours,
        })
    }

    /// A member's latest away period.
    pub fn away(&self, m: MemberId) -> Option<AwaySpan> {
        self.away.get(&m).copied()
    }

    /// Who the check-in asks, by name: its people, or everyone.
    pub fn asked(&self, row: &CheckinRow) -> Vec<MemberId> {
        self.people
            .members
            .iter()
            .map(|m| m.id)
            .filter(|m| row.spec.value.asks(*m))
            .collect()
    }

    /// Where `m` stands on their local `date`.
    pub fn mark(&self, row: &CheckinRow, date: NaiveDate, m: MemberId, answered: bool) -> DayMark {
        if answered {
            return DayMark::Answered;
        }
        let spec = &row.spec.value;
        let Some(profile) = self.profile(m) else {
            return DayMark::NotAsked;
        };
        if !spec.asks(m) {
            return DayMark::NotAsked;
        }
        let live = active(row);
        match asks_on(spec, date, &profile, self.away(m)) {
            AskState::NotScheduled => DayMark::NotAsked,
            AskState::Asked(at) if !live.covers(at) => DayMark::NotAsked,
            AskState::Asked(at) if at > self.now => DayMark::Upcoming,
            AskState::Asked(_) => DayMark::Pending,
            AskState::DayOff | AskState::Away if !live.covers(nominal_instant(date, &profile)) => {
                DayMark::NotAsked
            }
            AskState::DayOff => DayMark::Off,
            AskState::Away => DayMark::Away,
        }
    }

    /// `m`'s latest occurrence asked by now: (date, instant).
    pub fn latest(&self, row: &CheckinRow, m: MemberId) -> Option<(NaiveDate, DateTime<Utc>)> {
        let profile = self.profile(m)?;
        if !row.spec.value.asks(m) {
            return None;
        }
        latest_asked(
            &row.spec.value,
            &active(row),
            &profile,
            self.away(m),
            self.now,
            OPEN_DAYS,
        )
    }

    /// `m`'s next ask after now: (date, instant).
    pub fn next(&self, row: &CheckinRow, m: MemberId) -> Option<(NaiveDate, DateTime<Utc>)> {
        let profile = self.profile(m)?;
        if !row.spec.value.asks(m) {
            return None;
        }
        next_ask(
            &row.spec.value,
            &active(row),
            &profile,
            self.away(m),
            self.now,
            NEXT_DAYS,
        )
    }
}
