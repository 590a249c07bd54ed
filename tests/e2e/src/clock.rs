//! Instants for the app's test clock (`--test-clock`, `set_test_clock`).
//!
//! Teammates' ops carry the real time (the CLI runs on the wall clock),
//! and the notification policy treats events written more than 15 minutes
//! before "now" as catch-up. So the app's clock is set to a working-day
//! instant in the recent past: every teammate op is then "just written"
//! from the app's point of view, and the scenario controls only which side
//! of the person's working hours "now" falls on.

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// The latest `weekday` at `hh:mm` in zone `tz` that is at least two days
/// before now, in UTC.
pub fn recent(tz: &str, weekday: Weekday, hh: u32, mm: u32) -> DateTime<Utc> {
    let zone: Tz = tz.parse().unwrap_or_else(|_| panic!("unknown zone {tz}"));
    let mut day = (Utc::now() - Duration::days(2))
        .with_timezone(&zone)
        .date_naive();
    while day.weekday() != weekday {
        day = day.pred_opt().expect("a previous day");
    }
    let time = NaiveTime::from_hms_opt(hh, mm, 0).expect("a valid time");
    zone.from_local_datetime(&day.and_time(time))
        .single()
        .unwrap_or_else(|| panic!("{day} {time} is ambiguous or skipped in {tz}"))
        .with_timezone(&Utc)
}

/// RFC 3339, as `--test-clock` and `set_test_clock` take it.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
