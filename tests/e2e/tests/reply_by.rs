//! Reply-by in the desktop app. Ben (CLI) asks Ana for an answer by 12:00
//! her time while her app runs at 10:00 on a Wednesday: her inbox row says
//! "Reply by …", the sidebar counts it and the Waiting view lists it. When
//! the app's test clock passes the deadline (still in her hours) one
//! "Overdue" notification comes and the badge turns to "Overdue"; "Mark
//! answered" empties the list, the count and the badge, and Ben's
//! `tidings waiting --others` lists nothing once he syncs. Time is the
//! app's test clock, never real waiting.

use std::time::Duration;

use chrono::{TimeDelta, Weekday};
use serde_json::{json, Value};
use tidings_e2e::cli::Device;
use tidings_e2e::clock::{recent, rfc3339};
use tidings_e2e::dunst::Note;
use tidings_e2e::poll::{never, until};
use tidings_e2e::{World, DEADLINE};

use crate::support::{ana_live_at, row, ANA_TZ, CHANNEL};

const TITLE: &str = "Launch date";

fn overdue_notes(notes: &[Note]) -> Vec<&Note> {
    notes
        .iter()
        .filter(|n| n.summary.starts_with("Overdue:"))
        .collect()
}

/// What Ben's `tidings waiting --others` lists.
fn ben_waiting_on_others(ben: &Device) -> Vec<Value> {
    let list = ben.json(&["waiting", "--others"]);
    list.as_array()
        .unwrap_or_else(|| panic!("a list of asks: {list}"))
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ask_shows_its_deadline_turns_overdue_once_and_clears_when_answered() {
    let world = World::start("reply_by").await;
    let mut thread = String::new();
    // A Wednesday, 10:00 in Lisbon: inside Ana's hours (09:00–17:00).
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let (team, app) = ana_live_at(&world, now, |ana| {
        thread = ana.post(CHANNEL, TITLE, "When do we ship?");
    })
    .await;
    app.wait_for("[data-testid=nav-waiting]").await;
    app.wait_gone("[data-testid=waiting-count]").await;

    // Ben asks Ana for an answer by 12:00 her time (two hours on).
    let due = now + TimeDelta::hours(2);
    team.ben.run(&[
        "comment",
        &thread,
        "Can you confirm Friday?",
        "--ask",
        "@ana",
        "--reply-by",
        &rfc3339(due),
    ]);
    team.ben.sync();
    let asked = ben_waiting_on_others(&team.ben);
    assert_eq!(asked.len(), 1, "Ben waits on Ana: {asked:#?}");

    // Her inbox row says by when, in her time; the sidebar counts it.
    app.click("[data-testid=nav-inbox]").await;
    let badge = format!("{} [data-testid=reply-by-badge]", row(&thread));
    let text = app
        .wait_text(&badge, "the reply-by badge", |t| t.contains("Reply by"))
        .await;
    assert!(
        text.contains("Wed") && text.contains("12:00"),
        "due Wednesday 12:00 in Ana's time: {text:?}"
    );
    app.wait_text("[data-testid=waiting-count]", "one ask on Ana", |t| {
        t.trim() == "1"
    })
    .await;
    assert_eq!(
        app.attr("[data-testid=waiting-count]", "data-overdue")
            .await
            .as_deref(),
        Some("false")
    );
    // Ben's comment notified her as any comment does; that one is not
    // what this test counts.
    until("the notification for Ben's comment", DEADLINE, || async {
        (world.dunst().total() >= 1).then_some(())
    })
    .await;
    let seen = world.dunst().close_all_and_read();
    assert!(
        overdue_notes(&seen).is_empty(),
        "nothing overdue yet: {seen:#?}"
    );

    // The Waiting view lists it: who asked, due when in her time.
    app.click("[data-testid=nav-waiting]").await;
    let item = format!("[data-testid=waiting-me-item][data-thread-id='{thread}']");
    app.wait_for(&item).await;
    let item_text = app.text(&item).await;
    assert!(
        item_text.contains(TITLE) && item_text.contains("Ben") && item_text.contains("12:00"),
        "the item names the thread, Ben and the deadline: {item_text:?}"
    );
    app.wait_for("[data-testid=waiting-others-empty]").await;

    // The clock passes the deadline (12:01, still in her hours): one
    // "Overdue" notification, and the list and the count say so.
    let later = due + TimeDelta::minutes(1);
    team.ben.set_clock(&rfc3339(later));
    app.call("set_test_clock", json!({ "at": rfc3339(later) }))
        .await;
    until("the overdue notification", DEADLINE, || async {
        let notes = world.dunst().close_all_and_read();
        (!overdue_notes(&notes).is_empty()).then_some(())
    })
    .await;
    app.wait_for(&format!("{item}[data-overdue=true]")).await;
    app.wait_for("[data-testid=waiting-count][data-overdue=true]")
        .await;
    never(
        "a second overdue notification",
        Duration::from_secs(2),
        || async {
            let notes = world.dunst().close_all_and_read();
            let overdue = overdue_notes(&notes);
            (overdue.len() > 1).then(|| format!("{overdue:#?}"))
        },
    )
    .await;
    let notes = world.dunst().close_all_and_read();
    let overdue = overdue_notes(&notes);
    assert_eq!(overdue.len(), 1, "one overdue notification: {notes:#?}");
    assert_eq!(overdue[0].summary, format!("Overdue: {TITLE}"));
    assert!(overdue[0].body.contains("Ben"), "{:#?}", overdue[0]);

    // Her inbox badge says Overdue too.
    app.click("[data-testid=nav-inbox]").await;
    app.wait_text(&badge, "the overdue badge", |t| t.trim() == "Overdue")
        .await;

    // "Mark answered" from the Waiting view: the list, the count and the
    // badge empty.
    app.click("[data-testid=nav-waiting]").await;
    app.click(&format!("{item} [data-testid=waiting-answered]"))
        .await;
    app.wait_for("[data-testid=waiting-me-empty]").await;
    app.wait_gone("[data-testid=waiting-count]").await;
    app.click("[data-testid=nav-inbox]").await;
    app.wait_for(&row(&thread)).await;
    app.wait_gone(&badge).await;

    // Ben, once synced, no longer waits on Ana.
    until("Ben's list of asks to empty", DEADLINE, || async {
        team.ben.sync();
        ben_waiting_on_others(&team.ben).is_empty().then_some(())
    })
    .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn away_is_set_in_settings_read_in_my_time_and_cleared() {
    let world = World::start("away_settings").await;
    // A Wednesday, 10:00 in Lisbon.
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let (_team, app) = ana_live_at(&world, now, |_| {}).await;
    app.click("[data-testid=nav-settings]").await;
    app.wait_text("[data-testid=away-state]", "that Ana is not away", |t| {
        t.contains("not away")
    })
    .await;

    // A day already past: the core refuses, and says why in a toast (the
    // page cannot know the test clock's today, so the core's check is it).
    let past = (now - TimeDelta::days(1)).format("%Y-%m-%d").to_string();
    app.set_value("[data-testid=away-back-on]", &past).await;
    app.click("[data-testid=away-set]").await;
    app.wait_any_text("[data-testid=toast]", "the core's refusal", |t| {
        t.contains("not after today")
    })
    .await;
    assert_eq!(
        app.attr("[data-testid=away-state]", "data-away")
            .await
            .as_deref(),
        Some("false")
    );

    // Back next Monday, with a note: Settings says so in her time.
    let monday = (now + TimeDelta::days(5)).format("%Y-%m-%d").to_string();
    app.set_value("[data-testid=away-back-on]", &monday).await;
    app.fill("[data-testid=away-note]", "At a conference").await;
    app.click("[data-testid=away-set]").await;
    let state = app
        .wait_text("[data-testid=away-state]", "Ana away", |t| {
            t.contains("Away until you are back on")
        })
        .await;
    assert!(
        state.contains("Mon") && state.contains("At a conference"),
        "back on Monday, with the note: {state:?}"
    );

    // "I'm back" ends it.
    app.click("[data-testid=away-clear]").await;
    app.wait_text("[data-testid=away-state]", "Ana back", |t| {
        t.contains("not away")
    })
    .await;
    app.quit().await;
}
