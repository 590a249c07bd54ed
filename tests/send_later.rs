//! Sending later: a scheduled post syncs at once, stays hidden on every
//! replica until that replica's clock reaches the instant for its person,
//! then appears as if posted then. Cancels and edits before delivery leave
//! no trace; clocks that are wrong cannot reveal early for others.

use chrono::{DateTime, Duration, Utc};
use tidings::model::ids::ThreadId;
use tidings::model::schedule::{PostRef, SendAt};
use tidings::render::RenderOptions;
use tidings::search::SearchQuery;
use tidings::store::{NewThread, ScheduledEdit};
use tidings::views::PageRequest;
use tidings::ErrorCode;

use crate::util::{ana_and_ben, comment_bodies, t0, Replica};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Ana (Lisbon) starts a thread naming Ben (Tokyo); Ben has read it.
fn thread_for_ben() -> (Replica, Replica, ThreadId) {
    let (ana, ben, general) = ana_and_ben();
    let ben_id = ben.store.me().unwrap();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Launch checklist".into(),
            body: "Items below.".into(),
            notify: vec![ben_id],
        })
        .unwrap();
    ana.send_to(&ben);
    ben.store.mark_read(t, None).unwrap();
    (ana, ben, t)
}

fn finds(r: &Replica, text: &str) -> usize {
    r.store.flush_search().unwrap();
    r.store
        .search(&SearchQuery {
            text: text.into(),
            ..Default::default()
        })
        .unwrap()
        .len()
}

fn exported(r: &Replica) -> String {
    let mut out = Vec::new();
    r.store.export_json(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

// Friday 14:00 UTC is 23:00 in Tokyo: Ben's next start is Monday 09:00 JST.
const BENS_MONDAY: &str = "2026-11-30T00:00:00Z";

#[test]
fn a_comment_sent_at_their_start_stays_hidden_until_their_morning() {
    let (ana, ben, t) = thread_for_ben();
    let (c, reveal) = ana
        .store
        .schedule_comment(
            t,
            "Ship it, the **checklist** is green",
            &SendAt::AtTheirStart,
        )
        .unwrap();
    let ben_id = ben.store.me().unwrap();
    assert_eq!(reveal.for_member(Some(ben_id)), utc(BENS_MONDAY));

    // Ana's Scheduled list says when Ben sees it, in his time and hers.
    let list = ana.store.scheduled().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].post, PostRef::Comment(c));
    assert_eq!(list[0].title, "Launch checklist");
    assert_eq!(list[0].deliveries.len(), 1);
    assert_eq!(
        list[0].deliveries[0].label,
        "Mon 09:00 their time (Mon 00:00 yours)"
    );

    // It syncs now, and Ben's replica keeps it hidden.
    let report = ana.send_to(&ben);
    assert!(
        ben.store
            .notification_events(&report.applied)
            .unwrap()
            .is_empty(),
        "nothing to notify yet"
    );
    ben.clock.set(utc(BENS_MONDAY) - Duration::minutes(1));
    assert!(ben.store.release_due().unwrap().applied.is_empty());
    assert!(comment_bodies(&ben, t).is_empty());
    assert!(ben
        .store
        .inbox(&PageRequest::first(10))
        .unwrap()
        .items
        .is_empty());
    assert_eq!(finds(&ben, "checklist green"), 0);
    assert!(!exported(&ben).contains("checklist** is green"));
    assert!(
        ben.store.scheduled().unwrap().is_empty(),
        "not Ben's to list"
    );
    // Ana's own export has it: it is hers.
    assert!(exported(&ana).contains("checklist** is green"));

    // Monday 09:00 in Tokyo: it appears, unread, as posted then.
    ben.clock.set(utc(BENS_MONDAY));
    assert_eq!(ben.store.next_due().unwrap(), Some(utc(BENS_MONDAY)));
    let shown = ben.store.release_due().unwrap();
    assert_eq!(shown.applied.len(), 1, "the policy gets it once, now");
    let v = ben
        .store
        .thread(t, &PageRequest::first(50), RenderOptions::default())
        .unwrap();
    assert_eq!(v.comments.items.len(), 1);
    assert!(v.comments.items[0].unread);
    assert_eq!(v.comments.items[0].created.utc, utc(BENS_MONDAY));
    assert_eq!(
        ben.store
            .inbox(&PageRequest::first(10))
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(finds(&ben, "checklist green"), 1);
    assert!(exported(&ben).contains("checklist** is green"));
    assert_eq!(ben.store.next_due().unwrap(), None);
    assert!(
        ben.store.release_due().unwrap().applied.is_empty(),
        "only once"
    );

    // Ana's replica shows it at the same instant (the earliest one), and
    // it leaves her Scheduled list.
    ana.clock.set(utc(BENS_MONDAY));
    ana.store.release_due().unwrap();
    assert_eq!(
        comment_bodies(&ana, t),
        ["Ship it, the **checklist** is green"]
    );
    assert!(ana.store.scheduled().unwrap().is_empty());
}

#[test]
fn a_cancel_before_delivery_leaves_no_trace_for_others() {
    let (ana, ben, t) = thread_for_ben();
    let (c, _) = ana
        .store
        .schedule_comment(t, "Never mind this", &SendAt::InOneHour)
        .unwrap();
    ana.send_to(&ben);
    ana.clock.advance(Duration::minutes(30));
    ana.store.cancel_scheduled(PostRef::Comment(c)).unwrap();
    assert!(ana.store.scheduled().unwrap().is_empty());
    ana.send_to(&ben);

    for r in [&ana, &ben] {
        r.clock.set(t0() + Duration::hours(2));
        // The cancel itself may only now apply here (it was dated ahead of
        // this replica's clock); nothing of it is news to anyone.
        let released = r.store.release_due().unwrap().applied;
        assert!(r.store.notification_events(&released).unwrap().is_empty());
        assert!(comment_bodies(r, t).is_empty());
        assert_eq!(finds(r, "mind"), 0);
    }
    assert!(!exported(&ben).contains("Never mind"));
    assert_eq!(
        ana.store.shared_digest().unwrap(),
        ben.store.shared_digest().unwrap()
    );
}

#[test]
fn an_edit_before_delivery_replaces_the_text_and_time() {
    let (ana, ben, t) = thread_for_ben();
    let (c, _) = ana
        .store
        .schedule_comment(t, "First draft", &SendAt::InOneHour)
        .unwrap();
    let edited = ana
        .store
        .edit_scheduled(
            PostRef::Comment(c),
            ScheduledEdit {
                body: Some("Final words".into()),
                when: Some(SendAt::Instant(t0() + Duration::hours(3))),
                ..Default::default()
            },
        )
        .unwrap();
    let list = ana.store.scheduled().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].post, edited);
    assert_eq!(list[0].body_markdown, "Final words");
    ana.send_to(&ben);

    ben.clock.set(t0() + Duration::hours(2));
    ben.store.release_due().unwrap();
    assert!(
        comment_bodies(&ben, t).is_empty(),
        "the old time no longer counts"
    );
    ben.clock.set(t0() + Duration::hours(3));
    ben.store.release_due().unwrap();
    assert_eq!(comment_bodies(&ben, t), ["Final words"]);
}

#[test]
fn send_now_delivers_at_once_with_a_new_time() {
    let (ana, ben, t) = thread_for_ben();
    let (c, _) = ana
        .store
        .schedule_comment(t, "Going out early", &SendAt::TomorrowAtMyStart)
        .unwrap();
    ana.clock.advance(Duration::minutes(5));
    ana.store.send_scheduled_now(PostRef::Comment(c)).unwrap();
    ana.store.release_due().unwrap();
    assert_eq!(comment_bodies(&ana, t), ["Going out early"]);
    ana.send_to(&ben);
    ben.clock.advance(Duration::minutes(5));
    let released = ben.store.release_due().unwrap().applied;
    assert_eq!(ben.store.notification_events(&released).unwrap().len(), 1);
    assert_eq!(comment_bodies(&ben, t), ["Going out early"]);
}

#[test]
fn a_scheduled_thread_appears_in_its_channel_at_its_time() {
    let (ana, ben, general) = ana_and_ben();
    let (t, reveal) = ana
        .store
        .schedule_thread(
            NewThread {
                channel: general,
                title: "Monday kickoff".into(),
                body: "Agenda inside".into(),
                notify: vec![ben.store.me().unwrap()],
            },
            &SendAt::MondayAtMyStart,
        )
        .unwrap();
    // Ana is in Lisbon (UTC+0 in winter): Monday 09:00.
    assert_eq!(reveal.at, utc("2026-11-30T09:00:00Z"));
    ana.send_to(&ben);
    let threads = |r: &Replica| {
        r.store
            .channel_threads(general, &PageRequest::first(10))
            .unwrap()
            .items
            .len()
    };
    assert_eq!(threads(&ben), 0);
    assert!(ben
        .store
        .thread(t, &PageRequest::first(10), RenderOptions::default())
        .is_err());
    ben.clock.set(reveal.at);
    ben.store.release_due().unwrap();
    assert_eq!(threads(&ben), 1);
    assert_eq!(
        ben.store
            .inbox(&PageRequest::first(10))
            .unwrap()
            .items
            .len(),
        1
    );
}

#[test]
fn a_device_whose_clock_is_hours_fast_cannot_reveal_early_for_others() {
    let (ana, ben, t) = thread_for_ben();
    let carla = Replica::new(3);
    ana.send_to(&carla);
    carla
        .store
        .join_as(crate::util::person("Carla", "America/New_York"))
        .unwrap();
    carla.send_to(&ana);
    carla.send_to(&ben);
    ana.send_to(&ben);

    ana.store
        .schedule_comment(t, "Embargoed until Monday", &SendAt::AtTheirStart)
        .unwrap();
    ana.send_to(&carla);
    ana.send_to(&ben);

    // Carla's clock runs three days fast: her own app shows it early...
    carla.clock.set(utc(BENS_MONDAY) + Duration::hours(1));
    carla.store.release_due().unwrap();
    assert_eq!(comment_bodies(&carla, t), ["Embargoed until Monday"]);
    // ...and what she writes after it carries her wrong date, which Ben
    // holds as from the future, so nothing of it shows early for him.
    carla
        .store
        .add_comment(t, "Replying to the embargoed one")
        .unwrap();
    let report = carla.send_to(&ben);
    assert!(report.from_future >= 1);
    ben.store.release_due().unwrap();
    assert!(comment_bodies(&ben, t).is_empty());
    assert_eq!(finds(&ben, "embargoed"), 0);
}

#[test]
fn a_cancel_made_in_time_but_received_late_removes_the_shown_comment() {
    let (ana, ben, t) = thread_for_ben();
    let (c, _) = ana
        .store
        .schedule_comment(t, "Oops, wrong thread", &SendAt::InOneHour)
        .unwrap();
    ana.send_to(&ben);
    ana.clock.advance(Duration::minutes(50));
    ana.store.cancel_scheduled(PostRef::Comment(c)).unwrap();
    // Ana was offline: Ben's app shows the comment at its time first.
    ben.clock.set(t0() + Duration::hours(1));
    ben.store.release_due().unwrap();
    assert_eq!(comment_bodies(&ben, t), ["Oops, wrong thread"]);
    ana.send_to(&ben);
    assert!(comment_bodies(&ben, t).is_empty());
    assert_eq!(finds(&ben, "wrong thread"), 0);
}

#[test]
fn a_scheduled_post_survives_a_restart_and_a_rebuild() {
    let (ana, mut ben, t) = thread_for_ben();
    ana.store
        .schedule_comment(t, "After the restart", &SendAt::InOneHour)
        .unwrap();
    ana.send_to(&ben);
    ben.reopen();
    assert!(comment_bodies(&ben, t).is_empty());
    ben.clock.advance(Duration::hours(1));
    ben.store.release_due().unwrap();
    assert_eq!(comment_bodies(&ben, t), ["After the restart"]);
    let before = ben.store.view_digest().unwrap();
    ben.store.rebuild().unwrap();
    assert_eq!(ben.store.view_digest().unwrap(), before);
}

#[test]
fn bad_schedules_get_coded_errors_and_change_nothing() {
    let (ana, ben, t) = thread_for_ben();
    let ops = ana.store.op_count().unwrap();
    let past = SendAt::Instant(t0() - Duration::hours(1));
    assert_eq!(
        ana.store.schedule_comment(t, "x", &past).unwrap_err().code,
        ErrorCode::TimeInPast
    );
    let far = SendAt::Instant(t0() + Duration::days(400));
    assert_eq!(
        ana.store.schedule_comment(t, "x", &far).unwrap_err().code,
        ErrorCode::InvalidTime
    );
    // A thread naming nobody has no "their start" to wait for.
    let general = ana.store.channels().unwrap()[0].id;
    let nobody = NewThread {
        channel: general,
        title: "Solo".into(),
        body: "Just me".into(),
        notify: vec![],
    };
    assert_eq!(
        ana.store
            .schedule_thread(nobody, &SendAt::AtTheirStart)
            .unwrap_err()
            .code,
        ErrorCode::NoRecipients
    );
    assert_eq!(
        ana.store
            .schedule_comment(t, "   ", &SendAt::InOneHour)
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        ana.store
            .cancel_scheduled(PostRef::Comment(tidings::model::ids::CommentId(42)))
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    assert_eq!(ana.store.op_count().unwrap(), ops, "nothing was written");

    // Only the author may cancel, and only before delivery.
    let (c, _) = ana
        .store
        .schedule_comment(t, "Mine", &SendAt::InOneHour)
        .unwrap();
    ana.send_to(&ben);
    assert_eq!(
        ben.store
            .cancel_scheduled(PostRef::Comment(c))
            .unwrap_err()
            .code,
        ErrorCode::NotAuthor
    );
    assert_eq!(
        ana.store
            .edit_scheduled(
                PostRef::Comment(c),
                ScheduledEdit {
                    title: Some("Comments have none".into()),
                    ..Default::default()
                }
            )
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    ana.clock.advance(Duration::hours(1));
    assert_eq!(
        ana.store
            .cancel_scheduled(PostRef::Comment(c))
            .unwrap_err()
            .code,
        ErrorCode::TooLate
    );
}
