//! Founding a workspace as the app does: it starts with #general and a
//! welcome thread, made in one commit, which every member who joins sees
//! as a thread to read.

use tidings::error::ErrorCode;
use tidings::render::RenderOptions;
use tidings::search::SearchQuery;
use tidings::store::{GENERAL, WELCOME_TITLE};
use tidings::views::PageRequest;

use crate::util::{person, Replica};

#[test]
fn a_founded_workspace_starts_with_general_and_a_welcome_thread() {
    let ana = Replica::new(1);
    let founded = ana
        .store
        .found_workspace("Acme", person("Ana Souza", "Europe/Lisbon"))
        .unwrap();

    let channels = ana.store.channels().unwrap();
    assert_eq!(channels.len(), 1, "one channel: {channels:?}");
    assert_eq!(channels[0].id, founded.general);
    assert_eq!(channels[0].name, GENERAL);
    assert!(
        !channels[0].topic.is_empty(),
        "#general says what it is for"
    );
    // The founder wrote the welcome: nothing in it is unread for them.
    assert_eq!(channels[0].unread_threads, 0);

    let threads = ana
        .store
        .channel_threads(founded.general, &PageRequest::first(10))
        .unwrap();
    assert_eq!(threads.items.len(), 1);
    assert_eq!(threads.items[0].id, founded.welcome);
    assert_eq!(threads.items[0].title, WELCOME_TITLE);

    let view = ana
        .store
        .thread(
            founded.welcome,
            &PageRequest::first(10),
            RenderOptions::default(),
        )
        .unwrap();
    // The welcome explains what makes Tidings async, in rendered Markdown.
    for words in ["working hours", "Send later", "Reply by", "Done", "Mute"] {
        assert!(
            view.body_html.contains(words),
            "the welcome mentions {words:?}: {}",
            view.body_html
        );
    }
    assert!(view.body_html.contains("<strong>"), "{}", view.body_html);

    // All three ops in the log, signed by the founder's device.
    assert_eq!(ana.ops().len(), 3);
}

#[test]
fn a_teammate_who_joins_finds_the_welcome_unread_and_searchable() {
    let ana = Replica::new(1);
    let ben = Replica::new(2);
    let founded = ana
        .store
        .found_workspace("Acme", person("Ana Souza", "Europe/Lisbon"))
        .unwrap();
    ana.send_to(&ben);
    ben.store.join_as(person("Ben", "Asia/Tokyo")).unwrap();

    let channels = ben.store.channels().unwrap();
    assert_eq!(channels.len(), 1);
    assert_eq!(channels[0].name, GENERAL);
    assert_eq!(
        channels[0].unread_threads, 1,
        "the welcome is news for whoever joins"
    );
    let threads = ben
        .store
        .channel_threads(founded.general, &PageRequest::first(10))
        .unwrap();
    assert_eq!(threads.items[0].id, founded.welcome);

    ben.store.flush_search().unwrap();
    let hits = ben
        .store
        .search(&SearchQuery {
            text: "working hours".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(
        hits.iter().any(|h| h.hit.thread == Some(founded.welcome)),
        "search finds the welcome: {hits:?}"
    );
}

#[test]
fn a_refused_founding_makes_nothing_and_a_second_one_is_refused() {
    let ana = Replica::new(1);
    let err = ana
        .store
        .found_workspace("   ", person("Ana Souza", "Europe/Lisbon"))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "{err}");
    assert!(ana.store.workspace().unwrap().is_none());
    assert!(ana.ops().is_empty(), "a refused founding writes no op");

    ana.store
        .found_workspace("Acme", person("Ana Souza", "Europe/Lisbon"))
        .unwrap();
    let err = ana
        .store
        .found_workspace("Other", person("Ana Souza", "Europe/Lisbon"))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::WorkspaceExists, "{err}");
    assert_eq!(ana.store.channels().unwrap().len(), 1, "no second #general");
    assert_eq!(ana.ops().len(), 3);
}
