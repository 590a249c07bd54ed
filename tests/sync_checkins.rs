//! Check-ins through a real nats-server: one rule, three people in three
//! zones, each asked at the start of their own Monday by their own
//! (injected) clock with nobody coordinating, and every answer reaches the
//! board on every replica.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tidings::model::checkin::WEEKDAYS;
use tidings::policy::NotificationKey;

use crate::support::nats_server::NatsServer;
use crate::sync_nats::{nats_target, sync_once, team};
use crate::util::person;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[test]
fn a_checkin_asks_three_zones_at_their_own_mornings_and_every_board_gets_every_answer() {
    let server = NatsServer::start();
    let (team, general) = team(nats_target(&server), &["Ana", "Ben", "Carla"]);
    let [ana, ben, carla] = &team[..] else {
        unreachable!()
    };
    carla
        .store
        .update_profile(person("Carla", "America/New_York"))
        .unwrap();
    sync_once(carla);
    // Friday 15:00 UTC, after New York's Friday began: Monday is the first
    // occurrence for all three.
    for r in [ana, ben, carla] {
        r.clock.set(utc("2026-11-27T15:00:00Z"));
    }
    let c = ana
        .store
        .create_checkin(general, "What are you on today?", None, WEEKDAYS)
        .unwrap();
    sync_once(ana);
    for r in [ben, carla] {
        sync_once(r);
        // The app starts its count at launch.
        assert!(r.store.due_checkin_asks().unwrap().is_empty());
    }
    assert!(ana.store.due_checkin_asks().unwrap().is_empty());

    // Monday 30 Nov 09:00 in Tokyo, Lisbon and New York.
    let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let mornings = [
        (ben, "2026-11-30T00:00:00Z", "Reviewing the sync PR"),
        (ana, "2026-11-30T09:00:00Z", "Writing the release notes"),
        (carla, "2026-11-30T14:00:00Z", "Customer calls"),
    ];
    for (r, morning, answer) in mornings {
        let morning = utc(morning);
        // Everyone's clock moves on together; only this person is asked.
        for x in [ana, ben, carla] {
            x.clock.set(morning - Duration::minutes(1));
        }
        assert!(r.store.due_checkin_asks().unwrap().is_empty());
        for x in [ana, ben, carla] {
            x.clock.set(morning);
        }
        let shown = r.store.due_checkin_asks().unwrap();
        assert_eq!(shown.len(), 1, "asked at {morning}");
        assert_eq!(shown[0].key, NotificationKey::Checkin(c, monday));
        assert_eq!(shown[0].title, "Check-in: What are you on today?");
        assert_eq!(r.store.answer_checkin(c, None, answer).unwrap(), monday);
        for x in [r, ana, ben, carla] {
            sync_once(x);
        }
    }

    for r in [ana, ben, carla] {
        sync_once(r);
    }
    for r in [ana, ben, carla] {
        let board = r.store.checkin_board(c, 7).unwrap();
        assert_eq!(board.days.len(), 1);
        let day = &board.days[0];
        assert_eq!(day.date, monday);
        let answers: Vec<_> = day
            .answers
            .iter()
            .map(|a| {
                (
                    a.author.name.as_str(),
                    a.body_markdown.as_str(),
                    a.answered.utc,
                )
            })
            .collect();
        assert_eq!(
            answers,
            [
                ("Ben", "Reviewing the sync PR", utc("2026-11-30T00:00:00Z")),
                (
                    "Ana",
                    "Writing the release notes",
                    utc("2026-11-30T09:00:00Z")
                ),
                ("Carla", "Customer calls", utc("2026-11-30T14:00:00Z")),
            ]
        );
        assert!(day.pending.is_empty());
        assert!(r.store.checkin_asks_for_me().unwrap().is_empty());
    }
    assert_eq!(
        ana.store.shared_digest().unwrap(),
        carla.store.shared_digest().unwrap()
    );
    assert_eq!(
        ana.store.shared_digest().unwrap(),
        ben.store.shared_digest().unwrap()
    );
}
