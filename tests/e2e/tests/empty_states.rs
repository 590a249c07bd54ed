//! A workspace with no channel yet (founded from the CLI, which makes
//! nothing but the workspace): every empty state offers the action it asks
//! for, and "New thread" leads through creating a channel to the thread,
//! with no dead end.

use tidings_e2e::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_thread_without_a_channel_leads_to_creating_one() {
    let world = World::start("empty_states").await;
    let ana = world.device("ana");
    ana.create_workspace("Acme", "Ana", "Europe/Lisbon", "09:00-17:00");
    let app = world.launch(ana.dir(), &[]).await;
    app.wait_for("[data-testid=nav-inbox]").await;

    // The sidebar says there is no channel, and offers to make one.
    app.wait_for("[data-testid=sidebar-create-channel]").await;

    // "New thread" explains why it cannot post yet, and offers the way on.
    app.click("[data-testid=new-thread]").await;
    app.wait_for("[data-testid=new-thread-no-channel]").await;
    app.click("[data-testid=new-thread-create-channel]").await;
    app.wait_gone("[data-testid=new-thread-dialog]").await;
    app.fill("#channel-name", "design").await;
    app.fill("#channel-topic", "Pixels and words").await;
    app.click("[data-testid=channel-create]").await;

    // Straight back to the new thread, in the channel just made.
    app.wait_for("[data-testid=new-thread-dialog] #thread-title")
        .await;
    app.wait_text("#list-title", "#design", |t| t == "#design")
        .await;
    let channel = app
        .attr(
            "[data-testid=channel-link][aria-current=page]",
            "data-channel-id",
        )
        .await
        .expect("the new channel is the current one");
    // The thread goes to the channel just created.
    app.wait_value("#thread-channel", &channel).await;
    assert!(
        app.find("[data-testid=sidebar-create-channel]")
            .await
            .is_none(),
        "with a channel, the sidebar no longer offers to create the first"
    );
    app.fill("#thread-title", "Kick-off").await;
    app.fill("#thread-body", "Where do we start?").await;
    app.click("[data-testid=thread-post]").await;
    app.wait_text("[data-testid=thread-title]", "the new thread", |t| {
        t == "Kick-off"
    })
    .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_channel_offers_to_start_a_thread() {
    let world = World::start("empty_channel").await;
    let ana = world.device("ana");
    ana.create_workspace("Acme", "Ana", "Europe/Lisbon", "09:00-17:00");
    ana.channel("design");
    let app = world.launch(ana.dir(), &[]).await;
    app.click("[data-testid=channel-link]").await;
    app.wait_text("[data-testid=list-empty]", "the empty channel", |t| {
        t.contains("No threads in this channel yet")
    })
    .await;
    app.click("[data-testid=list-empty-action]").await;
    app.wait_for("[data-testid=new-thread-dialog] #thread-title")
        .await;
    app.quit().await;
}
