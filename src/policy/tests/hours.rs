//! Working hours, pauses and time zones: Tokyo nights and weekends for a
//! New York author, pauses ending inside and outside hours, and DST change
//! days in New York and Lisbon.

use super::*;

#[test]
fn a_new_york_comment_at_tokyo_night_waits_for_tokyo_morning() {
    // Wednesday 2026-11-25 13:00 UTC: 08:00 in New York, 22:00 in Tokyo.
    let now = utc("2026-11-25T13:00:00Z");
    let ev = comment_at(now);
    // Thursday 09:00 in Tokyo is Thursday 00:00 UTC.
    assert_eq!(
        plain(&ev, &tokyo(), now),
        Decision::HoldUntil(utc("2026-11-26T00:00:00Z"))
    );
}

#[test]
fn friday_night_in_tokyo_waits_until_monday_morning() {
    // Friday 2026-11-27 22:00 in Tokyo (Friday 08:00 in New York).
    let now = utc("2026-11-27T13:00:00Z");
    let ev = comment_at(now);
    // Monday 2026-11-30 09:00 in Tokyo = 00:00 UTC.
    assert_eq!(
        plain(&ev, &tokyo(), now),
        Decision::HoldUntil(utc("2026-11-30T00:00:00Z"))
    );
}

#[test]
fn a_comment_inside_my_hours_notifies_now() {
    // Thursday 11:00 in Tokyo.
    let now = utc("2026-11-26T02:00:00Z");
    assert_eq!(plain(&comment_at(now), &tokyo(), now), Decision::NotifyNow);
}

#[test]
fn a_pause_ending_inside_my_hours_holds_until_it_ends() {
    let now = utc("2026-11-26T02:00:00Z"); // Thursday 11:00 Tokyo
    let mut me = tokyo();
    let until = utc("2026-11-26T05:00:00Z"); // 14:00 Tokyo
    me.settings.pause_until = Some(until);
    assert_eq!(
        plain(&comment_at(now), &me, now),
        Decision::HoldUntil(until)
    );
    assert_eq!(hold_time(&me, now), Some(until));
}

#[test]
fn a_pause_ending_outside_my_hours_holds_until_they_begin() {
    let now = utc("2026-11-26T02:00:00Z");
    let mut me = tokyo();
    // Thursday 21:00 in Tokyo: after hours, so wait for Friday 09:00.
    me.settings.pause_until = Some(utc("2026-11-26T12:00:00Z"));
    let d = plain(&comment_at(now), &me, now);
    assert_eq!(d, Decision::HoldUntil(utc("2026-11-27T00:00:00Z")));
    // Without respecting hours, the pause end alone counts.
    me.settings.respect_working_hours = false;
    let d = plain(&comment_at(now), &me, now);
    assert_eq!(d, Decision::HoldUntil(utc("2026-11-26T12:00:00Z")));
}

#[test]
fn a_pause_that_has_ended_no_longer_holds() {
    let now = utc("2026-11-26T02:00:00Z");
    let mut me = tokyo();
    me.settings.pause_until = Some(now);
    assert_eq!(plain(&comment_at(now), &me, now), Decision::NotifyNow);
}

#[test]
fn ignoring_working_hours_notifies_at_night() {
    let now = utc("2026-11-25T13:00:00Z"); // 22:00 Tokyo
    let mut me = tokyo();
    me.settings.respect_working_hours = false;
    assert_eq!(plain(&comment_at(now), &me, now), Decision::NotifyNow);
}

#[test]
fn hours_with_no_working_day_notify_rather_than_hold_forever() {
    let now = utc("2026-11-25T13:00:00Z");
    let mut me = tokyo();
    me.hours.days = 0; // invalid, but must not strand notifications
    assert_eq!(plain(&comment_at(now), &me, now), Decision::NotifyNow);
}

#[test]
fn spring_forward_weekend_in_new_york_holds_until_monday_nine_daylight_time() {
    // Friday 2026-03-06 21:00 EST; clocks go forward on Sunday 2026-03-08.
    let now = utc("2026-03-07T02:00:00Z");
    let d = plain(&comment_at(now), &new_york_weekdays(), now);
    // Monday 09:00 EDT (UTC-4) = 13:00 UTC, not 14:00.
    assert_eq!(d, Decision::HoldUntil(utc("2026-03-09T13:00:00Z")));
}

#[test]
fn fall_back_weekend_in_new_york_holds_until_monday_nine_standard_time() {
    // Friday 2026-10-30 20:00 EDT; clocks go back on Sunday 2026-11-01.
    let now = utc("2026-10-31T00:00:00Z");
    let d = plain(&comment_at(now), &new_york_weekdays(), now);
    // Monday 09:00 EST (UTC-5) = 14:00 UTC.
    assert_eq!(d, Decision::HoldUntil(utc("2026-11-02T14:00:00Z")));
}

#[test]
fn lisbon_on_its_dst_change_day_gets_the_right_start() {
    let mut me = new_york_weekdays();
    me.tz = chrono_tz::Europe::Lisbon;
    me.hours = WorkingHours::parse("09:00", "17:00", &all_days()).unwrap();
    // Saturday 2026-03-28 20:00 WET; 01:00 UTC Sunday the clocks jump to WEST.
    let now = utc("2026-03-28T20:00:00Z");
    // Sunday 09:00 WEST (UTC+1) = 08:00 UTC.
    assert_eq!(
        plain(&comment_at(now), &me, now),
        Decision::HoldUntil(utc("2026-03-29T08:00:00Z"))
    );
    // A start time skipped by the jump (01:30 does not exist that night)
    // moves an hour later in wall time: 02:30 WEST = 01:30 UTC.
    me.hours = WorkingHours::parse("01:30", "10:00", &all_days()).unwrap();
    let now = utc("2026-03-29T00:15:00Z");
    assert_eq!(
        plain(&comment_at(now), &me, now),
        Decision::HoldUntil(utc("2026-03-29T01:30:00Z"))
    );
}
