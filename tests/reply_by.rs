//! Reply-by and away: asking for an answer by a deadline in the asked
//! person's own working days, the two waiting lists, answering,
//! withdrawing, and away shifting deadlines, landings and notifications.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tidings::model::replyby::DueBy;
use tidings::policy::landing::DayState;
use tidings::store::NewThread;
use tidings::views::Draft;
use tidings::ErrorCode;

use crate::util::{ana_and_ben, Replica};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn thread(ana: &Replica, ben: &Replica) -> tidings::model::ids::ThreadId {
    let general = ana.store.channels().unwrap()[0].id;
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Budget sign-off".into(),
            body: "Numbers inside".into(),
            notify: vec![ben.store.me().unwrap()],
        })
        .unwrap();
    ana.send_to(ben);
    t
}

#[test]
fn the_asked_person_sees_waiting_on_you_with_the_deadline_in_their_time() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let ben_id = ben.store.me().unwrap();
    // Friday 14:00 UTC = 23:00 in Tokyo: Ben's next working day is Monday,
    // which ends 17:00 JST = 08:00 UTC.
    let asks = ana
        .store
        .ask_reply(t, &[ben_id], &DueBy::EndOfNextWorkingDay)
        .unwrap();
    assert_eq!(asks, [(ben_id, utc("2026-11-30T08:00:00Z"))]);
    ana.send_to(&ben);

    let mine = ben.store.waiting_on_me().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].title, "Budget sign-off");
    assert_eq!(mine[0].asker.name, "Ana Souza");
    // Shown in Ben's own time.
    assert_eq!(mine[0].due.local, "30 Nov 17:00");
    assert!(!mine[0].overdue);

    let theirs = ana.store.waiting_on_others().unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].asked.name, "Ben");
    // In Ana's time, with Ben's beside it.
    assert_eq!(theirs[0].due.label, "30 Nov 08:00 (Ben's 17:00)");

    // Past the deadline it is overdue on both sides.
    ana.clock.set(utc("2026-11-30T08:00:00Z"));
    ben.clock.set(utc("2026-11-30T08:00:00Z"));
    assert!(ben.store.waiting_on_me().unwrap()[0].overdue);
    assert!(ana.store.waiting_on_others().unwrap()[0].overdue);

    // Ben answers in the thread: the ask is satisfied everywhere.
    ben.store.add_comment(t, "Signed off.").unwrap();
    ben.send_to(&ana);
    assert!(ben.store.waiting_on_me().unwrap().is_empty());
    assert!(ana.store.waiting_on_others().unwrap().is_empty());
}

#[test]
fn marking_answered_or_withdrawing_closes_the_ask() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let ben_id = ben.store.me().unwrap();
    ana.store
        .ask_reply(t, &[ben_id], &DueBy::WorkingDays(2))
        .unwrap();
    ana.send_to(&ben);
    ben.clock.advance(Duration::minutes(1));
    ben.store.mark_answered(t).unwrap();
    ben.send_to(&ana);
    assert!(ana.store.waiting_on_others().unwrap().is_empty());
    assert_eq!(
        ben.store.mark_answered(t).unwrap_err().code,
        ErrorCode::NotFound
    );

    // A new ask after the answer is open again; its asker withdraws it.
    ana.clock.advance(Duration::minutes(2));
    ana.store
        .ask_reply(t, &[ben_id], &DueBy::EndOfNextWorkingDay)
        .unwrap();
    ana.send_to(&ben);
    let ask = ben.store.waiting_on_me().unwrap()[0].ask;
    assert_eq!(
        ben.store.withdraw_reply(t, ask).unwrap_err().code,
        ErrorCode::NotFound,
        "only the asker can withdraw"
    );
    ana.store.withdraw_reply(t, ask).unwrap();
    ana.send_to(&ben);
    assert!(ben.store.waiting_on_me().unwrap().is_empty());
}

#[test]
fn a_withdrawal_arriving_before_its_ask_waits_for_it() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let ben_id = ben.store.me().unwrap();
    ana.store
        .ask_reply(t, &[ben_id], &DueBy::EndOfNextWorkingDay)
        .unwrap();
    let ask = ana.store.waiting_on_others().unwrap()[0].ask;
    ana.store.withdraw_reply(t, ask).unwrap();
    let mut ops = ana.ops();
    ops.reverse();
    let late = Replica::new(9);
    late.store.apply_remote(ops).unwrap();
    late.store.set_local_member(ben_id).unwrap();
    assert!(late.store.waiting_on_me().unwrap().is_empty());
    assert_eq!(
        ana.store.shared_digest().unwrap(),
        late.store.shared_digest().unwrap()
    );
}

#[test]
fn bad_reply_by_requests_are_refused_and_change_nothing() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let ben_id = ben.store.me().unwrap();
    let ops = ana.store.op_count().unwrap();
    let me = ana.store.me().unwrap();
    assert_eq!(
        ana.store
            .ask_reply(t, &[], &DueBy::EndOfNextWorkingDay)
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        ana.store
            .ask_reply(t, &[me], &DueBy::EndOfNextWorkingDay)
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    let past = DueBy::Instant(utc("2026-11-27T13:00:00Z"));
    assert_eq!(
        ana.store.ask_reply(t, &[ben_id], &past).unwrap_err().code,
        ErrorCode::TimeInPast
    );
    assert_eq!(
        ana.store
            .ask_reply(t, &[ben_id], &DueBy::WorkingDays(0))
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    assert_eq!(ana.store.op_count().unwrap(), ops);
}

#[test]
fn away_moves_deadlines_landings_and_my_notifications() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let ben_id = ben.store.me().unwrap();
    // Ben is away until Thursday 3 December (back 09:00 Tokyo).
    let away = ben
        .store
        .set_away(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(), "Offsite")
        .unwrap();
    assert_eq!(away.until, utc("2026-12-03T00:00:00Z"));
    ben.send_to(&ana);

    // The composer tells Ana before she writes.
    let day = ana
        .store
        .recipients_day(
            &Draft {
                thread: Some(t),
                ..Draft::default()
            },
            None,
        )
        .unwrap();
    assert_eq!(day.len(), 1);
    assert_eq!(day[0].person.name, "Ben");
    assert_eq!(day[0].state, DayState::Away);
    assert_eq!(day[0].away_note.as_deref(), Some("Offsite"));
    assert_eq!(day[0].local_now, "Fri 23:00");
    assert_eq!(day[0].label, "away until Thu 3 Dec — Thu 09:00 their time");
    // And in the member list.
    let members = ana.store.members().unwrap();
    let listed = members.iter().find(|m| m.id == ben_id).unwrap();
    assert_eq!(listed.away.as_ref().map(|a| a.until), Some(away.until));
    assert_eq!(
        listed.away.as_ref().map(|a| a.note.as_str()),
        Some("Offsite")
    );
    assert!(members.iter().all(|m| m.id == ben_id || m.away.is_none()));

    // Reply-by presets skip his away days: Thursday is his next working day.
    let asks = ana
        .store
        .ask_reply(t, &[ben_id], &DueBy::EndOfNextWorkingDay)
        .unwrap();
    assert_eq!(asks[0].1, utc("2026-12-03T08:00:00Z"));

    // His own notifications hold until he is back.
    let me = ben.store.policy_me().unwrap();
    assert_eq!(me.settings.pause_until, Some(away.until));
    ben.store.clear_away().unwrap();
    assert_eq!(ben.store.policy_me().unwrap().settings.pause_until, None);
}

#[test]
fn the_composer_shows_each_recipients_day_and_when_it_lands() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let draft = Draft {
        thread: Some(t),
        ..Draft::default()
    };
    // Now: Friday 23:00 in Tokyo, after hours.
    let day = ana.store.recipients_day(&draft, None).unwrap();
    assert_eq!(day[0].state, DayState::AfterHours);
    assert_eq!(day[0].label, "after hours — Mon 09:00 their time");
    assert_eq!(day[0].lands_at.utc, utc("2026-11-30T00:00:00Z"));
    // Sent at their start, it lands at the same moment.
    let later = ana
        .store
        .recipients_day(
            &draft,
            Some(&tidings::model::schedule::SendAt::AtTheirStart),
        )
        .unwrap();
    assert_eq!(later[0].lands_at.utc, utc("2026-11-30T00:00:00Z"));
    assert_eq!(later[0].label, "in hours — Mon 09:00 their time");
}

#[test]
fn the_composer_shows_each_deadline_and_whether_urgent_breaks_through() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let ben_id = ben.store.me().unwrap();
    // Friday 23:00 in Tokyo: his next working day is Monday.
    let asking = Draft {
        thread: Some(t),
        reply_by: Some(DueBy::EndOfNextWorkingDay),
        ..Draft::default()
    };
    let day = ana.store.recipients_day(&asking, None).unwrap();
    let due = day[0].reply_by.as_ref().expect("asked, so a deadline");
    assert_eq!(due.utc, utc("2026-11-30T08:00:00Z"));
    assert_eq!(due.label, "30 Nov 08:00 (Ben's 17:00)");
    assert!(day[0].urgent.is_none(), "not urgent");
    // The deadline shown is the one the post gets.
    let posted = ana
        .store
        .post_comment(
            t,
            "Can you sign off?",
            &tidings::store::PostOptions {
                reply_by: Some(tidings::store::ReplyBy {
                    people: vec![ben_id],
                    by: DueBy::EndOfNextWorkingDay,
                }),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(posted.asks, [(ben_id, due.utc)]);

    // Asking in a post sent later is refused here as when sending.
    let err = ana
        .store
        .recipients_day(&asking, Some(&tidings::model::schedule::SendAt::InOneHour))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    // Urgent: it would land now, after his hours, the first time only.
    let urgent = Draft {
        thread: Some(t),
        urgent: true,
        ..Draft::default()
    };
    let day = ana.store.recipients_day(&urgent, None).unwrap();
    let check = day[0].urgent.as_ref().expect("urgent, so a check");
    assert!(check.breaks_through);
    assert_eq!(day[0].lands_at.utc, ana.store.now());
    assert_eq!(day[0].label, "urgent — breaks through now");
    ana.store
        .post_comment(
            t,
            "The auditors are here.",
            &tidings::store::PostOptions {
                urgent: vec![ben_id],
                ..Default::default()
            },
        )
        .unwrap();
    let day = ana.store.recipients_day(&urgent, None).unwrap();
    let check = day[0].urgent.as_ref().unwrap();
    assert!(!check.breaks_through, "once a day");
    assert!(check.again_at.is_some());
    assert_eq!(day[0].label, "after hours — Mon 09:00 their time");
}

#[test]
fn the_asked_person_is_reminded_on_the_due_morning_and_when_overdue_once_each() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let ben_id = ben.store.me().unwrap();
    // Due Monday 17:00 in Tokyo (08:00 UTC).
    ana.store
        .ask_reply(t, &[ben_id], &DueBy::EndOfNextWorkingDay)
        .unwrap();
    ana.send_to(&ben);
    assert!(
        ben.store.due_reply_alerts().unwrap().is_empty(),
        "starts the count"
    );
    assert_eq!(
        ben.store.next_reply_alert().unwrap(),
        Some(utc("2026-11-30T00:00:00Z"))
    );
    // Monday 09:00 in Tokyo: due today.
    ben.clock.set(utc("2026-11-30T00:00:00Z"));
    let alerts = ben.store.due_reply_alerts().unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].title, "Due today: Budget sign-off");
    assert!(alerts[0].body.starts_with("Ana Souza is waiting on you"));
    assert!(ben.store.due_reply_alerts().unwrap().is_empty(), "once");
    // 17:00 in Tokyo: overdue, once.
    ben.clock.set(utc("2026-11-30T08:00:00Z"));
    let alerts = ben.store.due_reply_alerts().unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].title, "Overdue: Budget sign-off");
    ben.clock.advance(Duration::minutes(5));
    assert!(ben.store.due_reply_alerts().unwrap().is_empty());
    assert_eq!(ben.store.next_reply_alert().unwrap(), None);
}

#[test]
fn an_answered_ask_reminds_no_one() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let ben_id = ben.store.me().unwrap();
    ana.store
        .ask_reply(t, &[ben_id], &DueBy::EndOfNextWorkingDay)
        .unwrap();
    ana.send_to(&ben);
    ben.store.due_reply_alerts().unwrap();
    ben.clock.advance(Duration::minutes(1));
    ben.store.add_comment(t, "Done already").unwrap();
    ben.clock.set(utc("2026-11-30T08:00:00Z"));
    assert!(ben.store.due_reply_alerts().unwrap().is_empty());
}

#[test]
fn reminders_wait_while_i_am_away() {
    let (ana, ben, _) = ana_and_ben();
    let t = thread(&ana, &ben);
    let ben_id = ben.store.me().unwrap();
    ana.store
        .ask_reply(t, &[ben_id], &DueBy::Instant(utc("2026-11-30T03:00:00Z")))
        .unwrap();
    ana.send_to(&ben);
    ben.store.due_reply_alerts().unwrap();
    ben.store
        .set_away(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), "")
        .unwrap();
    ben.clock.set(utc("2026-11-30T03:00:00Z"));
    assert!(ben.store.due_reply_alerts().unwrap().is_empty(), "away");
    // Back on Wednesday 09:00 Tokyo: the overdue reminder comes then.
    ben.clock.set(utc("2026-12-02T00:00:00Z"));
    let alerts = ben.store.due_reply_alerts().unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].title, "Overdue: Budget sign-off");
}
