//! Ops are made durable before they take effect (`store::staged`), and
//! each is written once: into the log, with a key-only marker that the
//! write taking effect removes. An op saved the older way (the whole op
//! kept in `staged`, not yet in the log) still applies at the next open.

use tidings::model::signed::SignedOp;
use tidings::render::RenderOptions;
use tidings::store::NewThread;
use tidings::views::PageRequest;

use crate::util::{ana_and_ben, comment_bodies};

/// The written bytes and keys of one kind in a store's session tally.
fn written(store: &tidings::Store, kind: &str) -> tidings::store::KindBytes {
    store
        .written_by_kind()
        .into_iter()
        .find(|(k, _)| k == kind)
        .map(|(_, b)| b)
        .unwrap_or_default()
}

#[test]
fn a_post_and_an_arriving_batch_write_each_op_once() {
    let (ana, ben, general) = ana_and_ben();
    let before = (written(&ana.store, "Ops"), written(&ana.store, "Staged"));
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Once".into(),
            body: "Each op once".into(),
            notify: vec![],
        })
        .unwrap();
    let ops = written(&ana.store, "Ops");
    let staged = written(&ana.store, "Staged");
    let op_len = ana.ops().last().unwrap().as_bytes().len() as u64;
    assert_eq!(ops.rows - before.0.rows, 1, "one log write for one op");
    assert_eq!(ops.value_bytes - before.0.value_bytes, op_len);
    // The marker, then its removal: keys only.
    assert_eq!(staged.rows - before.1.rows, 2);
    assert_eq!(staged.value_bytes, before.1.value_bytes);

    let before = (written(&ben.store, "Ops"), written(&ben.store, "Staged"));
    for i in 0..20 {
        ana.store.add_comment(t, &format!("comment {i}")).unwrap();
    }
    let report = ana.send_to(&ben);
    assert_eq!(report.applied.len(), 21);
    let ops = written(&ben.store, "Ops");
    let staged = written(&ben.store, "Staged");
    assert_eq!(ops.rows - before.0.rows, 21);
    assert_eq!(staged.rows - before.1.rows, 42);
    assert_eq!(staged.value_bytes, before.1.value_bytes);
    assert_eq!(comment_bodies(&ben, t).len(), 20);
}

/// The tag of the `staged` kind in the store's one sled tree (its place
/// in `store::trees::T`), as schema 5 lays it out.
const STAGED_TAG: u8 = 34;

#[test]
fn an_op_saved_whole_by_an_older_tidings_applies_at_the_next_open() {
    let (mut ana, ben, general) = ana_and_ben();
    let t = ben
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Saved the old way".into(),
            body: "Before markers".into(),
            notify: vec![],
        })
        .unwrap();
    ben.send_to(&ana);
    ben.store.add_comment(t, "the comment in staged").unwrap();
    let comment: SignedOp = ben.ops().last().unwrap().clone();
    let key = comment.decode_unverified().unwrap().id.to_key();
    // Ana has the thread; the comment waits in her `staged`, whole and not
    // in her log, as Tidings up to 0327850 left an op whose effects had
    // not landed when it stopped.
    let dir = ana.dir.path().to_path_buf();
    let placeholder = tempfile::tempdir().unwrap();
    drop(std::mem::replace(
        &mut ana.store,
        tidings::Store::open(placeholder.path(), Default::default()).unwrap(),
    ));
    {
        let db = sled::open(dir.join("store")).unwrap();
        let mut staged_key = vec![STAGED_TAG];
        staged_key.extend_from_slice(&key);
        db.open_tree("data")
            .unwrap()
            .insert(staged_key, comment.as_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    ana.reopen();
    let page = ana
        .store
        .thread(t, &PageRequest::first(10), RenderOptions::default())
        .unwrap();
    let bodies: Vec<_> = page
        .comments
        .items
        .iter()
        .map(|c| c.body_markdown.as_str())
        .collect();
    assert_eq!(bodies, ["the comment in staged"]);
    assert_eq!(page.summary.comments, 1);
    assert!(ana.ops().iter().any(|o| o.as_bytes() == comment.as_bytes()));
    // Applied once: opening again changes nothing.
    ana.reopen();
    let again = ana
        .store
        .thread(t, &PageRequest::first(10), RenderOptions::default())
        .unwrap();
    assert_eq!(again.summary.comments, 1);
}
