//! Later and reminders in the desktop app. Ana's app runs at 10:00 on a
//! Wednesday in Lisbon. She presses `l` on a thread: a time after her
//! hours says it moves to Thursday 09:00; "later today" (13:00) is set.
//! Later lists it as upcoming; when the app's test clock reaches 13:00 one
//! "Reminder:" notification comes, Later shows it due with a badge, and
//! clicking the notification opens the thread. A second thread is set to
//! remind "on reply, or Monday": Ben's comment (CLI, over a real
//! nats-server) brings its reminder at once, saying Ben replied. Done and
//! Remove work from the Later view. Time is the app's test clock, never
//! real waiting.

use std::time::Duration;

use chrono::{TimeDelta, Weekday};
use chrono_tz::Tz;
use serde_json::json;
use tidings_e2e::clock::{recent, rfc3339};
use tidings_e2e::dunst::Note;
use tidings_e2e::poll::{never, until};
use tidings_e2e::{App, World, DEADLINE};

use crate::support::{ana_live_at, row, thread_view, ANA_TZ};

const PLAN: &str = "Q1 plan";
const OFFSITE: &str = "Offsite venue";

fn reminders<'a>(notes: &'a [Note], title: &str) -> Vec<&'a Note> {
    let want = format!("Reminder: {title}");
    notes.iter().filter(|n| n.summary == want).collect()
}

fn later_item(thread: &str) -> String {
    format!("[data-testid=later-item][data-thread-id='{thread}']")
}

/// Opens `thread` from the #design channel.
async fn open(app: &App<'_>, thread: &str) {
    app.click("[data-testid=channel-link]").await;
    app.click(&row(thread)).await;
    app.wait_for(&thread_view(thread)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_comes_in_my_hours_and_a_reply_brings_one_sooner() {
    let world = World::start("later").await;
    let (mut plan, mut offsite) = (String::new(), String::new());
    // Wednesday 10:00 in Lisbon: inside Ana's hours (09:00–17:00).
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let (team, app) = ana_live_at(&world, now, |ana| {
        plan = ana.post("design", PLAN, "Draft goals inside.");
        offsite = ana.post("design", OFFSITE, "Lisbon or Porto?");
    })
    .await;
    app.wait_for("[data-testid=nav-later]").await;
    app.wait_gone("[data-testid=later-count]").await;

    // `l` on the open thread asks when.
    open(&app, &plan).await;
    app.press(&['l']).await;
    app.wait_for("[data-testid=remind-dialog]").await;
    // 18:30 is after her hours: it says the reminder moves to Thursday 09:00.
    let lisbon: Tz = ANA_TZ.parse().unwrap();
    let evening = now
        .with_timezone(&lisbon)
        .format("%Y-%m-%dT18:30")
        .to_string();
    app.click("[data-testid=remind-custom]").await;
    app.set_value("[data-testid=remind-at]", &evening).await;
    let moved = app
        .wait_text("[data-testid=remind-preview]", "the moved note", |t| {
            t.contains("Outside your working hours")
        })
        .await;
    assert!(
        moved.contains("Thu") && moved.contains("09:00"),
        "moves to Thursday 09:00: {moved:?}"
    );
    // Later today is 13:00, inside her hours: no move.
    app.click("[data-testid=remind-later_today]").await;
    let fine = app
        .wait_text("[data-testid=remind-preview]", "the 13:00 note", |t| {
            t.contains("13:00")
        })
        .await;
    assert!(!fine.contains("Outside"), "{fine:?}");
    app.click("[data-testid=remind-save]").await;
    app.wait_gone("[data-testid=remind-dialog]").await;
    app.wait_text(
        "[data-testid=thread-remind]",
        "the header's reminder",
        |t| t.contains("13:00"),
    )
    .await;

    // The other thread: on reply, or Monday, from the header's button.
    open(&app, &offsite).await;
    app.click("[data-testid=thread-remind]").await;
    app.click("[data-testid=remind-monday_at_my_start]").await;
    app.click("[data-testid=remind-on-reply]").await;
    app.wait_text("[data-testid=remind-preview]", "Monday's note", |t| {
        t.contains("Mon") && t.contains("09:00")
    })
    .await;
    app.click("[data-testid=remind-save]").await;
    app.wait_gone("[data-testid=remind-dialog]").await;

    // Later lists both as upcoming; nothing is due yet.
    app.click("[data-testid=nav-later]").await;
    app.wait_for(&format!("{}[data-state=upcoming]", later_item(&plan)))
        .await;
    let line = app
        .text(&format!(
            "{} [data-testid=later-line]",
            later_item(&offsite)
        ))
        .await;
    assert!(line.contains("or sooner if someone replies"), "{line:?}");
    app.wait_text("[data-testid=later-open-count]", "two in Later", |t| {
        t.trim() == "2"
    })
    .await;
    let before = world.dunst().close_all_and_read();
    assert!(
        reminders(&before, PLAN).is_empty(),
        "nothing yet: {before:#?}"
    );

    // Ben replies in the offsite thread: its reminder comes now, and says so.
    let reply_at = now + TimeDelta::minutes(5);
    team.ben.set_clock(&rfc3339(reply_at));
    app.call("set_test_clock", json!({ "at": rfc3339(reply_at) }))
        .await;
    team.ben.comment(&offsite, "Porto, surely");
    team.ben.sync();
    let note = until("the on-reply reminder", DEADLINE, || async {
        let notes = world.dunst().close_all_and_read();
        reminders(&notes, OFFSITE).first().map(|n| (*n).clone())
    })
    .await;
    assert!(note.body.contains("Ben replied"), "{note:#?}");
    app.wait_for(&format!("{}[data-state=due]", later_item(&offsite)))
        .await;
    app.wait_text(
        &format!("{} [data-testid=later-line]", later_item(&offsite)),
        "who replied",
        |t| t.contains("Ben replied"),
    )
    .await;
    app.wait_text("[data-testid=later-count]", "one due", |t| t.trim() == "1")
        .await;

    // 13:00: the plan's reminder, once.
    let one = now + TimeDelta::hours(3);
    app.call("set_test_clock", json!({ "at": rfc3339(one) }))
        .await;
    until("the 13:00 reminder", DEADLINE, || async {
        (world.dunst().displayed() == 1).then_some(())
    })
    .await;
    app.wait_for(&format!("{}[data-state=due]", later_item(&plan)))
        .await;
    app.wait_text("[data-testid=later-count]", "two due", |t| t.trim() == "2")
        .await;
    // Clicking it opens the thread.
    world.dunst().act();
    app.wait_for(&thread_view(&plan)).await;
    never(
        "a second reminder for the plan",
        Duration::from_secs(2),
        || async {
            let notes = world.dunst().history();
            let n = reminders(&notes, PLAN).len();
            (n > 1).then(|| format!("{n} reminders"))
        },
    )
    .await;
    let notes = world.dunst().close_all_and_read();
    let plan_notes = reminders(&notes, PLAN);
    assert_eq!(plan_notes.len(), 1, "one reminder: {notes:#?}");
    assert_eq!(plan_notes[0].body, "You asked to come back to this now.");

    // Done and Remove from the Later view.
    app.click("[data-testid=nav-later]").await;
    app.click(&format!("{} [data-testid=later-done]", later_item(&plan)))
        .await;
    app.wait_for(&format!("{}[data-state=done]", later_item(&plan)))
        .await;
    app.wait_text("[data-testid=later-count]", "one due", |t| t.trim() == "1")
        .await;
    app.click(&format!(
        "{} [data-testid=later-remove]",
        later_item(&offsite)
    ))
    .await;
    app.wait_gone(&later_item(&offsite)).await;
    app.wait_gone("[data-testid=later-count]").await;
    app.quit().await;
}
