//! Sync through a shared folder: two replicas converge despite a torn tail,
//! an injected corrupt frame and foreign files, and report the bad frame.

use std::io::Write;

use tidings::store::NewThread;
use tidings::sync::config::{FolderConfig, TargetConfig};
use tidings::sync::{framing, invites, SyncEngine};

use crate::sync_nats::sync_once;
use crate::util::{person, Replica};

#[test]
fn two_replicas_converge_through_a_folder_despite_damage_and_say_so() {
    let shared = tempfile::tempdir().unwrap();
    let target = TargetConfig::Folder(FolderConfig {
        path: shared.path().to_string_lossy().into_owned(),
    });
    let ana = Replica::new_in_ram(1);
    ana.store
        .create_workspace("Acme", person("Ana", "Europe/Lisbon"))
        .unwrap();
    let general = ana.store.create_channel("general", "").unwrap();
    ana.store.add_sync_target(target).unwrap();
    sync_once(&ana);
    let ben = Replica::new_in_ram(2);
    invites::join_with_code(
        &ben.store,
        &invites::invite_code(&ana.store).unwrap(),
        person("Ben", "Asia/Tokyo"),
    )
    .unwrap();
    sync_once(&ben);
    sync_once(&ana);

    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Folder sync".into(),
            body: "no server needed".into(),
            notify: vec![],
        })
        .unwrap();
    sync_once(&ana);

    // Damage: a corrupt frame and a torn tail appended to Ana's log, and
    // files that are not Tidings logs at all.
    let ws = ana.store.workspace_id().unwrap().unwrap();
    let dir = shared.path().join("tidings").join(ws.to_string());
    let ana_log = dir.join(format!("{}.log", ana.store.device().to_hex()));
    let mut corrupt = framing::encode(b"an envelope damaged in transit").unwrap();
    let last = corrupt.len() - 1;
    corrupt[last] ^= 0xff;
    let torn = framing::encode(b"a frame the sync tool had not finished copying").unwrap();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&ana_log)
        .unwrap();
    f.write_all(&corrupt).unwrap();
    f.write_all(&torn[..20]).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a log").unwrap();
    std::fs::write(
        dir.join(format!("{} (1).log", ana.store.device().to_hex())),
        b"conflict copy",
    )
    .unwrap();

    let engine = SyncEngine::new(ben.store.clone()).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(engine.run_once()).unwrap();
    let status = engine.status().borrow().clone();
    assert!(
        !status.targets[0].problems.is_empty(),
        "the bad frame is reported: {status:?}"
    );

    // Ana keeps writing after the damage; Ben still gets it.
    ana.store.add_comment(t, "after the damage").unwrap();
    sync_once(&ana);
    sync_once(&ben);
    let v = ben
        .store
        .thread(
            t,
            &tidings::views::PageRequest::first(10),
            Default::default(),
        )
        .unwrap();
    assert_eq!(v.comments.items.len(), 1);
    ben.store.add_comment(t, "got it").unwrap();
    sync_once(&ben);
    sync_once(&ana);
    assert_eq!(
        ana.store.shared_digest().unwrap(),
        ben.store.shared_digest().unwrap()
    );
    for r in [&ana, &ben] {
        let id = r.store.sync_targets().unwrap()[0].id;
        assert_eq!(r.store.outbox_len(id), 0);
    }
    // Each device wrote only its own file.
    let logs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 68 && n.ends_with(".log"))
        .collect();
    assert_eq!(logs.len(), 2, "{logs:?}");
}
