//! Later and reminders, on real stores with fixed clocks: a reminder moves
//! into my working hours, hides the thread until it is due, then brings it
//! back and notifies once; "on reply or at a time" fires on the reply;
//! pauses hold reminders; done and remove; bad input changes nothing.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use tidings::arrivals::Arrivals;
use tidings::model::later::RemindAt;
use tidings::model::profile::NotificationSettings;
use tidings::policy::{Focus, NotificationKey};
use tidings::store::NewThread;
use tidings::views::LaterState;
use tidings::ErrorCode;

use crate::util::{ana_and_ben, t0, Replica};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Ben starts a thread for Ana (Friday 14:00 UTC, 14:00 in Lisbon).
fn thread_for_ana(ana: &Replica, ben: &Replica) -> tidings::model::ids::ThreadId {
    let general = ben.store.channels().unwrap()[0].id;
    let t = ben
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Q1 roadmap".into(),
            body: "Thoughts before Monday?".into(),
            notify: vec![ana.store.me().unwrap()],
        })
        .unwrap();
    ben.send_to(ana);
    t
}

fn at(r: &Replica, when: &str) {
    r.clock.set(utc(when));
}

#[test]
fn a_reminder_hides_the_thread_until_my_next_start_then_brings_it_back_once() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread_for_ana(&ana, &ben);
    assert_eq!(ana.store.inbox_count().unwrap(), 1);
    // Starts the reminder count, as the app does at launch.
    assert!(ana.store.due_reminders().unwrap().is_empty());

    // Friday 14:00 in Lisbon: "later today" is 17:00, the end of Ana's
    // hours, so it moves to Monday 09:00, and she is told.
    let time = ana
        .store
        .remind(t, &RemindAt::LaterToday, false)
        .unwrap()
        .unwrap();
    assert!(time.moved);
    assert_eq!(time.picked, t0() + Duration::hours(3));
    assert_eq!(time.at, utc("2026-11-30T09:00:00Z"));
    let note = ana.store.describe_reminder(&time).unwrap().note;
    assert_eq!(
        note,
        "Outside your working hours: moves to Mon 30 Nov 09:00"
    );

    // Out of the inbox, in Later as upcoming.
    assert_eq!(ana.store.inbox_count().unwrap(), 0);
    let list = ana.store.later_list().unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].state, LaterState::Upcoming);
    assert_eq!(list.items[0].thread.title, "Q1 roadmap");
    assert_eq!(list.due, 0);
    assert_eq!(list.open, 1);
    assert_eq!(ana.store.next_reminder().unwrap(), Some(time.at));

    // Nothing over the weekend, nor a minute before.
    at(&ana, "2026-11-30T08:59:00Z");
    assert!(ana.store.due_reminders().unwrap().is_empty());
    assert_eq!(ana.store.inbox_count().unwrap(), 0);

    at(&ana, "2026-11-30T09:00:00Z");
    let shown = ana.store.due_reminders().unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].title, "Reminder: Q1 roadmap");
    assert_eq!(shown[0].body, "You asked to come back to this now.");
    assert_eq!(shown[0].thread, Some(t));
    assert!(shown[0].reminder);
    // Once only.
    assert!(ana.store.due_reminders().unwrap().is_empty());
    assert_eq!(ana.store.next_reminder().unwrap(), None);

    // Back in the inbox, and due in Later with the badge.
    let inbox = ana
        .store
        .inbox(&tidings::views::PageRequest::first(10))
        .unwrap();
    assert_eq!(inbox.items.len(), 1);
    assert!(inbox.items[0].snooze_ended);
    let list = ana.store.later_list().unwrap();
    assert_eq!(list.items[0].state, LaterState::Due);
    assert_eq!(list.due, 1);

    // Overdue items stay in Later until dealt with, even after reading.
    ana.store.mark_read(t, None).unwrap();
    at(&ana, "2026-12-02T12:00:00Z");
    assert_eq!(
        ana.store.later_list().unwrap().items[0].state,
        LaterState::Due
    );
}

#[test]
fn on_reply_or_at_a_time_fires_on_the_reply_when_it_comes_first() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread_for_ana(&ana, &ben);
    ana.store.due_reminders().unwrap();
    let time = ana
        .store
        .remind(t, &RemindAt::TomorrowAtMyStart, true)
        .unwrap()
        .unwrap();
    // Tomorrow is Saturday: Monday 09:00.
    assert_eq!(time.at, utc("2026-11-30T09:00:00Z"));
    assert!(!time.moved);

    // Ben answers at 15:00 (inside Ana's hours).
    at(&ben, "2026-11-27T15:00:00Z");
    ben.store.add_comment(t, "Here is my take").unwrap();
    at(&ana, "2026-11-27T15:00:30Z");
    ben.send_to(&ana);
    let shown = ana.store.due_reminders().unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(
        shown[0].body,
        "Ben replied. You asked to hear when someone did."
    );
    let item = &ana.store.later_list().unwrap().items[0];
    assert_eq!(item.state, LaterState::Due);
    assert_eq!(item.replied.as_ref().unwrap().name, "Ben");
    // The reply, not Monday, is when it came due.
    assert_eq!(item.due.as_ref().unwrap().utc, utc("2026-11-27T15:00:00Z"));
    // And Monday brings nothing more.
    at(&ana, "2026-11-30T09:00:00Z");
    assert!(ana.store.due_reminders().unwrap().is_empty());
}

/// Ana asks to be reminded on Monday or when someone replies; Ben answers
/// at 15:00, inside her hours, and his reply reaches her.
fn ben_answers_an_on_reply_reminder() -> (
    Replica,
    Replica,
    tidings::model::ids::ThreadId,
    tidings::store::ApplyReport,
) {
    let (ana, ben, _) = ana_and_ben();
    let t = thread_for_ana(&ana, &ben);
    ana.store.due_reminders().unwrap();
    ana.store
        .remind(t, &RemindAt::MondayAtMyStart, true)
        .unwrap();
    at(&ben, "2026-11-27T15:00:00Z");
    ben.store.add_comment(t, "Porto, surely").unwrap();
    at(&ana, "2026-11-27T15:00:30Z");
    let report = ben.send_to(&ana);
    (ana, ben, t, report)
}

#[test]
fn a_reply_that_brings_a_reminder_shows_once_as_that_reminder_with_what_was_said() {
    // One notification for the thread, the reminder (with its Done and
    // Tomorrow buttons), carrying Ben's words, not a reminder and a comment
    // racing for one place.
    let (ana, _ben, t, report) = ben_answers_an_on_reply_reminder();
    let mut arrivals = Arrivals::new();
    let shown = arrivals
        .on_applied(
            &ana.store,
            &report.applied,
            &Focus::default(),
            ana.store.now(),
        )
        .unwrap();
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert_eq!(shown[0].key, NotificationKey::Thread(t));
    assert!(shown[0].reminder, "{shown:#?}");
    assert_eq!(shown[0].title, "Reminder: Q1 roadmap");
    assert!(shown[0].body.contains("Ben replied"), "{}", shown[0].body);
    assert!(shown[0].body.contains("Porto, surely"), "{}", shown[0].body);
    // The scheduler's next look finds nothing more to show.
    let due = arrivals.due_at(&ana.store, ana.store.now()).unwrap();
    assert!(due.notifications.is_empty(), "{:#?}", due.notifications);
}

#[test]
fn a_reminder_the_scheduler_showed_first_still_stands_for_the_reply_that_brought_it() {
    let (ana, ben, t, report) = ben_answers_an_on_reply_reminder();

    // The app's scheduler looks between the apply and the arrival's
    // decision: it shows the reminder first.
    let mut arrivals = Arrivals::new();
    let first = arrivals.due_at(&ana.store, ana.store.now()).unwrap();
    assert_eq!(first.notifications.len(), 1, "{:#?}", first.notifications);
    assert!(first.notifications[0].reminder);
    // The reply's own notification then does not come: the reminder on
    // screen stands for it (shown over it, it would take the reminder's
    // place and buttons; shown again, a dismissed reminder would return).
    let shown = arrivals
        .on_applied(
            &ana.store,
            &report.applied,
            &Focus::default(),
            ana.store.now(),
        )
        .unwrap();
    assert!(shown.is_empty(), "{shown:#?}");

    // A later reply is news of its own, not the reminder again.
    at(&ben, "2026-11-27T16:00:00Z");
    ben.store.add_comment(t, "Or Lisbon").unwrap();
    at(&ana, "2026-11-27T16:00:30Z");
    let report = ben.send_to(&ana);
    let shown = arrivals
        .on_applied(
            &ana.store,
            &report.applied,
            &Focus::default(),
            ana.store.now(),
        )
        .unwrap();
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert!(!shown[0].reminder, "{shown:#?}");
    assert!(shown[0].body.contains("Or Lisbon"), "{}", shown[0].body);
}

#[test]
fn my_own_replies_do_not_trigger_an_on_reply_reminder() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread_for_ana(&ana, &ben);
    ana.store
        .remind(t, &RemindAt::MondayAtMyStart, true)
        .unwrap();
    ana.store.add_comment(t, "Noting this for Monday").unwrap();
    let item = &ana.store.later_list().unwrap().items[0];
    assert_eq!(item.state, LaterState::Upcoming);
    assert_eq!(item.replied, None);
}

#[test]
fn a_pause_holds_a_reminder_until_it_ends() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread_for_ana(&ana, &ben);
    ana.store.due_reminders().unwrap();
    ana.store.remind(t, &RemindAt::LaterToday, false).unwrap();
    ana.store
        .set_notification_settings(NotificationSettings {
            pause_until: Some(utc("2026-11-30T11:00:00Z")),
            ..NotificationSettings::default()
        })
        .unwrap();
    at(&ana, "2026-11-30T09:30:00Z");
    assert!(ana.store.due_reminders().unwrap().is_empty());
    at(&ana, "2026-11-30T11:00:00Z");
    assert_eq!(ana.store.due_reminders().unwrap().len(), 1);
}

#[test]
fn saved_done_and_removed_items_move_through_the_list() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread_for_ana(&ana, &ben);
    let general = ben.store.channels().unwrap()[0].id;
    let u = ben
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Offsite venue".into(),
            body: "Lisbon or Porto".into(),
            notify: vec![ana.store.me().unwrap()],
        })
        .unwrap();
    ben.send_to(&ana);

    // Saved: no time, stays in the inbox.
    assert_eq!(ana.store.remind(t, &RemindAt::Saved, false).unwrap(), None);
    ana.store
        .remind(u, &RemindAt::MondayAtMyStart, false)
        .unwrap();
    let list = ana.store.later_list().unwrap();
    let states: Vec<_> = list
        .items
        .iter()
        .map(|i| (i.thread.title.as_str(), i.state))
        .collect();
    assert_eq!(
        states,
        [
            ("Offsite venue", LaterState::Upcoming),
            ("Q1 roadmap", LaterState::Saved)
        ]
    );
    assert_eq!(
        ana.store.inbox_count().unwrap(),
        1,
        "a saved thread stays in the inbox"
    );

    // Done: off the reminder, into the Done section, back in the inbox.
    ana.store.later_done(u, true).unwrap();
    let list = ana.store.later_list().unwrap();
    assert_eq!(list.items.last().unwrap().state, LaterState::Done);
    assert_eq!(list.open, 1);
    assert_eq!(ana.store.next_reminder().unwrap(), None);
    assert_eq!(ana.store.inbox_count().unwrap(), 2);
    // Undone: the reminder is back.
    ana.store.later_done(u, false).unwrap();
    assert!(ana.store.next_reminder().unwrap().is_some());

    ana.store.later_remove(u).unwrap();
    ana.store.later_remove(t).unwrap();
    assert!(ana.store.later_list().unwrap().items.is_empty());
}

#[test]
fn bad_reminders_are_refused_with_a_code_and_change_nothing() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread_for_ana(&ana, &ben);
    let before = ana.store.op_count().unwrap();
    let e = ana
        .store
        .remind(t, &RemindAt::Instant(t0() - Duration::hours(2)), false)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::TimeInPast);
    let e = ana
        .store
        .remind(t, &RemindAt::Instant(t0() + Duration::days(400)), false)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTime);
    // 01:30 on 2027-03-28 does not exist in Lisbon.
    let skipped = NaiveDateTime::parse_from_str("2027-03-28T01:30", "%Y-%m-%dT%H:%M").unwrap();
    let e = ana
        .store
        .remind(t, &RemindAt::MyLocal(skipped), false)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTime);
    let nowhere = tidings::model::ids::ThreadId(424242);
    let e = ana
        .store
        .remind(nowhere, &RemindAt::LaterToday, false)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    // Done or remove on a thread not in Later.
    assert_eq!(
        ana.store.later_done(t, true).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        ana.store.later_remove(t).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(ana.store.op_count().unwrap(), before);
    assert!(ana.store.later_list().unwrap().items.is_empty());
    assert_eq!(ana.store.inbox_count().unwrap(), 1);
}

#[test]
fn the_later_list_survives_a_rebuild_and_is_personal() {
    let (mut ana, ben, _) = ana_and_ben();
    let t = thread_for_ana(&ana, &ben);
    ana.store
        .remind(t, &RemindAt::MondayAtMyStart, true)
        .unwrap();
    let before = ana.store.later_list().unwrap();
    ana.store.rebuild().unwrap();
    assert_eq!(ana.store.later_list().unwrap(), before);
    ana.reopen();
    assert_eq!(ana.store.later_list().unwrap(), before);
    // Ben sees nothing of Ana's Later list, and his inbox is unchanged.
    ana.send_to(&ben);
    assert!(ben.store.later_list().unwrap().items.is_empty());
}

#[test]
fn a_reply_written_before_my_last_check_but_arriving_after_it_still_reminds() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread_for_ana(&ana, &ben);
    ana.store.due_reminders().unwrap();
    ana.store
        .remind(t, &RemindAt::MondayAtMyStart, true)
        .unwrap();
    // Ben writes at 15:00 while offline; Ana's app checks at 15:10.
    at(&ben, "2026-11-27T15:00:00Z");
    ben.store.add_comment(t, "Written on the train").unwrap();
    at(&ana, "2026-11-27T15:10:00Z");
    assert!(ana.store.due_reminders().unwrap().is_empty());
    // It reaches her at 15:20: the reminder comes then, once.
    at(&ana, "2026-11-27T15:20:00Z");
    ben.send_to(&ana);
    let shown = ana.store.due_reminders().unwrap();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(ana.store.due_reminders().unwrap().is_empty());
    // Reminding again (a new item) can fire again; restarting does not.
    let mut ana = ana;
    ana.reopen();
    assert!(ana.store.due_reminders().unwrap().is_empty());
    ana.store
        .remind(t, &RemindAt::Instant(utc("2026-11-27T15:30:00Z")), false)
        .unwrap();
    at(&ana, "2026-11-27T15:30:00Z");
    assert_eq!(ana.store.due_reminders().unwrap().len(), 1);
}
