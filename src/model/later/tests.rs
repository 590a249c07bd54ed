//! Reminder times with fixed clocks: moved into working hours, across a
//! DST change (New York) and in half-hour zones (Kolkata, Adelaide).

use super::*;
use crate::error::ErrorCode;
use crate::model::profile::WorkingHours;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn person(tz: &str) -> Profile {
    Profile {
        display_name: tz.into(),
        time_zone: tz.into(),
        working_hours: WorkingHours::default(),
    }
}

fn remind(when: RemindAt, now: &str, tz: &str) -> ReminderTime {
    resolve(&when, utc(now), &person(tz)).unwrap().unwrap()
}

#[test]
fn later_today_inside_my_hours_stays_three_hours_ahead() {
    // 10:00 IST (04:30 UTC) on a Monday: 13:00 IST.
    let r = remind(RemindAt::LaterToday, "2026-11-30T04:30:00Z", "Asia/Kolkata");
    assert_eq!(r.at, utc("2026-11-30T07:30:00Z"));
    assert!(!r.moved);
}

#[test]
fn later_today_past_the_end_of_friday_moves_to_monday_morning() {
    // Friday 15:00 in Lisbon (UTC+0 in winter): 18:00 is after hours.
    let r = remind(
        RemindAt::LaterToday,
        "2026-11-27T15:00:00Z",
        "Europe/Lisbon",
    );
    assert_eq!(r.picked, utc("2026-11-27T18:00:00Z"));
    assert_eq!(r.at, utc("2026-11-30T09:00:00Z"));
    assert!(r.moved);
}

#[test]
fn tomorrow_at_my_start_crosses_the_spring_dst_change() {
    // Friday 2027-03-12 16:00 EST: tomorrow is Saturday, a day off, so the
    // next start is Monday 09:00, which is EDT (UTC-4) after the change.
    let r = remind(
        RemindAt::TomorrowAtMyStart,
        "2027-03-12T21:00:00Z",
        "America/New_York",
    );
    assert_eq!(r.at, utc("2027-03-15T13:00:00Z"));
    assert!(!r.moved, "a working-hours start is already inside them");
}

#[test]
fn a_custom_saturday_time_in_adelaide_moves_to_monday_at_nine() {
    // Adelaide is UTC+10:30 in its summer. Saturday 11:00 local.
    let r = remind(
        RemindAt::MyLocal(local("2026-12-05T11:00")),
        "2026-12-03T00:00:00Z",
        "Australia/Adelaide",
    );
    assert_eq!(r.picked, utc("2026-12-05T00:30:00Z"));
    // Monday 2026-12-07 09:00 ACDT = Sunday 22:30 UTC.
    assert_eq!(r.at, utc("2026-12-06T22:30:00Z"));
    assert!(r.moved);
}

#[test]
fn next_monday_at_my_start_in_kolkata() {
    // Wednesday: the coming Monday 09:00 IST.
    let r = remind(
        RemindAt::MondayAtMyStart,
        "2026-12-02T06:00:00Z",
        "Asia/Kolkata",
    );
    assert_eq!(r.at, utc("2026-12-07T03:30:00Z"));
}

#[test]
fn saved_has_no_time_and_bad_times_are_refused_with_codes() {
    let now = utc("2026-12-02T12:00:00Z");
    let me = person("Europe/Lisbon");
    assert_eq!(resolve(&RemindAt::Saved, now, &me).unwrap(), None);
    let past = resolve(&RemindAt::Instant(now - Duration::hours(1)), now, &me).unwrap_err();
    assert_eq!(past.code, ErrorCode::TimeInPast);
    let far = resolve(&RemindAt::Instant(now + Duration::days(400)), now, &me).unwrap_err();
    assert_eq!(far.code, ErrorCode::InvalidTime);
    // 01:30 on 2027-03-28 does not exist in Lisbon (clocks skip to 02:00).
    let skipped = resolve(&RemindAt::MyLocal(local("2027-03-28T01:30")), now, &me).unwrap_err();
    assert_eq!(skipped.code, ErrorCode::InvalidTime);
}

fn item(remind_at: Option<&str>, on_reply: bool) -> Later {
    Later {
        remind_at: remind_at.map(utc),
        on_reply,
        done: false,
    }
}

#[test]
fn on_reply_or_at_a_time_whichever_comes_first() {
    let me = person("Europe/Lisbon");
    let at = Some("2026-12-04T09:00:00Z");
    // No reply yet: the time.
    assert_eq!(
        due(&item(at, true), None, &me),
        Some(utc("2026-12-04T09:00:00Z"))
    );
    // A reply on Wednesday afternoon comes first.
    let reply = Some(utc("2026-12-02T14:10:00Z"));
    assert_eq!(due(&item(at, true), reply, &me), reply);
    // A reply after the time changes nothing.
    let late = Some(utc("2026-12-05T10:00:00Z"));
    assert_eq!(
        due(&item(at, true), late, &me),
        Some(utc("2026-12-04T09:00:00Z"))
    );
    // Without "on reply", replies do not count.
    assert_eq!(
        due(&item(at, false), reply, &me),
        Some(utc("2026-12-04T09:00:00Z"))
    );
    // On reply only: the reply itself.
    assert_eq!(due(&item(None, true), reply, &me), reply);
    assert_eq!(due(&item(None, true), None, &me), None);
    // Saved only, or done: never due.
    assert_eq!(due(&item(None, false), reply, &me), None);
    let mut done = item(at, true);
    done.done = true;
    assert_eq!(due(&done, reply, &me), None);
}

#[test]
fn a_reply_at_night_reminds_me_when_my_hours_begin() {
    let me = person("Asia/Kolkata");
    // 23:00 IST Tuesday = 17:30 UTC; my hours begin Wednesday 09:00 IST.
    let reply = Some(utc("2026-12-01T17:30:00Z"));
    assert_eq!(
        due(&item(Some("2026-12-10T04:00:00Z"), true), reply, &me),
        Some(utc("2026-12-02T03:30:00Z"))
    );
}
