//! Send later, both ways. Ana schedules a reply from the composer ("In 1
//! hour"): it waits in her Scheduled list, not in the thread. Ben schedules
//! one from the CLI for 30 minutes after the app's clock: Ana's app has it
//! (it shows the away note he sent after it) but shows nothing until its
//! clock reaches that instant, and then the comment is in the thread and a
//! notification names Ben. Time is the app's test clock, never real
//! waiting.

use std::time::Duration;

use chrono::{TimeDelta, Weekday};
use serde_json::json;
use tidings_e2e::clock::{recent, rfc3339};
use tidings_e2e::poll::{never, until};
use tidings_e2e::{App, World, DEADLINE};

use crate::support::{ana_live_at, row, thread_view, ANA_TZ, CHANNEL};

const TITLE: &str = "Launch checklist";

/// The text of every comment shown in the open thread.
async fn comment_texts(app: &App<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for el in app.find_all("[data-testid=comment-body]").await {
        out.push(el.text().await.unwrap_or_default());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_replies_wait_for_their_time_then_show_and_notify() {
    let world = World::start("send_later").await;
    let mut thread = String::new();
    // A Wednesday, 10:00 in Lisbon: inside Ana's hours.
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let (team, app) = ana_live_at(&world, now, |ana| {
        thread = ana.post(CHANNEL, TITLE, "What is left before Friday?");
    })
    .await;

    // Ana writes a reply mentioning Ben: the recipients' day lists him.
    app.click("[data-testid=channel-link]").await;
    app.click(&row(&thread)).await;
    app.wait_for(&thread_view(&thread)).await;
    app.fill(
        "#reply-body",
        "@ben the changelog can wait for the morning.",
    )
    .await;
    app.wait_any_text(
        "[data-testid=recipients-day] [data-testid=recipient-day]",
        "Ben in the recipients' day",
        |t| t.contains("Ben"),
    )
    .await;
    // "At their start": Ben (Tokyo, 19:00 now) gets it at his 09:00.
    app.select("[data-testid=send-later]", "at_their_start")
        .await;
    app.wait_any_text(
        "[data-testid=recipients-day] [data-testid=recipient-day]",
        "Ben's landing at the start of his day",
        |t| t.contains("in hours — Thu 09:00 their time"),
    )
    .await;
    app.select("[data-testid=send-later]", "in_one_hour").await;
    app.wait_text(
        "[data-testid=reply-send]",
        "the button to say Schedule",
        |t| t.contains("Schedule"),
    )
    .await;
    app.click("[data-testid=reply-send]").await;

    // It waits in the Scheduled list, not in the thread.
    app.wait_text("[data-testid=scheduled-count]", "one scheduled post", |t| {
        t.trim() == "1"
    })
    .await;
    assert!(
        !comment_texts(&app)
            .await
            .iter()
            .any(|t| t.contains("changelog")),
        "a reply sent later is not in the thread yet"
    );
    app.click("[data-testid=nav-scheduled]").await;
    app.wait_text(
        "[data-testid=scheduled-item] [data-testid=scheduled-excerpt]",
        "Ana's reply in the Scheduled list",
        |t| t.contains("changelog"),
    )
    .await;
    assert_eq!(
        app.attr("[data-testid=scheduled-item]", "data-thread-id")
            .await
            .as_deref(),
        Some(thread.as_str())
    );

    // Ben schedules a comment for 30 minutes after the app's clock.
    let later = now + TimeDelta::minutes(30);
    team.ben.run(&[
        "comment",
        &thread,
        "Footer fixed, see the preview.",
        "--at",
        &rfc3339(later),
    ]);
    // Then he says he is away: once Ana's app shows that (her composer's
    // recipients' day), it has his scheduled comment too, sent before it.
    let back = (now + TimeDelta::days(7)).format("%Y-%m-%d").to_string();
    team.ben
        .run(&["away", "until", &back, "--note", "At a conference"]);
    team.ben.sync();
    app.click("[data-testid=channel-link]").await;
    app.click(&row(&thread)).await;
    app.wait_for(&thread_view(&thread)).await;
    app.fill("#reply-body", "@ben are you around?").await;
    app.wait_any_text(
        "[data-testid=recipient-day][data-state=away]",
        "Ben away in the recipients' day",
        |t| t.contains("Ben") && t.contains("At a conference"),
    )
    .await;
    never(
        "Ben's scheduled comment before its time",
        Duration::from_secs(2),
        || async {
            let texts = comment_texts(&app).await;
            texts
                .iter()
                .any(|t| t.contains("Footer fixed"))
                .then_some(texts)
        },
    )
    .await;
    assert_eq!(world.dunst().total(), 0, "nothing notifies before its time");

    // Away from the thread (an open thread does not notify), the clock
    // reaches Ben's instant: the comment is delivered and notifies.
    app.click("[data-testid=nav-scheduled]").await;
    app.wait_for("[data-testid=scheduled-item]").await;
    app.wait_gone("[data-testid=thread-view]").await;
    app.call("set_test_clock", json!({ "at": rfc3339(later) }))
        .await;
    until("the notification for Ben's comment", DEADLINE, || async {
        (world.dunst().total() >= 1).then_some(())
    })
    .await;
    let notes = world.dunst().close_all_and_read();
    assert_eq!(notes.len(), 1, "one notification: {notes:#?}");
    assert_eq!(notes[0].summary, TITLE, "{notes:#?}");
    assert!(
        notes[0].body.contains("Ben") && notes[0].body.contains("Footer"),
        "the body names Ben and quotes him: {notes:#?}"
    );
    app.click("[data-testid=channel-link]").await;
    app.click(&row(&thread)).await;
    app.wait_for(&thread_view(&thread)).await;
    app.wait_any_text("[data-testid=comment-body]", "Ben's comment", |t| {
        t.contains("Footer fixed")
    })
    .await;
    // Ana's own reply is still an hour away.
    assert!(
        !comment_texts(&app)
            .await
            .iter()
            .any(|t| t.contains("changelog")),
        "Ana's reply waits for its own time"
    );

    // She cancels it from the Scheduled list: the list and count empty.
    app.click("[data-testid=nav-scheduled]").await;
    app.click("[data-testid=scheduled-item] [data-testid=scheduled-cancel]")
        .await;
    app.wait_for("[data-testid=scheduled-empty]").await;
    app.wait_gone("[data-testid=scheduled-count]").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_posts_can_be_edited_rescheduled_and_sent_now() {
    let world = World::start("scheduled_edit").await;
    let (mut thread, mut other) = (String::new(), String::new());
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let (team, app) = ana_live_at(&world, now, |ana| {
        other = ana.post(CHANNEL, "Release notes", "Who writes them?");
        thread = ana.post(CHANNEL, TITLE, "What is left before Friday?");
    })
    .await;
    app.click("[data-testid=channel-link]").await;
    app.click(&row(&thread)).await;
    app.wait_for(&thread_view(&thread)).await;

    // Two replies scheduled one after the other from the same reply box:
    // in an hour, and at 15:30 today (Ana's time), picked.
    let today = now
        .with_timezone(&ANA_TZ.parse::<chrono_tz::Tz>().expect("a zone"))
        .format("%Y-%m-%dT15:30")
        .to_string();
    for (text, when, count) in [
        ("First draft of the notes.", "in_one_hour", "1"),
        ("Second thought: ship Monday.", "custom", "2"),
    ] {
        app.fill("#reply-body", text).await;
        app.select("[data-testid=send-later]", when).await;
        if when == "custom" {
            app.set_value("[data-testid=send-at]", &today).await;
        }
        app.wait_text(
            "[data-testid=reply-send]",
            "the button to say Schedule",
            |t| t.contains("Schedule"),
        )
        .await;
        app.click("[data-testid=reply-send]").await;
        app.wait_text(
            "[data-testid=scheduled-count]",
            "the scheduled count",
            |t| t.trim() == count,
        )
        .await;
        // The box says so, and is ready for the next one.
        app.wait_for("[data-testid=scheduled-note]").await;
        app.wait_text("[data-testid=reply-send]", "the button to say Reply", |t| {
            t.contains("Reply")
        })
        .await;
        assert_eq!(app.value("[data-testid=send-later]").await, "now");
    }

    // Edit the first: new text, and tomorrow at Ana's start instead.
    app.click("[data-testid=nav-scheduled]").await;
    let first = "[data-testid=scheduled-item]:first-child";
    app.wait_text(
        &format!("{first} [data-testid=scheduled-excerpt]"),
        "the sooner post first",
        |t| t.contains("First draft"),
    )
    .await;
    app.wait_any_text(
        "[data-testid=scheduled-item] [data-testid=scheduled-at]",
        "the picked time",
        |t| t.contains("15:30"),
    )
    .await;
    app.click(&format!("{first} [data-testid=scheduled-edit]"))
        .await;
    app.fill("[data-testid=scheduled-edit-body]", "Final notes attached.")
        .await;
    app.select("[data-testid=scheduled-edit-when]", "tomorrow_at_my_start")
        .await;
    app.click("[data-testid=scheduled-edit-save]").await;
    app.wait_gone("[data-testid=scheduled-editor]").await;
    let times = until(
        "the edit, at 09:00 tomorrow; the other at 15:30",
        DEADLINE,
        || async {
            let mut texts = Vec::new();
            for el in app.find_all("[data-testid=scheduled-item]").await {
                texts.push(el.text().await.unwrap_or_default());
            }
            (texts.len() == 2
                && texts.iter().any(|t| {
                    t.contains("Final notes") && t.contains("Sends") && t.contains("09:00")
                })
                && texts
                    .iter()
                    .any(|t| t.contains("Second thought") && t.contains("15:30")))
            .then_some(texts)
        },
    )
    .await;
    assert!(
        !times.iter().any(|t| t.contains("First draft")),
        "the old text is gone: {times:#?}"
    );

    // Send the edited one now: it is in the thread, for Ben too; the other
    // still waits.
    until("the edited post to be sent", DEADLINE, || async {
        for el in app.find_all("[data-testid=scheduled-item]").await {
            let text = el.text().await.unwrap_or_default();
            if text.contains("Final notes") {
                let button = el
                    .find(fantoccini::Locator::Css("[data-testid=scheduled-send-now]"))
                    .await
                    .ok()?;
                return button.click().await.ok();
            }
        }
        None
    })
    .await;
    app.wait_text("[data-testid=scheduled-count]", "one left", |t| {
        t.trim() == "1"
    })
    .await;
    app.click("[data-testid=channel-link]").await;
    app.click(&row(&thread)).await;
    app.wait_any_text("[data-testid=comment-body]", "the sent reply", |t| {
        t.contains("Final notes")
    })
    .await;
    assert!(
        !comment_texts(&app)
            .await
            .iter()
            .any(|t| t.contains("Second thought")),
        "the other reply still waits"
    );
    // Options picked for a reply here do not follow Ana to another thread.
    app.fill("#reply-body", "Half-written thought").await;
    app.select("[data-testid=send-later]", "in_one_hour").await;
    app.click("[data-testid=urgent-toggle]").await;
    app.wait_for("[data-testid=urgent-toggle][aria-pressed=true]")
        .await;
    app.click(&row(&other)).await;
    app.wait_for(&thread_view(&other)).await;
    app.wait_for("[data-testid=urgent-toggle][aria-pressed=false]")
        .await;
    assert_eq!(app.value("[data-testid=send-later]").await, "now");

    until("Ben to have the sent reply", DEADLINE, || async {
        team.ben.sync();
        let out = team.ben.run(&["thread", &thread]);
        (out.contains("Final notes")
            && !out.contains("First draft")
            && !out.contains("Second thought"))
        .then_some(())
    })
    .await;
    app.quit().await;
}
