//! Thread lists (a channel's threads, the inbox, the done list) show each
//! thread's latest words, counts and my state from display-ready rows: a
//! page of 50 threads reads a couple of small rows per thread and no
//! comment, whatever the threads hold. The snippet follows the latest live
//! comment through edits, deletes and comments arriving out of order.

use chrono::Duration;
use tidings::model::clock::Clock;
use tidings::model::ids::{ChannelId, ThreadId};
use tidings::model::op::ReactionTarget;
use tidings::store::{comment_reads_on_this_thread, store_reads_on_this_thread, NewThread, Reads};
use tidings::views::{PageRequest, ThreadSummary};

use crate::util::{ana_and_ben, Replica};

const THREADS: usize = 60;
/// Threads per list page.
const PAGE: usize = 50;
/// Point reads a list page may make per thread: the thread's row and my
/// row for it.
const READS_PER_ITEM: u64 = 2;
/// Reads of a page besides its items: who I am, my profile, the members,
/// the channel, the page's range scan, the row after the last item.
const PAGE_OVERHEAD: u64 = 12;

/// Ana started `THREADS` threads in #general; Ben answered each with three
/// comments (the last mentions her), synced to Ana: all are in her inbox.
fn busy_channel() -> (Replica, Replica, ChannelId, Vec<ThreadId>) {
    let (ana, ben, general) = ana_and_ben();
    let threads: Vec<ThreadId> = (0..THREADS)
        .map(|i| {
            ana.clock.advance(Duration::minutes(1));
            ana.store
                .create_thread(NewThread {
                    channel: general,
                    title: format!("Topic {i}"),
                    body: format!("Opening words of topic {i}"),
                    notify: vec![],
                })
                .unwrap()
        })
        .collect();
    // Both clocks move together: ops from far ahead would wait (clock skew).
    ben.clock.set(ana.clock.now());
    ana.send_to(&ben);
    for (i, t) in threads.iter().enumerate() {
        for k in 0..3 {
            ben.clock.advance(Duration::minutes(1));
            let body = if k == 2 {
                format!("**Last** word on {i}, @Ana")
            } else {
                format!("Comment {k} on topic {i}, with `code` and a [link](https://example.org)")
            };
            ben.store.add_comment(*t, &body).unwrap();
        }
    }
    ana.clock.set(ben.clock.now());
    let report = ben.send_to(&ana);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!((report.pending, report.from_future), (0, 0));
    (ana, ben, general, threads)
}

fn measured<T>(f: impl FnOnce() -> T) -> (T, Reads, u64) {
    let (before, comments) = (store_reads_on_this_thread(), comment_reads_on_this_thread());
    let out = f();
    (
        out,
        store_reads_on_this_thread() - before,
        comment_reads_on_this_thread() - comments,
    )
}

fn assert_cheap(what: &str, items: usize, reads: Reads, comments: u64) {
    eprintln!("{what}: {reads:?} and {comments} comment rows for {items} threads");
    assert_eq!(items, PAGE, "{what}: a full page");
    assert_eq!(comments, 0, "{what} read {comments} comment rows");
    let budget = READS_PER_ITEM * items as u64 + PAGE_OVERHEAD;
    assert!(
        reads.point <= budget && reads.scans <= 4,
        "{what} of {items} threads made {} point reads and {} scans (at most {budget} and 4)",
        reads.point,
        reads.scans
    );
}

#[test]
fn a_channel_page_and_an_inbox_page_read_two_small_rows_per_thread_and_no_comment() {
    let (ana, _ben, general, _) = busy_channel();
    let first = PageRequest::first(PAGE);
    let (page, reads, comments) = measured(|| ana.store.channel_threads(general, &first).unwrap());
    assert_cheap("a channel page", page.items.len(), reads, comments);
    let s = &page.items[0];
    assert_eq!(s.title, format!("Topic {}", THREADS - 1));
    assert_eq!(s.snippet, format!("Last word on {}, @Ana", THREADS - 1));
    assert_eq!((s.comments, s.unread, s.following), (3, 3, true));

    let (inbox, reads, comments) = measured(|| ana.store.inbox(&first).unwrap());
    assert_cheap("an inbox page", inbox.items.len(), reads, comments);
    let titles: Vec<&str> = inbox
        .items
        .iter()
        .map(|i| i.thread.title.as_str())
        .collect();
    let expected: Vec<String> = (THREADS - PAGE..THREADS)
        .rev()
        .map(|i| format!("Topic {i}"))
        .collect();
    assert_eq!(titles, expected, "newest activity first");
}

#[test]
fn a_snoozed_thread_in_the_inbox_costs_one_more_read_and_shows_when_due() {
    let (ana, _ben, _general, threads) = busy_channel();
    let newest = *threads.last().unwrap();
    ana.store
        .snooze(newest, Some(ana.clock.now() + Duration::hours(2)))
        .unwrap();
    let first = PageRequest::first(PAGE);
    let (inbox, reads, comments) = measured(|| ana.store.inbox(&first).unwrap());
    assert_eq!(comments, 0);
    assert!(
        reads.point <= READS_PER_ITEM * PAGE as u64 + PAGE_OVERHEAD + 1,
        "{reads:?}"
    );
    assert!(
        inbox.items.iter().all(|i| i.thread.id != newest),
        "hidden while snoozed"
    );
    ana.clock.advance(Duration::hours(3));
    let inbox = ana.store.inbox(&first).unwrap();
    assert_eq!(inbox.items[0].thread.id, newest);
    assert!(inbox.items[0].snooze_ended);
}

fn summary(r: &Replica, general: ChannelId, t: ThreadId) -> ThreadSummary {
    let page = r
        .store
        .channel_threads(general, &PageRequest::first(PAGE))
        .unwrap();
    page.items.into_iter().find(|s| s.id == t).unwrap()
}

/// Ana's thread "Plans" in `general`, opening with `body`.
fn plans(ana: &Replica, general: ChannelId, body: &str) -> ThreadId {
    ana.store
        .create_thread(NewThread {
            channel: general,
            title: "Plans".into(),
            body: body.into(),
            notify: vec![],
        })
        .unwrap()
}

#[test]
fn the_snippet_follows_the_latest_live_comment_through_edits_and_deletes() {
    let (ana, ben, general) = ana_and_ben();
    let t = plans(&ana, general, "# Opening\nwords");
    assert_eq!(summary(&ana, general, t).snippet, "Opening words");
    ana.send_to(&ben);
    ben.clock.advance(Duration::minutes(1));
    let first = ben.store.add_comment(t, "First _reply_").unwrap();
    ben.clock.advance(Duration::minutes(1));
    let second = ben.store.add_comment(t, "Second reply").unwrap();
    assert_eq!(summary(&ben, general, t).snippet, "Second reply");
    ben.store
        .edit_comment(first, "First reply, edited")
        .unwrap();
    assert_eq!(
        summary(&ben, general, t).snippet,
        "Second reply",
        "an older comment's edit leaves the snippet"
    );
    ben.store
        .edit_comment(second, "Second reply, *edited*")
        .unwrap();
    assert_eq!(summary(&ben, general, t).snippet, "Second reply, edited");
    ben.store.delete_comment(second).unwrap();
    assert_eq!(summary(&ben, general, t).snippet, "First reply, edited");
    ben.store.delete_comment(first).unwrap();
    assert_eq!(summary(&ben, general, t).snippet, "Opening words");

    // Ana receives all of it in one batch, newest op first: the same list.
    let mut ops = ben.ops();
    ops.reverse();
    let report = ana.store.apply_remote(ops).unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(summary(&ana, general, t).snippet, "Opening words");
}

#[test]
fn a_comment_arriving_late_does_not_take_the_snippet_from_a_newer_one() {
    let (ana, ben, general) = ana_and_ben();
    let t = plans(&ana, general, "Opening");
    ana.send_to(&ben);
    ben.clock.advance(Duration::minutes(1));
    ben.store.add_comment(t, "Older, written offline").unwrap();
    let offline = ben.ops();
    ana.clock.advance(Duration::minutes(5));
    ana.store.add_comment(t, "Newer, from Ana").unwrap();
    let report = ana.store.apply_remote(offline).unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let s = summary(&ana, general, t);
    assert_eq!((s.snippet.as_str(), s.comments), ("Newer, from Ana", 2));
}

#[test]
fn a_thread_page_reads_its_comments_with_one_range_scan_and_no_point_read_each() {
    let (ana, _ben, _general, threads) = busy_channel();
    let t = threads[0];
    // 3 comments are not enough to see a per-comment cost: add 60 more,
    // with reactions on some (each shown with its comment).
    let mut reacted = Vec::new();
    for i in 0..60 {
        ana.clock.advance(Duration::minutes(1));
        let c = ana.store.add_comment(t, &format!("more {i}")).unwrap();
        if i % 7 == 0 {
            ana.store
                .react(ReactionTarget::Comment(c), "🎉", true)
                .unwrap();
            reacted.push(c);
        }
    }
    ana.store
        .react(ReactionTarget::Comment(reacted[1]), "🎉", false)
        .unwrap();
    ana.store
        .react(ReactionTarget::Thread(t), "👀", true)
        .unwrap();
    let (view, reads, comments) = measured(|| {
        ana.store
            .thread(t, &PageRequest::first(PAGE), Default::default())
            .unwrap()
    });
    eprintln!("a thread page: {reads:?} and {comments} comment rows");
    assert_eq!(view.comments.items.len(), PAGE);
    assert!(comments <= PAGE as u64 + 1, "{comments} comment rows");
    assert!(
        reads.point <= PAGE_OVERHEAD && reads.scans <= 4,
        "{reads:?} for a page of {PAGE} comments (at most {PAGE_OVERHEAD} point reads and 4 scans)"
    );
    let shown: Vec<_> = view
        .comments
        .items
        .iter()
        .filter(|c| !c.reactions.is_empty())
        .map(|c| (c.id, c.reactions[0].emoji.as_str(), c.reactions[0].mine))
        .collect();
    let expected: Vec<_> = reacted
        .iter()
        .enumerate()
        .filter(|(k, c)| *k != 1 && view.comments.items.iter().any(|v| v.id == **c))
        .map(|(_, c)| (*c, "🎉", true))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        shown, expected,
        "each reaction with its comment, the one taken back gone"
    );
    assert_eq!(view.reactions.len(), 1, "the opening post's reaction");
}
