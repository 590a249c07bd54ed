//! Reveal instants with fixed clocks across zones: DST changes in Lisbon,
//! New York and Adelaide, and the half-hour zones of Kolkata and Adelaide.

use super::*;
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

fn every_day(tz: &str) -> Profile {
    let mut p = person(tz);
    p.working_hours.days = 0b0111_1111;
    p
}

fn m(n: u8) -> MemberId {
    MemberId::from_bytes([n; 16])
}

#[test]
fn at_their_start_gives_each_person_their_own_morning() {
    // Friday 2026-11-27 14:00 UTC.
    let now = utc("2026-11-27T14:00:00Z");
    let recipients = [
        // 19:30 in Kolkata (UTC+5:30): Monday 09:00 IST.
        (m(1), person("Asia/Kolkata")),
        // 00:30 Saturday in Adelaide (UTC+10:30 in summer): Monday 09:00.
        (m(2), person("Australia/Adelaide")),
        // 09:00 in New York: already at work, so now.
        (m(3), person("America/New_York")),
        // 23:00 in Tokyo: Monday 09:00 JST.
        (m(4), person("Asia/Tokyo")),
    ];
    let r = resolve(
        &SendAt::AtTheirStart,
        now,
        &person("Europe/Lisbon"),
        &recipients,
    )
    .unwrap();
    assert_eq!(r.for_member(Some(m(1))), utc("2026-11-30T03:30:00Z"));
    assert_eq!(r.for_member(Some(m(2))), utc("2026-11-29T22:30:00Z"));
    assert_eq!(r.for_member(Some(m(3))), now);
    assert_eq!(r.for_member(Some(m(4))), utc("2026-11-30T00:00:00Z"));
    // Everybody else (the author too) sees it from the earliest instant.
    assert_eq!(r.at, now);
    assert_eq!(r.for_member(Some(m(9))), now);
    assert_eq!(r.for_member(None), now);
    r.validate().unwrap();
}

#[test]
fn at_their_start_follows_the_adelaide_dst_change() {
    // Friday 2027-04-02 12:00 UTC = 22:30 ACDT. Daylight saving ends on
    // Sunday 4 April, so Monday 09:00 is ACST (UTC+9:30) = Sunday 23:30 UTC.
    let now = utc("2027-04-02T12:00:00Z");
    let r = resolve(
        &SendAt::AtTheirStart,
        now,
        &person("Europe/Lisbon"),
        &[(m(1), person("Australia/Adelaide"))],
    )
    .unwrap();
    assert_eq!(r.for_member(Some(m(1))), utc("2027-04-04T23:30:00Z"));
    assert_eq!(r.at, utc("2027-04-04T23:30:00Z"));
}

#[test]
fn tomorrow_at_my_start_counts_in_my_zone_across_a_dst_change() {
    // Saturday 2027-03-27 20:00 in Lisbon (UTC+0); on Sunday the clocks go
    // forward at 01:00, so Sunday 09:00 WEST is 08:00 UTC.
    let now = utc("2027-03-27T20:00:00Z");
    let r = resolve(
        &SendAt::TomorrowAtMyStart,
        now,
        &every_day("Europe/Lisbon"),
        &[],
    )
    .unwrap();
    assert_eq!(r.at, utc("2027-03-28T08:00:00Z"));
    // With Monday-to-Friday hours, tomorrow's start is Monday's.
    let r = resolve(
        &SendAt::TomorrowAtMyStart,
        now,
        &person("Europe/Lisbon"),
        &[],
    )
    .unwrap();
    assert_eq!(r.at, utc("2027-03-29T08:00:00Z"));
}

#[test]
fn monday_at_my_start_is_next_monday_in_a_half_hour_zone() {
    // Friday 14:00 UTC → Monday 30 Nov 09:00 IST = 03:30 UTC.
    let r = resolve(
        &SendAt::MondayAtMyStart,
        utc("2026-11-27T14:00:00Z"),
        &person("Asia/Kolkata"),
        &[],
    )
    .unwrap();
    assert_eq!(r.at, utc("2026-11-30T03:30:00Z"));
    // Asked on a Monday morning, it means the Monday after.
    let r = resolve(
        &SendAt::MondayAtMyStart,
        utc("2026-11-30T02:00:00Z"),
        &person("Asia/Kolkata"),
        &[],
    )
    .unwrap();
    assert_eq!(r.at, utc("2026-12-07T03:30:00Z"));
}

#[test]
fn a_local_time_skipped_by_dst_is_refused_and_a_repeated_one_takes_the_first() {
    let now = utc("2027-03-01T12:00:00Z");
    for (tz, skipped) in [
        ("Europe/Lisbon", "2027-03-28T01:30"),
        ("America/New_York", "2027-03-14T02:30"),
    ] {
        let e = resolve(&SendAt::MyLocal(local(skipped)), now, &person(tz), &[]).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidTime, "{tz}");
        assert!(e.message.contains("daylight saving"), "{}", e.message);
    }
    // Lisbon, 25 October 2026: 01:30 happens twice (WEST then WET).
    let r = resolve(
        &SendAt::MyLocal(local("2026-10-25T01:30")),
        utc("2026-10-01T00:00:00Z"),
        &person("Europe/Lisbon"),
        &[],
    )
    .unwrap();
    assert_eq!(r.at, utc("2026-10-25T00:30:00Z"));
    // Kolkata's half hour: 09:15 IST = 03:45 UTC.
    let r = resolve(
        &SendAt::MyLocal(local("2027-03-02T09:15")),
        now,
        &person("Asia/Kolkata"),
        &[],
    )
    .unwrap();
    assert_eq!(r.at, utc("2027-03-02T03:45:00Z"));
}

#[test]
fn past_and_far_future_times_are_refused_with_their_own_codes() {
    let now = utc("2026-11-27T14:00:00Z");
    let me = person("Europe/Lisbon");
    let e = resolve(&SendAt::Instant(now - Duration::hours(2)), now, &me, &[]).unwrap_err();
    assert_eq!(e.code, ErrorCode::TimeInPast);
    // A few seconds ago is "now": the person took a moment to press Send.
    let r = resolve(&SendAt::Instant(now - Duration::seconds(20)), now, &me, &[]).unwrap();
    assert_eq!(r.at, now);
    let e = resolve(&SendAt::Instant(now + Duration::days(366)), now, &me, &[]).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTime);
    resolve(&SendAt::Instant(now + Duration::days(364)), now, &me, &[]).unwrap();
    assert_eq!(
        resolve(&SendAt::InOneHour, now, &me, &[]).unwrap().at,
        now + Duration::hours(1)
    );
}

#[test]
fn at_their_start_needs_someone_to_wait_for() {
    let e = resolve(
        &SendAt::AtTheirStart,
        utc("2026-11-27T14:00:00Z"),
        &person("Europe/Lisbon"),
        &[],
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::NoRecipients);
}

#[test]
fn someone_who_is_always_at_work_gets_it_now() {
    let now = utc("2026-11-27T03:00:00Z");
    let mut night_owl = person("Europe/Lisbon");
    night_owl.working_hours = WorkingHours::ALWAYS;
    let r = resolve(
        &SendAt::AtTheirStart,
        now,
        &person("Asia/Tokyo"),
        &[(m(1), night_owl)],
    )
    .unwrap();
    assert_eq!(r.for_member(Some(m(1))), now);
}

#[test]
fn a_reveal_that_lists_a_person_twice_or_before_its_start_is_malformed() {
    let at = utc("2026-11-27T14:00:00Z");
    let twice = Reveal {
        at,
        per_person: vec![(m(1), at), (m(1), at)],
    };
    assert!(twice.validate().is_err());
    let early = Reveal {
        at,
        per_person: vec![(m(1), at - Duration::minutes(1))],
    };
    assert!(early.validate().is_err());
}
