//! Check-ins on real stores with fixed clocks: each person is asked at the
//! start of their own day, the board groups answers by local date with who
//! is pending, away or off, answers are edited by their author, only the
//! creator changes a check-in, offline devices agree on occurrences, a stop
//! cuts later answers on every replica, and bad input changes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::SigningKey;
use tidings::model::checkin::{occurrence_id, parse_days, EVERY_DAY, WEEKDAYS};
use tidings::model::ids::{CheckinId, DeviceId, Hlc, MemberId, OpId};
use tidings::model::op::{Op, OpKind};
use tidings::model::profile::WorkingHours;
use tidings::model::signed::SignedOp;
use tidings::policy::NotificationKey;
use tidings::search::{DocKind, SearchQuery};
use tidings::sync::invites;
use tidings::views::DayMark;
use tidings::ErrorCode;

use crate::util::{ana_and_ben, person, t0, Replica};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A teammate who joins Ana's workspace.
fn join(ana: &Replica, seed: u64, name: &str, tz: &str) -> Replica {
    let r = Replica::new(seed);
    ana.send_to(&r);
    r.store.join_as(person(name, tz)).unwrap();
    r.send_to(ana);
    r
}

/// Everyone gets everything everyone has.
fn exchange(all: &[&Replica]) {
    for a in all {
        for b in all {
            if !std::ptr::eq(*a, *b) {
                a.send_to(b);
            }
        }
    }
}

fn at(all: &[&Replica], when: &str) {
    for r in all {
        r.clock.set(utc(when));
    }
}

fn names(people: &[tidings::views::PersonRef]) -> Vec<&str> {
    people.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn a_weekly_checkin_asks_each_person_at_the_start_of_their_own_monday() {
    let (ana, ben, general) = ana_and_ben();
    let carla = join(&ana, 3, "Carla", "America/New_York");
    let dev = join(&ana, 4, "Dev", "Asia/Kolkata");
    let eve = join(&ana, 5, "Eve", "Pacific/Auckland");
    let all = [&ana, &ben, &carla, &dev, &eve];
    // Friday 27 Nov 2026, 14:00 UTC.
    let c = ana
        .store
        .create_checkin(
            general,
            "What will you work on this week?",
            None,
            parse_days("mon").unwrap(),
        )
        .unwrap();
    exchange(&all);

    // Monday 30 Nov 09:00 in each zone.
    let mornings = [
        (&eve, "2026-11-29T20:00:00Z"),
        (&ben, "2026-11-30T00:00:00Z"),
        (&dev, "2026-11-30T03:30:00Z"),
        (&ana, "2026-11-30T09:00:00Z"),
        (&carla, "2026-11-30T14:00:00Z"),
    ];
    for (r, morning) in mornings {
        let morning = utc(morning);
        assert_eq!(r.store.next_checkin_ask().unwrap(), Some(morning));
        assert!(r.store.checkin_asks_for_me().unwrap().is_empty());
        r.clock.set(morning - chrono::Duration::seconds(1));
        assert!(r.store.checkin_asks_for_me().unwrap().is_empty());
        r.clock.set(morning);
        let asks = r.store.checkin_asks_for_me().unwrap();
        assert_eq!(asks.len(), 1);
        assert_eq!(asks[0].checkin, c);
        assert_eq!(asks[0].date, day("2026-11-30"));
        assert_eq!(asks[0].asked.utc, morning);
        assert_eq!(asks[0].channel_name, "general");
        // The list says when it asks me next, in my time: 09:00 next Monday.
        let view = &r.store.checkins(Some(general)).unwrap()[0];
        assert_eq!(view.days_label, "Mon");
        assert_eq!(view.next_ask.as_ref().unwrap().local, "7 Dec 09:00");
    }
}

#[test]
fn the_board_groups_answers_by_local_date_with_who_is_pending_away_or_off() {
    let (ana, ben, general) = ana_and_ben();
    let carla = join(&ana, 3, "Carla", "America/New_York");
    let dev = join(&ana, 4, "Dev", "Asia/Kolkata");
    let eve = join(&ana, 5, "Eve", "Pacific/Auckland");
    let all = [&ana, &ben, &carla, &dev, &eve];
    // Carla works Tuesday to Saturday.
    let mut p = person("Carla", "America/New_York");
    p.working_hours.days = 0b0011_1110;
    carla.store.update_profile(p).unwrap();
    // Dev is away until Wednesday.
    dev.store.set_away(day("2026-12-02"), "Conference").unwrap();
    // Friday 15:00 UTC: after New York's Friday began (14:00 UTC), so its
    // first occurrence for everyone is Monday's.
    at(&all, "2026-11-27T15:00:00Z");
    let c = ana
        .store
        .create_checkin(general, "What did you work on?", None, WEEKDAYS)
        .unwrap();
    exchange(&all);

    // Monday: Eve and Ben answer in their mornings.
    at(&all, "2026-11-29T21:00:00Z");
    assert_eq!(
        eve.store
            .answer_checkin(c, None, "Planning **Q1**")
            .unwrap(),
        day("2026-11-30")
    );
    at(&all, "2026-11-30T01:00:00Z");
    ben.store
        .answer_checkin(c, Some(day("2026-11-30")), "Search index")
        .unwrap();
    exchange(&all);

    // Monday 10:00 UTC: Ana was asked an hour ago; New York's day has not
    // started; Auckland's Tuesday has not either.
    at(&all, "2026-11-30T10:00:00Z");
    let board = ana.store.checkin_board(c, 7).unwrap();
    assert_eq!(board.days.len(), 1, "{:#?}", board.days);
    let monday = &board.days[0];
    assert_eq!(monday.date, day("2026-11-30"));
    assert_eq!(monday.label, "Mon 30 Nov");
    let authors: Vec<_> = monday
        .answers
        .iter()
        .map(|a| a.author.name.as_str())
        .collect();
    assert_eq!(authors, ["Eve", "Ben"]);
    assert_eq!(
        monday.answers[0].body_html,
        "<p>Planning <strong>Q1</strong></p>\n"
    );
    assert_eq!(monday.answers[1].answered.utc, utc("2026-11-30T01:00:00Z"));
    assert_eq!(names(&monday.pending), ["Ana Souza"]);
    assert_eq!(names(&monday.away), ["Dev"]);
    assert_eq!(names(&monday.off), ["Carla"]);
    assert!(monday.upcoming.is_empty());

    // Monday 21:00 UTC: Auckland is in its Tuesday, asked, first on the board.
    at(&all, "2026-11-30T21:00:00Z");
    let board = ben.store.checkin_board(c, 7).unwrap();
    let dates: Vec<_> = board.days.iter().map(|d| d.date).collect();
    assert_eq!(dates, [day("2026-12-01"), day("2026-11-30")]);
    let tuesday = &board.days[0];
    assert_eq!(names(&tuesday.pending), ["Eve"]);
    assert_eq!(names(&tuesday.upcoming), ["Ana Souza", "Ben", "Carla"]);
    assert_eq!(names(&tuesday.away), ["Dev"]);
    // Compact marks per person, newest date first.
    let marks = |name: &str| {
        board
            .people
            .iter()
            .find(|p| p.person.name == name)
            .unwrap()
            .marks
            .clone()
    };
    assert_eq!(marks("Eve"), [DayMark::Pending, DayMark::Answered]);
    assert_eq!(marks("Carla"), [DayMark::Upcoming, DayMark::Off]);
    assert_eq!(marks("Ana Souza"), [DayMark::Upcoming, DayMark::Pending]);
    // The board is the same on every replica (times aside: each shows
    // them in its person's zone).
    let shape = |days: &[tidings::views::BoardDay]| {
        days.iter()
            .map(|d| {
                let bodies: Vec<String> =
                    d.answers.iter().map(|a| a.body_markdown.clone()).collect();
                (
                    d.date,
                    bodies,
                    d.pending.clone(),
                    d.upcoming.clone(),
                    d.away.clone(),
                    d.off.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    for r in all {
        assert_eq!(
            shape(&r.store.checkin_board(c, 7).unwrap().days),
            shape(&board.days)
        );
    }

    // Ben's history: Monday answered; Tuesday not started yet for him.
    let h = ana
        .store
        .checkin_history(c, ben.store.me().unwrap(), 10)
        .unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].mark, DayMark::Answered);
    assert_eq!(h[0].answer.as_ref().unwrap().body_markdown, "Search index");
}

#[test]
fn an_answer_is_edited_and_withdrawn_by_its_author_and_search_follows() {
    let (ana, ben, general) = ana_and_ben();
    let c = ana
        .store
        .create_checkin(general, "What blocks you?", None, EVERY_DAY)
        .unwrap();
    ana.send_to(&ben);
    at(&[&ana, &ben], "2026-11-30T01:00:00Z");
    let date = ben
        .store
        .answer_checkin(c, None, "Waiting on flamingo review")
        .unwrap();
    assert_eq!(date, day("2026-11-30"));
    at(&[&ana, &ben], "2026-11-30T02:00:00Z");
    ben.store
        .answer_checkin(c, Some(date), "Nothing, the pelican review landed")
        .unwrap();
    ben.send_to(&ana);
    let me_ben = ben.store.me().unwrap();
    let a = ana.store.checkin_history(c, me_ben, 5).unwrap()[0]
        .answer
        .clone()
        .unwrap();
    assert_eq!(a.body_markdown, "Nothing, the pelican review landed");
    assert!(a.edited);
    assert_eq!(a.answered.utc, utc("2026-11-30T01:00:00Z"));

    let find = |r: &Replica, words: &str| {
        r.store.flush_search().unwrap();
        r.store
            .search(&SearchQuery {
                text: words.into(),
                ..SearchQuery::default()
            })
            .unwrap()
    };
    assert!(find(&ana, "flamingo").is_empty(), "the old text is gone");
    let hits = find(&ana, "pelican");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].hit.kind, DocKind::Answer);
    assert_eq!(hits[0].hit.checkin, Some(c));
    assert_eq!(hits[0].hit.date, Some(date));
    assert_eq!(hits[0].hit.thread, None);
    assert_eq!(hits[0].author.name, "Ben");
    assert_eq!(hits[0].channel_name, "general");
    // The question's words find the answers too.
    assert_eq!(find(&ana, "blocks").len(), 1);
    // Rebuilding the index keeps answers findable.
    ana.store.reindex_search().unwrap();
    assert_eq!(find(&ana, "pelican").len(), 1);
    // A new question is the answers' new title.
    ana.store
        .edit_checkin(c, "What slows you down?", None, EVERY_DAY)
        .unwrap();
    assert!(find(&ana, "blocks").is_empty());
    assert_eq!(find(&ana, "slows").len(), 1);

    // Withdrawn: gone from the board, the history and search.
    ben.store.withdraw_checkin_answer(c, date).unwrap();
    ben.send_to(&ana);
    assert!(find(&ana, "pelican").is_empty());
    let h = ana.store.checkin_history(c, me_ben, 5).unwrap();
    assert_eq!(h[0].mark, DayMark::Pending);
    assert!(h[0].answer.is_none());
    // And the open ask is back for Ben.
    assert_eq!(ben.store.checkin_asks_for_me().unwrap()[0].date, date);
}

/// A teammate's device whose ops are signed by hand, as a modified client
/// could: the check of who may change a check-in must hold at apply.
fn forger(ana: &Replica) -> (SigningKey, MemberId, Vec<SignedOp>) {
    let key = SigningKey::from_bytes(&[42; 32]);
    let device = DeviceId(key.verifying_key().to_bytes());
    let member = MemberId::for_device(device);
    let op = Op {
        id: OpId {
            hlc: Hlc {
                ms: t0().timestamp_millis() as u64 + 10,
                counter: 0,
            },
            device,
        },
        author: member,
        kind: OpKind::MemberJoined {
            profile: person("Mallory", "UTC"),
        },
    };
    let joined = SignedOp::sign(&op, &key).unwrap();
    ana.store.apply_remote(vec![joined.clone()]).unwrap();
    (key, member, vec![joined])
}

fn signed(key: &SigningKey, member: MemberId, ms_after_t0: u64, kind: OpKind) -> SignedOp {
    let op = Op {
        id: OpId {
            hlc: Hlc {
                ms: t0().timestamp_millis() as u64 + ms_after_t0,
                counter: 0,
            },
            device: DeviceId(key.verifying_key().to_bytes()),
        },
        author: member,
        kind,
    };
    SignedOp::sign(&op, key).unwrap()
}

#[test]
fn only_the_creator_edits_pauses_or_stops_a_checkin_on_every_replica() {
    let (ana, ben, general) = ana_and_ben();
    let c = ana
        .store
        .create_checkin(general, "Standup", None, WEEKDAYS)
        .unwrap();
    ana.send_to(&ben);
    let n = ben.store.op_count().unwrap();
    for e in [
        ben.store.edit_checkin(c, "Mine now", None, WEEKDAYS),
        ben.store.pause_checkin(c, true),
        ben.store.stop_checkin(c),
    ] {
        let e = e.unwrap_err();
        assert_eq!(e.code, ErrorCode::NotAuthor);
        assert!(e.message.contains("Ana Souza"), "{}", e.message);
    }
    assert_eq!(ben.store.op_count().unwrap(), n);

    // Ops forged by hand are refused at apply, nothing of them is kept.
    let (key, mallory, _) = forger(&ana);
    let spec = tidings::model::checkin::Checkin {
        channel: general,
        question: "Mallory's question".into(),
        people: None,
        days: WEEKDAYS,
    };
    let n = ana.store.op_count().unwrap();
    let report = ana
        .store
        .apply_remote(vec![
            signed(
                &key,
                mallory,
                20,
                OpKind::CheckinEdited { checkin: c, spec },
            ),
            signed(
                &key,
                mallory,
                21,
                OpKind::CheckinPaused {
                    checkin: c,
                    paused: true,
                },
            ),
            signed(&key, mallory, 22, OpKind::CheckinStopped { checkin: c }),
        ])
        .unwrap();
    assert_eq!(report.rejected.len(), 3);
    assert!(report
        .rejected
        .iter()
        .all(|e| e.code == ErrorCode::NotAuthor));
    assert_eq!(ana.store.op_count().unwrap(), n);
    let v = ana.store.checkin(c).unwrap();
    assert_eq!(
        (v.question.as_str(), v.paused, v.stopped),
        ("Standup", false, false)
    );

    // The creator can.
    ana.store.pause_checkin(c, true).unwrap();
    assert!(ana.store.checkin(c).unwrap().paused);
    ana.store.pause_checkin(c, false).unwrap();
    ana.store
        .edit_checkin(
            c,
            "Standup, async",
            Some(vec![ben.store.me().unwrap()]),
            parse_days("mon,wed").unwrap(),
        )
        .unwrap();
    ana.send_to(&ben);
    let v = ben.store.checkin(c).unwrap();
    assert_eq!(v.question, "Standup, async");
    assert_eq!(v.days_label, "Mon, Wed");
    assert_eq!(names(v.people.as_ref().unwrap()), ["Ben"]);
    assert!(!v.mine);
    assert!(ana.store.checkin(c).unwrap().mine);
}

#[test]
fn two_offline_devices_answer_into_the_same_occurrence() {
    let (ana, ben, general) = ana_and_ben();
    // Ana's laptop, a second device of hers.
    let laptop = Replica::new(7);
    let code = invites::link_code(&ana.store, laptop.store.device()).unwrap();
    invites::add_device_with_code(&laptop.store, &code).unwrap();
    exchange(&[&ana, &laptop]);
    let c = ana
        .store
        .create_checkin(general, "Standup", None, WEEKDAYS)
        .unwrap();
    exchange(&[&ana, &ben, &laptop]);

    // Monday, everyone offline. Ana answers on her phone, then (later, on
    // her laptop, which never saw the first) again for the same date.
    at(&[&ana, &ben, &laptop], "2026-11-30T09:30:00Z");
    let d1 = ana.store.answer_checkin(c, None, "From the phone").unwrap();
    at(&[&ana, &ben, &laptop], "2026-11-30T09:40:00Z");
    let d2 = laptop
        .store
        .answer_checkin(c, None, "From the laptop")
        .unwrap();
    let d3 = ben.store.answer_checkin(c, None, "From Tokyo").unwrap();
    assert_eq!(d1, d2);
    assert_eq!(occurrence_id(c, d1), occurrence_id(c, d2));
    assert_eq!(d3, day("2026-11-30"));
    exchange(&[&ana, &ben, &laptop]);

    // Each shows it in its person's time zone; what was answered, by whom,
    // for which date and when is the same everywhere.
    let answers = |r: &Replica| {
        let days = r.store.checkin_board(c, 7).unwrap().days;
        days.iter()
            .flat_map(|d| {
                d.answers.iter().map(|a| {
                    (
                        d.date,
                        a.author.name.clone(),
                        a.body_markdown.clone(),
                        a.answered.utc,
                        a.edited,
                    )
                })
            })
            .collect::<Vec<_>>()
    };
    let on_phone = answers(&ana);
    assert_eq!(on_phone, answers(&laptop));
    assert_eq!(on_phone, answers(&ben));
    assert_eq!(
        ana.store.view_digest().unwrap(),
        laptop.store.view_digest().unwrap()
    );
    // One answer per person and date: the later one wins, as an edit of
    // the first.
    let monday = day("2026-11-30");
    assert_eq!(
        on_phone,
        [
            (
                monday,
                "Ana Souza".into(),
                "From the laptop".into(),
                utc("2026-11-30T09:30:00Z"),
                true
            ),
            (
                monday,
                "Ben".into(),
                "From Tokyo".into(),
                utc("2026-11-30T09:40:00Z"),
                false
            ),
        ]
    );
    assert_eq!(
        ana.store.shared_digest().unwrap(),
        ben.store.shared_digest().unwrap()
    );
}

#[test]
fn an_answer_made_after_the_stop_does_not_count_whatever_arrives_first() {
    let (ana, ben, general) = ana_and_ben();
    let c = ana
        .store
        .create_checkin(general, "Standup", None, WEEKDAYS)
        .unwrap();
    ana.send_to(&ben);
    at(&[&ana, &ben], "2026-11-30T01:00:00Z");
    ben.store
        .answer_checkin(c, None, "Before the stop")
        .unwrap();
    ben.send_to(&ana);
    at(&[&ana, &ben], "2026-11-30T02:00:00Z");
    ana.store.stop_checkin(c).unwrap();
    // Ben, offline, has not heard of the stop: he edits his answer, and
    // answers Tuesday (Tokyo's Tuesday starts Tuesday 00:00 UTC).
    at(&[&ana, &ben], "2026-11-30T03:00:00Z");
    ben.store.answer_checkin(c, None, "After the stop").unwrap();
    at(&[&ana, &ben], "2026-12-01T01:00:00Z");
    ben.store
        .answer_checkin(c, None, "Tuesday, after the stop")
        .unwrap();
    // A third replica gets Ben's ops before Ana's stop.
    let carla = Replica::new(3);
    carla.clock.set(utc("2026-12-01T01:00:00Z"));
    ben.send_to(&carla);
    assert_eq!(carla.store.checkin_board(c, 7).unwrap().days.len(), 2);
    ben.send_to(&ana);
    ana.send_to(&ben);
    ana.send_to(&carla);
    for r in [&ana, &ben, &carla] {
        let v = r.store.checkin(c).unwrap();
        assert!(v.stopped);
        assert!(v.next_ask.is_none());
        let board = r.store.checkin_board(c, 7).unwrap();
        let answers: Vec<_> = board
            .days
            .iter()
            .flat_map(|d| d.answers.iter().map(|a| (d.date, a.body_markdown.clone())))
            .collect();
        assert_eq!(
            answers,
            [(day("2026-11-30"), "Before the stop".to_string())]
        );
        r.store.flush_search().unwrap();
        let q = SearchQuery {
            text: "after".into(),
            ..SearchQuery::default()
        };
        assert!(r.store.search(&q).unwrap().is_empty());
        assert!(r.store.checkin_asks_for_me().unwrap().is_empty());
    }
    // The logs agree too: nothing was refused, only cut.
    assert_eq!(ana.store.op_count().unwrap(), ben.store.op_count().unwrap());
    // And the commands say it is over.
    let n = ben.store.op_count().unwrap();
    for e in [
        ben.store.answer_checkin(c, None, "Again").map(drop),
        ana.store.edit_checkin(c, "Back?", None, WEEKDAYS),
        ana.store.stop_checkin(c),
    ] {
        assert_eq!(e.unwrap_err().code, ErrorCode::TooLate);
    }
    assert_eq!(ben.store.op_count().unwrap(), n);
}

#[test]
fn bad_checkin_input_gets_coded_errors_and_changes_nothing() {
    let (ana, ben, general) = ana_and_ben();
    let c = ana
        .store
        .create_checkin(
            general,
            "Standup",
            Some(vec![ana.store.me().unwrap()]),
            WEEKDAYS,
        )
        .unwrap();
    ana.send_to(&ben);
    let archived = ana.store.create_channel("old", "").unwrap();
    ana.store.archive_channel(archived, true).unwrap();
    let n = ana.store.op_count().unwrap();
    let nobody = MemberId(12345);
    let cases: Vec<(tidings::Result<()>, ErrorCode)> = vec![
        (
            ana.store
                .create_checkin(general, "  ", None, WEEKDAYS)
                .map(drop),
            ErrorCode::InvalidInput,
        ),
        (
            ana.store
                .create_checkin(general, &"x".repeat(501), None, WEEKDAYS)
                .map(drop),
            ErrorCode::TooLarge,
        ),
        (
            ana.store.create_checkin(general, "Q", None, 0).map(drop),
            ErrorCode::InvalidInput,
        ),
        (
            ana.store
                .create_checkin(general, "Q", Some(vec![]), WEEKDAYS)
                .map(drop),
            ErrorCode::InvalidInput,
        ),
        (
            ana.store
                .create_checkin(general, "Q", Some(vec![nobody]), WEEKDAYS)
                .map(drop),
            ErrorCode::NotFound,
        ),
        (
            ana.store
                .create_checkin(tidings::model::ids::ChannelId(9), "Q", None, WEEKDAYS)
                .map(drop),
            ErrorCode::NotFound,
        ),
        (
            ana.store
                .create_checkin(archived, "Q", None, WEEKDAYS)
                .map(drop),
            ErrorCode::InvalidInput,
        ),
        (
            ana.store.edit_checkin(CheckinId(9), "Q", None, WEEKDAYS),
            ErrorCode::NotFound,
        ),
        (
            ana.store.edit_checkin(c, "Q", None, 0x80),
            ErrorCode::InvalidInput,
        ),
        (
            ana.store.answer_checkin(CheckinId(9), None, "Hi").map(drop),
            ErrorCode::NotFound,
        ),
        (
            ana.store.answer_checkin(c, None, "   ").map(drop),
            ErrorCode::InvalidInput,
        ),
        // Friday 14:00 UTC: the check-in was created after Ana's Friday began.
        (
            ana.store.answer_checkin(c, None, "Hi").map(drop),
            ErrorCode::NotFound,
        ),
        (
            ana.store
                .answer_checkin(c, Some(day("2026-11-27")), "Hi")
                .map(drop),
            ErrorCode::InvalidInput,
        ),
        // A Saturday, and a Monday still to come.
        (
            ana.store
                .answer_checkin(c, Some(day("2026-11-28")), "Hi")
                .map(drop),
            ErrorCode::InvalidInput,
        ),
        (
            ana.store
                .answer_checkin(c, Some(day("2026-11-30")), "Hi")
                .map(drop),
            ErrorCode::InvalidTime,
        ),
        (
            ana.store.withdraw_checkin_answer(c, day("2026-11-30")),
            ErrorCode::NotFound,
        ),
    ];
    for (i, (r, code)) in cases.into_iter().enumerate() {
        assert_eq!(r.unwrap_err().code, code, "case {i}");
    }
    assert_eq!(ana.store.op_count().unwrap(), n);
    // It does not ask Ben.
    at(&[&ben], "2026-11-30T01:00:00Z");
    let n = ben.store.op_count().unwrap();
    let e = ben
        .store
        .answer_checkin(c, Some(day("2026-11-30")), "Hi")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("does not ask you"), "{}", e.message);
    assert_eq!(ben.store.op_count().unwrap(), n);
    let long = "x".repeat(tidings::model::limits::MAX_BODY_BYTES + 1);
    at(&[&ana], "2026-11-30T10:00:00Z");
    assert_eq!(
        ana.store.answer_checkin(c, None, &long).unwrap_err().code,
        ErrorCode::TooLarge
    );
    ana.store.answer_checkin(c, None, "Fine").unwrap();
}

#[test]
fn a_checkin_notifies_once_per_occurrence_not_on_days_off_nor_while_away() {
    let (ana, _ben, general) = ana_and_ben();
    let c = ana
        .store
        .create_checkin(general, "How is it going?", None, EVERY_DAY)
        .unwrap();
    // The first check starts the count, as the app does at launch.
    assert!(ana.store.due_checkin_asks().unwrap().is_empty());
    // Saturday and Sunday are not Ana's working days.
    assert_eq!(
        ana.store.next_checkin_ask().unwrap(),
        Some(utc("2026-11-30T09:00:00Z"))
    );
    at(&[&ana], "2026-11-28T09:00:00Z");
    assert!(ana.store.due_checkin_asks().unwrap().is_empty());
    at(&[&ana], "2026-11-30T08:59:00Z");
    assert!(ana.store.due_checkin_asks().unwrap().is_empty());
    at(&[&ana], "2026-11-30T09:00:00Z");
    let shown = ana.store.due_checkin_asks().unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].title, "Check-in: How is it going?");
    assert_eq!(shown[0].body, "#general — answer when it suits you");
    assert_eq!(shown[0].key, NotificationKey::Checkin(c, day("2026-11-30")));
    assert_eq!(shown[0].thread, None);
    assert!(!shown[0].reminder);
    // Once.
    at(&[&ana], "2026-11-30T11:00:00Z");
    assert!(ana.store.due_checkin_asks().unwrap().is_empty());
    // Tuesday: again.
    at(&[&ana], "2026-12-01T09:00:00Z");
    assert_eq!(ana.store.due_checkin_asks().unwrap().len(), 1);
    // Away Wednesday and Thursday (back Friday): nothing until then.
    at(&[&ana], "2026-12-01T17:00:00Z");
    ana.store.set_away(day("2026-12-04"), "").unwrap();
    assert_eq!(
        ana.store.next_checkin_ask().unwrap(),
        Some(utc("2026-12-04T09:00:00Z"))
    );
    for morning in ["2026-12-02T09:00:00Z", "2026-12-03T09:00:00Z"] {
        at(&[&ana], morning);
        assert!(
            ana.store.due_checkin_asks().unwrap().is_empty(),
            "{morning}"
        );
    }
    // Tuesday's ask is still open, but it was shown already.
    at(&[&ana], "2026-12-04T09:00:00Z");
    let shown = ana.store.due_checkin_asks().unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].key, NotificationKey::Checkin(c, day("2026-12-04")));
    // A paused check-in asks nothing.
    ana.store.pause_checkin(c, true).unwrap();
    at(&[&ana], "2026-12-07T09:00:00Z");
    assert!(ana.store.due_checkin_asks().unwrap().is_empty());
    assert!(ana.store.checkin_asks_for_me().unwrap().is_empty());
    assert_eq!(ana.store.next_checkin_ask().unwrap(), None);
}

#[test]
fn a_person_who_works_always_is_asked_at_midnight_and_a_night_shift_at_its_start() {
    let (ana, ben, general) = ana_and_ben();
    let mut p = person("Ben", "Asia/Tokyo");
    p.working_hours = WorkingHours::parse("22:00", "06:00", &[chrono::Weekday::Mon]).unwrap();
    ben.store.update_profile(p).unwrap();
    ben.send_to(&ana);
    ana.store
        .create_checkin(general, "Night report", None, WEEKDAYS)
        .unwrap();
    ana.send_to(&ben);
    // Monday 22:00 in Tokyo = Monday 13:00 UTC.
    assert_eq!(
        ben.store.next_checkin_ask().unwrap(),
        Some(utc("2026-11-30T13:00:00Z"))
    );
}
