//! Writers on several threads share one flush (`Store::commit_local`
//! releases the writer lock while its ops reach the disk) and still lose
//! nothing: each write's effects are worked out again when another write
//! committed while it was being flushed.

use std::collections::HashSet;

use tidings::render::RenderOptions;
use tidings::store::NewThread;
use tidings::views::PageRequest;

use crate::util::{all_comment_ids, ana_and_ben};

#[test]
fn four_threads_posting_into_one_thread_lose_no_comment_and_no_count() {
    let (ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Busy".into(),
            body: "Everyone at once".into(),
            notify: vec![],
        })
        .unwrap();
    const WRITERS: usize = 4;
    const EACH: usize = 40;
    let ids: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let store = ana.store.clone();
                s.spawn(move || {
                    (0..EACH)
                        .map(|i| {
                            store
                                .add_comment(t, &format!("writer {w} comment {i}"))
                                .unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let ids: HashSet<_> = ids.into_iter().collect();
    assert_eq!(ids.len(), WRITERS * EACH);
    assert_eq!(all_comment_ids(&ana.store, t), ids);
    let summary = ana
        .store
        .thread(t, &PageRequest::first(1), RenderOptions::default())
        .unwrap()
        .summary;
    assert_eq!(
        summary.comments as usize,
        WRITERS * EACH,
        "the thread row counts every comment"
    );
    // The same on a teammate's replica, built from the ops alone.
    ana.send_to(&ben);
    let theirs = ben
        .store
        .thread(t, &PageRequest::first(1), RenderOptions::default())
        .unwrap()
        .summary;
    assert_eq!(theirs.comments, summary.comments);
    assert_eq!(
        theirs.snippet, summary.snippet,
        "both show the latest comment"
    );
    assert_eq!(all_comment_ids(&ben.store, t), ids);
}
