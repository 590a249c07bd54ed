use super::*;
use crate::model::profile::WorkingHours;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn person(tz: &str) -> Profile {
    Profile {
        display_name: "P".into(),
        time_zone: tz.into(),
        working_hours: WorkingHours::default(),
    }
}

fn weekly_monday() -> Checkin {
    Checkin {
        channel: ChannelId(1),
        question: "What did you work on?".into(),
        people: None,
        days: parse_days("mon").unwrap(),
    }
}

fn always() -> Active {
    Active {
        from: utc("2027-01-01T00:00:00Z"),
        paused_from: None,
        until: None,
    }
}

#[test]
fn each_person_is_asked_at_their_own_monday_nine_oclock() {
    let c = weekly_monday();
    let monday = day("2027-03-15");
    // New York moved to daylight time the day before (UTC-4 now).
    let cases = [
        ("America/New_York", "2027-03-15T13:00:00Z"),
        ("Asia/Kolkata", "2027-03-15T03:30:00Z"),
        // Adelaide (+10:30 in summer) and Auckland (+13) start their
        // Monday while it is still Sunday in UTC.
        ("Australia/Adelaide", "2027-03-14T22:30:00Z"),
        ("Pacific/Auckland", "2027-03-14T20:00:00Z"),
        ("Europe/Lisbon", "2027-03-15T09:00:00Z"),
    ];
    for (tz, at) in cases {
        assert_eq!(
            asks_on(&c, monday, &person(tz), None),
            AskState::Asked(utc(at)),
            "{tz}"
        );
    }
    // A week earlier New York was still on standard time (UTC-5).
    assert_eq!(
        ask_instant(day("2027-03-08"), &person("America/New_York")),
        Some(utc("2027-03-08T14:00:00Z"))
    );
    // Lisbon changes on 28 March: 09:00 is 08:00 UTC the Monday after.
    assert_eq!(
        ask_instant(day("2027-03-29"), &person("Europe/Lisbon")),
        Some(utc("2027-03-29T08:00:00Z"))
    );
    // Other weekdays are not asked by a Monday check-in.
    assert_eq!(
        asks_on(&c, day("2027-03-16"), &person("Asia/Kolkata"), None),
        AskState::NotScheduled
    );
}

#[test]
fn a_day_off_and_an_away_day_are_not_asked() {
    let c = Checkin {
        days: EVERY_DAY,
        ..weekly_monday()
    };
    let mut p = person("Asia/Kolkata");
    // Works Tuesday to Saturday.
    p.working_hours.days = 0b0011_1110;
    assert_eq!(asks_on(&c, day("2027-03-15"), &p, None), AskState::DayOff);
    assert_eq!(
        asks_on(&c, day("2027-03-20"), &p, None),
        AskState::Asked(utc("2027-03-20T03:30:00Z"))
    );
    // Away from Monday evening until Thursday morning.
    let away = AwaySpan {
        from: utc("2027-03-15T12:00:00Z"),
        until: utc("2027-03-18T03:30:00Z"),
    };
    assert_eq!(
        asks_on(&c, day("2027-03-16"), &p, Some(away)),
        AskState::Away
    );
    assert_eq!(
        asks_on(&c, day("2027-03-17"), &p, Some(away)),
        AskState::Away
    );
    // Back at the start of Thursday's hours: asked then.
    assert_eq!(
        asks_on(&c, day("2027-03-18"), &p, Some(away)),
        AskState::Asked(utc("2027-03-18T03:30:00Z"))
    );
    // An away period set later does not cover earlier days.
    let later = AwaySpan {
        from: utc("2027-03-17T00:00:00Z"),
        ..away
    };
    assert_eq!(
        asks_on(&c, day("2027-03-16"), &p, Some(later)),
        AskState::Asked(utc("2027-03-16T03:30:00Z"))
    );
}

#[test]
fn occurrences_in_a_window_follow_each_persons_calendar() {
    let c = Checkin {
        days: WEEKDAYS,
        ..weekly_monday()
    };
    let from = utc("2027-03-12T00:00:00Z"); // Friday
    let to = utc("2027-03-16T00:00:00Z"); // Tuesday
    let dates = |tz: &str| -> Vec<NaiveDate> {
        occurrences_in(&c, &always(), &person(tz), None, from, to)
            .into_iter()
            .map(|(d, _)| d)
            .collect()
    };
    // Auckland: Monday, and Tuesday too, whose 09:00 is Monday 20:00 UTC;
    // its Friday 09:00 was Thursday 20:00 UTC, before the window.
    assert_eq!(
        dates("Pacific/Auckland"),
        vec![day("2027-03-15"), day("2027-03-16")]
    );
    assert_eq!(
        dates("America/New_York"),
        vec![day("2027-03-12"), day("2027-03-15")]
    );
    // Paused from Monday 10:00 UTC: New York's Monday (13:00 UTC) is not asked.
    let paused = Active {
        paused_from: Some(utc("2027-03-15T10:00:00Z")),
        ..always()
    };
    let ny = occurrences_in(&c, &paused, &person("America/New_York"), None, from, to);
    assert_eq!(ny, vec![(day("2027-03-12"), utc("2027-03-12T14:00:00Z"))]);
    // Created after Lisbon's Friday start: Friday is not an occurrence.
    let late = Active {
        from: utc("2027-03-12T09:30:00Z"),
        ..always()
    };
    let lisbon = occurrences_in(&c, &late, &person("Europe/Lisbon"), None, from, to);
    assert_eq!(
        lisbon,
        vec![(day("2027-03-15"), utc("2027-03-15T09:00:00Z"))]
    );
    // Stopped before it: nothing.
    let stopped = Active {
        until: Some(utc("2027-03-12T08:00:00Z")),
        ..always()
    };
    assert!(occurrences_in(&c, &stopped, &person("Europe/Lisbon"), None, from, to).is_empty());
}

#[test]
fn latest_and_next_asks_straddle_now() {
    let c = Checkin {
        days: WEEKDAYS,
        ..weekly_monday()
    };
    let p = person("Asia/Kolkata");
    // Saturday: the latest was Friday, the next is Monday.
    let now = utc("2027-03-13T10:00:00Z");
    assert_eq!(
        latest_asked(&c, &always(), &p, None, now, 8),
        Some((day("2027-03-12"), utc("2027-03-12T03:30:00Z")))
    );
    assert_eq!(
        next_ask(&c, &always(), &p, None, now, 8),
        Some((day("2027-03-15"), utc("2027-03-15T03:30:00Z")))
    );
    // At the very instant, it counts as asked.
    let at = utc("2027-03-15T03:30:00Z");
    assert_eq!(
        latest_asked(&c, &always(), &p, None, at, 8),
        Some((day("2027-03-15"), at))
    );
}

#[test]
fn occurrence_ids_are_derived_from_the_rule_and_the_date() {
    let a = occurrence_id(CheckinId(7), day("2027-03-15"));
    let b = occurrence_id(CheckinId(7), day("2027-03-15"));
    assert_eq!(a, b);
    assert_eq!(a.to_key(), b.to_key());
    assert_ne!(a, occurrence_id(CheckinId(7), day("2027-03-16")));
    assert_ne!(a, occurrence_id(CheckinId(8), day("2027-03-15")));
    // Key order is date order, also across year ends.
    let k = |d: &str| occurrence_id(CheckinId(7), day(d)).to_key();
    assert!(k("2026-12-31") < k("2027-01-01"));
    assert!(k("2027-01-01") < k("2027-03-15"));
    assert_eq!(
        date_from_key(date_key(day("2027-03-15"))),
        Some(day("2027-03-15"))
    );
}

#[test]
fn days_parse_from_words_and_read_back_in_words() {
    assert_eq!(parse_days("weekdays").unwrap(), WEEKDAYS);
    assert_eq!(parse_days("Daily").unwrap(), EVERY_DAY);
    assert_eq!(parse_days("mon-fri").unwrap(), WEEKDAYS);
    assert_eq!(parse_days("mon,wed,fri").unwrap(), 0b0001_0101);
    assert_eq!(parse_days("fri-mon").unwrap(), 0b0111_0001);
    assert!(parse_days("someday").is_err());
    assert!(parse_days("").is_err());
    assert_eq!(days_label(WEEKDAYS), "Weekdays");
    assert_eq!(days_label(EVERY_DAY), "Every day");
    assert_eq!(days_label(0b0001_0101), "Mon, Wed, Fri");
    assert_eq!(days_label(1), "Mon");
}

#[test]
fn rules_are_validated_with_reasons() {
    let ok = Checkin {
        people: normalize_people(Some(vec![MemberId(3), MemberId(1), MemberId(3)])),
        ..weekly_monday()
    };
    assert_eq!(ok.people, Some(vec![MemberId(1), MemberId(3)]));
    ok.validate().unwrap();
    assert!(ok.asks(MemberId(3)));
    assert!(!ok.asks(MemberId(2)));
    assert!(weekly_monday().asks(MemberId(2)));

    let bad = |c: Checkin| c.validate().unwrap_err().code;
    let q = |s: &str| Checkin {
        question: s.into(),
        ..weekly_monday()
    };
    assert_eq!(bad(q("   ")), ErrorCode::InvalidInput);
    assert_eq!(
        bad(q(&"x".repeat(MAX_QUESTION_CHARS + 1))),
        ErrorCode::TooLarge
    );
    q(&"x".repeat(MAX_QUESTION_CHARS)).validate().unwrap();
    assert_eq!(bad(q("two\nlines")), ErrorCode::InvalidInput);
    let days = |d: u8| Checkin {
        days: d,
        ..weekly_monday()
    };
    assert_eq!(bad(days(0)), ErrorCode::InvalidInput);
    assert_eq!(bad(days(0x80)), ErrorCode::InvalidInput);
    let people = |p: Vec<MemberId>| Checkin {
        people: Some(p),
        ..weekly_monday()
    };
    assert_eq!(bad(people(vec![])), ErrorCode::InvalidInput);
    assert_eq!(
        bad(people(vec![MemberId(2), MemberId(2)])),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        bad(people((0..=MAX_PEOPLE as u128).map(MemberId).collect())),
        ErrorCode::TooLarge
    );
}
