//! Links into the app inside posts: a teammate pastes a thread's
//! `tidings://` link into a post, and clicking it opens that thread in
//! place. "Copy link" on a thread gives that same link.

use tidings_e2e::World;

use crate::support::{ana_and_ben, row, thread_view, CHANNEL};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_thread_link_opens_the_thread_and_copy_link_gives_it() {
    let world = World::start("app_links").await;
    let mut plan = String::new();
    let team = ana_and_ben(&world, |ana| {
        plan = ana.post(CHANNEL, "Launch plan", "Dates and owners.");
    });
    let question = team.ben.post(
        CHANNEL,
        "Footer question",
        &format!("Is the footer in tidings://thread/{plan}? Asking before Friday."),
    );
    team.ben.sync();
    team.ana.sync();

    let app = world.launch(team.ana.dir(), &[]).await;
    app.click("[data-testid=channel-link]").await;
    app.click(&row(&question)).await;
    app.wait_for(&thread_view(&question)).await;
    let link = "[data-testid=thread-body] a.app-link";
    let href = app.attr(link, "href").await;
    assert_eq!(href, Some(format!("tidings://thread/{plan}")));
    app.click(link).await;
    app.wait_for(&thread_view(&plan)).await;
    app.wait_text("[data-testid=thread-title]", "the linked thread", |t| {
        t == "Launch plan"
    })
    .await;

    // Copy link on the thread gives the link that was pasted.
    assert_eq!(
        app.attr("[data-testid=thread-copy-link]", "data-link")
            .await,
        Some(format!("tidings://thread/{plan}"))
    );
    app.click("[data-testid=thread-copy-link]").await;
    app.wait_text("[data-testid=toast]", "the copy notice", |t| {
        t.contains("copied")
    })
    .await;
    app.quit().await;
}
