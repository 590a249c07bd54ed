//! Showing times: stored in UTC, shown in the viewer's time zone, and, when
//! the author lives elsewhere, in theirs too: "14:02 (Ana's 09:02)".

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A moment as a person should read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimeView {
    /// The instant, UTC.
    pub utc: DateTime<Utc>,
    /// In the viewer's zone: "14:02" today, "27 Nov 14:02" this year,
    /// "27 Nov 2025 14:02" before.
    pub local: String,
    /// In the author's zone when it differs: "Ana's 09:02".
    pub author_local: Option<String>,
    /// Both together, ready to show: "14:02 (Ana's 09:02)".
    pub label: String,
}

/// Formats `at` for a viewer in `viewer` zone; `author` is the author's
/// first name and zone.
pub fn time_view(
    at: DateTime<Utc>,
    viewer: Tz,
    author: Option<(&str, Tz)>,
    now: DateTime<Utc>,
) -> TimeView {
    let here = at.with_timezone(&viewer);
    let today = now.with_timezone(&viewer);
    let local = if here.date_naive() == today.date_naive() {
        here.format("%H:%M").to_string()
    } else if here.year() == today.year() {
        here.format("%-d %b %H:%M").to_string()
    } else {
        here.format("%-d %b %Y %H:%M").to_string()
    };
    let author_local = author.and_then(|(name, tz)| {
        let there = at.with_timezone(&tz);
        if there.naive_local() == here.naive_local() {
            return None;
        }
        let first = name.split_whitespace().next().unwrap_or(name);
        let when = if there.date_naive() == here.date_naive() {
            there.format("%H:%M").to_string()
        } else {
            there.format("%a %H:%M").to_string()
        };
        Some(format!("{first}'s {when}"))
    });
    let label = match &author_local {
        Some(a) => format!("{local} ({a})"),
        None => local.clone(),
    };
    TimeView {
        utc: at,
        local,
        author_local,
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_shows_my_time_and_the_authors() {
        let at: DateTime<Utc> = "2026-11-27T14:02:00Z".parse().unwrap();
        let v = time_view(
            at,
            Tz::UTC,
            Some(("Ana Souza", chrono_tz::America::New_York)),
            at,
        );
        assert_eq!(v.label, "14:02 (Ana's 09:02)");
    }

    #[test]
    fn same_zone_shows_one_time_and_other_days_show_the_date() {
        let at: DateTime<Utc> = "2026-11-27T14:02:00Z".parse().unwrap();
        let later: DateTime<Utc> = "2026-12-03T10:00:00Z".parse().unwrap();
        let v = time_view(at, Tz::UTC, Some(("Ben", Tz::UTC)), later);
        assert_eq!(v.label, "27 Nov 14:02");
        assert!(v.author_local.is_none());
    }

    #[test]
    fn an_author_past_midnight_shows_their_weekday() {
        let at: DateTime<Utc> = "2026-11-27T16:00:00Z".parse().unwrap();
        let v = time_view(at, Tz::UTC, Some(("Kenji", chrono_tz::Asia::Tokyo)), at);
        assert_eq!(v.label, "16:00 (Kenji's Sat 01:00)");
    }
}
