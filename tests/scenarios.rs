//! What a person does and sees: posting, reading, the inbox, done, snooze,
//! mute, permissions, ops arriving out of order, restarts.

use chrono::Duration;
use tidings::model::op::ReactionTarget;
use tidings::render::RenderOptions;
use tidings::store::NewThread;
use tidings::views::PageRequest;
use tidings::ErrorCode;

use crate::util::{ana_and_ben, person, Replica};

fn first() -> PageRequest {
    PageRequest::first(50)
}

#[test]
fn a_thread_and_its_comments_read_back_in_order_with_both_times() {
    let (ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Release plan".into(),
            body: "Ship **Friday**, @ben?".into(),
            notify: vec![],
        })
        .unwrap();
    ana.send_to(&ben);
    ben.clock.advance(Duration::minutes(5));
    ana.clock.advance(Duration::minutes(5));
    ben.store.add_comment(t, "Friday works.").unwrap();
    ben.send_to(&ana);

    let v = ana
        .store
        .thread(t, &first(), RenderOptions::default())
        .unwrap();
    assert_eq!(v.summary.title, "Release plan");
    assert!(v.body_html.contains("<strong>Friday</strong>"));
    assert!(
        v.body_html.contains("class=\"mention"),
        "mention of Ben is highlighted: {}",
        v.body_html
    );
    assert_eq!(v.comments.items.len(), 1);
    let c = &v.comments.items[0];
    assert_eq!(c.author.name, "Ben");
    // Ana is in Lisbon (UTC+0 in November), Ben in Tokyo (UTC+9).
    assert_eq!(c.created.label, "14:05 (Ben's 23:05)");
    assert!(c.unread);
    assert_eq!(v.first_unread, Some(c.id));
}

#[test]
fn a_teammates_comment_fills_my_inbox_until_i_read_it() {
    let (ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Budget".into(),
            body: "Numbers attached.".into(),
            notify: vec![],
        })
        .unwrap();
    assert!(
        ana.store.inbox(&first()).unwrap().items.is_empty(),
        "my own thread is not news to me"
    );
    ana.send_to(&ben);
    ben.store.add_comment(t, "Looks fine").unwrap();
    ben.send_to(&ana);

    let inbox = ana.store.inbox(&first()).unwrap();
    assert_eq!(inbox.items.len(), 1);
    assert_eq!(inbox.items[0].thread.unread, 1);
    assert_eq!(ana.store.channels().unwrap()[0].unread_threads, 1);

    ana.store.mark_read(t, None).unwrap();
    assert!(ana.store.inbox(&first()).unwrap().items.is_empty());
    assert_eq!(ana.store.channels().unwrap()[0].unread_threads, 0);
}

#[test]
fn a_done_thread_returns_when_someone_else_writes_again() {
    let (ana, ben, general) = ana_and_ben();
    let t = ben
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Offsite".into(),
            body: "Where shall we go?".into(),
            notify: vec![ana.store.me().unwrap()],
        })
        .unwrap();
    ben.send_to(&ana);
    assert_eq!(
        ana.store.inbox(&first()).unwrap().items.len(),
        1,
        "named to notify → in my inbox"
    );

    ana.store.set_done(t, true).unwrap();
    assert!(ana.store.inbox(&first()).unwrap().items.is_empty());
    assert_eq!(ana.store.done_list(&first()).unwrap().items.len(), 1);

    // My own comment does not bring it back…
    ana.store.add_comment(t, "Porto?").unwrap();
    assert!(ana.store.inbox(&first()).unwrap().items.is_empty());
    // …Ben's does.
    ana.send_to(&ben);
    ben.clock.advance(Duration::seconds(1));
    ben.store.add_comment(t, "Porto it is").unwrap();
    ben.send_to(&ana);
    assert_eq!(ana.store.inbox(&first()).unwrap().items.len(), 1);
    assert!(ana.store.done_list(&first()).unwrap().items.is_empty());
}

#[test]
fn muted_threads_never_enter_the_inbox_and_snoozed_ones_come_back() {
    let (ana, ben, general) = ana_and_ben();
    let mk = |title: &str| {
        ben.store
            .create_thread(NewThread {
                channel: general,
                title: title.into(),
                body: format!("about {title} @anasouza"),
                notify: vec![],
            })
            .unwrap()
    };
    let noisy = mk("Noisy");
    let later = mk("Later");
    ben.send_to(&ana);
    assert_eq!(
        ana.store.inbox(&first()).unwrap().items.len(),
        2,
        "mentions put both in my inbox"
    );

    ana.store.mute(noisy, true).unwrap();
    ana.store
        .snooze(later, Some(ana.store.now() + Duration::hours(2)))
        .unwrap();
    assert!(ana.store.inbox(&first()).unwrap().items.is_empty());

    ben.store.add_comment(noisy, "more noise").unwrap();
    ben.send_to(&ana);
    assert!(
        ana.store.inbox(&first()).unwrap().items.is_empty(),
        "muted stays out"
    );

    ana.clock.advance(Duration::hours(3));
    let inbox = ana.store.inbox(&first()).unwrap();
    assert_eq!(inbox.items.len(), 1);
    assert_eq!(inbox.items[0].thread.id, later);
    assert!(inbox.items[0].snooze_ended);
}

#[test]
fn only_the_author_may_edit_or_delete_a_comment_on_every_replica() {
    let (ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Edits".into(),
            body: "body".into(),
            notify: vec![],
        })
        .unwrap();
    let c = ana.store.add_comment(t, "original").unwrap();
    ana.send_to(&ben);
    assert_eq!(
        ben.store.edit_comment(c, "hijacked").unwrap_err().code,
        ErrorCode::NotAuthor
    );
    assert_eq!(
        ben.store.delete_comment(c).unwrap_err().code,
        ErrorCode::NotAuthor
    );

    ana.store.edit_comment(c, "better").unwrap();
    ana.send_to(&ben);
    let v = ben
        .store
        .thread(t, &first(), RenderOptions::default())
        .unwrap();
    assert!(v.comments.items[0].edited);
    assert!(v.comments.items[0].body_html.contains("better"));

    ana.store.delete_comment(c).unwrap();
    // An edit that arrives after the delete cannot resurrect it.
    assert_eq!(
        ana.store.edit_comment(c, "zombie").unwrap_err().code,
        ErrorCode::NotFound
    );
    ana.send_to(&ben);
    assert!(ben
        .store
        .thread(t, &first(), RenderOptions::default())
        .unwrap()
        .comments
        .items
        .is_empty());
}

#[test]
fn a_comment_that_arrives_before_its_thread_waits_and_then_appears() {
    let (ana, ben, general) = ana_and_ben();
    let before = ana.ops().len();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Order".into(),
            body: "first".into(),
            notify: vec![],
        })
        .unwrap();
    ana.store.add_comment(t, "second").unwrap();
    let ops = ana.ops();
    let (thread_op, comment_op) = (ops[before].clone(), ops[before + 1].clone());

    let r = ben.store.apply_remote(vec![comment_op]).unwrap();
    assert_eq!(r.pending, 1);
    assert!(ben
        .store
        .thread(t, &first(), RenderOptions::default())
        .is_err());
    let r = ben.store.apply_remote(vec![thread_op]).unwrap();
    assert_eq!(
        r.applied.len(),
        2,
        "the thread and the comment that waited for it"
    );
    assert_eq!(
        ben.store
            .thread(t, &first(), RenderOptions::default())
            .unwrap()
            .comments
            .items
            .len(),
        1
    );
}

#[test]
fn reactions_count_people_and_mark_mine() {
    let (ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Vote".into(),
            body: "Pizza?".into(),
            notify: vec![],
        })
        .unwrap();
    ana.store
        .react(ReactionTarget::Thread(t), "👍", true)
        .unwrap();
    ana.send_to(&ben);
    ben.store
        .react(ReactionTarget::Thread(t), "👍", true)
        .unwrap();
    ben.send_to(&ana);
    let v = ana
        .store
        .thread(t, &first(), RenderOptions::default())
        .unwrap();
    assert_eq!(v.reactions.len(), 1);
    assert_eq!(v.reactions[0].people.len(), 2);
    assert!(v.reactions[0].mine);
    ana.store
        .react(ReactionTarget::Thread(t), "👍", false)
        .unwrap();
    let v = ana
        .store
        .thread(t, &first(), RenderOptions::default())
        .unwrap();
    assert_eq!(v.reactions[0].people.len(), 1);
    assert!(!v.reactions[0].mine);
}

#[test]
fn a_second_process_on_the_same_folder_is_told_tidings_is_running() {
    let r = Replica::new(9);
    let err = tidings::Store::open(r.dir.path(), tidings::Options::default())
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::AlreadyRunning);
    assert!(err
        .message
        .contains("Tidings is already running with this data folder"));
}

#[test]
fn everything_is_still_there_after_a_restart_and_a_rebuild() {
    let (ana, _ben, general) = ana_and_ben();
    for i in 0..30 {
        let t = ana
            .store
            .create_thread(NewThread {
                channel: general,
                title: format!("Thread {i}"),
                body: "body".into(),
                notify: vec![],
            })
            .unwrap();
        ana.store.add_comment(t, &format!("comment {i}")).unwrap();
    }
    let before = ana.store.view_digest().unwrap();
    ana.store.rebuild().unwrap();
    assert_eq!(
        ana.store.view_digest().unwrap(),
        before,
        "rebuild from the op log changes nothing"
    );

    let Replica {
        store, clock, dir, ..
    } = ana;
    drop(store);
    let reopened = tidings::Store::open(
        dir.path(),
        tidings::Options {
            clock: clock.clone(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(reopened.view_digest().unwrap(), before);
    let page = reopened
        .channel_threads(general, &PageRequest::first(20))
        .unwrap();
    assert_eq!(page.items.len(), 20);
    assert_eq!(page.items[0].title, "Thread 29", "latest activity first");
    let rest = reopened
        .channel_threads(
            general,
            &PageRequest {
                cursor: page.next,
                limit: 20,
            },
        )
        .unwrap();
    assert_eq!(rest.items.len(), 10);
    assert!(rest.next.is_none());
}

#[test]
fn change_events_name_what_changed() {
    let (ana, _ben, general) = ana_and_ben();
    let mut rx = ana.store.subscribe();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Events".into(),
            body: "body".into(),
            notify: vec![],
        })
        .unwrap();
    let changes = rx.try_recv().unwrap();
    assert!(changes.contains(&tidings::events::Change::Thread(t)));
    assert!(changes.contains(&tidings::events::Change::ChannelThreads(general)));
}

#[test]
fn profiles_join_and_times_follow_the_viewers_zone() {
    let (ana, ben, _) = ana_and_ben();
    let members = ana.store.members().unwrap();
    assert_eq!(members.len(), 2);
    assert!(members
        .iter()
        .any(|m| m.display_name == "Ben" && m.time_zone == "Asia/Tokyo"));
    ben.store
        .update_profile(person("Ben Ito", "Asia/Tokyo"))
        .unwrap();
    ben.send_to(&ana);
    assert!(ana
        .store
        .members()
        .unwrap()
        .iter()
        .any(|m| m.display_name == "Ben Ito"));
}

#[test]
fn a_store_from_an_older_schema_is_rebuilt_and_a_newer_one_is_refused() {
    let (ana, _ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Survives upgrades".into(),
            body: "body".into(),
            notify: vec![],
        })
        .unwrap();
    let before = ana.store.view_digest().unwrap();
    let Replica {
        store, clock, dir, ..
    } = ana;
    drop(store);
    let set_schema = |v: u32| {
        let db = sled::open(dir.path().join("store")).unwrap();
        let meta = db.open_tree("meta").unwrap();
        meta.insert("schema_version", postcard::to_allocvec(&v).unwrap())
            .unwrap();
        // Derived data from an old layout: gone after the rebuild.
        db.open_tree("threads").unwrap().clear().unwrap();
        db.flush().unwrap();
    };
    set_schema(0);
    let opts = || tidings::Options {
        clock: clock.clone(),
        ..Default::default()
    };
    let store = tidings::Store::open(dir.path(), opts()).unwrap();
    assert_eq!(store.view_digest().unwrap(), before);
    assert_eq!(
        store
            .thread(t, &first(), RenderOptions::default())
            .unwrap()
            .summary
            .title,
        "Survives upgrades"
    );
    drop(store);
    set_schema(u32::MAX);
    let err = tidings::Store::open(dir.path(), opts()).err().unwrap();
    assert_eq!(err.code, ErrorCode::UnsupportedVersion);
}
