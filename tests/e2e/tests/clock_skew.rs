//! A teammate whose clock runs an hour fast: what his device writes is
//! dated ahead, so Ana's app holds it instead of letting it move her clock
//! or jump ahead of what she writes. Settings says it waits ("from the
//! future"); when her clock reaches its time it shows, and the line goes.
//! Time is the app's test clock and Ben's CLI clock.

use chrono::{TimeDelta, Weekday};
use serde_json::json;
use tidings_e2e::clock::{recent, rfc3339};
use tidings_e2e::poll::never;
use tidings_e2e::World;

use crate::support::{ana_live_at, row, thread_view, ANA_TZ, CHANNEL};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teammates_fast_clock_is_held_until_ours_reaches_it() {
    let world = World::start("clock_skew").await;
    let mut thread = String::new();
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let (team, app) = ana_live_at(&world, now, |ana| {
        thread = ana.post(CHANNEL, "Launch checklist", "What is left?");
    })
    .await;

    // Ben's clock is an hour ahead of Ana's.
    let fast = now + TimeDelta::hours(1);
    team.ben.set_clock(&rfc3339(fast));
    team.ben.comment(&thread, "Written on a fast clock.");
    team.ben.sync();

    app.click("[data-testid=nav-settings]").await;
    app.wait_text(
        "[data-testid=sync-from-future]",
        "Settings saying a change waits",
        |t| t.starts_with("Waiting: 1 change from the future"),
    )
    .await;
    app.click("[data-testid=channel-link]").await;
    app.click(&row(&thread)).await;
    app.wait_for(&thread_view(&thread)).await;
    never(
        "Ben's comment before Ana's clock reaches it",
        std::time::Duration::from_secs(2),
        || async {
            let found = app.find("[data-testid=comment-body]").await.is_some();
            found.then_some(())
        },
    )
    .await;

    // Ana's clock reaches Ben's: the comment shows, nothing waits.
    app.call("set_test_clock", json!({ "at": rfc3339(fast) }))
        .await;
    app.wait_any_text("[data-testid=comment-body]", "Ben's comment", |t| {
        t.contains("fast clock")
    })
    .await;
    app.click("[data-testid=nav-settings]").await;
    app.wait_for("[data-testid=settings]").await;
    app.wait_gone("[data-testid=sync-from-future]").await;
    app.quit().await;
}
