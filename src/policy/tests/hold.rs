//! Held events: digests when due, reading a thread, early release when a
//! pause ends, and bounded memory however much is held.

use super::*;

#[test]
fn held_notifications_for_two_threads_come_out_as_two_digests_when_due() {
    let mut q = NotificationQueue::new();
    let now = utc("2026-11-25T13:00:00Z");
    let at = utc("2026-11-26T00:00:00Z");
    let hold = Decision::HoldUntil(at);
    let batch = vec![
        (ev(7, 2, "Ana", now, "one"), hold.clone()),
        (ev(8, 2, "Ana", now, "only one here"), hold.clone()),
        (
            ev(7, 3, "Ben", now + mins(5), "latest words…"),
            hold.clone(),
        ),
        (ev(7, 2, "Ana", now + mins(1), "two"), hold.clone()),
        (ev(7, 3, "Ben", now + mins(2), "three"), hold),
    ];
    assert!(q.offer(batch, now).is_empty());
    assert_eq!(q.held_count(), 5);
    assert_eq!(q.next_due(), Some(at));
    assert!(q.due(at - TimeDelta::seconds(1)).is_empty());
    let out = q.due(at);
    assert_eq!(out.len(), 2);
    let seven = out.iter().find(|n| n.thread == Some(ThreadId(7))).unwrap();
    assert_eq!(seven.count, 4);
    assert_eq!(
        seven.body,
        "4 new comments while you were away — Ben: latest words…"
    );
    let eight = out.iter().find(|n| n.thread == Some(ThreadId(8))).unwrap();
    assert_eq!(
        (eight.count, eight.body.as_str()),
        (1, "Ana: only one here")
    );
    assert_eq!((q.next_due(), q.held_count()), (None, 0));
    assert_eq!(q.last_shown(ThreadId(7)), Some(at));
    assert!(q.due(at + mins(1)).is_empty());
}

#[test]
fn reading_a_thread_drops_what_was_held_for_it() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    let at = now + TimeDelta::hours(8);
    let batch = vec![
        (ev(7, 2, "Ana", now, "x"), Decision::HoldUntil(at)),
        (ev(7, 3, "Ben", now, "y"), Decision::HoldUntil(at)),
    ];
    q.offer(batch, now);
    assert_eq!(q.held_count(), 2);
    q.thread_read(ThreadId(7));
    assert_eq!((q.held_count(), q.next_due()), (0, None));
    assert!(q.due(at).is_empty());
    assert_eq!(q.last_shown(ThreadId(7)), None);
}

#[test]
fn held_comments_that_are_due_ride_along_with_a_live_one() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    q.offer(
        vec![(
            ev(7, 2, "Ana", now, "x"),
            Decision::HoldUntil(now + mins(10)),
        )],
        now,
    );
    let later = now + mins(10);
    let out = q.offer(
        vec![(ev(7, 3, "Ben", later, "live"), Decision::NotifyNow)],
        later,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0].body,
        "2 new comments while you were away — Ben: live"
    );
    assert_eq!(q.held_count(), 0);
}

#[test]
fn ending_a_pause_early_makes_held_comments_due_now() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    let mut paused = me();
    paused.settings.pause_until = Some(now + TimeDelta::hours(3));
    let e = ev(7, 2, "Ana", now, "x");
    let d = plain(&e, &paused, now);
    q.offer(vec![(e, d)], now);
    assert_eq!(q.next_due(), Some(now + TimeDelta::hours(3)));
    let later = now + mins(30);
    q.reschedule(&me(), later);
    assert_eq!(q.next_due(), Some(later));
    assert_eq!(q.due(later).len(), 1);
}

#[test]
fn the_queue_stays_small_however_much_is_held() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    let long = "word ".repeat(300);
    for i in 0..10_000i64 {
        let e = ev(7, 2 + (i % 50) as u128, "Someone", now, &long);
        let at = now + TimeDelta::hours(1 + i % 10);
        q.offer(vec![(e, Decision::HoldUntil(at))], now);
    }
    assert_eq!(q.held_count(), 10_000);
    let bytes = serde_json::to_vec(&q).unwrap();
    assert!(
        bytes.len() < 8_000,
        "persisted queue is {} bytes",
        bytes.len()
    );
    // Past four hold times per thread the earliest merge into later ones:
    // released late, never early.
    assert_eq!(q.next_due(), Some(now + TimeDelta::hours(7)));
    assert!(q.due(now + TimeDelta::hours(6)).is_empty());
    assert_eq!(q.due(now + TimeDelta::hours(10))[0].count, 10_000);
}
