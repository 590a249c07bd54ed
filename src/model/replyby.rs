//! Reply-by: asking named people for an answer by a deadline counted in
//! *their* working days, skipping days they are away.
//!
//! [`DueBy`] is what the composer offers; [`due_instant`] turns it into an
//! instant for one person. Both are pure functions of the clock and the
//! person's profile, tested across zones.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::away::Away;
use super::profile::Profile;
use crate::error::{Error, ErrorCode, Result};

/// Most working days a reply-by preset may count.
pub const MAX_WORKING_DAYS: u8 = 20;

/// When an answer is wanted, as picked in the composer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DueBy {
    /// By the end of their next working day (not today's).
    EndOfNextWorkingDay,
    /// Within this many of their working days, today's counting when
    /// their working day has not ended yet.
    WorkingDays(u8),
    /// An exact instant.
    Instant(DateTime<Utc>),
}

/// The deadline for someone with `profile` (and `away`), asked at `now`.
pub fn due_instant(
    by: &DueBy,
    profile: &Profile,
    away: Option<&Away>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let due = match by {
        DueBy::Instant(t) => *t,
        DueBy::EndOfNextWorkingDay => nth_working_day_end(profile, away, now, 1, true)?,
        DueBy::WorkingDays(n) => {
            if *n == 0 || *n > MAX_WORKING_DAYS {
                return Err(Error::invalid(format!(
                    "Ask for 1 to {MAX_WORKING_DAYS} working days, not {n}"
                )));
            }
            nth_working_day_end(profile, away, now, *n, false)?
        }
    };
    if due <= now {
        return Err(Error::new(
            ErrorCode::TimeInPast,
            "That deadline has already passed: pick a later one",
        ));
    }
    if due > now + Duration::days(365) {
        return Err(Error::new(
            ErrorCode::InvalidTime,
            "That deadline is more than a year ahead: pick one within the next 12 months",
        ));
    }
    Ok(due)
}

/// The end of the `n`th working interval of theirs that is not over yet
/// (or, with `skip_today`, that starts on a later local date), skipping
/// intervals that start while they are away.
fn nth_working_day_end(
    profile: &Profile,
    away: Option<&Away>,
    now: DateTime<Utc>,
    n: u8,
    skip_today: bool,
) -> Result<DateTime<Utc>> {
    let tz = profile.tz();
    let hours = &profile.working_hours;
    let today = now.with_timezone(&tz).date_naive();
    let mut date = today.pred_opt().unwrap_or(today);
    let mut counted = 0;
    // A year of days is more than any away period plus 20 working days.
    for _ in 0..400 {
        if let Some((start, end)) = hours.interval_starting(tz, date) {
            let eligible = end > now
                && !(skip_today && date <= today)
                && !away.is_some_and(|a| a.covers(start));
            if eligible {
                counted += 1;
                if counted == n {
                    return Ok(end);
                }
            }
        }
        date = date
            .succ_opt()
            .ok_or_else(|| Error::invalid("date out of range"))?;
    }
    Err(Error::new(
        ErrorCode::InvalidTime,
        "No working day found within a year: check their working hours",
    ))
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
    fn end_of_next_working_day_is_counted_in_their_zone() {
        // Friday 2026-11-27 14:00 UTC.
        let now = utc("2026-11-27T14:00:00Z");
        // New York is mid-Friday: next working day is Monday, 17:00 EST.
        let ny = due_instant(
            &DueBy::EndOfNextWorkingDay,
            &person("America/New_York"),
            None,
            now,
        );
        assert_eq!(ny.unwrap(), utc("2026-11-30T22:00:00Z"));
        // Kolkata's Friday is over: Monday 17:00 IST = 11:30 UTC.
        let k = due_instant(
            &DueBy::EndOfNextWorkingDay,
            &person("Asia/Kolkata"),
            None,
            now,
        );
        assert_eq!(k.unwrap(), utc("2026-11-30T11:30:00Z"));
    }

    #[test]
    fn working_days_count_today_until_it_ends() {
        let now = utc("2026-11-27T14:00:00Z");
        // New York: Friday (today) and Monday.
        let ny = due_instant(
            &DueBy::WorkingDays(2),
            &person("America/New_York"),
            None,
            now,
        );
        assert_eq!(ny.unwrap(), utc("2026-11-30T22:00:00Z"));
        // Adelaide (UTC+10:30, Saturday 00:30): Monday and Tuesday, 17:00.
        let a = due_instant(
            &DueBy::WorkingDays(2),
            &person("Australia/Adelaide"),
            None,
            now,
        );
        assert_eq!(a.unwrap(), utc("2026-12-01T06:30:00Z"));
    }

    #[test]
    fn away_days_are_skipped() {
        let now = utc("2026-11-27T14:00:00Z");
        // Away until Wednesday 09:00 in Lisbon: Monday and Tuesday do not count.
        let away = Away {
            until: utc("2026-12-02T09:00:00Z"),
            note: String::new(),
        };
        let due = due_instant(
            &DueBy::EndOfNextWorkingDay,
            &person("Europe/Lisbon"),
            Some(&away),
            now,
        );
        assert_eq!(due.unwrap(), utc("2026-12-02T17:00:00Z"));
    }

    #[test]
    fn dst_change_is_followed() {
        // Friday 2027-03-12 in New York; DST starts Sunday the 14th, so
        // Monday 17:00 EDT is 21:00 UTC.
        let now = utc("2027-03-12T15:00:00Z");
        let due = due_instant(
            &DueBy::EndOfNextWorkingDay,
            &person("America/New_York"),
            None,
            now,
        );
        assert_eq!(due.unwrap(), utc("2027-03-15T21:00:00Z"));
    }

    #[test]
    fn bad_deadlines_are_refused() {
        let now = utc("2026-11-27T14:00:00Z");
        let p = person("Europe/Lisbon");
        let past = due_instant(&DueBy::Instant(now - Duration::hours(1)), &p, None, now);
        assert_eq!(past.unwrap_err().code, ErrorCode::TimeInPast);
        let far = due_instant(&DueBy::Instant(now + Duration::days(400)), &p, None, now);
        assert_eq!(far.unwrap_err().code, ErrorCode::InvalidTime);
        assert!(due_instant(&DueBy::WorkingDays(0), &p, None, now).is_err());
        assert!(due_instant(&DueBy::WorkingDays(21), &p, None, now).is_err());
    }
}
