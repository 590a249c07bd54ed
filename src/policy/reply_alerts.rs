//! Reply-by reminders for the asked person: one on the morning of the day
//! an answer is due (at the start of their working hours), and one when it
//! becomes overdue (at the deadline, or when their hours next begin if the
//! deadline falls outside them). Pure functions of the ask and the clock.

use chrono::{DateTime, TimeZone as _, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::model::profile::WorkingHours;

/// Which reminder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertKind {
    /// The answer is due today.
    DueToday,
    /// The deadline passed.
    Overdue,
}

/// The instants at which an ask made at `asked_at`, due at `due`, reminds
/// someone working `hours` in `tz`.
pub fn alert_times(
    asked_at: DateTime<Utc>,
    due: DateTime<Utc>,
    tz: Tz,
    hours: &WorkingHours,
) -> Vec<(DateTime<Utc>, AlertKind)> {
    let mut out = Vec::new();
    let day = due.with_timezone(&tz).date_naive();
    let midnight = tz
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc));
    if let Some(midnight) = midnight {
        let morning = hours.next_start(tz, midnight);
        // Only when that morning is on the due day, before the deadline,
        // and after the ask (an ask made mid-morning needs no reminder).
        if morning.with_timezone(&tz).date_naive() == day && morning < due && morning > asked_at {
            out.push((morning, AlertKind::DueToday));
        }
    }
    // A deadline at the very end of their working day still falls in it.
    let in_hours =
        hours.contains(tz, due) || hours.contains(tz, due - chrono::TimeDelta::seconds(1));
    let overdue = if in_hours {
        due
    } else {
        hours.next_start(tz, due)
    };
    out.push((overdue, AlertKind::Overdue));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_deadline_at_the_end_of_their_day_reminds_that_morning_and_at_the_deadline() {
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        let hours = WorkingHours::default();
        // Due Monday 17:00 IST (11:30 UTC), asked Friday.
        let t = alert_times(
            utc("2026-11-27T14:00:00Z"),
            utc("2026-11-30T11:30:00Z"),
            kolkata,
            &hours,
        );
        assert_eq!(
            t,
            [
                (utc("2026-11-30T03:30:00Z"), AlertKind::DueToday),
                (utc("2026-11-30T11:30:00Z"), AlertKind::Overdue),
            ]
        );
    }

    #[test]
    fn a_deadline_outside_their_hours_is_overdue_when_their_hours_begin() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let hours = WorkingHours::default();
        // Due Saturday 2027-03-13 12:00 UTC (07:00 EST); the next start is
        // Monday 09:00, which is EDT after the DST change: 13:00 UTC.
        let t = alert_times(
            utc("2027-03-10T15:00:00Z"),
            utc("2027-03-13T12:00:00Z"),
            ny,
            &hours,
        );
        assert_eq!(t, [(utc("2027-03-15T13:00:00Z"), AlertKind::Overdue)]);
    }

    #[test]
    fn an_ask_made_on_the_morning_it_is_due_has_no_morning_reminder() {
        let lisbon: Tz = "Europe/Lisbon".parse().unwrap();
        let t = alert_times(
            utc("2026-11-30T10:00:00Z"),
            utc("2026-11-30T17:00:00Z"),
            lisbon,
            &WorkingHours::default(),
        );
        assert_eq!(t, [(utc("2026-11-30T17:00:00Z"), AlertKind::Overdue)]);
    }
}
