//! Sending later through a real nats-server: the sender schedules and goes
//! away (their process ends); the recipient's replica shows the post at its
//! instant by its own (injected) clock and notifies; a post cancelled from
//! the sender's other device never reaches the recipient's views, search,
//! export or derived rows.

use chrono::{DateTime, Duration, Utc};
use tidings::model::schedule::{PostRef, SendAt};
use tidings::search::SearchQuery;
use tidings::store::NewThread;
use tidings::sync::invites;

use crate::support::nats_server::NatsServer;
use crate::sync_nats::{nats_target, sync_once, team};
use crate::util::{comment_bodies, Replica};

#[test]
fn a_post_scheduled_by_someone_now_offline_appears_at_its_time_and_a_cancelled_one_never() {
    let server = NatsServer::start();
    let (mut members, general) = team(nats_target(&server), &["Ana", "Ben"]);
    let ben = members.pop().unwrap();
    let ana = members.pop().unwrap();
    let ben_id = ben.store.me().unwrap();
    // Ana's laptop, a second device of hers.
    let laptop = Replica::new_in_ram(9);
    let code = invites::link_code(&ana.store, laptop.store.device()).unwrap();
    invites::add_device_with_code(&laptop.store, &code).unwrap();
    sync_once(&ana);
    sync_once(&laptop);

    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Quarterly plan".into(),
            body: "Draft inside".into(),
            notify: vec![ben_id],
        })
        .unwrap();
    // At their start: Monday 09:00 in Tokyo, Monday 00:00 UTC.
    let (kept, reveal) = ana
        .store
        .schedule_comment(t, "Numbers are final", &SendAt::AtTheirStart)
        .unwrap();
    let bens_monday: DateTime<Utc> = "2026-11-30T00:00:00Z".parse().unwrap();
    assert_eq!(reveal.for_member(Some(ben_id)), bens_monday);
    let (dropped, _) = ana
        .store
        .schedule_comment(t, "Secret draft figures", &SendAt::InOneHour)
        .unwrap();
    sync_once(&ana);
    // Ana quits: her app is gone before either post is due.
    drop(ana);

    // From her laptop she cancels the second one.
    sync_once(&laptop);
    let listed: Vec<PostRef> = laptop
        .store
        .scheduled()
        .unwrap()
        .iter()
        .map(|s| s.post)
        .collect();
    assert!(listed.contains(&PostRef::Comment(dropped)));
    laptop
        .store
        .cancel_scheduled(PostRef::Comment(dropped))
        .unwrap();
    sync_once(&laptop);

    sync_once(&ben);
    ben.store.mark_read(t, None).unwrap();
    assert!(comment_bodies(&ben, t).is_empty());

    // An hour later nothing shows: the cancelled one never will.
    ben.clock.advance(Duration::hours(1));
    let due = ben.store.release_due().unwrap();
    assert!(ben
        .store
        .notification_events(&due.applied)
        .unwrap()
        .is_empty());
    assert!(comment_bodies(&ben, t).is_empty());

    // Monday 09:00 in Tokyo, by Ben's clock: the kept one appears and is
    // news for the policy (one notification, now: it is Ben's morning).
    ben.clock.set(bens_monday);
    let due = ben.store.release_due().unwrap();
    let events = ben.store.notification_events(&due.applied).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0.comment, Some(kept));
    let me = ben.store.policy_me().unwrap();
    let decision = tidings::policy::decide(
        &events[0].0,
        &me,
        events[0].1,
        &tidings::policy::Focus::default(),
        None,
        bens_monday,
    );
    assert_eq!(decision, tidings::policy::Decision::NotifyNow);
    assert_eq!(comment_bodies(&ben, t), ["Numbers are final"]);

    // The cancelled text is nowhere Ben's app reads from.
    ben.store.flush_search().unwrap();
    let hits = ben
        .store
        .search(&SearchQuery {
            text: "secret".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(hits.is_empty());
    let mut export = Vec::new();
    ben.store.export_json(&mut export).unwrap();
    assert!(!String::from_utf8(export).unwrap().contains("Secret draft"));
    assert!(!ben.store.derived_rows_contain(b"Secret draft").unwrap());
    assert!(ben
        .store
        .derived_rows_contain(b"Numbers are final")
        .unwrap());
}
