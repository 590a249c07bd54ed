//! A thread with 10,000 comments: read page by page forward and back, the
//! first-unread jump names the right comment, and a page read touches one
//! page of comment rows, never the whole thread.

use chrono::Duration;
use tidings::model::ids::{CommentId, ThreadId};
use tidings::render::RenderOptions;
use tidings::store::{comment_reads_on_this_thread, NewThread};
use tidings::views::{PageRequest, ThreadView, MAX_PAGE};

use crate::util::{person, Replica};

const COMMENTS: usize = 10_000;
const PAGE: usize = MAX_PAGE;
/// Comment rows a page read may touch beyond the page itself: the one that
/// shows there is a next page and the latest comment for the snippet.
const PAGE_SLACK: u64 = 2;

/// Ana's thread in which Ben wrote `COMMENTS` comments ("comment 0" …),
/// applied on Ana's replica as one sync batch.
fn long_thread() -> (Replica, ThreadId) {
    let ana = Replica::new_in_ram(1);
    let ben = Replica::new_in_ram(2);
    ana.store
        .create_workspace("Acme", person("Ana", "Europe/Lisbon"))
        .unwrap();
    let c = ana.store.create_channel("general", "").unwrap();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: c,
            title: "Long one".into(),
            body: "Say anything".into(),
            notify: vec![],
        })
        .unwrap();
    ana.send_to(&ben);
    ben.store.join_as(person("Ben", "Asia/Tokyo")).unwrap();
    for i in 0..COMMENTS {
        ben.clock.advance(Duration::milliseconds(1));
        ben.store.add_comment(t, &format!("comment {i}")).unwrap();
    }
    let report = ben.send_to(&ana);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!((report.pending, report.from_future), (0, 0));
    (ana, t)
}

/// Reads one page and the number of comment rows the read touched.
fn read_page(r: &Replica, t: ThreadId, cursor: Option<String>) -> (ThreadView, u64) {
    let before = comment_reads_on_this_thread();
    let view = r
        .store
        .thread(
            t,
            &PageRequest {
                cursor,
                limit: PAGE,
            },
            RenderOptions::default(),
        )
        .unwrap();
    (view, comment_reads_on_this_thread() - before)
}

fn bodies(v: &ThreadView) -> Vec<String> {
    v.comments
        .items
        .iter()
        .map(|c| c.body_markdown.clone())
        .collect()
}

#[test]
fn ten_thousand_comments_page_forward_and_back_and_jump_to_the_first_unread() {
    let (ana, t) = long_thread();

    // Forward: full pages in order, meeting without gaps or overlaps.
    let mut cursors: Vec<Option<String>> = vec![None];
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut ids: Vec<CommentId> = Vec::new();
    let mut ops = Vec::new();
    loop {
        let cursor = cursors.last().cloned().flatten();
        let (view, touched) = read_page(&ana, t, cursor);
        assert!(
            touched <= PAGE as u64 + PAGE_SLACK,
            "page {} read {touched} comment rows for {PAGE} comments",
            pages.len()
        );
        assert_eq!(view.comments.items.len(), PAGE, "page {}", pages.len());
        ids.extend(view.comments.items.iter().map(|c| c.id));
        ops.extend(view.comments.items.iter().map(|c| c.op));
        pages.push(bodies(&view));
        match view.comments.next {
            Some(next) => cursors.push(Some(next)),
            None => break,
        }
    }
    assert_eq!(pages.len(), COMMENTS / PAGE);
    let all: Vec<String> = pages.concat();
    let expected: Vec<String> = (0..COMMENTS).map(|i| format!("comment {i}")).collect();
    assert_eq!(all, expected, "pages are in order with no gap or overlap");

    // Back: from the last page to the first, each cursor gives the same page.
    for (n, cursor) in cursors.iter().enumerate().rev() {
        let (view, touched) = read_page(&ana, t, cursor.clone());
        assert!(touched <= PAGE as u64 + PAGE_SLACK, "page {n}: {touched}");
        assert_eq!(bodies(&view), pages[n], "page {n} read backwards");
    }

    // Ana read up to comment #7,311: #7,312 (index 7311) is the first unread.
    let first_unread = 7_311;
    ana.store.mark_read(t, Some(ops[first_unread - 1])).unwrap();
    let (view, touched) = read_page(&ana, t, None);
    assert!(touched <= PAGE as u64 + PAGE_SLACK, "{touched}");
    assert_eq!(view.first_unread, Some(ids[first_unread]));
    assert!(!view.root_unread);
    // The page holding it marks exactly the comments from there on unread.
    let n = first_unread / PAGE;
    let (view, _) = read_page(&ana, t, cursors[n].clone());
    let unread: Vec<bool> = view.comments.items.iter().map(|c| c.unread).collect();
    let split = first_unread - n * PAGE;
    assert!(unread[..split].iter().all(|u| !u), "{unread:?}");
    assert!(unread[split..].iter().all(|u| *u), "{unread:?}");
    assert_eq!(view.comments.items[split].id, ids[first_unread]);
}
