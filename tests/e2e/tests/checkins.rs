//! Check-ins in the desktop app. Ben (CLI, Tokyo) creates "What did you
//! work on today?" for everyone on weekdays on a Wednesday at 10:00 in
//! Lisbon, after Ana's day began: it first asks her on Thursday. At 09:00
//! Thursday her catch-up says there is a check-in to answer; from it she
//! answers on the board, which then shows her answer under her Thursday
//! and Ben as not answered yet; Ben answers from the CLI and the board
//! shows it; Ana edits hers. Time is the app's test clock.

use chrono::{TimeDelta, Weekday};
use chrono_tz::Tz;
use serde_json::json;
use tidings_e2e::clock::{recent, rfc3339};
use tidings_e2e::poll::until;
use tidings_e2e::{World, DEADLINE};

use crate::support::{ana_live_at, ANA_TZ, CHANNEL};

const QUESTION: &str = "What did you work on today?";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkin_asks_at_my_start_and_its_board_gathers_everyones_answers() {
    let world = World::start("checkins").await;
    // Wednesday 10:00 in Lisbon.
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let (team, app) = ana_live_at(&world, now, |_| {}).await;
    let checkin = team.ben.run(&[
        "checkin",
        "create",
        "--channel",
        CHANNEL,
        "--question",
        QUESTION,
        "--days",
        "weekdays",
    ]);
    team.ben.sync();

    // Ana sees it; it has not asked her yet (her Wednesday began before it).
    app.click("[data-testid=nav-checkins]").await;
    let item = format!("[data-testid=checkin-item][data-checkin-id='{checkin}']");
    let text = app
        .wait_text(&item, "the check-in", |t| t.contains(QUESTION))
        .await;
    assert!(text.contains("next asks you"), "{text:?}");
    assert!(
        app.find(&format!("{item} [data-testid=checkin-answer-box]"))
            .await
            .is_none(),
        "nothing to answer on Wednesday"
    );
    app.wait_gone("[data-testid=checkins-count]").await;

    // Thursday 09:00: the catch-up says there is a check-in to answer.
    let morning = now + TimeDelta::hours(23);
    team.ben.set_clock(&rfc3339(morning));
    app.call("set_test_clock", json!({ "at": rfc3339(morning) }))
        .await;
    until("the catch-up at 09:00", DEADLINE, || async {
        (world.dunst().displayed() >= 1).then_some(())
    })
    .await;
    world.dunst().act();
    app.wait_for("[data-testid=catch-up-checkins]").await;
    let notes = world.dunst().close_all_and_read();
    assert_eq!(notes.len(), 1, "one notification: {notes:#?}");
    assert_eq!(notes[0].summary, "Your catch-up");
    assert!(notes[0].body.contains("1 check-in to answer"), "{notes:#?}");
    app.wait_text("[data-testid=checkins-count]", "one to answer", |t| {
        t.trim() == "1"
    })
    .await;

    // From the catch-up to the board, and answer there.
    app.click("[data-testid=catch-up-answer]").await;
    let board = format!("[data-testid=checkin-board][data-checkin-id='{checkin}']");
    app.wait_for(&board).await;
    app.fill(
        &format!("{board} [data-testid=checkin-answer-input]"),
        "Shipped the **footer** fix",
    )
    .await;
    app.click(&format!("{board} [data-testid=checkin-answer-send]"))
        .await;
    let lisbon: Tz = ANA_TZ.parse().unwrap();
    let thursday = morning.with_timezone(&lisbon).date_naive().to_string();
    let day = format!("{board} [data-testid=checkin-day][data-date='{thursday}']");
    let mine = format!("{day} [data-testid=checkin-answer][data-author='Ana']");
    app.wait_text(&mine, "Ana's answer", |t| t.contains("footer"))
        .await;
    let html = app
        .eval(
            "return document.querySelector(arguments[0]).innerHTML",
            vec![json!(mine)],
        )
        .await;
    assert!(
        html.as_str()
            .is_some_and(|h| h.contains("<strong>footer</strong>")),
        "the answer is rendered Markdown: {html}"
    );
    // Ben has been asked on his Thursday too, and not answered yet.
    let pending = app
        .wait_text(
            &format!("{day} [data-testid=checkin-pending]"),
            "Ben not yet",
            |t| t.contains("Ben"),
        )
        .await;
    assert!(!pending.contains("Ana"), "{pending:?}");
    app.wait_gone("[data-testid=checkins-count]").await;

    // Ben answers from the CLI: the board shows it.
    team.ben
        .run(&["checkin", "answer", &checkin, "Reviewed the release"]);
    team.ben.sync();
    app.wait_text(
        &format!("{day} [data-testid=checkin-answer][data-author='Ben']"),
        "Ben's answer",
        |t| t.contains("Reviewed the release"),
    )
    .await;
    app.wait_gone(&format!("{day} [data-testid=checkin-pending]"))
        .await;

    // Ana edits her answer.
    app.click(&format!("{mine} [data-testid=checkin-answer-edit]"))
        .await;
    app.fill(
        &format!("{mine} [data-testid=checkin-answer-input]"),
        "Shipped the footer fix and the docs",
    )
    .await;
    app.click(&format!("{mine} [data-testid=checkin-answer-send]"))
        .await;
    app.wait_text(&mine, "the edited answer", |t| {
        t.contains("and the docs") && t.contains("edited")
    })
    .await;
    // Ben's board (the CLI) has it too, once he syncs.
    team.ben.sync();
    let board_json = team.ben.json(&["checkin", "board", &checkin]);
    assert!(
        board_json.to_string().contains("and the docs"),
        "{board_json}"
    );

    // The board as the README shows it, without the toasts.
    for close in app.find_all("[data-testid=toast] button").await {
        let _ = close.click().await;
    }
    app.wait_gone("[data-testid=toast]").await;
    app.screenshot("checkin-board-light").await;
    app.quit().await;
}
