//! What a sync target holds is ciphertext only, and forged, tampered or
//! mis-keyed envelopes change nothing on any replica.

use ed25519_dalek::SigningKey;
use tidings::model::ids::{DeviceId, Hlc, MemberId, OpId};
use tidings::model::op::{Op, OpKind};
use tidings::model::signed::SignedOp;
use tidings::store::NewThread;
use tidings::sync::config::{FolderConfig, NatsAuth, NatsConfig, TargetConfig};
use tidings::sync::envelope;
use tidings::sync::keys::{KeyKind, KeyRing, SecretKey};
use tidings::sync::nats::{Channel, NatsTarget};
use tidings::views::PageRequest;

use crate::support::nats_server::NatsServer;
use crate::sync_nats::{sync_once, team};

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

#[test]
fn the_server_and_the_folder_hold_no_plaintext() {
    let server = NatsServer::start();
    let folder = tempfile::tempdir().unwrap();
    let (team, general) = team(
        TargetConfig::Nats(NatsConfig {
            servers: vec![server.url()],
            auth: NatsAuth::None,
            tls: false,
            replicas: 1,
        }),
        &["Ana", "Ben"],
    );
    let [ana, ben] = &team[..] else {
        unreachable!()
    };
    ana.store
        .add_sync_target(TargetConfig::Folder(FolderConfig {
            path: folder.path().to_string_lossy().into_owned(),
        }))
        .unwrap();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: format!("Title {MARKER}"),
            body: format!("Body {MARKER}"),
            notify: vec![],
        })
        .unwrap();
    ana.store
        .add_comment(t, &format!("Comment {MARKER}"))
        .unwrap();
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
        .contains(MARKER));
    assert!(
        !files_containing(ana.dir.path(), MARKER.as_bytes()).is_empty(),
        "the check can find the marker"
    );
    assert_eq!(
        files_containing(server.store_dir(), MARKER.as_bytes()),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(
        files_containing(folder.path(), MARKER.as_bytes()),
        Vec::<std::path::PathBuf>::new()
    );
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
