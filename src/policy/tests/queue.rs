//! The queue's live notifications: text, folding bursts into one
//! notification per thread, silence, and persistence.

use super::*;

#[test]
fn a_notification_shows_the_thread_title_and_the_author_s_words() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    let (d, shown) = live(&mut q, ev(7, 2, "Ana", now, "first words…"), now);
    assert_eq!(d, Decision::NotifyNow);
    assert_eq!(
        shown,
        vec![Notification {
            key: NotificationKey::Thread(ThreadId(7)),
            thread: Some(ThreadId(7)),
            title: "Thread 7".into(),
            body: "Ana: first words…".into(),
            count: 1,
            reminder: false,
        }]
    );
    assert_eq!(q.last_shown(ThreadId(7)), Some(now));
    let mut m = ev(8, 2, "Ana", now, "can you look?");
    m.mentions_me = true;
    assert_eq!(
        q.offer(vec![(m, Decision::NotifyNow)], now)[0].body,
        "Ana mentioned you: can you look?"
    );
}

#[test]
fn a_burst_of_three_comments_within_the_window_becomes_one_notification_with_count_three() {
    let mut q = NotificationQueue::new();
    let t0 = utc(NOON);
    let (d1, n1) = live(&mut q, ev(7, 2, "Ana", t0, "one"), t0);
    let (d2, n2) = live(&mut q, ev(7, 3, "Ben", t0 + mins(1), "two"), t0 + mins(1));
    let (d3, n3) = live(&mut q, ev(7, 2, "Ana", t0 + mins(2), "three"), t0 + mins(2));
    assert_eq!(
        (d1, d2, d3),
        (Decision::NotifyNow, Decision::Fold, Decision::Fold)
    );
    let key = NotificationKey::Thread(ThreadId(7));
    assert!([&n1, &n2, &n3]
        .iter()
        .all(|n| n.len() == 1 && n[0].key == key));
    assert_eq!(n3[0].count, 3);
    assert_eq!(n3[0].body, "3 new comments from Ana and Ben");
    // Once the window has passed, the next comment notifies afresh.
    let later = t0 + mins(6);
    let (d4, n4) = live(&mut q, ev(7, 3, "Ben", later, "four"), later);
    assert_eq!(d4, Decision::NotifyNow);
    assert_eq!((n4[0].count, n4[0].body.as_str()), (1, "Ben: four"));
}

#[test]
fn several_comments_of_one_thread_in_one_batch_show_once() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    let batch = ["Ana", "Ben", "Cy", "Dee", "Eve"]
        .iter()
        .enumerate()
        .map(|(i, name)| (ev(7, 2 + i as u128, name, now, "hi"), Decision::NotifyNow))
        .collect();
    let shown = q.offer(batch, now);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].body, "5 new comments from Ana, Ben and 3 others");
}

#[test]
fn a_hold_already_over_shows_now_and_silent_shows_nothing() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    let out = q.offer(
        vec![(ev(7, 2, "Ana", now, "x"), Decision::HoldUntil(now))],
        now,
    );
    assert_eq!(out.len(), 1);
    let silent = Decision::Silent(Silence::Muted);
    assert!(q
        .offer(vec![(ev(8, 2, "Ana", now, "x"), silent)], now)
        .is_empty());
    assert_eq!(q.last_shown(ThreadId(8)), None);
}

#[test]
fn the_queue_survives_a_round_trip_through_json_and_postcard() {
    let mut q = NotificationQueue::new();
    let now = utc(NOON);
    q.offer(vec![(ev(7, 2, "Ana", now, "x"), Decision::NotifyNow)], now);
    q.offer(
        vec![(
            ev(8, 2, "Ana", now, "y"),
            Decision::HoldUntil(now + mins(5)),
        )],
        now,
    );
    let json: NotificationQueue =
        serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
    assert_eq!(json, q);
    let bin: NotificationQueue = postcard::from_bytes(&postcard::to_stdvec(&q).unwrap()).unwrap();
    assert_eq!(bin, q);
}
