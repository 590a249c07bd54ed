//! Clocks are untrusted input: an op dated far in the future is held, not
//! applied, and never moves anyone's clock; a device a little fast still
//! converges; nothing raised survives a restart.

use chrono::{DateTime, Duration, Utc};
use tidings::store::{NewThread, MAX_SKEW};

use crate::util::{ana_and_ben, comment_bodies, t0};

/// The time of the newest op `replica` wrote itself.
fn my_latest_op_time(r: &crate::util::Replica) -> DateTime<Utc> {
    let me = r.store.device();
    r.ops()
        .iter()
        .map(|s| s.decode_unverified().unwrap())
        .filter(|op| op.id.device == me)
        .map(|op| op.id.time())
        .max()
        .unwrap()
}

#[test]
fn a_replica_receiving_an_op_from_2096_keeps_dating_its_own_ops_now() {
    let (mut ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Plans".into(),
            body: "Where next?".into(),
            notify: vec![],
        })
        .unwrap();
    ana.send_to(&ben);

    // Ben's clock is 70 years fast.
    let future: DateTime<Utc> = "2096-01-01T00:00:00Z".parse().unwrap();
    ben.clock.set(future);
    ben.store.add_comment(t, "Greetings from 2096").unwrap();
    let report = ben.send_to(&ana);
    assert_eq!(report.from_future, 1, "the op from 2096 is held");
    assert!(report.applied.is_empty());
    assert_eq!(ana.store.held_from_future().unwrap(), 1);
    assert!(comment_bodies(&ana, t).is_empty(), "a held op is not shown");

    // Ana keeps writing at her own time, and her edit still wins over
    // nothing dated in 2096.
    ana.clock.advance(Duration::minutes(1));
    ana.store.add_comment(t, "Anyone?").unwrap();
    assert_eq!(my_latest_op_time(&ana), t0() + Duration::minutes(1));

    // A restart raises nothing either.
    ana.reopen();
    ana.clock.advance(Duration::minutes(1));
    ana.store.add_comment(t, "Still here").unwrap();
    assert_eq!(my_latest_op_time(&ana), t0() + Duration::minutes(2));
    assert_eq!(
        ana.store.held_from_future().unwrap(),
        1,
        "still held after a restart"
    );
    assert_eq!(
        ana.store.next_future_release().unwrap(),
        Some(future - MAX_SKEW)
    );

    // Once Ana's clock reaches it, it applies like any op.
    ana.clock.set(future);
    let released = ana.store.release_due().unwrap();
    assert_eq!(released.applied.len(), 1);
    assert_eq!(ana.store.held_from_future().unwrap(), 0);
    assert_eq!(
        comment_bodies(&ana, t),
        ["Anyone?", "Still here", "Greetings from 2096"]
    );
}

#[test]
fn an_honest_device_90_seconds_fast_still_converges() {
    let (ana, ben, general) = ana_and_ben();
    ben.clock.advance(Duration::seconds(90));
    let t = ben
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Standup notes".into(),
            body: "Short today.".into(),
            notify: vec![],
        })
        .unwrap();
    let report = ben.send_to(&ana);
    assert_eq!(report.from_future, 0);
    assert_eq!(ana.store.held_from_future().unwrap(), 0);

    // Ana answers at her own 14:00: her comment still sorts after Ben's
    // thread (the clock rose to what she saw, within the bound).
    ana.store.add_comment(t, "Thanks").unwrap();
    assert!(my_latest_op_time(&ana) >= t0() + Duration::seconds(90));
    ana.send_to(&ben);
    ben.send_to(&ana);
    assert_eq!(comment_bodies(&ana, t), ["Thanks"]);
    assert_eq!(
        ana.store.shared_digest().unwrap(),
        ben.store.shared_digest().unwrap()
    );
}

#[test]
fn a_waiting_op_does_not_move_the_clock_even_after_a_restart() {
    let (mut ana, ben, general) = ana_and_ben();
    // Ben, two minutes fast (inside the bound), starts a thread and
    // comments; Ana receives only the comment, which waits for its thread.
    ben.clock.advance(Duration::minutes(2));
    let t = ben
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Later".into(),
            body: "Body".into(),
            notify: vec![],
        })
        .unwrap();
    ben.store.add_comment(t, "First!").unwrap();
    let comment_only: Vec<_> = ben
        .ops()
        .into_iter()
        .filter(|s| {
            matches!(
                s.decode_unverified().unwrap().kind,
                tidings::model::op::OpKind::CommentAdded { .. }
            )
        })
        .collect();
    let report = ana.store.apply_remote(comment_only).unwrap();
    assert_eq!(report.pending, 1);

    ana.store.create_channel("random", "").unwrap();
    assert_eq!(
        my_latest_op_time(&ana),
        t0(),
        "a waiting op moved the clock"
    );
    ana.reopen();
    ana.store.create_channel("ideas", "").unwrap();
    assert_eq!(my_latest_op_time(&ana), t0(), "a restart restored it");
}

#[test]
fn a_refused_op_does_not_move_the_clock() {
    let (ana, _ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Mine".into(),
            body: "Only I may retitle this".into(),
            notify: vec![],
        })
        .unwrap();
    // Two minutes ahead: inside the bound, so only the refusal keeps it
    // from moving the clock.
    let report = ana
        .store
        .apply_remote(forge_retitle(t, t0() + Duration::minutes(2)))
        .unwrap();
    assert_eq!(report.rejected.len(), 1);
    ana.store.create_channel("random", "").unwrap();
    assert_eq!(my_latest_op_time(&ana), t0());
}

/// A retitle of someone else's thread by a genuine member (anyone with the
/// workspace key may join) running a modified client, dated `at`.
fn forge_retitle(
    t: tidings::model::ids::ThreadId,
    at: DateTime<Utc>,
) -> Vec<tidings::model::signed::SignedOp> {
    use ed25519_dalek::SigningKey;
    use tidings::model::ids::{DeviceId, Hlc, MemberId, OpId};
    use tidings::model::op::{Op, OpKind};
    use tidings::model::signed::SignedOp;
    let key = SigningKey::from_bytes(&[9; 32]);
    let device = DeviceId(key.verifying_key().to_bytes());
    let member = MemberId::for_device(device);
    let op = |ms: i64, kind| {
        let op = Op {
            id: OpId {
                hlc: Hlc {
                    ms: ms as u64,
                    counter: 0,
                },
                device,
            },
            author: member,
            kind,
        };
        SignedOp::sign(&op, &key).unwrap()
    };
    vec![
        op(
            (t0() - Duration::minutes(1)).timestamp_millis(),
            OpKind::MemberJoined {
                profile: crate::util::person("Mallory", "UTC"),
            },
        ),
        op(
            at.timestamp_millis(),
            OpKind::ThreadRetitled {
                thread: t,
                title: "Mine now".into(),
            },
        ),
    ]
}
