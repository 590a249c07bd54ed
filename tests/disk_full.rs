//! Running out of disk, and a data folder that is read-only: each write
//! fails with a coded error that says what to do (`disk_full`,
//! `read_only`), nothing panics, and once there is room again the store
//! opens with every write that was acknowledged, its views and its search
//! agreeing.
//!
//! The disk is a small tmpfs the test mounts (root only; CI runs as root,
//! elsewhere each test prints why it skipped).

use std::collections::HashSet;
use std::sync::Arc;

use tidings::error::{Error, ErrorCode};
use tidings::model::clock::{FixedClock, SeqIds};
use tidings::model::ids::{CommentId, ThreadId};
use tidings::render::RenderOptions;
use tidings::search::SearchQuery;
use tidings::store::NewThread;
use tidings::views::{PageRequest, MAX_PAGE};
use tidings::{Options, Store};

use crate::support::small_disk::SmallDisk;
use crate::util::{person, t0, Replica};

/// Room for a few fresh stores; the test fills what is left.
const DISK_BYTES: u64 = 32 * 1024 * 1024;

/// A body of about 1 KiB, so a full disk is reached in hundreds of writes,
/// with a word that finds exactly this comment.
fn body(i: usize) -> String {
    format!("marker{i} {}", "lorem ipsum dolor sit amet ".repeat(40))
}

fn open(dir: &std::path::Path, seed: u64) -> Result<Store, Error> {
    Store::open(
        dir,
        Options {
            clock: Arc::new(FixedClock::new(t0())),
            ids: Arc::new(SeqIds::new(seed)),
            ..Options::default()
        },
    )
}

fn all_comments(store: &Store, t: ThreadId) -> Vec<(CommentId, String)> {
    let mut seen = Vec::new();
    let mut page = PageRequest::first(MAX_PAGE);
    loop {
        let v = store.thread(t, &page, RenderOptions::default()).unwrap();
        seen.extend(
            v.comments
                .items
                .iter()
                .map(|c| (c.id, c.body_markdown.clone())),
        );
        match v.comments.next {
            Some(n) => page.cursor = Some(n),
            None => return seen,
        }
    }
}

fn finds(store: &Store, word: &str) -> usize {
    store
        .search(&SearchQuery {
            text: word.into(),
            limit: 10,
            ..SearchQuery::default()
        })
        .unwrap()
        .len()
}

fn assert_disk_full(e: &Error) {
    assert_eq!(e.code, ErrorCode::DiskFull, "{e}");
    assert!(
        e.message.contains("disk") && e.message.contains("free"),
        "says the disk is full and to free space: {e}"
    );
}

fn thread_in(store: &Store) -> ThreadId {
    store
        .create_workspace("Acme", person("Ana", "UTC"))
        .unwrap();
    let c = store.create_channel("general", "").unwrap();
    store
        .create_thread(NewThread {
            channel: c,
            title: "Roadmap".into(),
            body: "first".into(),
            notify: vec![],
        })
        .unwrap()
}

#[test]
fn posting_on_a_full_disk_fails_with_disk_full_and_keeps_every_acknowledged_comment() {
    let Some(disk) = SmallDisk::mount(
        "posting_on_a_full_disk_fails_with_disk_full_and_keeps_every_acknowledged_comment",
        DISK_BYTES,
    ) else {
        return;
    };
    let dir = disk.path().join("data");
    let store = open(&dir, 1).unwrap();
    let t = thread_in(&store);
    let mut acked: Vec<_> = (0..20)
        .map(|i| (store.add_comment(t, &body(i)).unwrap(), body(i)))
        .collect();
    store.flush_search().unwrap();
    // Room for some more comments, so the disk fills in the middle of
    // posting, wherever sled or the search index happens to be writing.
    disk.fill_leaving(256 * 1024);

    let mut refused = None;
    for i in 20..5_000 {
        match store.add_comment(t, &body(i)) {
            Ok(id) => acked.push((id, body(i))),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let refused = refused.expect("5,000 comments of 1 KiB never filled the disk");
    assert!(acked.len() > 20, "some comments fitted in the last 256 KiB");
    assert_disk_full(&refused);
    // Still full: the next post is refused the same way, and nothing panics.
    let again = store.add_comment(t, "one more").unwrap_err();
    assert_disk_full(&again);
    // sled keeps a failed log write as a sticky error: this store refuses
    // every write until it is opened again, even once there is room, and
    // the message says to restart. (The refused comment may show in this
    // session's views; it was never acknowledged.)
    disk.free();
    let after_free = store.add_comment(t, "after free").unwrap_err();
    assert_disk_full(&after_free);
    assert!(after_free.message.contains("restart"), "{after_free}");
    drop(store);

    let store = open(&dir, 2).unwrap();
    let shown: HashSet<_> = all_comments(&store, t).into_iter().collect();
    for c in &acked {
        assert!(shown.contains(c), "acknowledged comment {} is gone", c.0);
    }
    let last = acked.len() - 1;
    assert!(store.wait_searchable(std::time::Duration::from_secs(30)));
    assert_eq!(
        finds(&store, &format!("marker{last}")),
        1,
        "search has the last acknowledged comment"
    );
    assert_eq!(finds(&store, "marker0"), 1);
    // Writable again.
    let id = store.add_comment(t, "room again").unwrap();
    assert!(all_comments(&store, t).iter().any(|(c, _)| *c == id));
}

#[test]
fn a_sync_batch_on_a_full_disk_fails_with_disk_full_and_applies_fully_once_there_is_room() {
    let Some(disk) = SmallDisk::mount(
        "a_sync_batch_on_a_full_disk_fails_with_disk_full_and_applies_fully_once_there_is_room",
        DISK_BYTES,
    ) else {
        return;
    };
    let ana = Replica::new_in_ram(1);
    let t = thread_in(&ana.store);
    let dir = disk.path().join("data");
    let ben = open(&dir, 2).unwrap();
    // The workspace, channel and thread arrive while there is room.
    ben.apply_remote(ana.ops()).unwrap();
    ben.join_as(person("Ben", "UTC")).unwrap();
    for i in 0..2_000 {
        ana.store.add_comment(t, &body(i)).unwrap();
    }
    disk.fill();

    let e = ben.apply_remote(ana.ops()).unwrap_err();
    assert_disk_full(&e);
    drop(ben);

    disk.free();
    let ben = open(&dir, 3).unwrap();
    assert!(
        ben.thread(t, &PageRequest::first(1), RenderOptions::default())
            .is_ok(),
        "the thread acknowledged before the disk filled is still there"
    );
    ben.apply_remote(ana.ops()).unwrap();
    let mut theirs: Vec<_> = all_comments(&ana.store, t);
    let mut mine: Vec<_> = all_comments(&ben, t);
    theirs.sort();
    mine.sort();
    assert_eq!(mine.len(), 2_000);
    assert_eq!(
        mine, theirs,
        "Ben's thread equals Ana's once the batch is in"
    );
    assert!(ben.wait_searchable(std::time::Duration::from_secs(30)));
    assert_eq!(finds(&ben, "marker1999"), 1);
    assert_eq!(finds(&ben, "marker0"), 1);
}

#[test]
fn a_read_only_data_folder_fails_with_read_only_and_opens_intact_once_writable() {
    let Some(disk) = SmallDisk::mount(
        "a_read_only_data_folder_fails_with_read_only_and_opens_intact_once_writable",
        DISK_BYTES,
    ) else {
        return;
    };
    let dir = disk.path().join("data");
    let (t, acked) = {
        let store = open(&dir, 1).unwrap();
        let t = thread_in(&store);
        let acked: Vec<_> = (0..20)
            .map(|i| (store.add_comment(t, &body(i)).unwrap(), body(i)))
            .collect();
        (t, acked)
    };
    disk.set_read_only(true);
    let e = open(&dir, 2)
        .err()
        .expect("a read-only data folder does not open for writing");
    assert_eq!(e.code, ErrorCode::ReadOnly, "{e}");
    assert!(e.message.contains("read-only"), "says why: {e}");

    disk.set_read_only(false);
    let store = open(&dir, 3).unwrap();
    assert_eq!(all_comments(&store, t), acked);
    assert!(store.wait_searchable(std::time::Duration::from_secs(30)));
    assert_eq!(finds(&store, "marker19"), 1);
    store.add_comment(t, "writable again").unwrap();
}
