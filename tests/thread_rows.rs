//! A comment rewrites its thread's list row (counts, snippet, who took
//! part), not the thread's opening post: a long opening post costs once,
//! when the thread starts, and not again with every answer. The post is
//! still all there, in the thread, in search and in the list's snippet
//! once the only answer is deleted.

use tidings::render::RenderOptions;
use tidings::search::{DocKind, SearchQuery};
use tidings::store::NewThread;
use tidings::views::PageRequest;

use crate::util::ana_and_ben;

/// Bytes of thread rows a store wrote in this session.
fn thread_row_bytes(store: &tidings::Store) -> u64 {
    store
        .written_by_kind()
        .into_iter()
        .find(|(k, _)| k == "Threads")
        .map(|(_, b)| b.key_bytes + b.value_bytes)
        .unwrap_or_default()
}

#[test]
fn an_answer_does_not_write_the_opening_post_again() {
    let (ana, ben, general) = ana_and_ben();
    let opening = format!("A long proposal. {}", "Each section says why. ".repeat(200));
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Proposal".into(),
            body: opening.clone(),
            notify: vec![],
        })
        .unwrap();
    ana.send_to(&ben);
    ben.store.add_comment(t, "First thoughts").unwrap();
    ben.send_to(&ana);

    let before = thread_row_bytes(&ana.store);
    let answer = ana.store.add_comment(t, "Thanks, answering below").unwrap();
    let per_answer = thread_row_bytes(&ana.store) - before;
    assert!(per_answer > 0, "the answer updates the thread's list row");
    assert!(
        per_answer < 1_000,
        "one answer wrote {per_answer} bytes of thread rows; the opening post alone is {} bytes",
        opening.len()
    );

    // The opening post is whole where it is shown.
    let view = ben
        .store
        .thread(t, &PageRequest::first(50), RenderOptions::default())
        .unwrap();
    assert_eq!(view.body_markdown, opening);
    assert!(view.body_html.contains("Each section says why."));
    ben.store.flush_search().unwrap();
    let hits = ben
        .store
        .search(&SearchQuery {
            text: "section".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(
        hits.iter()
            .any(|h| h.hit.kind == DocKind::Thread && h.hit.thread == Some(t)),
        "the opening post is found by its words"
    );
    // With every answer deleted, the list shows the opening post again.
    ana.send_to(&ben);
    let first = ben
        .store
        .thread(t, &PageRequest::first(50), RenderOptions::default())
        .unwrap();
    let bens = first.comments.items.iter().find(|c| c.mine).unwrap().id;
    ben.store.delete_comment(bens).unwrap();
    ana.store.delete_comment(answer).unwrap();
    ana.send_to(&ben);
    let page = ben
        .store
        .channel_threads(general, &PageRequest::first(10))
        .unwrap();
    let row = page.items.iter().find(|s| s.id == t).unwrap();
    assert!(
        row.snippet.starts_with("A long proposal."),
        "{}",
        row.snippet
    );
    assert_eq!(
        row.participants.len(),
        2,
        "both took part, whatever was deleted"
    );
}
