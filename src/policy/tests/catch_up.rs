//! Catch-up: floods and stale batches become one summary, never hundreds
//! of notifications.

use super::*;

#[test]
fn two_hundred_old_comments_over_forty_threads_yield_exactly_one_summary() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    let batch = (0..200u128)
        .map(|i| {
            let at = now - TimeDelta::days(2) + mins(i as i64);
            (ev(i % 40, 2 + i % 5, "Ana", at, "old"), Decision::NotifyNow)
        })
        .collect();
    let shown = q.offer(batch, now);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].key, NotificationKey::Summary);
    assert_eq!(shown[0].thread, None);
    assert_eq!(shown[0].count, 200);
    assert_eq!(shown[0].title, "200 new comments in 40 threads");
    assert_eq!(shown[0].body, "Thread 0, Thread 1, Thread 2 and 37 more");
}

#[test]
fn a_flood_arriving_in_several_batches_keeps_one_growing_summary() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    let old = now - TimeDelta::days(1);
    let batch = |range: std::ops::Range<u128>| {
        range
            .map(|i| (ev(i, 2, "Ana", old, "x"), Decision::NotifyNow))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        q.offer(batch(0..5), now)[0].title,
        "5 new comments in 5 threads"
    );
    // Threads 3 and 4 again, plus two new ones: counted once each.
    let second = q.offer(batch(3..9), now + mins(1));
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].title, "11 new comments in 9 threads");
}

#[test]
fn four_live_threads_at_once_become_a_summary_but_three_do_not() {
    let now = utc(NOON);
    let batch = |n: u128| {
        (0..n)
            .map(|t| (ev(t, 2, "Ana", now, "hi"), Decision::NotifyNow))
            .collect()
    };
    assert_eq!(NotificationQueue::new().offer(batch(3), now).len(), 3);
    let four = NotificationQueue::new().offer(batch(4), now);
    assert_eq!(four.len(), 1);
    assert_eq!(four[0].title, "4 new comments in 4 threads");
}

#[test]
fn stale_comments_in_two_threads_become_a_summary() {
    let now = utc(NOON);
    let old = now - mins(16);
    let batch = vec![
        (ev(1, 2, "Ana", old, "a"), Decision::NotifyNow),
        (ev(2, 2, "Ana", now, "b"), Decision::NotifyNow),
    ];
    let shown = NotificationQueue::new().offer(batch, now);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].key, NotificationKey::Summary);
    assert_eq!(shown[0].body, "Thread 1 and Thread 2");
    // A stale comment alone is one notification either way: keep its thread's.
    let one =
        NotificationQueue::new().offer(vec![(ev(1, 2, "Ana", old, "a"), Decision::NotifyNow)], now);
    assert_eq!(one[0].key, NotificationKey::Thread(ThreadId(1)));
}

#[test]
fn more_than_three_threads_due_at_once_come_out_as_one_summary() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    let at = now + TimeDelta::hours(8);
    let batch = (0..5)
        .map(|t| (ev(t, 2, "Ana", now, "x"), Decision::HoldUntil(at)))
        .collect();
    assert!(q.offer(batch, now).is_empty());
    let out = q.due(at);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].key, NotificationKey::Summary);
    assert_eq!(out[0].count, 5);
}
