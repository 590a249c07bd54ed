//! The morning catch-up with fixed clocks: due at the start of my hours in
//! my zone (half-hour zones and a DST change), once per working day, at
//! once after a late start or a return from away, and replacing the
//! notifications held overnight.

use super::*;
use crate::policy::morning::catch_up_at;

fn kolkata() -> Me {
    Me {
        member: ME,
        tz: chrono_tz::Asia::Kolkata,
        hours: WorkingHours::parse("09:00", "17:00", &weekdays()).unwrap(),
        settings: NotificationSettings::default(),
    }
}

#[test]
fn the_catch_up_comes_at_the_start_of_my_hours_in_my_zone() {
    let me = kolkata();
    // Monday 2026-11-30 20:00 IST (14:30 UTC): the next is Tuesday 09:00 IST.
    let last = utc("2026-11-30T03:30:00Z");
    let now = utc("2026-11-30T14:30:00Z");
    assert_eq!(
        catch_up_at(&me, last, now),
        Some(utc("2026-12-01T03:30:00Z"))
    );
    // Friday evening: Monday morning (the weekend is off).
    let fri = utc("2026-12-04T14:30:00Z");
    let fri_last = utc("2026-12-04T03:30:00Z");
    assert_eq!(
        catch_up_at(&me, fri_last, fri),
        Some(utc("2026-12-07T03:30:00Z"))
    );
}

#[test]
fn across_the_spring_dst_change_it_stays_at_nine_local() {
    let me = new_york_weekdays();
    // Friday 2027-03-12 18:00 EST; Monday 09:00 is EDT: 13:00 UTC.
    let last = utc("2027-03-12T14:00:00Z");
    let now = utc("2027-03-12T23:00:00Z");
    assert_eq!(
        catch_up_at(&me, last, now),
        Some(utc("2027-03-15T13:00:00Z"))
    );
}

#[test]
fn a_late_start_gets_the_catch_up_at_once_and_only_once_that_day() {
    let me = tokyo();
    // Last catch-up Wednesday 09:00 JST; the app starts Thursday 11:00 JST.
    let last = utc("2026-11-25T00:00:00Z");
    let now = utc("2026-11-26T02:00:00Z");
    assert_eq!(catch_up_at(&me, last, now), Some(now));
    // Shown at 11:00: nothing more until Friday 09:00.
    assert_eq!(
        catch_up_at(&me, now, now + mins(30)),
        Some(utc("2026-11-27T00:00:00Z"))
    );
}

#[test]
fn away_or_paused_the_catch_up_waits_for_my_return() {
    let mut me = tokyo();
    // Away until Monday 2026-11-30 00:00 JST (Sunday 15:00 UTC).
    me.settings.pause_until = Some(utc("2026-11-29T15:00:00Z"));
    let last = utc("2026-11-25T00:00:00Z");
    let now = utc("2026-11-27T00:00:00Z");
    // Not Friday while away: Monday 09:00 JST.
    assert_eq!(
        catch_up_at(&me, last, now),
        Some(utc("2026-11-30T00:00:00Z"))
    );
    // A pause ending mid-morning, before today's catch-up: at its end.
    me.settings.pause_until = Some(utc("2026-11-27T02:00:00Z"));
    assert_eq!(
        catch_up_at(&me, last, now),
        Some(utc("2026-11-27T02:00:00Z"))
    );
}

#[test]
fn it_replaces_the_notifications_held_overnight() {
    let me = tokyo();
    let mut q = NotificationQueue::new();
    // Thursday 22:00 JST: three threads get comments, held until 09:00.
    let night = utc("2026-11-26T13:00:00Z");
    assert_eq!(
        q.catch_up(&me, night - mins(600)),
        None,
        "the first call starts the count"
    );
    let morning = utc("2026-11-27T00:00:00Z");
    let batch = (0..3u128)
        .map(|i| {
            let e = ev(i, 2, "Ana", night + mins(i as i64), "late idea");
            let d = decide(
                &e,
                &me,
                following(),
                &Focus::default(),
                None,
                night + mins(3),
            );
            assert_eq!(d, Decision::HoldUntil(morning));
            (e, d)
        })
        .collect();
    assert!(q.offer(batch, night + mins(3)).is_empty());
    assert_eq!(q.next_catch_up(&me, night), Some(morning));
    assert_eq!(q.next_due(), Some(morning));

    // 08:59: nothing. 09:00: the catch-up stands for all three.
    assert_eq!(q.catch_up(&me, morning - mins(1)), None);
    assert_eq!(q.catch_up(&me, morning), Some(3));
    // No digest per thread after it, and no second catch-up today.
    assert!(q.due(morning).is_empty());
    assert_eq!((q.held_count(), q.next_due()), (0, None));
    assert_eq!(q.catch_up(&me, morning + mins(5)), None);
    // A comment at 09:30 notifies as usual.
    let live = ev(7, 2, "Ana", morning + mins(30), "good morning");
    let d = decide(
        &live,
        &me,
        following(),
        &Focus::default(),
        None,
        morning + mins(30),
    );
    assert_eq!(q.offer(vec![(live, d)], morning + mins(30)).len(), 1);
}

#[test]
fn events_held_past_the_catch_up_still_come_at_their_time() {
    let mut me = tokyo();
    let mut q = NotificationQueue::new();
    let morning = utc("2026-11-27T00:00:00Z");
    q.catch_up(&me, morning - mins(600));
    // Paused until 10:00 at 08:00: that event is held until 10:00.
    me.settings.pause_until = Some(morning + mins(60));
    let e = ev(1, 2, "Ana", morning - mins(60), "x");
    let d = decide(
        &e,
        &me,
        following(),
        &Focus::default(),
        None,
        morning - mins(60),
    );
    assert_eq!(d, Decision::HoldUntil(morning + mins(60)));
    q.offer(vec![(e, d)], morning - mins(60));
    // The catch-up waits for the pause's end and then replaces it.
    assert_eq!(q.catch_up(&me, morning), None);
    assert_eq!(q.catch_up(&me, morning + mins(60)), Some(1));
}
