//! Away: "I am off until <date>", shared with the team. Teammates see it
//! where they write to me, my notifications hold until I return, and
//! reply-by deadlines skip the days I am away.
//!
//! [`Away`] travels inside ops: changing it is a wire format change.

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use serde::{Deserialize, Serialize};

use super::profile::Profile;
use crate::error::{Error, ErrorCode, Result};

/// Longest away note, in characters.
pub const MAX_NOTE_CHARS: usize = 200;

/// An away period, from the moment it is set until `until`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Away {
    /// When I am back: the start of my working hours on my return day.
    pub until: DateTime<Utc>,
    /// "At a conference; Ana covers releases" (may be empty).
    pub note: String,
}

impl Away {
    /// Whether this away period covers `at`.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        at < self.until
    }

    /// Structural checks every replica applies.
    pub fn validate(&self) -> Result<()> {
        let n = self.note.chars().count();
        if n > MAX_NOTE_CHARS {
            return Err(Error::new(
                ErrorCode::TooLarge,
                format!(
                    "The away note has {n} characters; the limit is {MAX_NOTE_CHARS}: shorten it"
                ),
            ));
        }
        if self.note.chars().any(char::is_control) {
            return Err(Error::invalid(
                "The away note contains control characters or line breaks: remove them",
            ));
        }
        Ok(())
    }
}

/// The away period of someone with `profile` who is back on local date
/// `back_on` (at the start of their working hours that day, or the first
/// working day after it), set at `now`.
pub fn away_until(
    profile: &Profile,
    back_on: NaiveDate,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Away> {
    let tz = profile.tz();
    let today = now.with_timezone(&tz).date_naive();
    if back_on <= today {
        return Err(Error::new(
            ErrorCode::TimeInPast,
            format!("{back_on} is not after today: pick the day you are back"),
        ));
    }
    if back_on > today + chrono::Duration::days(365) {
        return Err(Error::new(
            ErrorCode::InvalidTime,
            "That is more than a year ahead: pick a day within the next 12 months",
        ));
    }
    let midnight = tz
        .from_local_datetime(&back_on.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&back_on.and_time(chrono::NaiveTime::MIN)));
    let away = Away {
        until: profile.working_hours.next_start(tz, midnight),
        note: note.trim().to_string(),
    };
    away.validate()?;
    Ok(away)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::WorkingHours;

    fn person(tz: &str) -> Profile {
        Profile {
            display_name: "P".into(),
            time_zone: tz.into(),
            working_hours: WorkingHours::default(),
        }
    }

    #[test]
    fn back_on_a_day_means_the_start_of_my_hours_that_day() {
        let now: DateTime<Utc> = "2026-12-04T10:00:00Z".parse().unwrap();
        let back = NaiveDate::from_ymd_opt(2026, 12, 14).unwrap();
        let a = away_until(&person("Asia/Kolkata"), back, " Conference ", now).unwrap();
        // Monday 14 Dec 09:00 IST.
        assert_eq!(
            a.until,
            "2026-12-14T03:30:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(a.note, "Conference");
        assert!(a.covers(now));
        assert!(!a.covers(a.until));
        // Back on a Saturday: the first working day after it.
        let sat = NaiveDate::from_ymd_opt(2026, 12, 12).unwrap();
        let a = away_until(&person("Europe/Lisbon"), sat, "", now).unwrap();
        assert_eq!(
            a.until,
            "2026-12-14T09:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn a_return_day_in_the_past_or_far_ahead_is_refused() {
        let now: DateTime<Utc> = "2026-12-04T10:00:00Z".parse().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let p = person("Europe/Lisbon");
        assert_eq!(
            away_until(&p, today, "", now).unwrap_err().code,
            ErrorCode::TimeInPast
        );
        let far = NaiveDate::from_ymd_opt(2028, 1, 1).unwrap();
        assert_eq!(
            away_until(&p, far, "", now).unwrap_err().code,
            ErrorCode::InvalidTime
        );
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        let back = NaiveDate::from_ymd_opt(2026, 12, 14).unwrap();
        assert_eq!(
            away_until(&p, back, &long, now).unwrap_err().code,
            ErrorCode::TooLarge
        );
    }
}
