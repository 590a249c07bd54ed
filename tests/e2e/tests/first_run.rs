//! A person's first launch: the first-run form founds a workspace, which
//! opens on #general's welcome thread; they create a channel, start a thread and answer it from the keyboard. After
//! quitting and launching again on the same folder, all of it is there.
//! The app is told to compact its store at any size, so the quit leaves a
//! compacted copy that the next launch takes over.

use fantoccini::key::Key;
use tidings_e2e::World;

use crate::support::thread_view;

const TITLE: &str = "Launch checklist";
const BODY: &str = "What is **left** before Friday?";
const REPLY: &str = "The docs are done; the footer is next.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_then_restart_keeps_everything() {
    let world = World::start("first_run_restart").await;
    let dir = world.data_dir("ana");
    // Compacting at quit applies to any store size (64 MiB by default).
    let compact = ["--compact-above-bytes".to_string(), "1".to_string()];
    let app = world.launch(&dir, &compact).await;

    app.wait_for("[data-testid=first-run]").await;
    app.fill("#fr-name", "Ana Souza").await;
    // The zone is found by typing the city.
    app.fill("#fr-tz-find", "Lisbon").await;
    app.wait_value("#fr-tz", "Europe/Lisbon").await;
    app.set_value("#fr-hours-start", "09:00").await;
    app.set_value("#fr-hours-end", "17:00").await;
    app.fill("#fr-workspace-name", "Acme").await;
    app.click("[data-testid=fr-create]").await;
    app.wait_for("[data-testid=nav-inbox]").await;
    app.wait_gone("[data-testid=first-run]").await;

    // The new workspace is not empty: the founder lands in #general, on
    // a welcome thread that explains how Tidings works.
    app.wait_text("#list-title", "#general", |t| t == "#general")
        .await;
    app.wait_text("[data-testid=thread-title]", "the welcome thread", |t| {
        t.starts_with("Welcome to Tidings")
    })
    .await;
    app.wait_text("[data-testid=thread-body]", "how Tidings works", |t| {
        t.contains("Send later") && t.contains("working hours")
    })
    .await;

    app.click("[data-testid=new-channel]").await;
    app.fill("#channel-name", "design").await;
    app.fill("#channel-topic", "Pixels and words").await;
    app.click("[data-testid=channel-create]").await;
    // Creating a channel opens it.
    let link = app
        .wait_for("[data-testid=channel-link][aria-current=page]")
        .await;
    app.wait_text("#list-title", "#design", |t| t == "#design")
        .await;
    let channel = link
        .attr("data-channel-id")
        .await
        .ok()
        .flatten()
        .expect("a channel link carries its id");

    app.click("[data-testid=new-thread]").await;
    app.fill("#thread-title", TITLE).await;
    app.fill("#thread-body", BODY).await;
    app.select("#thread-channel", &channel).await;
    app.click("[data-testid=thread-post]").await;
    let view = app.wait_for("[data-testid=thread-view]").await;
    let thread = view
        .attr("data-thread-id")
        .await
        .ok()
        .flatten()
        .expect("the thread view carries the thread id");
    app.wait_text("[data-testid=thread-title]", TITLE, |t| t == TITLE)
        .await;
    // Markdown is rendered, not shown raw.
    app.wait_for("[data-testid=thread-body] strong").await;

    app.fill("#reply-body", REPLY).await;
    app.chord(Key::Control, Key::Enter.into()).await;
    app.wait_text(
        "[data-testid=comment] [data-testid=comment-body]",
        "the reply",
        |t| t.contains(REPLY),
    )
    .await;
    let left = app.value("#reply-body").await;
    assert!(
        left.is_empty(),
        "the composer empties once the reply is sent, it still holds {left:?}"
    );
    // Quit as logging out does: the app shuts down gracefully.
    app.terminate().await;
    let ready = dir.join("store.compact.ready");
    assert!(
        ready.exists() && dir.join("store.compact").is_dir(),
        "quitting prepares the store's compacted copy"
    );

    let app = world.launch(&dir, &compact).await;
    app.wait_for("[data-testid=nav-inbox]").await;
    assert!(
        !ready.exists() && !dir.join("store.compact").exists(),
        "the next launch takes the copy over"
    );
    assert!(
        app.find("[data-testid=first-run]").await.is_none(),
        "the second launch must not ask to set up again"
    );
    app.wait_any_text("[data-testid=channel-name]", "design", |t| {
        t.contains("design")
    })
    .await;
    app.click(&format!(
        "[data-testid=channel-link][data-channel-id='{channel}']"
    ))
    .await;
    app.click(&format!(
        "[data-testid=thread-item][data-thread-id='{thread}']"
    ))
    .await;
    app.wait_for(&thread_view(&thread)).await;
    app.wait_text("[data-testid=thread-title]", TITLE, |t| t == TITLE)
        .await;
    app.wait_for("[data-testid=thread-body] strong").await;
    let comments = app.wait_count("[data-testid=comment]", 1).await;
    let text = comments[0].text().await.unwrap_or_default();
    assert!(
        text.contains(REPLY),
        "the reply survived the restart: {text:?}"
    );
    let author = app
        .text("[data-testid=comment] [data-testid=comment-author]")
        .await;
    assert!(author.contains("Ana Souza"), "{author:?}");
    app.quit().await;
}
