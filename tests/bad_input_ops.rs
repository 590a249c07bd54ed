//! Bad input to the operations the first bad-input tests did not reach:
//! joining, notification settings and pauses, closing and reopening a
//! thread, sync targets, adding devices; then one refusal for every other
//! public operation of the `Store`. Each refused call gets a coded error
//! with a message that says what to do, and changes nothing a person sees
//! or configured (`bad_input::user_state`). Asking for what already holds
//! (closing a closed thread) succeeds and writes nothing.

use chrono::{Duration, NaiveDate};
use tidings::model::ids::{ChannelId, CheckinId, CommentId, DeviceId, MemberId, OpId, ThreadId};
use tidings::model::later::RemindAt;
use tidings::model::profile::{NotificationSettings, NotifyLevel, Pause, WorkingHours};
use tidings::model::replyby::DueBy;
use tidings::model::schedule::{PostRef, SendAt};
use tidings::model::urgent::UrgentSettings;
use tidings::store::{NewThread, PostOptions, ReplyBy, ScheduledEdit};
use tidings::sync::config::{FolderConfig, NatsAuth, NatsConfig, TargetConfig};
use tidings::ErrorCode;

use crate::bad_input::{no_op, refused};
use crate::util::{ana_and_ben, person, Replica};

fn nats(servers: &[&str]) -> NatsConfig {
    NatsConfig {
        servers: servers.iter().map(|s| s.to_string()).collect(),
        auth: NatsAuth::None,
        tls: false,
        replicas: 1,
    }
}

fn thread_in(r: &Replica, channel: ChannelId, title: &str) -> ThreadId {
    r.store
        .create_thread(NewThread {
            channel,
            title: title.into(),
            body: "body".into(),
            notify: vec![],
        })
        .unwrap()
}

#[test]
fn joining_refuses_bad_profiles_and_a_second_identity() {
    let (ana, ben, _) = ana_and_ben();
    // A fresh device that holds the workspace's ops but is nobody yet.
    let carla = Replica::new(3);
    ana.send_to(&carla);
    refused(&carla, ErrorCode::InvalidInput, || {
        carla.store.join_as(person("   ", "UTC"))
    });
    refused(&carla, ErrorCode::InvalidInput, || {
        carla.store.join_as(person(&"n".repeat(500), "UTC"))
    });
    refused(&carla, ErrorCode::InvalidTimeZone, || {
        carla.store.join_as(person("Carla", "Europe/Atlantis"))
    });
    let mut no_days = person("Carla", "UTC");
    no_days.working_hours = WorkingHours {
        start_min: 540,
        end_min: 1020,
        days: 0,
    };
    refused(&carla, ErrorCode::InvalidInput, || {
        carla.store.join_as(no_days)
    });
    // Already someone: joining again would found a second person.
    refused(&ben, ErrorCode::WorkspaceExists, || {
        ben.store.join_as(person("Ben again", "UTC"))
    });
    let ws = ana.store.workspace_id().unwrap().unwrap();
    refused(&ben, ErrorCode::WorkspaceExists, || {
        ben.store
            .join_workspace(ws, [9; 32], person("Ben again", "UTC"))
    });
    refused(&ben, ErrorCode::WorkspaceExists, || {
        ben.store
            .link_as(ws, ana.store.me().unwrap(), [9; 32], [8; 32])
    });
    // Joining another workspace than the one this folder holds.
    let other = Replica::new(9);
    other
        .store
        .create_workspace("Other", person("Olga", "UTC"))
        .unwrap();
    let other_ws = other.store.workspace_id().unwrap().unwrap();
    refused(&carla, ErrorCode::WorkspaceExists, || {
        carla
            .store
            .join_workspace(other_ws, [9; 32], person("Carla", "UTC"))
    });
    // After all that, Carla can still join properly.
    carla.store.join_as(person("Carla", "UTC")).unwrap();
}

#[test]
fn notification_settings_and_pauses_refuse_bad_input() {
    let fresh = Replica::new(1);
    let settings = NotificationSettings {
        level: NotifyLevel::All,
        pause_until: None,
        respect_working_hours: true,
    };
    refused(&fresh, ErrorCode::NoWorkspace, || {
        fresh.store.set_notification_settings(settings)
    });
    refused(&fresh, ErrorCode::NoWorkspace, || {
        fresh.store.pause_notifications(Pause::OneHour)
    });

    let (ana, _ben, _) = ana_and_ben();
    let s = &ana.store;
    // A pause decades ahead is a typo, not a pause: it would silence
    // every notification for good.
    refused(&ana, ErrorCode::InvalidTime, || {
        s.set_notification_settings(NotificationSettings {
            pause_until: Some(s.now() + Duration::days(366 * 30)),
            ..settings
        })
    });
    // A pause that ended already is harmless (the UI sends back what it
    // read): it is stored as no pause.
    s.set_notification_settings(NotificationSettings {
        level: NotifyLevel::MentionsOnly,
        pause_until: Some(s.now() - Duration::hours(1)),
        ..settings
    })
    .unwrap();
    assert_eq!(s.notification_settings().unwrap().pause_until, None);
    assert_eq!(
        s.notification_settings().unwrap().level,
        NotifyLevel::MentionsOnly
    );
    // Resuming when nothing is paused, and the same settings again, change
    // nothing and write nothing.
    no_op(&ana, || s.pause_notifications(Pause::Resume));
    let now = s.notification_settings().unwrap();
    no_op(&ana, || s.set_notification_settings(now));
    // A real pause still works, and resumes.
    let paused = s.pause_notifications(Pause::OneHour).unwrap();
    assert_eq!(paused.pause_until, Some(s.now() + Duration::hours(1)));
    assert_eq!(
        s.pause_notifications(Pause::Resume).unwrap().pause_until,
        None
    );
}

#[test]
fn closing_and_reopening_threads_refuse_unknown_ones_and_repeat_nothing() {
    let fresh = Replica::new(1);
    refused(&fresh, ErrorCode::NoWorkspace, || {
        fresh.store.set_thread_closed(ThreadId(5), true)
    });
    let (ana, ben, general) = ana_and_ben();
    let t = thread_in(&ana, general, "Close me");
    refused(&ana, ErrorCode::NotFound, || {
        ana.store.set_thread_closed(ThreadId(5), true)
    });
    // Ben has not received the thread yet.
    refused(&ben, ErrorCode::NotFound, || {
        ben.store.set_thread_closed(t, true)
    });
    no_op(&ana, || ana.store.set_thread_closed(t, false));
    ana.store.set_thread_closed(t, true).unwrap();
    no_op(&ana, || ana.store.set_thread_closed(t, true));
    ana.store.set_thread_closed(t, false).unwrap();
    no_op(&ana, || ana.store.set_thread_closed(t, false));
}

#[test]
fn sync_targets_refuse_bad_configs_and_unknown_ids() {
    let (ana, _ben, _) = ana_and_ben();
    let s = &ana.store;
    let add = |c: NatsConfig| s.add_sync_target(TargetConfig::Nats(c));
    refused(&ana, ErrorCode::InvalidInput, || add(nats(&[])));
    refused(&ana, ErrorCode::InvalidInput, || add(nats(&[""])));
    refused(&ana, ErrorCode::InvalidInput, || add(nats(&["nats://"])));
    refused(&ana, ErrorCode::InvalidInput, || {
        add(nats(&["http://example.com:4222"]))
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        add(nats(&["  NATS://host:4222"]))
    });
    let long = format!("nats://{}:4222", "h".repeat(2000));
    refused(&ana, ErrorCode::TooLarge, || add(nats(&[&long])));
    let many: Vec<String> = (0..17).map(|i| format!("nats://n{i}:4222")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    refused(&ana, ErrorCode::InvalidInput, || add(nats(&many)));
    // A JetStream stream has 1 to 5 replicas; 0 or 7 could never be created.
    for replicas in [0, 7, usize::MAX] {
        refused(&ana, ErrorCode::InvalidInput, || {
            add(NatsConfig {
                replicas,
                ..nats(&["nats://n1:4222"])
            })
        });
    }
    refused(&ana, ErrorCode::TooLarge, || {
        add(NatsConfig {
            auth: NatsAuth::Token {
                token: "t".repeat(5000),
            },
            ..nats(&["nats://n1:4222"])
        })
    });
    let missing = ana.dir.path().join("no-such-folder");
    refused(&ana, ErrorCode::InvalidInput, || {
        s.add_sync_target(TargetConfig::Folder(FolderConfig {
            path: missing.display().to_string(),
        }))
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.add_sync_target(TargetConfig::Folder(FolderConfig { path: "".into() }))
    });
    refused(&ana, ErrorCode::TooLarge, || {
        s.add_sync_target(TargetConfig::Folder(FolderConfig {
            path: "/".repeat(5000),
        }))
    });
    refused(&ana, ErrorCode::NotFound, || s.remove_sync_target(1));

    // A real target: the same one again is the same target, nothing new.
    let id = add(nats(&["nats://n1:4222"])).unwrap();
    // Ana's history waits for it (not Ben's join, which is his to send).
    assert!(s.outbox_len(id) > 0 && s.outbox_len(id) < s.op_count().unwrap());
    no_op(&ana, || add(nats(&["nats://n1:4222"])));
    refused(&ana, ErrorCode::NotFound, || s.remove_sync_target(id + 1));
    refused(&ana, ErrorCode::NotFound, || s.remove_sync_target(u32::MAX));
    s.remove_sync_target(id).unwrap();
    refused(&ana, ErrorCode::NotFound, || s.remove_sync_target(id));
}

#[test]
fn adding_devices_refuses_this_device_and_other_peoples_devices() {
    let fresh = Replica::new(1);
    refused(&fresh, ErrorCode::NoWorkspace, || {
        fresh.store.add_my_device(DeviceId([3; 32]))
    });
    let (ana, ben, _) = ana_and_ben();
    refused(&ana, ErrorCode::InvalidInput, || {
        ana.store.add_my_device(ana.store.device())
    });
    // Ben's computer is Ben's: Ana cannot claim it.
    refused(&ana, ErrorCode::WrongMember, || {
        ana.store.add_my_device(ben.store.device())
    });
    // A laptop of Ana's, once; the second time there is nothing to add.
    let laptop = DeviceId([3; 32]);
    ana.store.add_my_device(laptop).unwrap();
    assert!(ana.store.is_device_known(laptop).unwrap());
    no_op(&ana, || ana.store.add_my_device(laptop));
    // Nor can Ben claim Ana's laptop afterwards.
    ana.send_to(&ben);
    refused(&ben, ErrorCode::WrongMember, || {
        ben.store.add_my_device(laptop)
    });
}

/// One refusal (or more) for every other public write of the `Store`, so
/// "every public operation" holds literally.
#[test]
fn every_other_public_write_refuses_bad_input_and_changes_nothing() {
    let (ana, ben, general) = ana_and_ben();
    let s = &ana.store;
    let t = thread_in(&ana, general, "Sweep");
    let c = s.add_comment(t, "a comment").unwrap();
    let ben_id = ben.store.me().unwrap();
    let nobody = MemberId(7_777);
    let random = ChannelId(99);
    ana.send_to(&ben);

    // Channels.
    s.create_channel("design", "").unwrap();
    refused(&ana, ErrorCode::InvalidInput, || {
        s.rename_channel(general, "Design", "")
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.rename_channel(general, "  ", "")
    });
    refused(&ana, ErrorCode::TooLarge, || {
        s.rename_channel(general, "general", &"t".repeat(501))
    });
    no_op(&ana, || s.archive_channel(general, false));

    // Threads and comments.
    refused(&ben, ErrorCode::NotAuthor, || {
        ben.store.retitle_thread(t, "Mine now")
    });
    refused(&ben, ErrorCode::NotAuthor, || {
        ben.store.edit_comment(c, "mine now")
    });
    refused(&ben, ErrorCode::NotAuthor, || ben.store.delete_comment(c));
    s.delete_comment(c).unwrap();
    refused(&ana, ErrorCode::NotFound, || s.delete_comment(c));
    refused(&ana, ErrorCode::NotFound, || s.edit_comment(c, "back"));
    // A read position past anything in the thread would keep every later
    // comment from ever counting as unread.
    let far = OpId {
        hlc: tidings::model::ids::Hlc {
            ms: u64::MAX >> 1,
            counter: 0,
        },
        device: s.device(),
    };
    refused(&ana, ErrorCode::InvalidInput, || s.mark_read(t, Some(far)));
    refused(&ana, ErrorCode::InvalidTimeZone, || {
        s.update_profile(person("Ana", ""))
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.update_profile(person("", "UTC"))
    });

    // Posting with options.
    let post = |opts: PostOptions| {
        s.post_thread(
            NewThread {
                channel: general,
                title: "Opt".into(),
                body: "b".into(),
                notify: vec![ben_id],
            },
            &opts,
        )
    };
    refused(&ana, ErrorCode::NotFound, || {
        post(PostOptions {
            urgent: vec![nobody],
            ..Default::default()
        })
    });
    refused(&ana, ErrorCode::TimeInPast, || {
        post(PostOptions {
            when: Some(SendAt::Instant(s.now() - Duration::hours(1))),
            ..Default::default()
        })
    });
    refused(&ana, ErrorCode::NotFound, || {
        post(PostOptions {
            reply_by: Some(ReplyBy {
                people: vec![nobody],
                by: DueBy::EndOfNextWorkingDay,
            }),
            ..Default::default()
        })
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.post_comment(ThreadId(5), "hi", &PostOptions::default())
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.schedule_comment(ThreadId(5), "hi", &SendAt::InOneHour)
    });
    refused(&ana, ErrorCode::InvalidTime, || {
        s.schedule_thread(
            NewThread {
                channel: general,
                title: "Far".into(),
                body: "b".into(),
                notify: vec![],
            },
            &SendAt::Instant(s.now() + Duration::days(800)),
        )
    });
    let unknown_post = PostRef::Comment(CommentId(5));
    refused(&ana, ErrorCode::NotFound, || {
        s.cancel_scheduled(unknown_post)
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.send_scheduled_now(unknown_post)
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.edit_scheduled(
            unknown_post,
            ScheduledEdit {
                title: None,
                body: Some("x".into()),
                when: None,
            },
        )
    });

    // Reply-by, urgent, away.
    refused(&ana, ErrorCode::NotFound, || {
        s.ask_reply(ThreadId(5), &[ben_id], &DueBy::EndOfNextWorkingDay)
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.ask_reply(t, &[nobody], &DueBy::EndOfNextWorkingDay)
    });
    refused(&ana, ErrorCode::NotFound, || s.withdraw_reply(t, OpId::MIN));
    refused(&ana, ErrorCode::NotFound, || s.mark_answered(t));
    refused(&ana, ErrorCode::NotFound, || {
        s.set_urgent_settings(UrgentSettings {
            off_for_everyone: false,
            off_from: vec![nobody],
        })
    });
    let yesterday = s.now().date_naive() - Duration::days(1);
    refused(&ana, ErrorCode::TimeInPast, || s.set_away(yesterday, ""));
    refused(&ana, ErrorCode::TooLarge, || {
        s.set_away(s.now().date_naive() + Duration::days(3), &"n".repeat(5000))
    });

    // Later.
    refused(&ana, ErrorCode::NotFound, || {
        s.remind(ThreadId(5), &RemindAt::LaterToday, false)
    });
    refused(&ana, ErrorCode::TimeInPast, || {
        s.remind(t, &RemindAt::Instant(s.now() - Duration::hours(2)), false)
    });
    refused(&ana, ErrorCode::NotFound, || s.later_done(t, true));
    refused(&ana, ErrorCode::NotFound, || s.later_remove(t));

    // Check-ins.
    refused(&ana, ErrorCode::NotFound, || {
        s.create_checkin(random, "What did you ship?", None, 31)
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.create_checkin(general, "   ", None, 31)
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.create_checkin(general, "What did you ship?", None, 0)
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.create_checkin(general, "What did you ship?", Some(vec![nobody]), 31)
    });
    let unknown = CheckinId(5);
    refused(&ana, ErrorCode::NotFound, || {
        s.edit_checkin(unknown, "Q?", None, 31)
    });
    refused(&ana, ErrorCode::NotFound, || s.pause_checkin(unknown, true));
    refused(&ana, ErrorCode::NotFound, || s.stop_checkin(unknown));
    refused(&ana, ErrorCode::NotFound, || {
        s.answer_checkin(unknown, None, "done")
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.withdraw_checkin_answer(unknown, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap())
    });
    let q = s
        .create_checkin(general, "What did you ship?", None, 31)
        .unwrap();
    ana.send_to(&ben);
    refused(&ben, ErrorCode::NotAuthor, || ben.store.stop_checkin(q));
    no_op(&ana, || s.pause_checkin(q, false));
    s.stop_checkin(q).unwrap();
    refused(&ana, ErrorCode::TooLate, || s.stop_checkin(q));

    // Reads that take ids or times.
    refused(&ana, ErrorCode::NotFound, || s.checkin_board(unknown, 7));
    refused(&ana, ErrorCode::NotFound, || {
        s.checkin_history(unknown, ben_id, 7)
    });
    refused(&ana, ErrorCode::TimeInPast, || {
        s.reminder_time(&RemindAt::Instant(s.now() - Duration::hours(1)))
    });
}

/// A store call whose result is not looked at.
type Call<'a> = Box<dyn Fn() -> tidings::Result<()> + 'a>;

/// Every write that acts for someone says so before a workspace exists.
#[test]
fn every_write_before_a_workspace_says_no_workspace() {
    let r = Replica::new(1);
    let s = &r.store;
    let (t, c, ch) = (ThreadId(5), CommentId(6), ChannelId(7));
    let thread = || NewThread {
        channel: ch,
        title: "T".into(),
        body: "b".into(),
        notify: vec![],
    };
    let calls: Vec<(&str, Call)> = vec![
        (
            "update_profile",
            Box::new(|| s.update_profile(person("Ana", "UTC"))),
        ),
        ("rename_channel", Box::new(|| s.rename_channel(ch, "x", ""))),
        ("archive_channel", Box::new(|| s.archive_channel(ch, true))),
        (
            "create_thread",
            Box::new(|| s.create_thread(thread()).map(drop)),
        ),
        ("retitle_thread", Box::new(|| s.retitle_thread(t, "x"))),
        ("add_comment", Box::new(|| s.add_comment(t, "x").map(drop))),
        ("edit_comment", Box::new(|| s.edit_comment(c, "x"))),
        ("delete_comment", Box::new(|| s.delete_comment(c))),
        (
            "react",
            Box::new(|| s.react(tidings::model::op::ReactionTarget::Thread(t), "👍", true)),
        ),
        ("mark_read", Box::new(|| s.mark_read(t, None))),
        ("set_done", Box::new(|| s.set_done(t, true))),
        ("snooze", Box::new(|| s.snooze(t, None))),
        ("mute", Box::new(|| s.mute(t, true))),
        ("follow", Box::new(|| s.follow(t, true))),
        (
            "set_away",
            Box::new(|| {
                s.set_away(s.now().date_naive() + Duration::days(2), "")
                    .map(drop)
            }),
        ),
        ("clear_away", Box::new(|| s.clear_away())),
        (
            "remind",
            Box::new(|| s.remind(t, &RemindAt::Saved, false).map(drop)),
        ),
        ("later_done", Box::new(|| s.later_done(t, true))),
        ("later_remove", Box::new(|| s.later_remove(t))),
        (
            "create_checkin",
            Box::new(|| s.create_checkin(ch, "Q?", None, 31).map(drop)),
        ),
        (
            "answer_checkin",
            Box::new(|| s.answer_checkin(CheckinId(8), None, "x").map(drop)),
        ),
        (
            "ask_reply",
            Box::new(|| s.ask_reply(t, &[], &DueBy::EndOfNextWorkingDay).map(drop)),
        ),
        (
            "withdraw_reply",
            Box::new(|| s.withdraw_reply(t, OpId::MIN)),
        ),
        ("mark_answered", Box::new(|| s.mark_answered(t))),
        (
            "set_urgent_settings",
            Box::new(|| {
                s.set_urgent_settings(UrgentSettings {
                    off_for_everyone: true,
                    off_from: vec![],
                })
            }),
        ),
        (
            "post_thread",
            Box::new(|| s.post_thread(thread(), &PostOptions::default()).map(drop)),
        ),
        (
            "post_comment",
            Box::new(|| s.post_comment(t, "x", &PostOptions::default()).map(drop)),
        ),
        (
            "schedule_thread",
            Box::new(|| s.schedule_thread(thread(), &SendAt::InOneHour).map(drop)),
        ),
        (
            "schedule_comment",
            Box::new(|| s.schedule_comment(t, "x", &SendAt::InOneHour).map(drop)),
        ),
        (
            "cancel_scheduled",
            Box::new(|| s.cancel_scheduled(PostRef::Thread(t))),
        ),
    ];
    for (name, call) in calls {
        let before = crate::bad_input::user_state(&r);
        let err = call().expect_err(name);
        assert_eq!(err.code, ErrorCode::NoWorkspace, "{name}: {err}");
        assert_eq!(crate::bad_input::user_state(&r), before, "{name} wrote");
    }
}
