//! A thread with 10,000 comments: read page by page forward and back, the
//! first-unread jump names the right comment, the thread opens at the
//! first unread comment (or a linked one) with context before it and pages
//! from there both ways, and a page read touches one page of comment rows,
//! never the whole thread. Cursors and anchors that do not belong to the
//! thread get a clear answer.

use chrono::Duration;
use tidings::model::ids::{CommentId, ThreadId};
use tidings::render::RenderOptions;
use tidings::store::{comment_reads_on_this_thread, NewThread};
use tidings::views::{PageRequest, ThreadAt, ThreadView, ThreadWindow, MAX_PAGE};
use tidings::ErrorCode;

use crate::util::{person, Replica};

const COMMENTS: usize = 10_000;
const PAGE: usize = MAX_PAGE;
/// Comment rows a page read may touch beyond the page itself: one past
/// each edge (showing there is a next page, and an earlier one), the latest
/// comment for the snippet, and the comment a window was asked to open at.
const PAGE_SLACK: u64 = 4;

/// Ana's thread in which Ben wrote `COMMENTS` comments ("comment 0" …),
/// applied on Ana's replica as one sync batch; their ids in order.
fn long_thread() -> (Replica, ThreadId, Vec<CommentId>) {
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
    let ids = (0..COMMENTS)
        .map(|i| {
            ben.clock.advance(Duration::milliseconds(1));
            ben.store.add_comment(t, &format!("comment {i}")).unwrap()
        })
        .collect();
    let report = ben.send_to(&ana);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!((report.pending, report.from_future), (0, 0));
    (ana, t, ids)
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

/// Opens a thread at `comment` (my first unread for None) with `before`
/// comments of context in a window of `limit`; the window and the number
/// of comment rows the read touched.
fn open_at(
    r: &Replica,
    t: ThreadId,
    comment: Option<CommentId>,
    before: usize,
    limit: usize,
) -> (ThreadWindow, u64) {
    let before_reads = comment_reads_on_this_thread();
    let w = r
        .store
        .thread_at(
            t,
            &ThreadAt {
                comment,
                before,
                limit,
            },
            RenderOptions::default(),
        )
        .unwrap();
    (w, comment_reads_on_this_thread() - before_reads)
}

/// Reads the page back from `cursor` and the comment rows it touched.
fn read_back(r: &Replica, t: ThreadId, cursor: Option<String>, limit: usize) -> (ThreadView, u64) {
    let before = comment_reads_on_this_thread();
    let view = r
        .store
        .thread_before(t, &PageRequest { cursor, limit }, RenderOptions::default())
        .unwrap();
    (view, comment_reads_on_this_thread() - before)
}

fn ids_of(v: &ThreadView) -> Vec<CommentId> {
    v.comments.items.iter().map(|c| c.id).collect()
}

fn bodies(v: &ThreadView) -> Vec<String> {
    v.comments
        .items
        .iter()
        .map(|c| c.body_markdown.clone())
        .collect()
}

/// One 10,000-comment fixture (about ten seconds to build) for both
/// scenarios; the second reads further than the first (read markers only
/// move forward).
#[test]
fn ten_thousand_comments_page_both_ways_and_open_at_the_first_unread_reading_one_page() {
    let (ana, t, ids) = long_thread();
    page_forward_and_back_and_jump_to_the_first_unread(&ana, t);
    open_at_the_first_unread_and_page_back_to_the_start_and_on_to_the_end(&ana, t, &ids);
}

fn page_forward_and_back_and_jump_to_the_first_unread(ana: &Replica, t: ThreadId) {
    // Forward: full pages in order, meeting without gaps or overlaps.
    let mut cursors: Vec<Option<String>> = vec![None];
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut ids: Vec<CommentId> = Vec::new();
    let mut ops = Vec::new();
    loop {
        let cursor = cursors.last().cloned().flatten();
        let (view, touched) = read_page(ana, t, cursor);
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
        let (view, touched) = read_page(ana, t, cursor.clone());
        assert!(touched <= PAGE as u64 + PAGE_SLACK, "page {n}: {touched}");
        assert_eq!(bodies(&view), pages[n], "page {n} read backwards");
    }

    // Ana read up to comment #7,311: #7,312 (index 7311) is the first unread.
    let first_unread = 7_311;
    ana.store.mark_read(t, Some(ops[first_unread - 1])).unwrap();
    let (view, touched) = read_page(ana, t, None);
    assert!(touched <= PAGE as u64 + PAGE_SLACK, "{touched}");
    assert_eq!(view.first_unread, Some(ids[first_unread]));
    assert!(!view.root_unread);
    // The page holding it marks exactly the comments from there on unread.
    let n = first_unread / PAGE;
    let (view, _) = read_page(ana, t, cursors[n].clone());
    let unread: Vec<bool> = view.comments.items.iter().map(|c| c.unread).collect();
    let split = first_unread - n * PAGE;
    assert!(unread[..split].iter().all(|u| !u), "{unread:?}");
    assert!(unread[split..].iter().all(|u| *u), "{unread:?}");
    assert_eq!(view.comments.items[split].id, ids[first_unread]);
}

fn open_at_the_first_unread_and_page_back_to_the_start_and_on_to_the_end(
    ana: &Replica,
    t: ThreadId,
    ids: &[CommentId],
) {
    const WINDOW: usize = 50;
    const CONTEXT: usize = 5;

    // Ana read up to comment #9,500: #9,501 (index 9,500) is her first
    // unread. The thread opens there, one window read.
    let first_unread = 9_500;
    let (w, _) = open_at(ana, t, Some(ids[first_unread - 1]), 0, 1);
    let read_up_to = w.thread.comments.items[0].op;
    ana.store.mark_read(t, Some(read_up_to)).unwrap();
    let (w, touched) = open_at(ana, t, None, CONTEXT, WINDOW);
    assert!(
        touched <= WINDOW as u64 + PAGE_SLACK,
        "opening the window read {touched} comment rows for {WINDOW} comments"
    );
    assert_eq!(w.anchor, Some(ids[first_unread]));
    assert!(!w.anchor_missing);
    assert_eq!(w.thread.first_unread, Some(ids[first_unread]));
    assert_eq!(
        ids_of(&w.thread),
        ids[first_unread - CONTEXT..first_unread - CONTEXT + WINDOW],
        "{CONTEXT} comments of context, then the first unread and what follows"
    );
    let unread: Vec<bool> = w.thread.comments.items.iter().map(|c| c.unread).collect();
    assert!(unread[..CONTEXT].iter().all(|u| !u), "{unread:?}");
    assert!(unread[CONTEXT..].iter().all(|u| *u), "{unread:?}");

    // A forward read from the window's `prev` gives the window again (how
    // the app refreshes it in place).
    let (again, touched) = read_page(ana, t, w.thread.comments.prev.clone());
    assert!(touched <= PAGE as u64 + PAGE_SLACK, "{touched}");
    assert_eq!(
        ids_of(&again)[..WINDOW],
        ids_of(&w.thread)[..],
        "re-reading forward from the window's prev"
    );

    // Back to the start with `prev`, on to the end with `next`: every
    // comment exactly once, in order, each page at most its limit and
    // costing one page of reads.
    let mut seen = ids_of(&w.thread);
    let mut prev = w.thread.comments.prev.clone();
    let mut pages = 0;
    while let Some(cursor) = prev {
        let (page, touched) = read_back(ana, t, Some(cursor), PAGE);
        assert!(
            touched <= PAGE as u64 + PAGE_SLACK,
            "back page {pages}: {touched}"
        );
        let got = ids_of(&page);
        assert!(
            !got.is_empty() && got.len() <= PAGE,
            "back page {pages}: {}",
            got.len()
        );
        assert!(
            page.comments.next.is_some(),
            "back page {pages} has later comments"
        );
        seen.splice(0..0, got);
        prev = page.comments.prev;
        pages += 1;
    }
    assert_eq!(pages, (first_unread - CONTEXT).div_ceil(PAGE));
    let mut next = w.thread.comments.next.clone();
    while let Some(cursor) = next {
        let (page, touched) = read_page(ana, t, Some(cursor));
        assert!(touched <= PAGE as u64 + PAGE_SLACK, "forward: {touched}");
        let got = ids_of(&page);
        assert!(!got.is_empty() && got.len() <= PAGE, "{}", got.len());
        assert!(page.comments.prev.is_some());
        seen.extend(got);
        next = page.comments.next;
    }
    assert_eq!(seen, ids, "every comment once, in order");

    // Without a cursor a backward read is the newest page.
    let (newest, _) = read_back(ana, t, None, PAGE);
    assert_eq!(ids_of(&newest), ids[COMMENTS - PAGE..]);
    assert_eq!(newest.comments.next, None);

    // Opened at a linked comment near the end, the window is filled with
    // more of what comes before, since little comes after.
    let linked = COMMENTS - 10;
    let (w, touched) = open_at(ana, t, Some(ids[linked]), CONTEXT, WINDOW);
    assert!(touched <= WINDOW as u64 + PAGE_SLACK, "{touched}");
    assert_eq!((w.anchor, w.anchor_missing), (Some(ids[linked]), false));
    assert_eq!(ids_of(&w.thread), ids[COMMENTS - WINDOW..]);
    assert_eq!(w.thread.comments.next, None);
    let (before, _) = read_back(ana, t, w.thread.comments.prev, WINDOW);
    assert_eq!(
        ids_of(&before),
        ids[COMMENTS - 2 * WINDOW..COMMENTS - WINDOW]
    );

    // Near the start there is less context, and no earlier page.
    let (w, _) = open_at(ana, t, Some(ids[2]), CONTEXT, WINDOW);
    assert_eq!(ids_of(&w.thread), ids[..WINDOW]);
    assert_eq!((w.anchor, w.thread.comments.prev), (Some(ids[2]), None));
}

/// Ana's two threads in #general, in each of which Ben wrote `n` comments
/// ("First 0" …, "Second 0" …), all applied on Ana's replica; Ben's replica
/// and the comment ids of each thread.
struct TwoThreads {
    ana: Replica,
    ben: Replica,
    threads: [ThreadId; 2],
    comments: [Vec<CommentId>; 2],
}

fn two_threads(n: usize) -> TwoThreads {
    let ana = Replica::new_in_ram(1);
    let ben = Replica::new_in_ram(2);
    ana.store
        .create_workspace("Acme", person("Ana", "Europe/Lisbon"))
        .unwrap();
    let c = ana.store.create_channel("general", "").unwrap();
    let threads = ["First", "Second"].map(|title| {
        ana.store
            .create_thread(NewThread {
                channel: c,
                title: title.into(),
                body: "Say anything".into(),
                notify: vec![],
            })
            .unwrap()
    });
    ana.send_to(&ben);
    ben.store.join_as(person("Ben", "Asia/Tokyo")).unwrap();
    let comments = [0, 1].map(|k| {
        (0..n)
            .map(|i| {
                ben.clock.advance(Duration::milliseconds(1));
                let title = ["First", "Second"][k];
                ben.store
                    .add_comment(threads[k], &format!("{title} {i}"))
                    .unwrap()
            })
            .collect::<Vec<_>>()
    });
    ben.send_to(&ana);
    TwoThreads {
        ana,
        ben,
        threads,
        comments,
    }
}

#[test]
fn a_cursor_from_another_thread_or_a_garbled_one_is_refused_with_a_fix_it_message() {
    let TwoThreads { ana, threads, .. } = two_threads(6);
    let [first, second] = threads;
    let limit = 2;
    let forward = |t: ThreadId, cursor: Option<String>| {
        ana.store
            .thread(t, &PageRequest { cursor, limit }, RenderOptions::default())
    };
    let back = |t: ThreadId, cursor: Option<String>| {
        ana.store
            .thread_before(t, &PageRequest { cursor, limit }, RenderOptions::default())
    };
    let of_first = forward(first, None).unwrap().comments.next.unwrap();
    let of_second = forward(second, None).unwrap().comments.next.unwrap();
    // Each thread's cursors page its own thread.
    assert_eq!(
        bodies(&forward(first, Some(of_first.clone())).unwrap()),
        ["First 2", "First 3"]
    );
    assert_eq!(
        bodies(&back(second, Some(of_second.clone())).unwrap()),
        ["Second 0", "Second 1"]
    );

    type Read<'a> = &'a dyn Fn(ThreadId, Option<String>) -> Result<ThreadView, tidings::Error>;
    let reads: [Read; 2] = [&forward, &back];
    for read in reads {
        for (t, foreign) in [(first, &of_second), (second, &of_first)] {
            let e = read(t, Some(foreign.clone())).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{e}");
            assert!(e.message.contains("another thread"), "{e}");
        }
        let garbled = [
            "zz".to_string(),
            "abc".to_string(),
            of_first[..of_first.len() - 2].to_string(),
            format!("{of_first}00"),
            String::new(),
        ];
        for cursor in garbled {
            let e = read(first, Some(cursor.clone())).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{cursor:?}: {e}");
            assert!(e.message.contains("start again"), "{cursor:?}: {e}");
        }
    }
}

#[test]
fn a_comment_not_in_the_thread_opens_it_at_the_first_unread_and_says_so() {
    let TwoThreads {
        ana,
        ben,
        threads,
        comments,
    } = two_threads(8);
    let [first, second] = threads;
    // Ben deleted "First 6" after Ana received it.
    ben.store.delete_comment(comments[0][6]).unwrap();
    ben.send_to(&ana);
    // Ana read the first thread up to "First 2".
    let (w, _) = open_at(&ana, first, Some(comments[0][2]), 0, 1);
    ana.store
        .mark_read(first, Some(w.thread.comments.items[0].op))
        .unwrap();

    let unknown: CommentId = "01KBZ9V2T2B7Y1Q6W2N5H0J3QX".parse().unwrap();
    for (what, asked) in [
        ("another thread's comment", comments[1][4]),
        ("a deleted comment", comments[0][6]),
        ("a comment this store never saw", unknown),
    ] {
        let (w, _) = open_at(&ana, first, Some(asked), 1, 4);
        assert!(w.anchor_missing, "{what}");
        assert_eq!(
            w.anchor,
            Some(comments[0][3]),
            "{what}: opens at the first unread"
        );
        assert_eq!(
            bodies(&w.thread),
            ["First 2", "First 3", "First 4", "First 5"],
            "{what}"
        );
    }
    // A comment of the thread is found, and a deleted one is skipped over.
    let (w, _) = open_at(&ana, first, Some(comments[0][5]), 1, 4);
    assert_eq!((w.anchor, w.anchor_missing), (Some(comments[0][5]), false));
    assert_eq!(
        bodies(&w.thread),
        ["First 3", "First 4", "First 5", "First 7"],
        "the window is filled from before, as the thread ends"
    );
    // With nothing unread and no comment asked for, it opens at the start.
    ana.store.mark_read(second, None).unwrap();
    let (w, _) = open_at(&ana, second, None, 1, 4);
    assert_eq!((w.anchor, w.anchor_missing), (None, false));
    assert_eq!(
        bodies(&w.thread),
        ["Second 0", "Second 1", "Second 2", "Second 3"]
    );

    // A window must leave room for the comment it opens at.
    let e = ana
        .store
        .thread_at(
            first,
            &ThreadAt {
                comment: None,
                before: 4,
                limit: 4,
            },
            RenderOptions::default(),
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput, "{e}");
    assert!(e.message.contains("at most 3 before"), "{e}");
}
