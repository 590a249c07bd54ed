//! Urgent: once a day per sender per recipient it breaks through hours and
//! pauses; the sender is told before sending; the recipient can turn it off.

use chrono::Duration;
use tidings::model::urgent::UrgentSettings;
use tidings::policy::{Decision, Focus};
use tidings::store::{NewThread, PostOptions};

use crate::util::{ana_and_ben, Replica};

/// What Ben's app would do with what just arrived from Ana.
fn decisions(ben: &Replica, applied: &[tidings::model::op::Op]) -> Vec<(bool, Decision)> {
    let me = ben.store.policy_me().unwrap();
    ben.store
        .notification_events(applied)
        .unwrap()
        .into_iter()
        .map(|(ev, rel)| {
            let d =
                tidings::policy::decide(&ev, &me, rel, &Focus::default(), None, ben.store.now());
            (ev.urgent, d)
        })
        .collect()
}

#[test]
fn urgent_breaks_through_once_a_day_and_the_sender_knows() {
    let (ana, ben, general) = ana_and_ben();
    let ben_id = ben.store.me().unwrap();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Prod is down".into(),
            body: "Looking".into(),
            notify: vec![ben_id],
        })
        .unwrap();
    ana.send_to(&ben);
    // Friday 14:00 UTC is 23:00 in Tokyo: outside Ben's hours.
    let check = ana.store.urgent_preview(&[ben_id]).unwrap();
    assert!(check[0].breaks_through);
    let urgent = PostOptions {
        urgent: vec![ben_id],
        ..Default::default()
    };
    ana.store
        .post_comment(t, "Need you on the DB", &urgent)
        .unwrap();
    let r = ana.send_to(&ben);
    assert_eq!(decisions(&ben, &r.applied), [(true, Decision::NotifyNow)]);

    // A second urgent within 24 hours behaves normally, and Ana is told.
    let check = ana.store.urgent_preview(&[ben_id]).unwrap();
    assert!(!check[0].breaks_through);
    assert_eq!(
        check[0].again_at.as_ref().unwrap().utc,
        crate::util::t0() + Duration::hours(24)
    );
    ana.clock.advance(Duration::hours(2));
    ben.clock.advance(Duration::hours(2));
    ana.store
        .post_comment(t, "Still need you", &urgent)
        .unwrap();
    let r = ana.send_to(&ben);
    let d = decisions(&ben, &r.applied);
    assert_eq!(d.len(), 1);
    assert!(!d[0].0, "the second urgent mark does not break through");
    assert!(matches!(d[0].1, Decision::HoldUntil(_)));

    // A day after the first, it works again, unless Ben turned it off.
    ana.clock.advance(Duration::hours(23));
    ben.clock.advance(Duration::hours(23));
    ben.store
        .set_urgent_settings(UrgentSettings {
            off_for_everyone: false,
            off_from: vec![ana.store.me().unwrap()],
        })
        .unwrap();
    ana.store.post_comment(t, "Again", &urgent).unwrap();
    let r = ana.send_to(&ben);
    assert!(
        !decisions(&ben, &r.applied)[0].0,
        "Ben turned urgent off for Ana"
    );
    ben.store
        .set_urgent_settings(UrgentSettings::default())
        .unwrap();
    ana.clock.advance(Duration::hours(25));
    ben.clock.advance(Duration::hours(25));
    ana.store
        .post_comment(t, "Sorry, once more", &urgent)
        .unwrap();
    let r = ana.send_to(&ben);
    assert_eq!(decisions(&ben, &r.applied)[0], (true, Decision::NotifyNow));
}

#[test]
fn urgent_for_nobody_or_myself_is_refused() {
    let (ana, _ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "x".into(),
            body: "y".into(),
            notify: vec![],
        })
        .unwrap();
    let ops = ana.store.op_count().unwrap();
    let me = ana.store.me().unwrap();
    let e = ana
        .store
        .post_comment(
            t,
            "z",
            &PostOptions {
                urgent: vec![me],
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code, tidings::ErrorCode::InvalidInput);
    assert_eq!(ana.store.op_count().unwrap(), ops);
}
