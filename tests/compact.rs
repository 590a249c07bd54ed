//! Closing a store whose sled log has outgrown its rows copies the live
//! rows into a fresh folder: the store gets smaller on disk and reads the
//! same. A crash at any step of the copy and swap loses nothing: the next
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
}
