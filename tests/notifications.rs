//! From arriving ops to notifications: the store's view of me (follows,
//! mutes, mentions, hours in my zone) fed to the policy, with fixed clocks.

use chrono::{DateTime, Duration, Utc};
use tidings::arrivals::Arrivals;
use tidings::policy::{Focus, NotificationKey};
use tidings::store::NewThread;

use crate::util::{person, Replica};

/// Kenji in Tokyo (09:00–17:00 Mon–Fri) and Ben in New York.
fn tokyo_and_new_york(at: DateTime<Utc>) -> (Replica, Replica, tidings::model::ids::ThreadId) {
    let kenji = Replica::new(1);
    let ben = Replica::new(2);
    kenji.clock.set(at);
    ben.clock.set(at);
    kenji
        .store
        .create_workspace("Acme", person("Kenji", "Asia/Tokyo"))
        .unwrap();
    let c = kenji.store.create_channel("eng", "").unwrap();
    let t = kenji
        .store
        .create_thread(NewThread {
            channel: c,
            title: "Outage review".into(),
            body: "What happened?".into(),
            notify: vec![],
        })
        .unwrap();
    kenji.send_to(&ben);
    ben.store
        .join_as(person("Ben", "America/New_York"))
        .unwrap();
    ben.send_to(&kenji);
    (kenji, ben, t)
}

#[test]
fn a_comment_at_my_night_waits_for_my_morning_as_one_digest() {
    // Wednesday 13:00 UTC = 22:00 in Tokyo, 08:00 in New York.
    let night: DateTime<Utc> = "2026-11-25T13:00:00Z".parse().unwrap();
    let (kenji, ben, t) = tokyo_and_new_york(night);
    ben.store
        .add_comment(t, "Root cause: an expired certificate.")
        .unwrap();
    ben.clock.advance(Duration::minutes(1));
    ben.store.add_comment(t, "Fix is deployed.").unwrap();
    let report = kenji.store.apply_remote(ben.ops()).unwrap();

    let mut arrivals = Arrivals::new();
    let shown = arrivals
        .on_applied(&kenji.store, &report.applied, &Focus::default(), night)
        .unwrap();
    assert!(shown.is_empty(), "nothing at 22:00 my time: {shown:?}");
    let morning: DateTime<Utc> = "2026-11-26T00:00:00Z".parse().unwrap(); // Thursday 09:00 Tokyo
    assert_eq!(arrivals.next_due(), Some(morning));
    assert!(arrivals.due(morning - Duration::seconds(1)).is_empty());
    let digest = arrivals.due(morning);
    assert_eq!(digest.len(), 1);
    assert_eq!(digest[0].key, NotificationKey::Thread(t));
    assert_eq!(digest[0].title, "Outage review");
    assert_eq!(digest[0].count, 2);
    assert!(digest[0].body.contains("Ben"), "{}", digest[0].body);
}

#[test]
fn in_working_hours_a_comment_notifies_unless_the_thread_is_on_screen_or_muted() {
    // Thursday 02:00 UTC = 11:00 in Tokyo.
    let day: DateTime<Utc> = "2026-11-26T02:00:00Z".parse().unwrap();
    let (kenji, ben, t) = tokyo_and_new_york(day);
    ben.store
        .add_comment(t, "Quick question about the timeline")
        .unwrap();
    let report = kenji.store.apply_remote(ben.ops()).unwrap();

    let looking = Focus {
        thread: Some(t),
        window_focused: true,
    };
    assert!(Arrivals::new()
        .on_applied(&kenji.store, &report.applied, &looking, day)
        .unwrap()
        .is_empty());

    let shown = Arrivals::new()
        .on_applied(&kenji.store, &report.applied, &Focus::default(), day)
        .unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].title, "Outage review");
    assert!(
        shown[0].body.starts_with("Ben: Quick question"),
        "{}",
        shown[0].body
    );

    kenji.store.mute(t, true).unwrap();
    assert!(Arrivals::new()
        .on_applied(&kenji.store, &report.applied, &Focus::default(), day)
        .unwrap()
        .is_empty());
    // My own ops never notify me.
    kenji.store.mute(t, false).unwrap();
    kenji.store.add_comment(t, "me").unwrap();
    let own: Vec<_> = kenji
        .ops()
        .iter()
        .map(|s| s.decode_unverified().unwrap())
        .filter(|op| op.author == kenji.store.me().unwrap())
        .collect();
    assert!(Arrivals::new()
        .on_applied(&kenji.store, &own, &Focus::default(), day)
        .unwrap()
        .is_empty());
}

#[test]
fn catching_up_on_many_old_comments_gives_one_summary() {
    let day: DateTime<Utc> = "2026-11-26T02:00:00Z".parse().unwrap();
    let (kenji, ben, _) = tokyo_and_new_york(day);
    let chan = kenji.store.channels().unwrap()[0].id;
    kenji.send_to(&ben);
    for i in 0..40 {
        let t = ben
            .store
            .create_thread(NewThread {
                channel: chan,
                title: format!("Topic {i} for @kenji"),
                body: format!("@kenji see {i}"),
                notify: vec![],
            })
            .unwrap();
        ben.store.add_comment(t, "more").unwrap();
    }
    let report = kenji.store.apply_remote(ben.ops()).unwrap();
    let later = day + Duration::hours(3);
    let shown = Arrivals::new()
        .on_applied(&kenji.store, &report.applied, &Focus::default(), later)
        .unwrap();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].key, NotificationKey::Summary);
}
