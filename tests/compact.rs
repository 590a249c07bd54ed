//! Closing a store whose sled log has outgrown its rows copies the live
//! rows into a fresh folder: the store gets smaller on disk and reads the
//! same. An app quitting with its store still shared prepares the copy,
//! which takes over at the next open unless something was written after
//! it. A crash at any step of the copy and swap loses nothing: the next
//! open finishes or undoes it.

use std::path::Path;
use std::sync::Arc;

use tidings::model::clock::{FixedClock, SeqIds};
use tidings::model::ids::ThreadId;
use tidings::model::op::ReactionTarget;
use tidings::render::RenderOptions;
use tidings::search::SearchQuery;
use tidings::store::{Closed, NewThread, Options, Store};
use tidings::views::PageRequest;

use crate::util::{ana_and_ben, t0};

/// Ana's store after Ben wrote a busy week into #general (threads,
/// comments, edits, reactions), closed without compacting.
fn busy_store() -> (tempfile::TempDir, Vec<ThreadId>) {
    let (ana, ben, general) = ana_and_ben();
    let mut threads = Vec::new();
    for t in 0..4 {
        let id = ben
            .store
            .create_thread(NewThread {
                channel: general,
                title: format!("Plan {t}"),
                body: format!("What we do about part {t} of the launch"),
                notify: vec![],
            })
            .unwrap();
        for i in 0..60 {
            let c = ben
                .store
                .add_comment(
                    id,
                    &format!("note {i} on part {t}: {}", "words ".repeat(30)),
                )
                .unwrap();
            if i % 3 == 0 {
                for round in 0..3 {
                    ben.store
                        .edit_comment(c, &format!("note {i} on part {t}, edit {round}: budget"))
                        .unwrap();
                }
                ben.store
                    .react(ReactionTarget::Comment(c), "👍", true)
                    .unwrap();
            }
        }
        threads.push(id);
    }
    // In small batches, as a sync catching up over days would bring them:
    // each batch rewrites the rows it touches.
    for batch in ben.ops().chunks(10) {
        ana.store.apply_remote(batch.to_vec()).unwrap();
    }
    let dir = ana.dir;
    drop(ana.store);
    (dir, threads)
}

fn open(dir: &Path, compact_above: u64) -> Store {
    Store::open(
        dir,
        Options {
            clock: Arc::new(FixedClock::new(t0())),
            ids: Arc::new(SeqIds::new(7_000)),
            compact_above_bytes: compact_above,
            ..Options::default()
        },
    )
    .unwrap()
}

/// What Ana sees, as JSON: her inbox, each thread's first page, a search,
/// the op log, and how many rows of each kind the store holds.
fn everything_shown(store: &Store, threads: &[ThreadId]) -> serde_json::Value {
    let pages: Vec<_> = threads
        .iter()
        .map(|t| {
            store
                .thread(*t, &PageRequest::first(100), RenderOptions::default())
                .unwrap()
        })
        .collect();
    let hits = store
        .search(&SearchQuery {
            text: "budget".into(),
            ..Default::default()
        })
        .unwrap();
    let mut ops = Vec::new();
    store.export_json(&mut ops).unwrap();
    let kinds: Vec<_> = store
        .space()
        .unwrap()
        .kinds
        .into_iter()
        .map(|(name, k)| (name, k.rows, k.key_bytes, k.value_bytes))
        .collect();
    serde_json::json!({
        "inbox": store.inbox(&PageRequest::first(50)).unwrap(),
        "threads": pages,
        "search": hits,
        "ops": String::from_utf8(ops).unwrap(),
        "kinds": kinds,
    })
}

#[test]
fn closing_compacts_a_log_that_outgrew_its_rows_and_the_store_reads_the_same() {
    let (dir, threads) = busy_store();
    let store = open(dir.path(), 1);
    let before = everything_shown(&store, &threads);
    let log_before = store.space().unwrap().log_file;
    let live = store.space().unwrap().live();
    assert!(
        log_before > 2 * live,
        "the test needs a log well past its rows: {log_before} bytes for {live}"
    );
    let done = match store.close().unwrap() {
        Closed::Compacted(c) => c,
        other => panic!("expected a compaction, got {other:?}"),
    };
    // A store this small is mostly sled's 512 KiB log segments, so it
    // shrinks little; at scale the copy is a third of the log
    // (BENCHMARKS.md).
    assert!(
        done.after < done.before,
        "compaction left {} of {} bytes",
        done.after,
        done.before
    );
    for leftover in ["store.compact", "store.old"] {
        assert!(
            !dir.path().join(leftover).exists(),
            "{leftover} left behind"
        );
    }
    // The copy's snapshot covers its whole log, so the next open replays
    // nothing (sled names snapshots `snap.<log position in hex>`).
    let log = std::fs::metadata(dir.path().join("store/db"))
        .unwrap()
        .len();
    let snapshot = std::fs::read_dir(dir.path().join("store"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().ok()?;
            u64::from_str_radix(name.strip_prefix("snap.")?, 16).ok()
        })
        .max()
        .unwrap_or(0);
    assert!(
        snapshot * 2 > log,
        "snapshot at {snapshot} of a {log}-byte log"
    );
    let store = open(dir.path(), 1);
    assert!(store.space().unwrap().log_file < log_before);
    assert_eq!(everything_shown(&store, &threads), before);
    // Writing goes on as before.
    store
        .add_comment(threads[0], "after the compaction")
        .unwrap();
    let shown = store
        .thread(
            threads[0],
            &PageRequest::first(100),
            RenderOptions::default(),
        )
        .unwrap();
    assert_eq!(
        shown.comments.items.last().unwrap().body_markdown,
        "after the compaction"
    );
}

#[test]
fn a_store_just_compacted_is_not_compacted_again_until_its_log_doubles() {
    let (dir, threads) = busy_store();
    let store = open(dir.path(), 1);
    assert!(matches!(store.close().unwrap(), Closed::Compacted(_)));
    let store = open(dir.path(), 1);
    store.add_comment(threads[1], "one more").unwrap();
    assert_eq!(store.close().unwrap(), Closed::Closed);
    let store = open(dir.path(), 1);
    let page = store
        .thread(
            threads[1],
            &PageRequest::first(100),
            RenderOptions::default(),
        )
        .unwrap();
    assert_eq!(
        page.comments.items.last().unwrap().body_markdown,
        "one more"
    );
}

/// Bytes of a folder's files.
fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() {
                folder_bytes(&e.path())
            } else {
                m.len()
            }
        })
        .sum()
}

#[test]
fn a_copy_prepared_while_the_store_is_shared_takes_over_at_the_next_open() {
    let (dir, threads) = busy_store();
    let d = dir.path();
    let store = open(d, 1);
    // The app's tasks hold the store when it quits: it cannot be closed.
    let held_by_a_task = store.clone();
    let before = everything_shown(&store, &threads);
    let size_before = folder_bytes(&d.join("store"));
    let prepared = store
        .prepare_compaction()
        .unwrap()
        .expect("a log past its rows is due");
    assert_eq!(prepared.before, size_before);
    assert!(d.join("store.compact").is_dir());
    // Until the next open, the store is the one in use, as it was.
    assert_eq!(folder_bytes(&d.join("store")), size_before);
    assert_eq!(everything_shown(&store, &threads), before);
    drop(held_by_a_task);
    drop(store);

    let store = open(d, 1);
    let size_after = folder_bytes(&d.join("store"));
    assert!(
        size_after < size_before,
        "the copy did not take over: {size_after} of {size_before} bytes"
    );
    for leftover in ["store.compact", "store.compact.ready", "store.old"] {
        assert!(!d.join(leftover).exists(), "{leftover} left behind");
    }
    assert_eq!(everything_shown(&store, &threads), before);
    // Just compacted: not due again at the next quit.
    assert_eq!(store.prepare_compaction().unwrap(), None);
    store.add_comment(threads[2], "after the swap").unwrap();
    drop(store);
    let store = open(d, 1);
    let page = store
        .thread(
            threads[2],
            &PageRequest::first(100),
            RenderOptions::default(),
        )
        .unwrap();
    assert_eq!(
        page.comments.items.last().unwrap().body_markdown,
        "after the swap"
    );
}

#[test]
fn a_write_after_the_copy_was_taken_keeps_the_store_and_drops_the_copy() {
    let (dir, threads) = busy_store();
    let d = dir.path();
    let store = open(d, 1);
    assert!(store.prepare_compaction().unwrap().is_some());
    // Something still running writes after the copy was taken.
    store
        .add_comment(threads[3], "written after the copy")
        .unwrap();
    // (Its search doc committed, so the scores below count it.)
    store.flush_search().unwrap();
    let before = everything_shown(&store, &threads);
    let log_before = store.space().unwrap().log_file;
    drop(store);

    let store = open(d, 1);
    let after = everything_shown(&store, &threads);
    for part in ["inbox", "threads", "search", "ops", "kinds"] {
        assert!(after[part] == before[part], "{part} differs");
    }
    // Not the copy: sled's log as it was (it never shrinks by itself).
    assert!(store.space().unwrap().log_file >= log_before);
    for leftover in ["store.compact", "store.compact.ready"] {
        assert!(!d.join(leftover).exists(), "{leftover} left behind");
    }
}

/// Each state a crash can leave between the steps of a compaction opens
/// with everything Ana had, and without the compaction's leftovers.
#[test]
fn a_crash_at_any_step_of_a_compaction_loses_nothing() {
    let (dir, threads) = busy_store();
    let store = open(dir.path(), u64::MAX);
    let shown = everything_shown(&store, &threads);
    drop(store);
    let d = dir.path();
    let junk = |folder: &str| {
        std::fs::create_dir_all(d.join(folder)).unwrap();
        std::fs::write(d.join(folder).join("db"), b"half a copy").unwrap();
    };
    // Killed while copying: a partial copy beside the store.
    junk("store.compact");
    let store = open(d, u64::MAX);
    assert_eq!(everything_shown(&store, &threads), shown);
    drop(store);
    assert!(!d.join("store.compact").exists());
    // Killed between the two renames: the store moved aside, the copy
    // (here a partial one) not in place yet.
    std::fs::rename(d.join("store"), d.join("store.old")).unwrap();
    junk("store.compact");
    let store = open(d, u64::MAX);
    assert_eq!(everything_shown(&store, &threads), shown);
    drop(store);
    // Killed before the old folder was removed: the copy is in place.
    junk("store.old");
    let store = open(d, u64::MAX);
    assert_eq!(everything_shown(&store, &threads), shown);
    drop(store);
    for leftover in ["store.compact", "store.old"] {
        assert!(!d.join(leftover).exists(), "{leftover} left behind");
    }

    // A copy prepared at a quit, then killed while it took over, between
    // the two renames: it takes over at the next open.
    let store = open(d, 1);
    let size_before = folder_bytes(&d.join("store"));
    assert!(store.prepare_compaction().unwrap().is_some());
    drop(store);
    std::fs::rename(d.join("store"), d.join("store.old")).unwrap();
    let store = open(d, 1);
    assert_eq!(everything_shown(&store, &threads), shown);
    assert!(folder_bytes(&d.join("store")) < size_before);
    drop(store);
    // Killed after the copy took over, before its marker went.
    std::fs::write(d.join("store.compact.ready"), b"stale").unwrap();
    junk("store.old");
    // Killed while copying, the marker not written yet.
    let store = open(d, u64::MAX);
    assert_eq!(everything_shown(&store, &threads), shown);
    drop(store);
    junk("store.compact");
    let store = open(d, u64::MAX);
    assert_eq!(everything_shown(&store, &threads), shown);
    drop(store);
    for leftover in ["store.compact", "store.compact.ready", "store.old"] {
        assert!(!d.join(leftover).exists(), "{leftover} left behind");
    }
}
