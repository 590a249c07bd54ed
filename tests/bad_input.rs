//! Bad input to every public operation gets a coded error with a helpful
//! message, and the store is exactly as it was (`user_state`). The
//! operations not covered here are in `bad_input_ops.rs`; what is left out
//! on purpose is listed under "Invariants" in ARCHITECTURE.md.

use chrono::Duration;
use ed25519_dalek::SigningKey;
use tidings::model::ids::{ChannelId, CommentId, DeviceId, Hlc, MemberId, OpId, ThreadId};
use tidings::model::limits::MAX_BODY_BYTES;
use tidings::model::op::{Op, OpKind, ReactionTarget};
use tidings::model::profile::WorkingHours;
use tidings::model::signed::SignedOp;
use tidings::render::RenderOptions;
use tidings::search::SearchQuery;
use tidings::store::NewThread;
use tidings::views::PageRequest;
use tidings::{ErrorCode, Result};

use crate::util::{ana_and_ben, person, Replica};

/// What a person can see or configure in `r`, for "a refused call changed
/// nothing": every view (threads, comments, inbox, notification and urgent
/// settings, scheduled posts, away, check-ins), members and their devices,
/// who this device acts for, the sync targets with their outboxes and
/// cursors, and the op log's length.
pub fn user_state(r: &Replica) -> String {
    let s = &r.store;
    let targets = s.sync_targets().unwrap();
    let queues: Vec<_> = targets
        .iter()
        .map(|t| (t.id, s.outbox_len(t.id), s.sync_cursor(t.id).unwrap()))
        .collect();
    format!(
        "views {}\nshared {}\nme {:?} workspace {:?}\ntargets {:?}\nqueues {:?}\nops {} held {}",
        s.view_digest().unwrap(),
        s.shared_digest().unwrap(),
        s.me(),
        s.workspace_id().unwrap(),
        targets,
        queues,
        s.op_count().unwrap(),
        s.held_from_future().unwrap(),
    )
}

/// Runs `f`, expects `code` with a message that says what to do, and
/// checks that nothing the person sees or configured changed.
pub fn refused<T: std::fmt::Debug>(r: &Replica, code: ErrorCode, f: impl FnOnce() -> Result<T>) {
    let before = user_state(r);
    let err = f().expect_err("the call should be refused");
    assert_eq!(err.code, code, "unexpected error: {err}");
    assert!(
        err.message.len() > 20,
        "the message should say what to do: {}",
        err.message
    );
    assert_eq!(user_state(r), before, "a refused call changed the store");
}

/// Runs `f`, which asks for what already holds, and checks that it
/// succeeds and writes nothing.
pub fn no_op<T: std::fmt::Debug>(r: &Replica, f: impl FnOnce() -> Result<T>) {
    let before = user_state(r);
    f().expect("asking for what already holds should succeed");
    assert_eq!(user_state(r), before, "a call that changed nothing wrote");
}

#[test]
fn nothing_works_before_a_workspace_exists_and_says_so() {
    let r = Replica::new(1);
    refused(&r, ErrorCode::NoWorkspace, || {
        r.store.create_channel("x", "")
    });
    refused(&r, ErrorCode::NoWorkspace, || {
        r.store.inbox(&PageRequest::first(10))
    });
    refused(&r, ErrorCode::InvalidInput, || {
        r.store.create_workspace("  ", person("Ana", "UTC"))
    });
    refused(&r, ErrorCode::InvalidTimeZone, || {
        r.store.create_workspace("Acme", person("Ana", "Mars/Base"))
    });
    let mut p = person("Ana", "UTC");
    p.working_hours = WorkingHours {
        start_min: 2000,
        end_min: 10,
        days: 1,
    };
    refused(&r, ErrorCode::InvalidInput, || {
        r.store.create_workspace("Acme", p)
    });
    r.store
        .create_workspace("Acme", person("Ana", "UTC"))
        .unwrap();
    refused(&r, ErrorCode::WorkspaceExists, || {
        r.store.create_workspace("Again", person("Ana", "UTC"))
    });
}

#[test]
fn channels_threads_and_comments_validate_their_input() {
    let (ana, _ben, general) = ana_and_ben();
    let s = &ana.store;
    refused(&ana, ErrorCode::InvalidInput, || s.create_channel("", ""));
    refused(&ana, ErrorCode::TooLarge, || {
        s.create_channel(&"x".repeat(81), "")
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.create_channel("general", "")
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.create_channel("a\nb", "")
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.rename_channel(ChannelId(42), "x", "")
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.archive_channel(ChannelId(42), true)
    });

    let thread = |title: &str, body: &str| NewThread {
        channel: general,
        title: title.into(),
        body: body.into(),
        notify: vec![],
    };
    refused(&ana, ErrorCode::InvalidInput, || {
        s.create_thread(thread("", "body"))
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.create_thread(thread("Title", "   "))
    });
    refused(&ana, ErrorCode::TooLarge, || {
        s.create_thread(thread(&"t".repeat(201), "body"))
    });
    refused(&ana, ErrorCode::TooLarge, || {
        s.create_thread(thread("Big", &"x".repeat(MAX_BODY_BYTES + 1)))
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.create_thread(NewThread {
            channel: ChannelId(7),
            ..thread("T", "b")
        })
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.create_thread(NewThread {
            notify: vec![MemberId(99)],
            ..thread("T", "b")
        })
    });

    let t = s.create_thread(thread("Fine", "body")).unwrap();
    let c = s.add_comment(t, "ok").unwrap();
    refused(&ana, ErrorCode::InvalidInput, || s.add_comment(t, ""));
    refused(&ana, ErrorCode::TooLarge, || {
        s.add_comment(t, &"x".repeat(MAX_BODY_BYTES + 1))
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.add_comment(ThreadId(5), "hello")
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.edit_comment(CommentId(5), "hello")
    });
    refused(&ana, ErrorCode::InvalidInput, || s.edit_comment(c, ""));
    refused(&ana, ErrorCode::NotFound, || s.delete_comment(CommentId(5)));
    refused(&ana, ErrorCode::InvalidInput, || s.retitle_thread(t, ""));
    refused(&ana, ErrorCode::NotFound, || {
        s.retitle_thread(ThreadId(5), "x")
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.react(ReactionTarget::Thread(t), "", true)
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.react(ReactionTarget::Thread(t), &"🎉".repeat(20), true)
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.react(ReactionTarget::Comment(CommentId(5)), "👍", true)
    });
    refused(&ana, ErrorCode::NotFound, || s.mark_read(ThreadId(5), None));
    refused(&ana, ErrorCode::NotFound, || s.set_done(ThreadId(5), true));
    refused(&ana, ErrorCode::NotFound, || s.mute(ThreadId(5), true));
    refused(&ana, ErrorCode::NotFound, || s.follow(ThreadId(5), true));
    refused(&ana, ErrorCode::InvalidInput, || {
        s.snooze(t, Some(s.now() - Duration::hours(1)))
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.mark_read(t, Some(OpId::MIN))
    });
    refused(&ana, ErrorCode::InvalidTimeZone, || {
        s.update_profile(person("Ana", "Nowhere/City"))
    });
}

#[test]
fn views_refuse_bad_pages_cursors_and_searches() {
    let (ana, _ben, general) = ana_and_ben();
    let s = &ana.store;
    refused(&ana, ErrorCode::InvalidInput, || {
        s.inbox(&PageRequest::first(10_000))
    });
    refused(&ana, ErrorCode::InvalidInput, || {
        s.channel_threads(
            general,
            &PageRequest {
                cursor: Some("zz".into()),
                limit: 10,
            },
        )
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.channel_threads(ChannelId(3), &PageRequest::first(10))
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.thread(
            ThreadId(3),
            &PageRequest::first(10),
            RenderOptions::default(),
        )
    });
    refused(&ana, ErrorCode::TooLarge, || {
        s.search(&SearchQuery {
            text: "x".repeat(10_000),
            ..Default::default()
        })
    });
    refused(&ana, ErrorCode::NotFound, || {
        s.search(&SearchQuery {
            text: "x".into(),
            channel: Some(ChannelId(3)),
            ..Default::default()
        })
    });
    // Odd but harmless searches are not errors.
    for text in ["", "\"", "*", "AND OR NOT", "a:b", "🙂", "((("] {
        s.search(&SearchQuery {
            text: text.into(),
            ..Default::default()
        })
        .unwrap();
    }
}

#[test]
fn forged_tampered_and_malformed_ops_are_refused_and_change_nothing() {
    let (ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Target".into(),
            body: "body".into(),
            notify: vec![],
        })
        .unwrap();
    let c = ana.store.add_comment(t, "mine").unwrap();
    ana.send_to(&ben);

    let before = ben.store.view_digest().unwrap();
    let n_before = ben.store.op_count().unwrap();

    // A flipped byte breaks the signature.
    let mut bytes = ana.ops().last().unwrap().clone().into_bytes();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    let r = ben
        .store
        .apply_remote(vec![SignedOp::from_bytes(bytes).unwrap()])
        .unwrap();
    assert_eq!(r.rejected.len(), 1);
    assert!(matches!(
        r.rejected[0].code,
        ErrorCode::BadSignature | ErrorCode::MalformedOp
    ));

    // Garbage and oversized blobs.
    assert!(SignedOp::from_bytes(vec![1, 2, 3]).is_err());
    assert_eq!(
        SignedOp::from_bytes(vec![0; 300 * 1024]).unwrap_err().code,
        ErrorCode::TooLarge
    );
    let r = ben
        .store
        .apply_remote(vec![SignedOp::from_bytes(vec![7; 200]).unwrap()])
        .unwrap();
    assert_eq!(r.rejected.len(), 1);

    // Ben's own device claiming to be Ana, editing her comment.
    let ben_member = ben.store.me().unwrap();
    let ana_member = ana.store.me().unwrap();
    let key_of_stranger = SigningKey::from_bytes(&[77; 32]);
    let forged = |author: MemberId, key: &SigningKey, kind: OpKind| {
        let op = Op {
            id: OpId {
                hlc: Hlc {
                    ms: crate::util::t0().timestamp_millis() as u64,
                    counter: 0,
                },
                device: DeviceId(key.verifying_key().to_bytes()),
            },
            author,
            kind,
        };
        SignedOp::sign(&op, key).unwrap()
    };
    // A stranger's device (never introduced) waits and never takes effect.
    let r = ben
        .store
        .apply_remote(vec![forged(
            ana_member,
            &key_of_stranger,
            OpKind::CommentEdited {
                comment: c,
                body: "pwned".into(),
                mentions: vec![],
            },
        )])
        .unwrap();
    assert_eq!(r.pending, 1);
    assert!(r.applied.is_empty());

    // A well-formed op whose body breaks the limits is refused as malformed.
    let stranger2 = SigningKey::from_bytes(&[78; 32]);
    let r = ben
        .store
        .apply_remote(vec![forged(
            ben_member,
            &stranger2,
            OpKind::MemberJoined {
                profile: person("", "UTC"),
            },
        )])
        .unwrap();
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].code, ErrorCode::MalformedOp);

    let v = ben
        .store
        .thread(t, &PageRequest::first(10), RenderOptions::default())
        .unwrap();
    assert!(v.comments.items[0].body_html.contains("mine"));
    assert_eq!(
        ben.store.view_digest().unwrap(),
        before,
        "nothing visible changed"
    );
    assert_eq!(
        ben.store.op_count().unwrap(),
        n_before + 1,
        "only the waiting op is kept, inert"
    );
}

#[test]
fn a_non_author_edit_from_a_real_member_is_refused_on_every_replica() {
    let (ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Target".into(),
            body: "body".into(),
            notify: vec![],
        })
        .unwrap();
    let c = ana.store.add_comment(t, "mine").unwrap();
    // A third replica that has the comment, and one that does not yet.
    let carla = Replica::new(3);
    let late = Replica::new(4);
    ana.send_to(&carla);
    ana.send_to(&ben);
    // Ben's store refuses locally; a tampered client could still sign one.
    assert_eq!(
        ben.store.edit_comment(c, "pwned").unwrap_err().code,
        ErrorCode::NotAuthor
    );
    // A device joining as Ben is refused: a join founds a new person only.
    let impostor = SigningKey::from_bytes(&[6; 32]);
    let impostor_join = {
        let op = Op {
            id: OpId {
                hlc: Hlc {
                    ms: crate::util::t0().timestamp_millis() as u64,
                    counter: 0,
                },
                device: DeviceId(impostor.verifying_key().to_bytes()),
            },
            author: ben.store.me().unwrap(),
            kind: OpKind::MemberJoined {
                profile: person("Ben", "Asia/Tokyo"),
            },
        };
        SignedOp::sign(&op, &impostor).unwrap()
    };
    let r = carla.store.apply_remote(vec![impostor_join]).unwrap();
    assert_eq!(r.rejected[0].code, ErrorCode::WrongMember);
    // A genuine member (anyone with the workspace key may join) who edits
    // someone else's comment.
    let ben_key = SigningKey::from_bytes(&[5; 32]);
    let ben_member = MemberId::for_device(DeviceId(ben_key.verifying_key().to_bytes()));
    let join = {
        let op = Op {
            id: OpId {
                hlc: Hlc {
                    ms: crate::util::t0().timestamp_millis() as u64,
                    counter: 0,
                },
                device: DeviceId(ben_key.verifying_key().to_bytes()),
            },
            author: ben_member,
            kind: OpKind::MemberJoined {
                profile: person("Ben", "Asia/Tokyo"),
            },
        };
        SignedOp::sign(&op, &ben_key).unwrap()
    };
    let edit = {
        let op = Op {
            id: OpId {
                hlc: Hlc {
                    ms: crate::util::t0().timestamp_millis() as u64,
                    counter: 1,
                },
                device: DeviceId(ben_key.verifying_key().to_bytes()),
            },
            author: ben_member,
            kind: OpKind::CommentEdited {
                comment: c,
                body: "pwned".into(),
                mentions: vec![],
            },
        };
        SignedOp::sign(&op, &ben_key).unwrap()
    };
    let r = carla
        .store
        .apply_remote(vec![join.clone(), edit.clone()])
        .unwrap();
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].code, ErrorCode::NotAuthor);
    // The late replica gets the forged edit first, then everything else.
    late.store.apply_remote(vec![edit, join]).unwrap();
    let r = ana.send_to(&late);
    assert!(r.rejected.is_empty());
    for rep in [&carla, &late] {
        let v = rep
            .store
            .thread(t, &PageRequest::first(10), RenderOptions::default())
            .unwrap();
        assert!(v.comments.items[0].body_html.contains("mine"));
        assert!(!v.comments.items[0].edited);
    }
}
