//! A teammate's comment reaches Ana through nats-server while her app runs:
//! during her working hours it notifies at once (and a click on the
//! notification opens the thread); outside them it waits, silently, until
//! her hours begin, when one "Your catch-up" stands for the night (its
//! click opens the Catch-up view), even when she quits and relaunches the
//! app meanwhile.
//! Time is the app's test clock, never real waiting.

use std::path::Path;
use std::time::Duration;

use chrono::{TimeDelta, Weekday};
use serde_json::{json, Value};
use tidings_e2e::clock::{recent, rfc3339};
use tidings_e2e::poll::until;
use tidings_e2e::{World, DEADLINE};

use crate::support::{
    ana_live_at, clock_args, inbox_count, no_notification, row, thread_view, wait_inbox_count,
    wait_live, ANA_TZ, CHANNEL,
};

const TITLE: &str = "Launch checklist";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teammate_comment_arrives_through_nats_and_notifies() {
    let world = World::start("teammate_comment_notifies").await;
    let mut thread = String::new();
    // A Wednesday, 10:00 in Lisbon: inside her hours.
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    // Ana starts the thread, so she follows it and Ben's answer concerns her.
    let (team, app) = ana_live_at(&world, now, |ana| {
        thread = ana.post(CHANNEL, TITLE, "What is left before Friday?");
    })
    .await;
    app.click("[data-testid=nav-inbox]").await;
    let inbox_before = inbox_count(&app).await;
    let item = world.tray().wait_item().await;
    let label_before = item.label().await;
    let icon_before = item
        .icon_bytes()
        .await
        .expect("the tray icon is a readable file");
    assert_eq!(world.dunst().total(), 0, "nothing has happened yet");

    team.ben.comment(&thread, "The docs are ready for review.");
    team.ben.sync();

    app.wait_for(&format!("{}[data-unread=true]", row(&thread)))
        .await;
    wait_inbox_count(&app, inbox_before + 1).await;
    let label = until("the tray label to change", DEADLINE, || async {
        let now = item.label().await;
        (now != label_before).then_some(now)
    })
    .await;
    assert_eq!(
        label,
        (inbox_before + 1).to_string(),
        "the tray label shows the inbox count"
    );
    until(
        "the tray icon to switch to its unread look",
        DEADLINE,
        || async {
            item.icon_bytes()
                .await
                .filter(|now| *now != icon_before)
                .map(|_| ())
        },
    )
    .await;
    until("one notification on screen", DEADLINE, || async {
        (world.dunst().displayed() == 1).then_some(())
    })
    .await;

    // Clicking it (its default action) brings the thread up.
    world.dunst().act();
    app.wait_for(&thread_view(&thread)).await;

    let notes = world.dunst().close_all_and_read();
    assert_eq!(notes.len(), 1, "exactly one notification: {notes:#?}");
    assert_eq!(notes[0].summary, TITLE, "{notes:#?}");
    assert!(
        notes[0].body.starts_with("Ben"),
        "the body names Ben first: {notes:#?}"
    );
    assert!(notes[0].body.contains("docs are ready"), "{notes:#?}");
    assert_eq!(notes[0].appname, "Tidings");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_came_overnight_waits_for_one_catch_up_at_the_start_of_hours() {
    let world = World::start("comment_waits_for_hours").await;
    let mut thread = String::new();
    // Wednesday 22:00 in Lisbon: Ana's day is over.
    let evening = recent(ANA_TZ, Weekday::Wed, 22, 0);
    let (team, app) = ana_live_at(&world, evening, |ana| {
        thread = ana.post(CHANNEL, TITLE, "What is left before Friday?");
    })
    .await;
    app.click("[data-testid=nav-inbox]").await;

    // Ben, late: a comment in Ana's thread, a question for @ana, and a new
    // thread of his own.
    team.ben
        .comment(&thread, "Late thought: the footer needs a fix.");
    let question = team
        .ben
        .post(CHANNEL, "Footer copy", "@ana which wording do you prefer?");
    let idea = team.ben.post(CHANNEL, "Offsite ideas", "Somewhere warm?");
    team.ben.sync();

    // The app has it (unread in the inbox) but says nothing tonight.
    app.wait_for(&format!("{}[data-unread=true]", row(&thread)))
        .await;
    no_notification(
        &world,
        "a notification at 22:00, outside Ana's hours",
        Duration::from_secs(3),
    )
    .await;

    // Thursday 09:00 in Lisbon: one "Your catch-up", not one per thread.
    let morning = evening + TimeDelta::hours(11);
    app.call("set_test_clock", json!({ "at": rfc3339(morning) }))
        .await;
    until("the catch-up at 09:00", DEADLINE, || async {
        (world.dunst().displayed() >= 1).then_some(())
    })
    .await;
    // Clicking it opens the Catch-up view with its sections.
    world.dunst().act();
    app.wait_for("[data-testid=catch-up]").await;
    let waiting = app
        .wait_text("[data-testid=catch-up-waiting]", "waiting on Ana", |t| {
            t.contains("Footer copy")
        })
        .await;
    assert!(waiting.contains("Ben mentioned you"), "{waiting:?}");
    let news = app.text("[data-testid=catch-up-news]").await;
    assert!(
        news.contains(TITLE) && news.contains("1 new comment from Ben"),
        "{news:?}"
    );
    let fresh = app.text("[data-testid=catch-up-new_threads]").await;
    assert!(fresh.contains(&format!("#{CHANNEL}")), "{fresh:?}");
    app.wait_for(&format!(
        "[data-testid=catch-up-new_threads] [data-thread-id='{idea}']"
    ))
    .await;
    never_twice(&world).await;
    let notes = world.dunst().close_all_and_read();
    assert_eq!(notes.len(), 1, "one notification for the night: {notes:#?}");
    assert_eq!(notes[0].summary, "Your catch-up", "{notes:#?}");
    assert_eq!(
        notes[0].body, "1 waiting on you · 1 thread with news · 1 new thread",
        "{notes:#?}"
    );

    // An item opens its thread at the first unread comment.
    app.click(&format!(
        "[data-testid=catch-up-news] [data-thread-id='{thread}'] [data-testid=catch-up-open]"
    ))
    .await;
    app.wait_for(&thread_view(&thread)).await;
    // "Mark all seen" empties a section.
    app.click("[data-testid=nav-catch-up]").await;
    app.click("[data-testid=catch-up-seen-new_threads]").await;
    app.wait_gone("[data-testid=catch-up-new_threads]").await;
    app.wait_for(&format!(
        "[data-testid=catch-up-waiting] [data-thread-id='{question}']"
    ))
    .await;
    app.quit().await;
}

/// Checks for two seconds that no second notification shows.
async fn never_twice(world: &World) {
    tidings_e2e::poll::never("a second notification", Duration::from_secs(2), || async {
        let n = world.dunst().total();
        (n > 1).then_some(n)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comment_held_overnight_still_notifies_after_a_quit_and_relaunch() {
    let world = World::start("held_survives_restart").await;
    let mut thread = String::new();
    // Wednesday 22:00 in Lisbon: Ana's day is over.
    let evening = recent(ANA_TZ, Weekday::Wed, 22, 0);
    let (team, app) = ana_live_at(&world, evening, |ana| {
        thread = ana.post(CHANNEL, TITLE, "What is left before Friday?");
    })
    .await;
    app.click("[data-testid=nav-inbox]").await;

    team.ben
        .comment(&thread, "Late thought: the footer needs a fix.");
    team.ben.sync();
    app.wait_for(&format!("{}[data-unread=true]", row(&thread)))
        .await;
    // Quitting before the queue is on disk would test nothing but a race.
    wait_held_on_disk(team.ana.dir(), &thread).await;
    // Nothing tonight: otherwise a notification left over from now would
    // pass the check after the relaunch.
    no_notification(
        &world,
        "a notification at 22:00, outside Ana's hours",
        Duration::from_secs(2),
    )
    .await;
    app.quit().await;

    // Thursday 08:00: she starts the app again before her day begins.
    let early = evening + TimeDelta::hours(10);
    let app = world.launch(team.ana.dir(), &clock_args(early)).await;
    team.ben.set_clock(&rfc3339(early));
    wait_live(&app).await;
    no_notification(
        &world,
        "a notification at 08:00, before Ana's hours",
        Duration::from_secs(2),
    )
    .await;

    // 09:00: the comment held by the previous run shows.
    let morning = evening + TimeDelta::hours(11);
    app.call("set_test_clock", json!({ "at": rfc3339(morning) }))
        .await;
    until(
        "the catch-up for what was held before the relaunch, at 09:00",
        DEADLINE,
        || async { (world.dunst().total() >= 1).then_some(()) },
    )
    .await;
    let notes = world.dunst().close_all_and_read();
    assert_eq!(
        notes.len(),
        1,
        "one notification for the held comment: {notes:#?}"
    );
    assert_eq!(notes[0].summary, "Your catch-up", "{notes:#?}");
    assert_eq!(notes[0].body, "1 thread with news", "{notes:#?}");
    app.quit().await;
}

/// Waits until the app has saved `thread` as held in the data folder's
/// `notifications.json` (the file the next launch restores the queue from).
async fn wait_held_on_disk(data_dir: &Path, thread: &str) {
    let path = data_dir.join("notifications.json");
    until(
        "the held comment to be saved in notifications.json",
        DEADLINE,
        || {
            let held = std::fs::read(&path)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
                .is_some_and(|saved| !saved["queue"]["held"][thread].is_null());
            async move { held.then_some(()) }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_a_comment_shows_as_literal_text_in_the_notification() {
    let world = World::start("notification_markup").await;
    let mut thread = String::new();
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let (team, app) = ana_live_at(&world, now, |ana| {
        thread = ana.post(CHANNEL, TITLE, "What is left before Friday?");
    })
    .await;
    app.click("[data-testid=nav-inbox]").await;

    // dunst parses bodies as markup: tags would be bold, a link, an image,
    // and a bare "&" breaks the parse.
    let hostile = r#"<b>bold</b> <a href="https://evil.example">here</a> <img src="file:///etc/passwd"> fish & chips"#;
    team.ben.comment(&thread, hostile);
    team.ben.sync();
    until("the notification for Ben's comment", DEADLINE, || async {
        (world.dunst().total() == 1).then_some(())
    })
    .await;
    let notes = world.dunst().close_all_and_read();
    let shown = notes[0].shown_text();
    assert!(
        shown.contains(&format!("Ben: {hostile}")),
        "dunst shows the comment as typed: {shown:?} ({notes:#?})"
    );
    assert!(shown.starts_with(TITLE), "{shown:?}");
    app.quit().await;
}
