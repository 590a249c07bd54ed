//! Urgent, from both sides. Ben (the CLI) marks comments urgent for Ana
//! late on a Wednesday evening, outside her hours: the first breaks
//! through ("Urgent:" in the title, his name in the body), the second
//! within 24 hours does not and waits for her morning catch-up like any
//! comment.
//! Ana turns urgent from Ben off in Settings: a day later his next urgent
//! mark stays silent. Then Ana writes to Ben herself: the composer says
//! the mark would break through for him and when his answer is due, and
//! the ask reaches his `tidings waiting`. Time is the app's test clock.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc, Weekday};
use serde_json::json;
use tidings_e2e::clock::{recent, rfc3339};
use tidings_e2e::poll::until;
use tidings_e2e::{App, World, DEADLINE};

use crate::support::{ana_live_at, no_notification, row, thread_view, Team, ANA_TZ, CHANNEL};

const TITLE: &str = "Release blocked";

/// Ben writes an urgent comment at `at` and syncs; Ana's inbox shows it.
async fn ben_urgent(app: &App<'_>, team: &Team, thread: &str, at: DateTime<Utc>, text: &str) {
    team.ben.set_clock(&rfc3339(at));
    team.ben.run(&["comment", thread, text, "--urgent", "ana"]);
    team.ben.sync();
    app.click("[data-testid=nav-inbox]").await;
    app.wait_text(
        &format!("{} [data-testid=thread-item-snippet]", row(thread)),
        "Ben's comment in Ana's inbox",
        |t| t.contains(text),
    )
    .await;
}

/// Moves the app's clock (and Ben's) to `at`.
async fn set_clock(app: &App<'_>, team: &Team, at: DateTime<Utc>) {
    team.ben.set_clock(&rfc3339(at));
    app.call("set_test_clock", json!({ "at": rfc3339(at) }))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urgent_breaks_through_once_a_day_and_can_be_turned_off() {
    let world = World::start("urgent").await;
    let mut thread = String::new();
    // Wednesday 22:00 in Lisbon: Ana's hours (09:00–17:00) are over.
    let evening = recent(ANA_TZ, Weekday::Wed, 22, 0);
    let (team, app) = ana_live_at(&world, evening, |ana| {
        thread = ana.post(CHANNEL, TITLE, "The build fails on the signing step.");
    })
    .await;

    // The first urgent mark breaks through her evening.
    ben_urgent(
        &app,
        &team,
        &thread,
        evening,
        "Prod is down, need your call",
    )
    .await;
    until("the urgent notification", DEADLINE, || async {
        (world.dunst().total() == 1).then_some(())
    })
    .await;
    let notes = world.dunst().close_all_and_read();
    assert_eq!(notes[0].summary, format!("Urgent: {TITLE}"), "{notes:#?}");
    assert!(
        notes[0].body.contains("Ben") && notes[0].body.contains("Prod is down"),
        "the body names who marked it: {notes:#?}"
    );

    // The second, an hour later, is within the day: it waits.
    let later = evening + TimeDelta::hours(1);
    set_clock(&app, &team, later).await;
    ben_urgent(&app, &team, &thread, later, "Still down").await;
    no_notification(
        &world,
        "a second urgent notification within 24 hours",
        Duration::from_secs(3),
    )
    .await;

    // Thursday 09:00: it arrives with her morning, like any comment held
    // overnight: in her catch-up, not as an urgent notification.
    let morning = recent_after(evening, 9, 0);
    set_clock(&app, &team, morning).await;
    until("the catch-up at 09:00", DEADLINE, || async {
        (world.dunst().total() == 2).then_some(())
    })
    .await;
    // Newest first.
    let notes = world.dunst().close_all_and_read();
    assert_eq!(
        notes[0].summary, "Your catch-up",
        "not urgent any more: {notes:#?}"
    );
    assert_eq!(notes[0].body, "1 thread with news", "{notes:#?}");
    app.click("[data-testid=nav-catch-up]").await;
    app.wait_text("[data-testid=catch-up-news]", "the held comment", |t| {
        t.contains(TITLE) && t.contains("from Ben")
    })
    .await;

    // Ana turns urgent from Ben off.
    app.click("[data-testid=nav-settings]").await;
    app.click("[data-testid=urgent-from]").await;
    until("urgent from Ben to be off", DEADLINE, || async {
        let s = app.call("urgent_settings", json!({})).await;
        (s["off_from"].as_array().map(Vec::len) == Some(1)).then_some(())
    })
    .await;

    // Thursday 22:30, more than a day after the first: silent all the same.
    let next_evening = evening + TimeDelta::minutes(24 * 60 + 30);
    set_clock(&app, &team, next_evening).await;
    ben_urgent(&app, &team, &thread, next_evening, "Third time").await;
    no_notification(
        &world,
        "an urgent notification from someone Ana turned off",
        Duration::from_secs(3),
    )
    .await;

    // Ana answers, urgent for Ben and asking for a reply: the composer
    // says what each does for him before she sends.
    app.click(&row(&thread)).await;
    app.wait_for(&thread_view(&thread)).await;
    app.fill("#reply-body", "@ben rolled back, please confirm.")
        .await;
    app.click("[data-testid=urgent-toggle]").await;
    app.wait_any_text(
        "[data-testid=recipient-day] [data-testid=recipient-urgent]",
        "the composer saying urgent breaks through for Ben",
        |t| t.contains("breaks through"),
    )
    .await;
    app.select("[data-testid=reply-by]", "next_day").await;
    let due = app
        .wait_any_text(
            "[data-testid=recipient-day] [data-testid=recipient-due]",
            "Ben's deadline in the composer",
            |t| t.starts_with("reply by") && t.contains("Ben's 17:00"),
        )
        .await;
    app.click("[data-testid=reply-send]").await;
    app.wait_any_text("[data-testid=comment-body]", "Ana's reply", |t| {
        t.contains("rolled back")
    })
    .await;
    // The reply box is reset for the next message.
    assert_eq!(
        app.attr("[data-testid=urgent-toggle]", "aria-pressed")
            .await
            .as_deref(),
        Some("false")
    );

    // Ben's CLI lists the ask, due at his 17:00.
    until("Ben to see the ask", DEADLINE, || async {
        team.ben.sync();
        let out = team.ben.run(&["waiting"]);
        out.contains(TITLE).then_some(out)
    })
    .await;
    assert!(due.contains("17:00"), "{due}");
    app.quit().await;
}

/// The next day's `h:m` in Lisbon after `t` (a Wednesday evening there).
fn recent_after(t: DateTime<Utc>, h: u32, m: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    let tz: chrono_tz::Tz = ANA_TZ.parse().expect("a zone");
    let day = t.with_timezone(&tz).date_naive() + TimeDelta::days(1);
    tz.from_local_datetime(&day.and_hms_opt(h, m, 0).expect("a time"))
        .single()
        .expect("not a DST gap")
        .with_timezone(&Utc)
}
