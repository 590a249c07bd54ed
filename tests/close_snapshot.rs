//! Closing a store after a session that wrote much writes sled's snapshot,
//! so the next open does not replay the session's log; a quiet session or
//! a store still shared closes without it. Nothing written is lost either
//! way.

use std::path::Path;

use tidings::store::{Closed, NewThread, Options, Store};

use crate::util::person;

/// The newest snapshot's log position (sled names them `snap.<LSN in hex>`).
fn newest_snapshot(dir: &Path) -> Option<u64> {
    std::fs::read_dir(dir.join("store"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().ok()?;
            u64::from_str_radix(name.strip_prefix("snap.")?, 16).ok()
        })
        .max()
}

fn opened(dir: &Path, resnapshot_after: u64) -> Store {
    Store::open(
        dir,
        Options {
            resnapshot_after_bytes: resnapshot_after,
            ..Options::default()
        },
    )
    .unwrap()
}

/// Founds a workspace and writes `n` comments in one thread.
fn session(store: &Store, n: usize) {
    store
        .create_workspace("Acme", person("Ana", "Europe/Lisbon"))
        .unwrap();
    let c = store.create_channel("general", "").unwrap();
    let t = store
        .create_thread(NewThread {
            channel: c,
            title: "Busy".into(),
            body: "Opening".into(),
            notify: vec![],
        })
        .unwrap();
    for i in 0..n {
        store
            .add_comment(t, &format!("comment {i} {}", "words ".repeat(40)))
            .unwrap();
    }
}

fn comments_in_general(store: &Store) -> u32 {
    let general = store.channels().unwrap()[0].id;
    let page = store
        .channel_threads(general, &tidings::views::PageRequest::first(10))
        .unwrap();
    page.items[0].comments
}

#[test]
fn a_session_that_wrote_much_leaves_a_fresh_snapshot_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = opened(dir.path(), 256 << 10);
    let at_open = newest_snapshot(dir.path());
    session(&store, 300);
    assert!(store.written_this_session() >= 256 << 10);
    match store.close().unwrap() {
        Closed::Resnapshotted { written, .. } => assert!(written >= 256 << 10),
        other => panic!("expected a snapshot, got {other:?}"),
    }
    let after = newest_snapshot(dir.path());
    assert!(after > at_open, "snapshot at {after:?}, was {at_open:?}");
    let store = opened(dir.path(), 256 << 10);
    assert_eq!(comments_in_general(&store), 300);
}

#[test]
fn a_quiet_session_closes_without_the_extra_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = opened(dir.path(), 64 << 20);
    session(&store, 20);
    let before = newest_snapshot(dir.path());
    assert_eq!(store.close().unwrap(), Closed::Closed);
    assert_eq!(newest_snapshot(dir.path()), before);
    let store = opened(dir.path(), 64 << 20);
    assert_eq!(comments_in_general(&store), 20);
}

#[test]
fn closing_one_of_two_handles_leaves_the_store_open_for_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let store = opened(dir.path(), 0);
    session(&store, 5);
    let other = store.clone();
    assert_eq!(store.close().unwrap(), Closed::StillShared);
    assert_eq!(comments_in_general(&other), 5);
    other
        .add_comment(
            other
                .channel_threads(
                    other.channels().unwrap()[0].id,
                    &tidings::views::PageRequest::first(1),
                )
                .unwrap()
                .items[0]
                .id,
            "still writable",
        )
        .unwrap();
    assert!(matches!(
        other.close().unwrap(),
        Closed::Resnapshotted { .. }
    ));
}
