//! A long thread opens at the first unread comment with only a window of
//! comments around it in the page, not every comment before it; "Load
//! earlier comments" brings the previous ones in above without moving what
//! the reader is looking at; live changes keep the window; a search hit on
//! a comment far back opens a window there.

use fantoccini::key::Key;
use serde_json::{json, Value};
use tidings_e2e::World;

use crate::support::{ana_and_ben, row, thread_view, wait_live, CHANNEL};

/// Comments Ana has read before the app starts.
const READ: usize = 300;
/// Comments Ben adds after that: Ana's unread ones.
const UNREAD: usize = 3;
/// The most comments one window of the thread pane holds when it opens
/// (ThreadPane.svelte's `FIRST`): far fewer than the thread has.
const WINDOW: usize = 100;
/// Comments shown before a linked one (ThreadPane.svelte's `CONTEXT`).
const CONTEXT: usize = 5;
/// The comment a search finds, before every comment loaded by then.
const LINKED: usize = 50;
/// The word only that comment holds.
const WORD: &str = "zanzibar";

/// The ids of the comments in the page, in document order.
async fn shown(app: &tidings_e2e::App<'_>) -> Vec<String> {
    let v = app
        .eval(
            "return [...document.querySelectorAll('[data-testid=comment]')]
                .map((el) => el.dataset.commentId);",
            vec![],
        )
        .await;
    serde_json::from_value(v).expect("a list of comment ids")
}

/// Where the comment `id` is, relative to the thread's scrolling area: its
/// top in pixels and whether it is inside the visible part.
async fn place(app: &tidings_e2e::App<'_>, id: &str) -> (f64, bool) {
    let v = app
        .eval(
            "const [id] = arguments;
             const el = document.querySelector(`[data-comment-id='${id}']`);
             const box = el.closest('.scroll').getBoundingClientRect();
             const r = el.getBoundingClientRect();
             return { top: r.top - box.top, visible: r.top >= box.top && r.top < box.bottom };",
            vec![json!(id)],
        )
        .await;
    (
        v["top"].as_f64().expect("a top"),
        v["visible"].as_bool().expect("visible or not"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_thread_opens_at_the_first_unread_or_a_found_comment_with_only_a_window_loaded() {
    let world = World::start("long_thread").await;
    let team = ana_and_ben(&world, |_| {});
    let thread = team
        .ben
        .post(CHANNEL, "Release log", "One comment per change.");
    // One CLI process writes them all ("stress comment 0" …), each durable.
    let read: Vec<String> = team
        .ben
        .run(&["stress-write", &thread, "--count", &READ.to_string()])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(read.len(), READ);
    team.ben.sync();
    team.ana.sync();
    team.ana.run(&["mark", &thread, "read"]);
    let unread: Vec<String> = (1..=UNREAD)
        .map(|i| team.ben.comment(&thread, &format!("Unread change {i}")))
        .collect();
    team.ben.sync();
    team.ana.sync();

    let app = world.launch(team.ana.dir(), &[]).await;
    app.click("[data-testid=channel-link]").await;
    app.click(&row(&thread)).await;
    app.wait_for(&thread_view(&thread)).await;
    let first = format!("[data-comment-id='{}']", unread[0]);
    app.wait_for(&first).await;

    // The first unread comment is on screen, marked new, and the page holds
    // one window around it: a few read comments before it for context, the
    // unread ones, and none of the hundreds before.
    let (top, visible) = place(&app, &unread[0]).await;
    assert!(
        visible,
        "the first unread comment is not in view (top {top})"
    );
    let ids = shown(&app).await;
    assert!(
        ids.len() <= WINDOW,
        "the thread pane holds {} comments of {}, not one window",
        ids.len(),
        READ + UNREAD
    );
    let all: Vec<String> = read.iter().chain(&unread).cloned().collect();
    assert_eq!(
        ids.as_slice(),
        &all[all.len() - ids.len()..],
        "the window is the comments up to the newest, in order"
    );
    assert!(ids.len() > UNREAD, "no read comment gives context: {ids:?}");
    for id in &unread {
        assert_eq!(
            app.attr(&format!("[data-comment-id='{id}']"), "data-unread")
                .await
                .as_deref(),
            Some("true"),
            "{id} is not marked new"
        );
    }
    assert_eq!(
        app.attr(&format!("[data-comment-id='{}']", ids[0]), "data-unread")
            .await
            .as_deref(),
        Some("false")
    );

    // "Load earlier comments" is a button with that name, pressed from the
    // keyboard (focused without scrolling, so the reader still looks at the
    // first unread comment); the earlier comments come in above and what
    // the reader looks at stays where it was.
    let button = "[data-testid=load-earlier]";
    app.wait_for(button).await;
    let kind = app
        .eval(
            "const el = document.querySelector(arguments[0]);
             el.focus({ preventScroll: true });
             return { tag: el.tagName, name: el.textContent.trim(), focused: document.activeElement === el,
                      tabbable: el.tabIndex >= 0 && !el.disabled };",
            vec![json!(button)],
        )
        .await;
    assert_eq!(
        kind,
        json!({ "tag": "BUTTON", "name": "Load earlier comments", "focused": true, "tabbable": true }),
    );
    let (top, _) = place(&app, &unread[0]).await;
    app.press(&[Key::Enter.into()]).await;
    let more = tidings_e2e::poll::until(
        "earlier comments to come in",
        tidings_e2e::DEADLINE,
        || async {
            let now = shown(&app).await;
            (now.len() > ids.len()).then_some(now)
        },
    )
    .await;
    assert_eq!(
        more.as_slice(),
        &all[all.len() - more.len()..],
        "the earlier comments are the ones just before, in order, above"
    );
    assert_eq!(&more[more.len() - ids.len()..], ids.as_slice());
    let (after, still) = place(&app, &unread[0]).await;
    assert!(
        still && (after - top).abs() <= 1.0,
        "the first unread comment moved from {top}px to {after}px when earlier ones loaded"
    );
    let page: Value = app
        .eval(
            "return document.activeElement?.dataset?.testid ?? null;",
            vec![],
        )
        .await;
    assert_eq!(page, json!("load-earlier"), "focus stays on the button");

    // Live: Ben edits a comment in the window and writes a new one. The
    // window stays what it is (not reloaded from the first comment), the
    // edit shows in place, the new comment joins at the end, and the
    // first unread comment does not move.
    wait_live(&app).await;
    let edited = &more[1];
    team.ben.run(&["edit", edited, "Edited while Ana reads"]);
    team.ben
        .run(&["edit", &read[LINKED], &format!("The {WORD} change")]);
    let fresh = team.ben.comment(&thread, "Arrived while Ana reads");
    team.ben.sync();
    app.wait_for(&format!("[data-comment-id='{fresh}']")).await;
    app.wait_text(
        &format!("[data-comment-id='{edited}'] [data-testid=comment-body]"),
        "the edit",
        |t| t.contains("Edited while Ana reads"),
    )
    .await;
    let live = shown(&app).await;
    let mut expected = more.clone();
    expected.push(fresh.clone());
    assert_eq!(
        live, expected,
        "the window is kept, with the new comment at its end"
    );
    let (now, still) = place(&app, &unread[0]).await;
    assert!(
        still && (now - after).abs() <= 1.0,
        "the first unread comment moved from {after}px to {now}px when the new one arrived"
    );

    // A search hit on a comment far before the window opens a window
    // there: a few before it for context, it in view, nothing loaded from
    // the start.
    app.press(&['/']).await;
    app.fill("[data-testid=search-input]", WORD).await;
    app.click(&format!(
        "[data-testid=search-result][data-comment-id='{}']",
        read[LINKED]
    ))
    .await;
    let there = tidings_e2e::poll::until(
        "a window at the linked comment",
        tidings_e2e::DEADLINE,
        || async {
            let now = shown(&app).await;
            (now.first() == Some(&read[LINKED - CONTEXT])).then_some(now)
        },
    )
    .await;
    assert!(there.len() <= WINDOW, "{} comments shown", there.len());
    assert_eq!(
        there.as_slice(),
        &all[LINKED - CONTEXT..LINKED - CONTEXT + there.len()]
    );
    let (top, visible) = place(&app, &read[LINKED]).await;
    assert!(visible, "the linked comment is not in view (top {top})");
    app.wait_for(button).await;

    app.quit().await;
}
