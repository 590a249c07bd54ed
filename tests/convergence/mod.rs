//! Merge rules as properties: replicas that receive the same ops — in any
//! order, in any batches, with duplicates — show the same thing, and what
//! they show is what an independent model of the rules predicts.
//!
//! Ops come from 3–5 devices (one person on two of them), generated
//! directly as signed ops ([`gen`]) so every interleaving the network could
//! produce is reachable, including ops that reference things not yet seen
//! and edits by people who may not make them.
//!
//! The first property (replicas agree) runs every op kind the generator
//! makes: besides the ones below, scheduled posts with their cancels and
//! replacements, reply-by asks, answers and withdrawals, and urgent marks;
//! replicas agree before and after the reveal instants pass their clocks.
//!
//! The second property compares every person's views (each on a replica
//! fed another order; devices whose clocks are up to 8 minutes apart; and a
//! replica that never gets one channel's creation) with the model
//! ([`model`], [`personal`], [`checkins`]; read back by [`compare`]), and
//! the number of ops each replica refuses and holds waiting as they arrive
//! with [`arrival`], so a bug that drops or misorders the same op on every
//! replica fails it too. The model covers these op kinds:
//!
//! - content: `ChannelCreated`, `ChannelRenamed`, `ChannelArchived`,
//!   `ThreadCreated`, `ThreadRetitled` (author only), `ThreadClosed`
//!   (close and reopen), `CommentAdded`, `CommentEdited` and
//!   `CommentDeleted` (author only; the delete is final), `ReactionSet`;
//! - membership: `WorkspaceCreated`, `MemberJoined`, `ProfileUpdated`
//!   (name and time zone), `AwaySet`; `DeviceAdded` through what waits for
//!   a device (every device is introduced in every run; the refusal of a
//!   device claimed by someone else is in `sync_security.rs`);
//! - the person's own state, synced between their two devices:
//!   `ReadUpTo` (unread counts), `ThreadDone` (and the done list),
//!   `ThreadMuted`, `ThreadFollowed` (with the implicit follow from taking
//!   part, mentions in edits included), `ThreadSnoozed` and `LaterSet` (the
//!   inbox and the Later list), `NotificationSettingsSet`,
//!   `UrgentSettingsSet`;
//! - check-ins: `CheckinCreated`, `CheckinEdited`, `CheckinPaused`,
//!   `CheckinStopped` (creator only; moving one to another channel is
//!   refused), `CheckinAnswered` (latest before the stop; empty withdraws).
//!
//! Not in the model, only in the first property and their own scenario
//! tests: `PostScheduled`/`ScheduleCancelled` (what shows depends on each
//! person's reveal instant and this replica's clock, and a replacement
//! chain's winner: a model would restate `model::schedule`),
//! `ReplyRequested`/`ReplyWithdrawn`/`ReplyAnswered` (open asks depend on
//! comments made after the ask, per person, and on deadlines in working
//! days: `reply_by.rs`), `UrgentMarked` (it changes only which
//! notifications break through, which no view shows: `urgent.rs`), and
//! Later items that remind on a reply (when they fall due depends on
//! replies after the item was set, in the person's working hours:
//! `later.rs`). The generator for the model makes snoozes and reminders
//! that end after the replicas' clock, so what they hide is a rule of the
//! ops alone.

mod arrival;
mod checkins;
mod compare;
mod gen;
mod model;
mod personal;
mod regressions;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use tidings::model::clock::{FixedClock, SeqIds};
use tidings::model::ids::MemberId;
use tidings::model::op::{Op, OpKind};
use tidings::model::signed::SignedOp;
use tidings::{Options, Store};

use crate::util::t0;
use checkins::CheckinModel;
use compare::shown_answers;
use gen::{act, model_act, Act, World};
use model::{Facts, Model};

/// A fresh store seeing the world as `member`, fed `batches` in order.
pub fn replica(
    member: MemberId,
    batches: &[Vec<SignedOp>],
    now: DateTime<Utc>,
) -> (Store, Arc<FixedClock>, tempfile::TempDir) {
    // Thousands of stores are opened here: on a RAM file system when there
    // is one, so the run is bounded by apply, not by the disk's fsyncs (the
    // crash test covers durability on the real disk).
    let ram = std::path::Path::new("/dev/shm");
    let dir = if ram.is_dir() {
        tempfile::tempdir_in(ram)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let clock = Arc::new(FixedClock::new(now));
    let store = Store::open(
        dir.path(),
        Options {
            clock: clock.clone(),
            ids: Arc::new(SeqIds::new(9)),
            ..Options::default()
        },
    )
    .unwrap();
    store.set_local_member(member).unwrap();
    for b in batches {
        store.apply_remote(b.clone()).unwrap();
    }
    // What is due by this replica's clock shows now.
    store.release_due().unwrap();
    (store, clock, dir)
}

/// Splits `ops` into batches at the given cut points.
pub fn cut(ops: Vec<SignedOp>, cuts: &[usize]) -> Vec<Vec<SignedOp>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (ops.len() + 1)).collect();
    points.sort();
    points.dedup();
    let mut out = Vec::new();
    let mut start = 0;
    for p in points.into_iter().chain([ops.len()]) {
        if p > start {
            out.push(ops[start..p].to_vec());
            start = p;
        }
    }
    out
}

/// Devices, their acts (device, clock skew, act), duplicates to add, batch
/// cut points, and a shuffle seed.
type Scenario = (usize, Vec<(usize, u64, Act)>, Vec<usize>, Vec<usize>, u64);

fn scenario() -> impl Strategy<Value = Scenario> {
    (3usize..=5).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec((0..n, 0u64..3, act()), 1..40),
            prop::collection::vec(any::<usize>(), 0..12),
            prop::collection::vec(any::<usize>(), 0..4),
            any::<u64>(),
        )
    })
}

proptest! {
    #![proptest_config(Config {
        cases: std::env::var("TIDINGS_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1500),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    })]

    #[test]
    fn replicas_converge_whatever_the_order_batches_and_duplicates(
        (n, acts, dups, cuts, seed) in scenario()
    ) {
        let mut w = World::new(n);
        for (dev, skew, a) in &acts {
            w.do_act(*dev, *skew, a);
        }
        let me = w.devs[0].member;
        let in_order = w.ops.clone();

        // A shuffled copy with some ops repeated.
        let mut shuffled = in_order.clone();
        for d in &dups {
            shuffled.push(in_order[d % in_order.len()].clone());
        }
        let mut rng = seed;
        for i in (1..shuffled.len()).rev() {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (rng >> 33) as usize % (i + 1));
        }
        let mut reversed = in_order.clone();
        reversed.reverse();

        // Clocks a few minutes apart, none of them across a reveal instant
        // (10, 60 and 110 minutes after the start).
        let half = t0() + Duration::minutes(30);
        let (a, ca, _da) = replica(me, &[in_order], half);
        let (b, cb, _db) = replica(me, &cut(shuffled, &cuts), half + Duration::minutes(4));
        let (c, cc, _dc) = replica(me, &cut(reversed, &[1, 3]), half - Duration::minutes(3));
        let da = a.view_digest().unwrap();
        prop_assert_eq!(&da, &b.view_digest().unwrap(), "shuffled batches with duplicates differ");
        prop_assert_eq!(&da, &c.view_digest().unwrap(), "reverse order differs");
        prop_assert_eq!(a.op_count().unwrap(), b.op_count().unwrap());
        let ops: Vec<Op> = w.ops.iter().map(|s| s.decode_unverified().unwrap()).collect();
        prop_assert_eq!(shown_answers(&a), CheckinModel::of(&ops, &Facts::of(&ops)).answers(), "answers differ from the model");
        b.rebuild().unwrap();
        prop_assert_eq!(&da, &b.view_digest().unwrap(), "rebuild from the log differs");

        // Once every clock has passed every reveal instant, everyone agrees
        // on what was delivered.
        for (r, clock) in [(&a, &ca), (&b, &cb), (&c, &cc)] {
            clock.set(t0() + Duration::hours(3));
            r.release_due().unwrap();
        }
        let da = a.view_digest().unwrap();
        prop_assert_eq!(&da, &b.view_digest().unwrap(), "after delivery, shuffled differs");
        prop_assert_eq!(&da, &c.view_digest().unwrap(), "after delivery, reversed differs");
        c.rebuild().unwrap();
        prop_assert_eq!(&da, &c.view_digest().unwrap(), "after delivery, rebuild differs");
    }
}
/// Devices, each device's clock offset in minutes, acts, batch cuts, a
/// shuffle seed and which channel's creation one replica never gets.
type ModelScenario = (usize, Vec<i64>, Vec<(usize, u64, Act)>, Vec<usize>, u64, u8);

fn model_scenario() -> impl Strategy<Value = ModelScenario> {
    (3usize..=5).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec(-8i64..=8, n),
            prop::collection::vec((0..n, 0u64..3, model_act()), 1..40),
            prop::collection::vec(any::<usize>(), 0..12),
            any::<u64>(),
            any::<u8>(),
        )
    })
}

/// Feeds `batches` to a fresh replica seeing as `member`; returns what it
/// shows and how many ops it refused and holds waiting in all.
fn shown_after(member: MemberId, batches: &[Vec<SignedOp>]) -> (Model, usize, usize) {
    let (store, _clock, _dir) = replica(member, &[], t0() + Duration::minutes(30));
    let (mut refused, mut pending) = (0, 0);
    for b in batches {
        let r = store.apply_remote(b.clone()).unwrap();
        assert_eq!(r.from_future, 0, "nothing is beyond the allowed skew");
        refused += r.rejected.len();
        pending += r.pending;
    }
    (compare::shown(&store), refused, pending)
}

proptest! {
    #![proptest_config(Config {
        // A fifth of the convergence cases: each case opens a replica per
        // person and one more.
        cases: std::env::var("TIDINGS_PROPTEST_CASES").ok().and_then(|v| v.parse::<u32>().ok()).map_or(300, |c| (c / 5).max(1)),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    })]

    #[test]
    fn every_person_sees_what_a_model_of_the_merge_rules_predicts(
        (n, offsets, acts, cuts, seed, lost) in model_scenario()
    ) {
        let mut w = World::new(n);
        // Device clocks minutes apart: later acts may carry earlier ids.
        for (d, off) in w.devs.iter_mut().zip(&offsets) {
            d.hlc.ms = d.hlc.ms.saturating_add_signed(off * 60_000);
        }
        for (dev, skew, a) in &acts {
            w.do_act(*dev, *skew, a);
        }
        let ops: Vec<Op> = w.ops.iter().map(|s| s.decode_unverified().unwrap()).collect();
        let decoded = |b: &[Vec<SignedOp>]| -> Vec<Op> {
            b.iter().flatten().map(|s| s.decode_unverified().unwrap()).collect()
        };

        let mut shuffled = w.ops.clone();
        let mut rng = seed;
        for i in (1..shuffled.len()).rev() {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (rng >> 33) as usize % (i + 1));
        }
        let mut reversed = w.ops.clone();
        reversed.reverse();
        let one_by_one: Vec<Vec<SignedOp>> = w.ops.iter().map(|o| vec![o.clone()]).collect();
        // Every person (the last device is the first person's second one),
        // each fed another order.
        for p in 0..n - 1 {
            let batches = match p % 3 {
                0 => one_by_one.clone(),
                1 => cut(shuffled.clone(), &cuts),
                _ => cut(reversed.clone(), &[1, 3]),
            };
            let (got, refused, pending) = shown_after(w.devs[p].member, &batches);
            let diff = compare::differences(&got, &Model::of(&ops, w.devs[p].member));
            prop_assert!(diff.is_empty(), "person {} sees other than the model:\n{}", p, diff.join("\n"));
            prop_assert_eq!((refused, pending), arrival::counts(&decoded(&batches)), "person {}: (refused, waiting) on arrival", p);
        }

        // A replica that never gets one channel's creation holds exactly
        // what depends on it, and shows the rest.
        let created: Vec<usize> = ops
            .iter()
            .enumerate()
            .filter(|(_, o)| matches!(o.kind, OpKind::ChannelCreated { .. }))
            .map(|(i, _)| i)
            .collect();
        let gone = created[lost as usize % created.len()];
        let rest_ops: Vec<Op> = ops.iter().enumerate().filter(|(i, _)| *i != gone).map(|(_, o)| o.clone()).collect();
        let rest: Vec<SignedOp> = w.ops.iter().enumerate().filter(|(i, _)| *i != gone).map(|(_, o)| o.clone()).collect();
        let (got, refused, pending) = shown_after(w.devs[1].member, std::slice::from_ref(&rest));
        let diff = compare::differences(&got, &Model::of(&rest_ops, w.devs[1].member));
        prop_assert!(diff.is_empty(), "without a channel, person 1 sees other than the model:\n{}", diff.join("\n"));
        prop_assert_eq!((refused, pending), arrival::counts(&rest_ops), "without a channel: (refused, waiting)");
    }
}
