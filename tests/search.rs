//! Search through the store: fed by apply, filtered, highlighted, and
//! rebuilt when the index is lost.

use std::time::Duration;

use tidings::search::{SearchOrder, SearchQuery};
use tidings::store::NewThread;

use crate::util::ana_and_ben;

#[test]
fn a_new_comment_is_searchable_within_a_second_without_an_explicit_commit() {
    let (ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Kubernetes upgrade".into(),
            body: "We need to plan it".into(),
            notify: vec![],
        })
        .unwrap();
    ana.send_to(&ben);
    ben.store
        .add_comment(t, "The <script>alert(1)</script> deployment is Friday")
        .unwrap();
    ben.send_to(&ana);
    // Waits on the index's own commit signal; the background committer
    // commits ~200 ms after a write.
    assert!(ana.store.wait_searchable(Duration::from_secs(1)));
    let hits = ana
        .store
        .search(&SearchQuery {
            text: "deplo".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].author.name, "Ben");
    assert!(hits[0].hit.snippet_html.contains("<mark>deployment</mark>"));
    assert!(
        hits[0].hit.snippet_html.contains("&lt;script&gt;"),
        "snippets are escaped"
    );
}

#[test]
fn filters_by_channel_and_author_and_newest_first() {
    let (ana, ben, general) = ana_and_ben();
    let random = ana.store.create_channel("random", "").unwrap();
    for (ch, title) in [(general, "Budget review"), (random, "Budget lunch")] {
        ana.store
            .create_thread(NewThread {
                channel: ch,
                title: title.into(),
                body: "numbers".into(),
                notify: vec![],
            })
            .unwrap();
        ana.clock.advance(chrono::Duration::minutes(1));
    }
    ana.store.flush_search().unwrap();
    let q = |channel, order| SearchQuery {
        text: "budget".into(),
        channel,
        order,
        ..Default::default()
    };
    assert_eq!(
        ana.store
            .search(&q(None, SearchOrder::Relevance))
            .unwrap()
            .len(),
        2
    );
    let only = ana
        .store
        .search(&q(Some(random), SearchOrder::Relevance))
        .unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].channel_name, "random");
    let newest = ana.store.search(&q(None, SearchOrder::Newest)).unwrap();
    assert!(newest[0].hit.title_html.contains("lunch"));
    let by_ben = ana
        .store
        .search(&SearchQuery {
            text: "budget".into(),
            author: Some(ben.store.me().unwrap()),
            ..Default::default()
        })
        .unwrap();
    assert!(by_ben.is_empty());
}

#[test]
fn deleted_comments_disappear_and_a_lost_index_is_rebuilt_on_open() {
    let (ana, _ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Secrets".into(),
            body: "nothing here".into(),
            notify: vec![],
        })
        .unwrap();
    let c = ana.store.add_comment(t, "the password is hunter2").unwrap();
    ana.store.add_comment(t, "hunter2 rotated").unwrap();
    ana.store.delete_comment(c).unwrap();
    ana.store.flush_search().unwrap();
    let q = SearchQuery {
        text: "hunter2".into(),
        ..Default::default()
    };
    assert_eq!(ana.store.search(&q).unwrap().len(), 1);

    let crate::util::Replica {
        store, clock, dir, ..
    } = ana;
    drop(store);
    std::fs::remove_dir_all(dir.path().join("search")).unwrap();
    let store = tidings::Store::open(
        dir.path(),
        tidings::Options {
            clock,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        store.search(&q).unwrap().len(),
        1,
        "reindexed from the store on open"
    );
}
