//! Running out of disk, and a data folder that is read-only: each write
//! fails with a coded error that says what to do (`disk_full`,
//! `read_only`), nothing panics, and a refused write changes nothing this
//! session shows: no view (the digest of every derived row), thread,
//! inbox, search hit, op or change event. Refused by the free-space
//! reserve, the same session writes again once there is room; refused
//! because sled's own flush failed (the reserve turned off), the store
//! needs a restart, after which every acknowledged write is there and the
//! refused one is not.
//!
//! The disk is a small tmpfs the test mounts (root only; CI runs as root,
//! elsewhere each test prints why it skipped).

use std::sync::Arc;

use tidings::error::{Error, ErrorCode};
use tidings::model::clock::{FixedClock, SeqIds};
use tidings::model::ids::{CommentId, ThreadId};
use tidings::render::RenderOptions;
use tidings::search::SearchQuery;
use tidings::store::NewThread;
use tidings::views::{InboxItem, Page, PageRequest, MAX_PAGE};
use tidings::{Options, Store, DEFAULT_DISK_RESERVE_BYTES};

use crate::support::small_disk::SmallDisk;
use crate::util::{person, t0, Replica};

/// Room for a few fresh stores; the test fills what is left.
const DISK_BYTES: u64 = 32 * 1024 * 1024;

/// A body of about 1 KiB, so a full disk is reached in hundreds of writes,
/// with a word that finds exactly this comment.
fn body(i: usize) -> String {
    format!("marker{i} {}", "lorem ipsum dolor sit amet ".repeat(40))
}

/// The free space Tidings keeps by default before it refuses a write.
const RESERVE: u64 = DEFAULT_DISK_RESERVE_BYTES;

fn open(dir: &std::path::Path, seed: u64) -> Result<Store, Error> {
    open_with_reserve(dir, seed, RESERVE)
}

fn open_with_reserve(dir: &std::path::Path, seed: u64, reserve: u64) -> Result<Store, Error> {
    Store::open(
        dir,
        Options {
            clock: Arc::new(FixedClock::new(t0())),
            ids: Arc::new(SeqIds::new(seed)),
            disk_reserve_bytes: reserve,
            ..Options::default()
        },
    )
}

fn all_comments(store: &Store, t: ThreadId) -> Vec<(CommentId, String)> {
    try_all_comments(store, t).unwrap()
}

fn try_all_comments(store: &Store, t: ThreadId) -> Result<Vec<(CommentId, String)>, Error> {
    let mut seen = Vec::new();
    let mut page = PageRequest::first(MAX_PAGE);
    loop {
        let v = store.thread(t, &page, RenderOptions::default())?;
        seen.extend(
            v.comments
                .items
                .iter()
                .map(|c| (c.id, c.body_markdown.clone())),
        );
        match v.comments.next {
            Some(n) => page.cursor = Some(n),
            None => return Ok(seen),
        }
    }
}

/// Each comment's id and first word (its marker): short enough to read
/// in a failed assertion.
fn markers(comments: &[(CommentId, String)]) -> Vec<(CommentId, String)> {
    comments
        .iter()
        .map(|(id, body)| (*id, body.split(' ').next().unwrap_or("").to_string()))
        .collect()
}

fn finds(store: &Store, word: &str) -> usize {
    try_finds(store, word).unwrap()
}

fn try_finds(store: &Store, word: &str) -> Result<usize, Error> {
    Ok(store
        .search(&SearchQuery {
            text: word.into(),
            limit: 10,
            ..SearchQuery::default()
        })?
        .len())
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

/// Everything a person could see change after a write: every view (as
/// the digest of all derived rows), the thread, the inbox and the op log.
#[derive(Debug, PartialEq)]
struct Seen {
    digest: String,
    thread: Vec<(CommentId, String)>,
    inbox: Page<InboxItem>,
    ops: usize,
}

fn seen(store: &Store, t: ThreadId) -> Seen {
    try_seen(store, t).unwrap()
}

fn try_seen(store: &Store, t: ThreadId) -> Result<Seen, Error> {
    Ok(Seen {
        digest: store.view_digest()?,
        thread: markers(&try_all_comments(store, t)?),
        inbox: store.inbox(&PageRequest::first(MAX_PAGE))?,
        ops: store.op_count()?,
    })
}

/// After a refusal, what a person sees is what they saw before. When the
/// refusal came from a failed flush (its message says to restart), sled
/// 0.34 may refuse reads of pages it must fetch from disk too, with the
/// same error until the restart: then the person sees that error, never
/// the refused write. A refusal made before the store was touched (the
/// free-space check) leaves reads working.
fn unchanged(now: Result<Seen, Error>, before: &Seen, refusal: &Error, what: &str) {
    match now {
        Ok(now) => assert_eq!(&now, before, "{what}"),
        Err(e) => read_refused_after_failed_flush(&e, refusal),
    }
}

fn read_refused_after_failed_flush(e: &Error, refusal: &Error) {
    assert_disk_full(e);
    assert!(
        refusal.message.contains("restart"),
        "reads fail although the write was refused before it touched the store: {e}"
    );
}

/// The refused write's marker is nowhere a read can find it.
fn absent(store: &Store, marker: &str, refusal: &Error) {
    match try_anywhere(store, marker) {
        Ok(found) => assert!(!found, "{marker} is in the store"),
        Err(e) => read_refused_after_failed_flush(&e, refusal),
    }
}

/// Whether any trace of the comment with this marker is in the store: a
/// derived row (what views read) or the op log.
fn anywhere(store: &Store, marker: &str) -> bool {
    try_anywhere(store, marker).unwrap()
}

fn try_anywhere(store: &Store, marker: &str) -> Result<bool, Error> {
    let needle = format!("{marker} ");
    if store.derived_rows_contain(needle.as_bytes())? {
        return Ok(true);
    }
    for op in store.ops() {
        if op?
            .as_bytes()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Posts comments until one is refused; returns the acknowledged ones, the
/// refusal, and the refused comment's marker. Checks after the refusal
/// that nothing a person sees changed and no change event went out.
fn post_until_refused(
    store: &Store,
    t: ThreadId,
    acked: &mut Vec<(CommentId, String)>,
) -> (Error, String) {
    for i in acked.len()..5_000 {
        // Reads may already fail: the rows of the comment acknowledged last
        // (durable as a staged op) can meet the full disk when sled writes
        // them after the acknowledgement. Then the store is in the state of
        // a failed flush, and this write must be refused.
        let before = try_seen(store, t);
        let events = store.subscribe();
        match store.add_comment(t, &body(i)) {
            Ok(id) => {
                if let Err(e) = &before {
                    panic!("a comment was acknowledged while reads failed with {e}");
                }
                acked.push((id, body(i)))
            }
            Err(e) => {
                match &before {
                    Ok(before) => unchanged(
                        try_seen(store, t),
                        before,
                        &e,
                        "the refused comment changed a view",
                    ),
                    Err(read) => read_refused_after_failed_flush(read, &e),
                }
                assert!(
                    events.is_empty(),
                    "a change event went out for the refused comment"
                );
                let marker = format!("marker{i}");
                absent(store, &marker, &e);
                return (e, marker);
            }
        }
    }
    panic!("5,000 comments of 1 KiB never filled the disk")
}

#[test]
fn a_comment_refused_for_a_full_disk_changes_nothing_and_posting_works_once_there_is_room() {
    let Some(disk) = SmallDisk::mount(
        "a_comment_refused_for_a_full_disk_changes_nothing_and_posting_works_once_there_is_room",
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
    // Room for some more comments beyond what Tidings keeps free.
    disk.fill_leaving(RESERVE + 256 * 1024);

    let (refused, marker) = post_until_refused(&store, t, &mut acked);
    assert!(acked.len() > 20, "some comments fitted before the reserve");
    assert_disk_full(&refused);
    assert!(
        !refused.message.contains("restart"),
        "nothing to restart for: {refused}"
    );
    // Still full for a comment as large as the refused one (a shorter one
    // may fit: the reserve counts the op's bytes).
    let again = store.add_comment(t, &body(acked.len())).unwrap_err();
    assert_disk_full(&again);

    // Room again: the same session posts, and search never learnt of the
    // refused comment.
    disk.free();
    store.flush_search().unwrap();
    assert_eq!(
        finds(&store, &marker),
        0,
        "search found the refused comment"
    );
    let id = store.add_comment(t, "room again").unwrap();
    acked.push((id, "room again".into()));
    assert_eq!(markers(&all_comments(&store, t)), markers(&acked));
    drop(store);

    let store = open(&dir, 2).unwrap();
    assert_eq!(
        markers(&all_comments(&store, t)),
        markers(&acked),
        "after a restart"
    );
    assert!(!anywhere(&store, &marker));
    assert!(store.wait_searchable(std::time::Duration::from_secs(30)));
    assert_eq!(finds(&store, &marker), 0);
    assert_eq!(finds(&store, "marker0"), 1);
}

#[test]
fn a_comment_refused_when_the_flush_fails_never_shows_and_is_gone_after_a_restart() {
    let Some(disk) = SmallDisk::mount(
        "a_comment_refused_when_the_flush_fails_never_shows_and_is_gone_after_a_restart",
        DISK_BYTES,
    ) else {
        return;
    };
    let dir = disk.path().join("data");
    // No reserve: the disk fills in the middle of sled's own write, the
    // case the reserve cannot rule out (another program takes the space
    // between the check and the write).
    let store = open_with_reserve(&dir, 1, 0).unwrap();
    let t = thread_in(&store);
    let mut acked: Vec<_> = (0..20)
        .map(|i| (store.add_comment(t, &body(i)).unwrap(), body(i)))
        .collect();
    store.flush_search().unwrap();
    disk.fill_leaving(256 * 1024);

    let (refused, marker) = post_until_refused(&store, t, &mut acked);
    assert!(acked.len() > 20, "some comments fitted in the last 256 KiB");
    assert_disk_full(&refused);
    // sled keeps a failed log write as a sticky error: this store refuses
    // every write until it is opened again, even once there is room, and
    // the message says to restart.
    disk.free();
    let after_free = store.add_comment(t, "after free").unwrap_err();
    assert_disk_full(&after_free);
    assert!(after_free.message.contains("restart"), "{after_free}");
    absent(&store, &marker, &refused);
    store.flush_search().unwrap();
    match try_finds(&store, &marker) {
        Ok(n) => assert_eq!(n, 0, "search found the refused comment"),
        Err(e) => read_refused_after_failed_flush(&e, &refused),
    }
    drop(store);

    let store = open(&dir, 2).unwrap();
    assert_eq!(
        markers(&all_comments(&store, t)),
        markers(&acked),
        "every acknowledged comment and nothing else after a restart"
    );
    assert!(!anywhere(&store, &marker));
    let last = acked.len() - 1;
    assert!(store.wait_searchable(std::time::Duration::from_secs(30)));
    assert_eq!(finds(&store, &format!("marker{last}")), 1);
    assert_eq!(finds(&store, "marker0"), 1);
    assert_eq!(finds(&store, &marker), 0);
    // Writable again.
    let id = store.add_comment(t, "room again").unwrap();
    assert!(all_comments(&store, t).iter().any(|(c, _)| *c == id));
}

/// Ana's thread with 2,000 comments, and Ben on the small disk with the
/// workspace, channel and thread (they arrived while there was room).
fn ben_behind_ana(dir: &std::path::Path, reserve: u64) -> (Replica, ThreadId, Store) {
    let ana = Replica::new_in_ram(1);
    let t = thread_in(&ana.store);
    let ben = open_with_reserve(dir, 2, reserve).unwrap();
    ben.apply_remote(ana.ops()).unwrap();
    ben.join_as(person("Ben", "UTC")).unwrap();
    for i in 0..2_000 {
        ana.store.add_comment(t, &body(i)).unwrap();
    }
    (ana, t, ben)
}

/// Applies Ana's ops to Ben on a full disk: refused with `disk_full`, and
/// nothing of the batch shows: no view, no op, no change event.
fn batch_refused_changes_nothing(ana: &Replica, t: ThreadId, ben: &Store) {
    let before = seen(ben, t);
    let events = ben.subscribe();
    let e = ben.apply_remote(ana.ops()).unwrap_err();
    assert_disk_full(&e);
    unchanged(
        try_seen(ben, t),
        &before,
        &e,
        "the refused batch changed a view",
    );
    assert!(
        events.is_empty(),
        "a change event went out for the refused batch"
    );
    absent(ben, "marker0", &e);
    absent(ben, "marker1999", &e);
}

fn ben_equals_ana(ana: &Replica, t: ThreadId, ben: &Store) {
    let mut theirs: Vec<_> = all_comments(&ana.store, t);
    let mut mine: Vec<_> = all_comments(ben, t);
    theirs.sort();
    mine.sort();
    assert_eq!(mine.len(), 2_000);
    assert!(
        mine == theirs,
        "Ben's thread equals Ana's once the batch is in"
    );
    assert!(ben.wait_searchable(std::time::Duration::from_secs(30)));
    assert_eq!(finds(ben, "marker1999"), 1);
    assert_eq!(finds(ben, "marker0"), 1);
}

#[test]
fn a_sync_batch_refused_for_a_full_disk_changes_nothing_and_applies_once_there_is_room() {
    let Some(disk) = SmallDisk::mount(
        "a_sync_batch_refused_for_a_full_disk_changes_nothing_and_applies_once_there_is_room",
        DISK_BYTES,
    ) else {
        return;
    };
    let dir = disk.path().join("data");
    let (ana, t, ben) = ben_behind_ana(&dir, RESERVE);
    disk.fill();
    batch_refused_changes_nothing(&ana, t, &ben);

    // Room again: the same session takes the batch.
    disk.free();
    ben.apply_remote(ana.ops()).unwrap();
    ben_equals_ana(&ana, t, &ben);
}

#[test]
fn a_sync_batch_whose_flush_fails_changes_nothing_and_applies_fully_after_a_restart() {
    let Some(disk) = SmallDisk::mount(
        "a_sync_batch_whose_flush_fails_changes_nothing_and_applies_fully_after_a_restart",
        DISK_BYTES,
    ) else {
        return;
    };
    let dir = disk.path().join("data");
    let (ana, t, ben) = ben_behind_ana(&dir, 0);
    disk.fill();
    batch_refused_changes_nothing(&ana, t, &ben);
    drop(ben);

    disk.free();
    let ben = open(&dir, 3).unwrap();
    assert!(
        !anywhere(&ben, "marker0"),
        "a refused batch is not there after a restart"
    );
    assert!(!anywhere(&ben, "marker1999"));
    ben.apply_remote(ana.ops()).unwrap();
    ben_equals_ana(&ana, t, &ben);
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
