//! The tray as a person uses it from a panel: the item registers with the
//! desktop's watcher, its menu pauses and resumes notifications (Settings
//! agrees), closing the window keeps the app running in the tray, and the
//! tray's Quit ends it.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc, Weekday};
use serde_json::json;
use tidings_e2e::clock::recent;
use tidings_e2e::poll::until;
use tidings_e2e::{World, DEADLINE};

use crate::support::{ana_live_at, no_notification, row, ANA_TZ, CHANNEL};

/// Ana's zone, for reading the times the tray shows.
const ANA_ZONE: chrono_tz::Tz = chrono_tz::Europe::Lisbon;

/// Waits until the tray menu's first line reads `want`.
async fn tray_line(item: &tidings_e2e::sni::Item, want: &str) {
    until(&format!("the tray to say {want:?}"), DEADLINE, || async {
        let menu = item.menu().await;
        let first = menu.children.first().map(|e| e.label.clone());
        (first.as_deref() == Some(want)).then_some(())
    })
    .await;
}

fn pause_until(settings: &serde_json::Value) -> Option<DateTime<Utc>> {
    settings["pause_until"]
        .as_str()
        .and_then(|s| s.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tray_registers_and_pause_item_pauses_notifications() {
    let world = World::start("tray_pause").await;
    let mut thread = String::new();
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let (team, app) = ana_live_at(&world, now, |ana| {
        thread = ana.post(CHANNEL, "Launch checklist", "What is left before Friday?");
    })
    .await;

    let item = world.tray().wait_item().await;
    let menu = item.menu().await;
    let labels: Vec<String> = menu.flatten().iter().map(|e| e.label.clone()).collect();
    for wanted in [
        "Open Tidings",
        "Inbox",
        "Pause notifications",
        "For 1 hour",
        "Until tomorrow",
        "Resume",
    ] {
        assert!(
            labels.iter().any(|l| l == wanted),
            "the tray menu lacks {wanted:?}: {labels:?}"
        );
    }
    assert!(
        labels.iter().any(|l| l.starts_with("Quit")),
        "the tray menu has no Quit: {labels:?}"
    );
    assert_eq!(
        menu.children.first().map(|e| (e.label.as_str(), e.enabled)),
        Some(("Notifications on", false)),
        "the menu opens with the notification state, not clickable: {labels:?}"
    );
    let pause = menu.find("Pause notifications").expect("listed above");
    assert!(
        pause.children.iter().any(|c| c.label == "For 1 hour"),
        "the pause choices sit in the Pause submenu: {pause:#?}"
    );

    // "For 1 hour" pauses until an hour from (test-clock) now.
    item.click("For 1 hour").await;
    let until_time = until("the pause to be recorded", DEADLINE, || async {
        pause_until(&app.call("notification_settings", json!({})).await)
    })
    .await;
    let off = (until_time - (now + TimeDelta::hours(1)))
        .num_seconds()
        .abs();
    assert!(
        off <= 60,
        "paused until {until_time}, expected about {}",
        now + TimeDelta::hours(1)
    );
    app.click("[data-testid=nav-settings]").await;
    app.wait_text("[data-testid=pause-state]", "Paused", |t| {
        t.starts_with("Paused")
    })
    .await;
    // The tray says until when, in Ana's time.
    let paused_line = format!(
        "Paused until {}",
        until_time.with_timezone(&ANA_ZONE).format("%H:%M")
    );
    tray_line(&item, &paused_line).await;

    // A teammate's comment during the pause: listed, but silent.
    team.ben.comment(&thread, "Docs are ready for review.");
    team.ben.sync();
    app.click("[data-testid=nav-inbox]").await;
    app.wait_for(&format!("{}[data-unread=true]", row(&thread)))
        .await;
    no_notification(
        &world,
        "a notification during the pause",
        Duration::from_secs(3),
    )
    .await;
    tray_line(&item, &format!("{paused_line}; 1 notification held")).await;

    // "Resume" ends the pause: Settings says so, and what was held shows.
    item.click("Resume").await;
    until("the pause to end", DEADLINE, || async {
        let s = app.call("notification_settings", json!({})).await;
        pause_until(&s).is_none_or(|t| t <= now).then_some(())
    })
    .await;
    app.click("[data-testid=nav-settings]").await;
    app.wait_text("[data-testid=pause-state]", "On", |t| t.starts_with("On"))
        .await;
    tray_line(&item, "Notifications on").await;
    until("the held notification after Resume", DEADLINE, || async {
        (world.dunst().total() == 1).then_some(())
    })
    .await;
    let notes = world.dunst().close_all_and_read();
    assert!(notes[0].body.contains("Ben"), "{notes:#?}");

    // Closing the window hides it; the app keeps running in the tray and
    // says so once.
    app.close_window();
    until("the window to be hidden", DEADLINE, || async {
        (app.windows_shown() == 0).then_some(())
    })
    .await;
    until("the still-running hint", DEADLINE, || async {
        let notes = world.dunst().close_all_and_read();
        notes
            .iter()
            .any(|n| n.summary.contains("still running"))
            .then_some(())
    })
    .await;
    assert!(app.running(), "closing the window must not quit the app");

    // The tray brings it back, and its Quit ends the process.
    item.click("Open Tidings").await;
    until("the window to show again", DEADLINE, || async {
        (app.windows_shown() == 1).then_some(())
    })
    .await;
    let quit = labels
        .iter()
        .find(|l| l.starts_with("Quit"))
        .expect("listed above");
    item.click(quit).await;
    app.wait_exit("after Quit in the tray menu").await;
    app.detach();
}
