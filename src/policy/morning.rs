//! The morning catch-up: when it is due. At the start of my working hours
//! (and when I come back from a pause or from being away), one "Your
//! catch-up" notification stands for everything that waited overnight,
//! instead of a digest per thread. Pure functions of my hours, my pause or
//! away, the last catch-up and the clock.

use chrono::{DateTime, Utc};

use super::decide::Me;

/// When the next catch-up is due (at or before `now` means now), given the
/// instant of the last one: the start of the first working interval that
/// begins after `last` and has not ended, but not before a pause or away
/// ends. An interval already under way when the pause ends (or when the
/// app starts) still has its catch-up, at once. None when my hours have no
/// working day.
pub fn catch_up_at(me: &Me, last: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let from = me.settings.pause_until.map_or(now, |p| p.max(now));
    let mut day = from.with_timezone(&me.tz).date_naive().pred_opt()?;
    for _ in 0..9 {
        if let Some((start, end)) = me.hours.interval_starting(me.tz, day) {
            if end > from && start > last {
                return Some(start.max(from));
            }
        }
        day = day.succ_opt()?;
    }
    None
}

/// Whether a catch-up is due at `now`.
pub fn catch_up_due(me: &Me, last: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    catch_up_at(me, last, now).is_some_and(|t| t <= now)
}
