//! The morning catch-up on real stores with fixed clocks: its sections
//! (waiting on me, news, decisions, new threads, Later today), "mark all
//! seen", and the one "Your catch-up" notification at the start of my
//! hours that replaces what was held overnight.

use chrono::{DateTime, Duration, Utc};
use tidings::arrivals::Arrivals;
use tidings::model::later::RemindAt;
use tidings::model::replyby::DueBy;
use tidings::policy::{Focus, NotificationKey};
use tidings::store::NewThread;
use tidings::views::CatchUpSection;

use crate::util::{person, Replica};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Ana in Lisbon (09:00–17:00 Mon–Fri) and Ben in New York, at `at`.
fn team(at: DateTime<Utc>) -> (Replica, Replica, tidings::model::ids::ChannelId) {
    let ana = Replica::new(1);
    let ben = Replica::new(2);
    ana.clock.set(at);
    ben.clock.set(at);
    ana.store
        .create_workspace("Acme", person("Ana Souza", "Europe/Lisbon"))
        .unwrap();
    let c = ana.store.create_channel("eng", "").unwrap();
    ana.send_to(&ben);
    ben.store
        .join_as(person("Ben Okafor", "America/New_York"))
        .unwrap();
    ben.send_to(&ana);
    (ana, ben, c)
}

fn post(
    r: &Replica,
    c: tidings::model::ids::ChannelId,
    title: &str,
    body: &str,
) -> tidings::model::ids::ThreadId {
    r.store
        .create_thread(NewThread {
            channel: c,
            title: title.into(),
            body: body.into(),
            notify: vec![],
        })
        .unwrap()
}

#[test]
fn the_catch_up_gathers_what_waits_news_decisions_new_threads_and_later() {
    // Tuesday 2026-12-01 20:00 UTC: evening in Lisbon, afternoon in New York.
    let evening = utc("2026-12-01T20:00:00Z");
    let (ana, ben, c) = team(evening - Duration::hours(2));
    let mine = post(&ana, c, "Release notes", "Draft v1");
    let decided = post(&ben, c, "Pricing", "Two options");
    ben.send_to(&ana);
    ana.store.mark_read(decided, None).unwrap();
    ana.send_to(&ben);

    ana.clock.set(evening);
    ben.clock.set(evening);
    // Ben: two comments in Ana's thread, a question for @ana by tomorrow,
    // a decision, and a new thread.
    ben.store.add_comment(mine, "Typos in section 2").unwrap();
    ben.store.add_comment(mine, "Fixed them").unwrap();
    let asked = post(&ben, c, "Launch date", "@ana can you confirm?");
    ben.store
        .ask_reply(
            asked,
            &[ana.store.me().unwrap()],
            &DueBy::EndOfNextWorkingDay,
        )
        .unwrap();
    ben.store.set_thread_closed(decided, true).unwrap();
    post(&ben, c, "Offsite ideas", "Anywhere warm");
    ben.send_to(&ana);
    // Ana asks to come back to her thread tomorrow at her start.
    let morning = utc("2026-12-02T09:00:00Z");
    ana.store
        .remind(mine, &RemindAt::TomorrowAtMyStart, false)
        .unwrap();
    ana.clock.set(morning);

    let up = ana.store.catch_up().unwrap();
    let titles = |items: &[tidings::views::CatchUpItem]| {
        items
            .iter()
            .map(|i| i.thread.title.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&up.waiting), ["Launch date"]);
    assert!(
        up.waiting[0]
            .why
            .starts_with("Ben Okafor asked for your answer by"),
        "{:?}",
        up.waiting[0].why
    );
    assert_eq!(titles(&up.news), ["Release notes"]);
    assert_eq!(up.news[0].why, "2 new comments from Ben");
    assert!(up.news[0].first_unread.is_some());
    assert_eq!(titles(&up.decisions), ["Pricing"]);
    assert_eq!(up.decisions[0].why, "Closed by Ben Okafor");
    assert_eq!(up.new_threads.len(), 1);
    assert_eq!(up.new_threads[0].channel_name, "eng");
    assert_eq!(titles(&up.new_threads[0].items), ["Offsite ideas"]);
    assert_eq!(up.later.len(), 1);
    assert_eq!(up.later[0].thread.title, "Release notes");
    let n = up.notification().unwrap();
    assert_eq!(
        (n.key, n.title.as_str()),
        (NotificationKey::CatchUp, "Your catch-up")
    );
    assert_eq!(
        n.body,
        "1 waiting on you · 1 thread with news · 1 decision · 1 new thread · 1 reminder today"
    );

    // "Mark all seen" on a section reads its threads: they leave it.
    assert_eq!(
        ana.store.catch_up_seen(CatchUpSection::NewThreads).unwrap(),
        1
    );
    assert_eq!(
        ana.store.catch_up_seen(CatchUpSection::Decisions).unwrap(),
        1
    );
    let up = ana.store.catch_up().unwrap();
    assert!(up.new_threads.is_empty() && up.decisions.is_empty());
    assert_eq!(titles(&up.news), ["Release notes"]);
    ana.store.catch_up_seen(CatchUpSection::News).unwrap();
    assert!(ana.store.catch_up().unwrap().news.is_empty());
}

#[test]
fn one_catch_up_at_the_start_of_my_hours_replaces_what_was_held_overnight() {
    // Tuesday 22:00 in Lisbon.
    let night = utc("2026-12-01T22:00:00Z");
    let (ana, ben, c) = team(night - Duration::hours(1));
    let mut arrivals = Arrivals::new();
    // The app starts: the first call only starts the count.
    assert!(arrivals
        .due_at(&ana.store, night - Duration::hours(1))
        .unwrap()
        .notifications
        .is_empty());
    let threads: Vec<_> = (0..3)
        .map(|i| post(&ana, c, &format!("Topic {i}"), "Thoughts?"))
        .collect();
    ana.send_to(&ben);
    ana.clock.set(night);
    ben.clock.set(night);
    let before = ana.store.op_count().unwrap();
    for t in &threads {
        ben.store.add_comment(*t, "Late idea").unwrap();
    }
    let report = ana
        .store
        .apply_remote(ben.store.ops().map(Result::unwrap).collect())
        .unwrap();
    assert!(ana.store.op_count().unwrap() > before);
    // Held: Ana is after hours.
    let shown = arrivals
        .on_applied(&ana.store, &report.applied, &Focus::default(), night)
        .unwrap();
    assert!(shown.is_empty(), "{shown:?}");
    // A reminder for 09:00 too.
    ana.store
        .remind(threads[0], &RemindAt::TomorrowAtMyStart, false)
        .unwrap();
    let morning = utc("2026-12-02T09:00:00Z");
    assert_eq!(
        arrivals.next_due_at(&ana.store, night).unwrap(),
        Some(morning)
    );

    ana.clock.set(morning - Duration::minutes(1));
    assert!(arrivals
        .due_at(&ana.store, morning - Duration::minutes(1))
        .unwrap()
        .notifications
        .is_empty());
    ana.clock.set(morning);
    let due = arrivals.due_at(&ana.store, morning).unwrap();
    assert_eq!(due.notifications.len(), 1, "{:?}", due.notifications);
    let n = &due.notifications[0];
    assert_eq!(
        (n.key, n.title.as_str()),
        (NotificationKey::CatchUp, "Your catch-up")
    );
    assert_eq!(n.body, "3 threads with news · 1 reminder today");
    // Nothing of what it stands for comes after it.
    ana.clock.set(morning + Duration::minutes(5));
    let after = arrivals
        .due_at(&ana.store, morning + Duration::minutes(5))
        .unwrap();
    assert!(after.notifications.is_empty(), "{:?}", after.notifications);
    // The next one is Thursday morning.
    assert_eq!(
        arrivals
            .next_due_at(&ana.store, morning + Duration::minutes(5))
            .unwrap(),
        Some(utc("2026-12-03T09:00:00Z"))
    );
}

#[test]
fn a_checkin_asked_at_my_start_is_in_the_catch_up_not_a_notification_of_its_own() {
    // Tuesday 20:00 in Lisbon.
    let evening = utc("2026-12-01T20:00:00Z");
    let (ana, ben, c) = team(evening);
    let mut arrivals = Arrivals::new();
    assert!(arrivals
        .due_at(&ana.store, evening)
        .unwrap()
        .notifications
        .is_empty());
    // Ben asks everyone on weekdays.
    ben.store
        .create_checkin(c, "What did you work on today?", None, 0b0001_1111)
        .unwrap();
    ben.send_to(&ana);
    let morning = utc("2026-12-02T09:00:00Z");
    assert_eq!(
        arrivals.next_due_at(&ana.store, evening).unwrap(),
        Some(morning)
    );
    ana.clock.set(morning);
    let due = arrivals.due_at(&ana.store, morning).unwrap();
    assert_eq!(due.notifications.len(), 1, "{:?}", due.notifications);
    assert_eq!(due.notifications[0].key, NotificationKey::CatchUp);
    assert_eq!(due.notifications[0].body, "1 check-in to answer");
    assert!(due.checkins_due);
    let up = ana.store.catch_up().unwrap();
    assert_eq!(up.checkins.len(), 1);
    assert_eq!(up.checkins[0].question, "What did you work on today?");
    // Answered: it leaves the catch-up, and nothing more comes today.
    ana.store
        .answer_checkin(up.checkins[0].checkin, None, "Release notes")
        .unwrap();
    assert!(ana.store.catch_up().unwrap().checkins.is_empty());
    ana.clock.set(morning + Duration::minutes(10));
    assert!(arrivals
        .due_at(&ana.store, morning + Duration::minutes(10))
        .unwrap()
        .notifications
        .is_empty());
}
