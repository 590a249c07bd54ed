//! The rules of `decide`, in their order: own ops, mutes, following,
//! level, focus, folding; and the types surviving JSON.

use super::*;
use crate::model::profile::NotifyLevel;

#[test]
fn my_own_ops_are_silent_even_when_they_mention_me() {
    let now = utc("2026-11-26T02:00:00Z");
    let mut ev = comment_at(now);
    ev.author = ME;
    ev.mentions_me = true;
    assert_eq!(plain(&ev, &tokyo(), now), Decision::Silent(Silence::OwnOp));
}

#[test]
fn a_muted_thread_stays_silent_even_when_i_am_mentioned() {
    let now = utc("2026-11-26T02:00:00Z");
    let mut ev = comment_at(now);
    ev.mentions_me = true;
    ev.names_me_to_notify = true;
    let muted = Relation {
        following: true,
        muted: true,
    };
    let d = decide(&ev, &tokyo(), muted, &Focus::default(), None, now);
    assert_eq!(d, Decision::Silent(Silence::Muted));
}

#[test]
fn threads_i_do_not_follow_notify_only_when_i_am_called() {
    let now = utc("2026-11-26T02:00:00Z");
    let mut ev = comment_at(now);
    let d = decide(
        &ev,
        &tokyo(),
        Relation::default(),
        &Focus::default(),
        None,
        now,
    );
    assert_eq!(d, Decision::Silent(Silence::NotFollowing));
    ev.names_me_to_notify = true;
    let d = decide(
        &ev,
        &tokyo(),
        Relation::default(),
        &Focus::default(),
        None,
        now,
    );
    assert_eq!(d, Decision::NotifyNow);
}

#[test]
fn mentions_only_lets_through_mentions_and_names_but_nothing_else() {
    let now = utc("2026-11-26T02:00:00Z");
    let mut me = tokyo();
    me.settings.level = NotifyLevel::MentionsOnly;
    let mut ev = comment_at(now);
    assert_eq!(plain(&ev, &me, now), Decision::Silent(Silence::Level));
    ev.mentions_me = true;
    assert_eq!(plain(&ev, &me, now), Decision::NotifyNow);
    ev.mentions_me = false;
    ev.names_me_to_notify = true;
    assert_eq!(plain(&ev, &me, now), Decision::NotifyNow);
    me.settings.level = NotifyLevel::Nothing;
    assert_eq!(plain(&ev, &me, now), Decision::Silent(Silence::Level));
}

#[test]
fn the_thread_i_am_looking_at_is_silent_but_an_unfocused_window_still_notifies() {
    let now = utc("2026-11-26T02:00:00Z");
    let ev = comment_at(now);
    let mut focus = Focus {
        thread: Some(THREAD),
        window_focused: true,
    };
    let d = decide(&ev, &tokyo(), following(), &focus, None, now);
    assert_eq!(d, Decision::Silent(Silence::ThreadInFocus));
    focus.window_focused = false;
    assert_eq!(
        decide(&ev, &tokyo(), following(), &focus, None, now),
        Decision::NotifyNow
    );
    // Another thread open in a focused window does not silence this one.
    let other = Focus {
        thread: Some(ThreadId(11)),
        window_focused: true,
    };
    assert_eq!(
        decide(&ev, &tokyo(), following(), &other, None, now),
        Decision::NotifyNow
    );
}

#[test]
fn events_within_three_minutes_of_the_last_notification_fold() {
    let now = utc("2026-11-26T02:00:00Z");
    let ev = comment_at(now);
    let me = tokyo();
    let f = Focus::default();
    let at = |s| decide(&ev, &me, following(), &f, Some(utc(s)), now);
    assert_eq!(at("2026-11-26T01:58:00Z"), Decision::Fold);
    assert_eq!(at("2026-11-26T01:57:00Z"), Decision::Fold); // exactly the window
    assert_eq!(at("2026-11-26T01:56:59Z"), Decision::NotifyNow);
    // Outside hours, holding comes first: there is nothing on screen to fold into.
    let night = utc("2026-11-25T13:00:00Z");
    let d = decide(&ev, &me, following(), &f, Some(night), night);
    assert!(matches!(d, Decision::HoldUntil(_)));
}

#[test]
fn decisions_and_events_survive_json() {
    let now = utc("2026-11-26T02:00:00Z");
    let ev = comment_at(now);
    let back: Event = serde_json::from_str(&serde_json::to_string(&ev).unwrap()).unwrap();
    assert_eq!(back, ev);
    for d in [
        Decision::NotifyNow,
        Decision::Fold,
        Decision::HoldUntil(now),
        Decision::Silent(Silence::ThreadInFocus),
    ] {
        let back: Decision = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }
    let me = tokyo();
    let back: Me = serde_json::from_str(&serde_json::to_string(&me).unwrap()).unwrap();
    assert_eq!(back, me);
}

#[test]
fn urgent_breaks_through_hours_pauses_and_levels_but_not_a_mute() {
    // 02:00 UTC on Thursday = 11:00 in Tokyo: set "now" to Tokyo's night
    // (13:00 UTC = 22:00), with a pause on top and a mentions-only level.
    let now = utc("2026-11-26T13:00:00Z");
    let mut me = tokyo();
    me.settings.pause_until = Some(now + TimeDelta::hours(5));
    me.settings.level = NotifyLevel::MentionsOnly;
    let mut ev = comment_at(now);
    assert!(matches!(plain(&ev, &me, now), Decision::Silent(_)));
    ev.urgent = true;
    assert_eq!(
        decide(&ev, &me, Relation::default(), &Focus::default(), None, now),
        Decision::NotifyNow
    );
    let muted = Relation {
        following: true,
        muted: true,
    };
    assert_eq!(
        decide(&ev, &me, muted, &Focus::default(), None, now),
        Decision::Silent(Silence::Muted)
    );
}

#[test]
fn an_urgent_notification_says_so_in_its_title() {
    let now = utc("2026-11-26T13:00:00Z");
    let mut ev = comment_at(now);
    ev.urgent = true;
    let mut q = NotificationQueue::new();
    let shown = q.offer(vec![(ev, Decision::NotifyNow)], now);
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].title, "Urgent: Release plan");
    assert!(shown[0].body.starts_with("Ana"), "{}", shown[0].body);
}
