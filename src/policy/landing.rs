//! When a message would land in someone's day: "in hours — now", "after
//! hours — Tue 09:00 their time", "away until 14 Dec". The composer shows
//! it for every person who will be notified, before sending.
//!
//! It reads what teammates share: time zone, working hours, away. Pauses
//! and notification levels are private to each person and are not known
//! here, so the answer is what their hours and away say.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::away::Away;
use crate::model::profile::Profile;

/// Where someone's day is right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum DayState {
    /// Inside their working hours.
    InHours,
    /// Outside them.
    AfterHours,
    /// Away (their note says why).
    Away,
}

/// When a message sent to someone would reach them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Landing {
    /// Their state now.
    pub state: DayState,
    /// Their wall clock now: "Tue 22:14".
    pub local_now: String,
    /// When it would notify them.
    pub lands_at: DateTime<Utc>,
    /// "in hours — now", "after hours — Tue 09:00 their time",
    /// "away until Mon 14 Dec — Mon 09:00 their time".
    pub label: String,
}

/// When a message revealed at `reveal_at` (now, unless sent later) lands
/// for someone with `profile` and `away`, asked at `now`.
pub fn landing(
    profile: &Profile,
    away: Option<&Away>,
    reveal_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Landing {
    let tz = profile.tz();
    let hours = &profile.working_hours;
    let away = away.filter(|a| a.covers(now) || a.covers(reveal_at));
    let state = if away.is_some_and(|a| a.covers(now)) {
        DayState::Away
    } else if hours.contains(tz, now) {
        DayState::InHours
    } else {
        DayState::AfterHours
    };
    let at = reveal_at.max(now);
    let their = |t: DateTime<Utc>| t.with_timezone(&tz).format("%a %H:%M").to_string();
    let (lands_at, label) = match away.filter(|a| a.covers(at)) {
        Some(a) => {
            let back = hours.next_start(tz, a.until);
            let day = a.until.with_timezone(&tz).format("%a %-d %b");
            (
                back,
                format!("away until {day} — {} their time", their(back)),
            )
        }
        None if hours.contains(tz, at) => {
            if at == now {
                (at, "in hours — now".to_string())
            } else {
                (at, format!("in hours — {} their time", their(at)))
            }
        }
        None => {
            let start = hours.next_start(tz, at);
            (start, format!("after hours — {} their time", their(start)))
        }
    };
    Landing {
        state,
        local_now: their(now),
        lands_at,
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::WorkingHours;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn person(tz: &str) -> Profile {
        Profile {
            display_name: "P".into(),
            time_zone: tz.into(),
            working_hours: WorkingHours::default(),
        }
    }

    #[test]
    fn each_zone_gets_its_own_landing() {
        // Friday 2026-11-27 14:00 UTC.
        let now = utc("2026-11-27T14:00:00Z");
        let ny = landing(&person("America/New_York"), None, now, now);
        assert_eq!(ny.state, DayState::InHours);
        assert_eq!(ny.local_now, "Fri 09:00");
        assert_eq!(ny.label, "in hours — now");
        assert_eq!(ny.lands_at, now);

        let kolkata = landing(&person("Asia/Kolkata"), None, now, now);
        assert_eq!(kolkata.state, DayState::AfterHours);
        assert_eq!(kolkata.local_now, "Fri 19:30");
        assert_eq!(kolkata.label, "after hours — Mon 09:00 their time");
        assert_eq!(kolkata.lands_at, utc("2026-11-30T03:30:00Z"));

        // Adelaide in summer time (UTC+10:30): Saturday 00:30.
        let adelaide = landing(&person("Australia/Adelaide"), None, now, now);
        assert_eq!(adelaide.local_now, "Sat 00:30");
        assert_eq!(adelaide.lands_at, utc("2026-11-29T22:30:00Z"));
    }

    #[test]
    fn a_scheduled_message_lands_at_its_time_when_that_is_in_their_hours() {
        let now = utc("2026-11-27T14:00:00Z");
        let later = utc("2026-11-30T15:00:00Z"); // Monday 10:00 in New York
        let ny = landing(&person("America/New_York"), None, later, now);
        assert_eq!(ny.label, "in hours — Mon 10:00 their time");
        assert_eq!(ny.lands_at, later);
    }

    #[test]
    fn someone_away_gets_it_when_they_are_back() {
        let now = utc("2026-12-04T10:00:00Z");
        let away = Away {
            until: utc("2026-12-14T09:00:00Z"),
            note: "Conference".into(),
        };
        let l = landing(&person("Europe/Lisbon"), Some(&away), now, now);
        assert_eq!(l.state, DayState::Away);
        assert_eq!(l.lands_at, away.until);
        assert_eq!(l.label, "away until Mon 14 Dec — Mon 09:00 their time");
        // Once back, away no longer matters.
        let l = landing(
            &person("Europe/Lisbon"),
            Some(&away),
            away.until,
            away.until,
        );
        assert_eq!(l.state, DayState::InHours);
    }

    #[test]
    fn the_dst_change_moves_their_start_in_utc() {
        // Saturday 2027-03-13 in New York; clocks go forward Sunday 14 March,
        // so Monday 09:00 EDT is 13:00 UTC (it was 14:00 UTC the week before).
        let now = utc("2027-03-13T18:00:00Z");
        let ny = landing(&person("America/New_York"), None, now, now);
        assert_eq!(ny.lands_at, utc("2027-03-15T13:00:00Z"));
    }
}
