//! What a sync target holds is ciphertext only, and forged, tampered or
//! mis-keyed envelopes change nothing on any replica.

use std::collections::BTreeMap;

use ed25519_dalek::SigningKey;
use tidings::model::checkin::EVERY_DAY;
use tidings::model::ids::{DeviceId, Hlc, MemberId, OpId, WorkspaceId};
use tidings::model::op::{Op, OpKind, ReactionTarget};
use tidings::model::schedule::SendAt;
use tidings::model::signed::SignedOp;
use tidings::store::NewThread;
use tidings::sync::config::{FolderConfig, NatsAuth, NatsConfig, TargetConfig};
use tidings::sync::envelope;
use tidings::sync::folder::FolderLog;
use tidings::sync::keys::{KeyKind, KeyRing, SecretKey};
use tidings::sync::nats::{Channel, NatsTarget};
use tidings::views::PageRequest;

use crate::support::nats_server::NatsServer;
use crate::sync_nats::{sync_once, team, team_in};

const MARKER: &str = "PLAINTEXT-MARKER-7f3a9c";

/// Every file under `dir` that contains `needle`.
fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<std::path::PathBuf> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    hits.push(p);
                }
            }
        }
    }
    hits
}

/// A user-visible string that must never reach a sync target in the clear.
fn marked(what: &str) -> String {
    format!("{MARKER}-{what}")
}

/// The envelope sizes a target should hold for `ops`: each op sealed with
/// the workspace or a personal key adds that key's header, nonce and tag.
fn envelope_sizes<'a>(ops: impl IntoIterator<Item = &'a SignedOp>) -> Vec<(u8, usize)> {
    let mut sizes: Vec<(u8, usize)> = ops
        .into_iter()
        .map(|s| {
            if s.decode_unverified().unwrap().kind.is_personal() {
                (
                    envelope::KIND_PERSONAL,
                    envelope::PERSONAL_OVERHEAD + s.as_bytes().len(),
                )
            } else {
                (
                    envelope::KIND_WORKSPACE,
                    envelope::WORKSPACE_OVERHEAD + s.as_bytes().len(),
                )
            }
        })
        .collect();
    sizes.sort();
    sizes
}

/// Key kind and length of each envelope, sorted.
fn held_sizes(envelopes: &[Vec<u8>]) -> Vec<(u8, usize)> {
    let mut sizes: Vec<(u8, usize)> = envelopes
        .iter()
        .map(|e| (envelope::peek(e).unwrap().2, e.len()))
        .collect();
    sizes.sort();
    sizes
}

/// Every message of the workspace's stream on the server, in order.
fn stream_payloads(server: &NatsServer, ws: WorkspaceId) -> Vec<Vec<u8>> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let client = async_nats::connect(server.url()).await.unwrap();
        let js = async_nats::jetstream::new(client);
        let mut stream = js
            .get_stream(tidings::sync::nats::stream_name(ws))
            .await
            .unwrap();
        let state = stream.info().await.unwrap().state.clone();
        let mut out = Vec::new();
        for seq in state.first_sequence..=state.last_sequence {
            out.push(stream.get_raw_message(seq).await.unwrap().payload.to_vec());
        }
        assert_eq!(out.len() as u64, state.messages);
        out
    })
}

/// Every envelope in the workspace's folder, as another device reads it.
fn folder_envelopes(folder: &std::path::Path, ws: WorkspaceId) -> Vec<Vec<u8>> {
    let reader = FolderLog::open(folder, ws, DeviceId([0x5e; 32])).unwrap();
    let (mut out, mut offsets) = (Vec::new(), BTreeMap::new());
    loop {
        let batch = reader.read_new(&offsets).unwrap();
        assert!(batch.problems.is_empty(), "{:?}", batch.problems);
        if batch.envelopes.is_empty() && batch.offsets == offsets {
            return out;
        }
        out.extend(batch.envelopes.into_iter().map(|(_, e)| e));
        offsets = batch.offsets;
    }
}

#[test]
fn the_server_and_the_folder_hold_no_plaintext() {
    let server = NatsServer::start();
    let folder = tempfile::tempdir().unwrap();
    let (team, general) = team_in(
        &marked("workspace"),
        TargetConfig::Nats(NatsConfig {
            servers: vec![server.url()],
            auth: NatsAuth::None,
            tls: false,
            replicas: 1,
        }),
        &[&marked("name-ana"), &marked("name-ben")],
    );
    let [ana, ben] = &team[..] else {
        unreachable!()
    };
    ana.store
        .add_sync_target(TargetConfig::Folder(FolderConfig {
            path: folder.path().to_string_lossy().into_owned(),
        }))
        .unwrap();
    // Every kind of text a person types, each once, each marked.
    let channel = ana
        .store
        .create_channel(&marked("channel"), &marked("topic"))
        .unwrap();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: marked("title"),
            body: marked("body"),
            notify: vec![],
        })
        .unwrap();
    let c = ana.store.add_comment(t, &marked("comment")).unwrap();
    ana.store.edit_comment(c, &marked("edited")).unwrap();
    ana.store
        .react(ReactionTarget::Comment(c), ":mk7f3a9c-react:", true)
        .unwrap();
    ana.store.retitle_thread(t, &marked("retitled")).unwrap();
    ana.store
        .rename_channel(channel, &marked("renamed"), &marked("new-topic"))
        .unwrap();
    ana.store
        .schedule_comment(t, &marked("scheduled"), &SendAt::InOneHour)
        .unwrap();
    let checkin = ana
        .store
        .create_checkin(general, &marked("question"), None, EVERY_DAY)
        .unwrap();
    // Ben answers once the check-in has asked him (Monday, in Tokyo).
    sync_once(ana);
    sync_once(ben);
    ben.clock.set("2026-11-30T01:00:00Z".parse().unwrap());
    ben.store
        .answer_checkin(checkin, None, &marked("answer"))
        .unwrap();
    ana.store
        .set_away(
            ana.store.now().date_naive() + chrono::Duration::days(3),
            &marked("away"),
        )
        .unwrap();
    ana.store
        .update_profile(crate::util::person(&marked("new-name"), "Europe/Lisbon"))
        .unwrap();
    let strings = [
        "workspace",
        "name-ana",
        "name-ben",
        "channel",
        "topic",
        "title",
        "body",
        "comment",
        "edited",
        "retitled",
        "renamed",
        "new-topic",
        "scheduled",
        "question",
        "answer",
        "away",
        "new-name",
    ]
    .map(marked)
    .into_iter()
    .chain([":mk7f3a9c-react:".to_string()])
    .collect::<Vec<_>>();

    let engine = tidings::sync::SyncEngine::new(ana.store.clone()).unwrap();
    let reports = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(engine.run_once())
        .unwrap();
    assert!(
        reports.iter().all(|r| r.error.is_none() && r.sent > 0),
        "{reports:?}"
    );
    sync_once(ben);
    assert!(ben
        .store
        .thread(t, &PageRequest::first(5), Default::default())
        .unwrap()
        .body_html
        .contains(&marked("body")));

    // First, the data is there: every op either replica holds is on the
    // server, and every op Ana's device issued is in the folder, each as one
    // envelope of exactly the sealed size of that op.
    let ws = ana.store.workspace_id().unwrap().unwrap();
    let mut all: BTreeMap<OpId, SignedOp> = BTreeMap::new();
    for r in [ana, ben] {
        for s in r.store.ops() {
            let s = s.unwrap();
            all.insert(s.decode_unverified().unwrap().id, s);
        }
    }
    // A device sends only the ops it issued itself.
    let ana_ops: Vec<SignedOp> = ana
        .store
        .ops()
        .map(Result::unwrap)
        .filter(|s| s.decode_unverified().unwrap().id.device == ana.store.device())
        .collect();
    // Ana typed 12 ops with text above (the workspace with her name
    // included), Ben 2 (his join and his answer).
    assert!(ana_ops.len() >= 12, "Ana holds {} ops", ana_ops.len());
    assert!(all.len() >= 14, "the replicas hold {} ops", all.len());
    let on_server = stream_payloads(&server, ws);
    assert_eq!(
        held_sizes(&on_server),
        envelope_sizes(all.values()),
        "the server holds one envelope per op, of its sealed size"
    );
    let in_folder = folder_envelopes(folder.path(), ws);
    assert_eq!(
        held_sizes(&in_folder),
        envelope_sizes(&ana_ops),
        "the folder holds one envelope per op of Ana's, of its sealed size"
    );

    // Then no string is in the clear there, though each is in a replica's
    // own store, where the search does find it.
    for s in &strings {
        let needle = s.as_bytes();
        assert!(
            !files_containing(ana.dir.path(), needle).is_empty()
                || !files_containing(ben.dir.path(), needle).is_empty(),
            "the search finds {s} in a replica's store"
        );
        assert_eq!(
            files_containing(server.store_dir(), needle),
            Vec::<std::path::PathBuf>::new(),
            "{s} is in the clear on the server"
        );
        assert_eq!(
            files_containing(folder.path(), needle),
            Vec::<std::path::PathBuf>::new(),
            "{s} is in the clear in the folder"
        );
        assert!(
            !on_server
                .iter()
                .chain(&in_folder)
                .any(|e| e.windows(needle.len()).any(|w| w == needle)),
            "{s} is in the clear in an envelope"
        );
    }
}

#[test]
fn tampered_mis_keyed_unknown_and_non_author_envelopes_are_refused_everywhere() {
    let server = NatsServer::start();
    let cfg = NatsConfig {
        servers: vec![server.url()],
        auth: NatsAuth::None,
        tls: false,
        replicas: 1,
    };
    let (team, general) = team(TargetConfig::Nats(cfg.clone()), &["Ana", "Ben", "Carla"]);
    let [ana, ben, carla] = &team[..] else {
        unreachable!()
    };
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Target".into(),
            body: "original".into(),
            notify: vec![],
        })
        .unwrap();
    let c = ana.store.add_comment(t, "ana's words").unwrap();
    for r in [ana, ben, carla] {
        sync_once(r);
    }

    let ws = ana.store.workspace_id().unwrap().unwrap();
    let secrets = ben.store.sync_secrets().unwrap().unwrap();
    let ring = |key: [u8; 32], member| KeyRing {
        workspace: ws,
        workspace_key: SecretKey::from_bytes(key),
        member,
        personal_key: SecretKey::from_bytes([9; 32]),
    };
    let signed_by = |key: &SigningKey, author, ms: u64, kind: OpKind| {
        let op = Op {
            id: OpId {
                hlc: Hlc { ms, counter: 0 },
                device: DeviceId(key.verifying_key().to_bytes()),
            },
            author,
            kind,
        };
        SignedOp::sign(&op, key).unwrap()
    };
    let edit = OpKind::CommentEdited {
        comment: c,
        body: "forged".into(),
        mentions: vec![],
    };
    let ben_member = ben.store.me().unwrap();
    let stranger = SigningKey::from_bytes(&[42; 32]);
    let stranger_dev = DeviceId(stranger.verifying_key().to_bytes());
    let good_ring = ring(secrets.workspace_key, ben_member);
    let mut envelopes = Vec::new();
    // 1. Sealed with a wrong workspace key.
    let op = signed_by(
        &stranger,
        ben_member,
        crate::util::t0().timestamp_millis() as u64,
        edit.clone(),
    );
    envelopes.push(
        envelope::seal(
            &ring([1; 32], ben_member),
            KeyKind::Workspace,
            stranger_dev,
            &op,
        )
        .unwrap(),
    );
    // 2. A flipped byte in a good envelope.
    let mut flipped = envelope::seal(&good_ring, KeyKind::Workspace, stranger_dev, &op).unwrap();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 1;
    envelopes.push(flipped);
    // 3. A device no member op introduced, properly sealed: held, never applied.
    envelopes.push(envelope::seal(&good_ring, KeyKind::Workspace, stranger_dev, &op).unwrap());
    // 4. A device that tries to join as Ben (impersonation).
    let impostor = SigningKey::from_bytes(&[43; 32]);
    let impostor_dev = DeviceId(impostor.verifying_key().to_bytes());
    let fake_join = signed_by(
        &impostor,
        ben_member,
        crate::util::t0().timestamp_millis() as u64 + 1,
        OpKind::MemberJoined {
            profile: crate::util::person("Ben", "Asia/Tokyo"),
        },
    );
    envelopes
        .push(envelope::seal(&good_ring, KeyKind::Workspace, impostor_dev, &fake_join).unwrap());
    // 5. A genuine new member (holding the key) who edits Ana's comment.
    let mallory = SigningKey::from_bytes(&[44; 32]);
    let mallory_dev = DeviceId(mallory.verifying_key().to_bytes());
    let mallory_member = MemberId::for_device(mallory_dev);
    let join = signed_by(
        &mallory,
        mallory_member,
        crate::util::t0().timestamp_millis() as u64 + 2,
        OpKind::MemberJoined {
            profile: crate::util::person("Mallory", "UTC"),
        },
    );
    let forged_edit = signed_by(
        &mallory,
        mallory_member,
        crate::util::t0().timestamp_millis() as u64 + 3,
        edit,
    );
    envelopes.push(envelope::seal(&good_ring, KeyKind::Workspace, mallory_dev, &join).unwrap());
    envelopes
        .push(envelope::seal(&good_ring, KeyKind::Workspace, mallory_dev, &forged_edit).unwrap());

    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let target = NatsTarget::connect(&cfg, ws).await.unwrap();
        let items: Vec<_> = envelopes
            .into_iter()
            .enumerate()
            .map(|(i, e)| (format!("attack-{i}"), Channel::Shared, e))
            .collect();
        let (n, err) = target.publish(&items).await;
        assert!(err.is_none() && n == items.len());
    });
    for r in [ana, carla] {
        let report = sync_once(r);
        assert_eq!(
            report.refused, 4,
            "wrong key, flipped byte, impersonation, non-author edit"
        );
        assert_eq!(report.waiting, 1, "the unintroduced device's op is held");
        let v = r
            .store
            .thread(t, &PageRequest::first(5), Default::default())
            .unwrap();
        assert!(v.comments.items[0].body_html.contains("ana's words"));
    }
}
