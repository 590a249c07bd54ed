//! axe-core inside the real webview, on every screen and dialog, in the
//! light and the dark theme: no serious or critical violation (contrast,
//! names, roles, labels). Each test collects what every screen breaks and
//! fails once with the whole list, so one run shows all there is to fix.

use fantoccini::key::Key;
use tidings_e2e::{axe, App, World};

use crate::support::{ana_and_ben, row, set_theme, thread_view, CHANNEL};

/// What blocks people on the current screen, as report lines.
async fn check(app: &App<'_>, screen: &str, theme: &str, found: &mut Vec<String>) {
    for v in axe::run(app)
        .await
        .into_iter()
        .filter(axe::Violation::blocks)
    {
        found.push(format!("{screen} ({theme}): {v}"));
    }
}

fn verdict(found: &[String]) {
    assert!(
        found.is_empty(),
        "{} serious or critical accessibility violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

async fn escape(app: &App<'_>, gone: &str) {
    app.press(&[Key::Escape.into()]).await;
    app.wait_gone(gone).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_has_no_serious_violations_in_either_theme() {
    let world = World::start("a11y_first_run").await;
    let app = world.launch(&world.data_dir("ana"), &[]).await;
    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        // No Settings before a workspace exists: the stored choice, as
        // Settings would store it, then a reload.
        app.eval(
            "localStorage.setItem('tidings.theme', arguments[0]); location.reload();",
            vec![theme.into()],
        )
        .await;
        app.wait_for(&format!("body[data-theme={theme}]")).await;
        app.wait_for("[data-testid=first-run]").await;
        check(&app, "first run", theme, &mut found).await;
        // A refused form shows its error text too.
        app.click("[data-testid=fr-create]").await;
        app.wait_for("[data-testid=first-run] [role=alert]").await;
        check(&app, "first run with an error", theme, &mut found).await;
    }
    app.quit().await;
    verdict(&found);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_and_dialog_has_no_serious_violations_in_either_theme() {
    let world = World::start("a11y_screens").await;
    let mut thread = String::new();
    let team = ana_and_ben(&world, |ana| {
        thread = ana.post(
            CHANNEL,
            "Launch checklist",
            "What is **left** before Friday?\n\n- docs\n- `release notes`",
        );
    });
    team.ben.comment(&thread, "The docs are ready for review.");
    team.ben.post(
        CHANNEL,
        "Footer copy",
        "@ana which wording do you prefer for the footer?",
    );
    team.ben.sync();
    team.ana.sync();

    let app = world.launch(team.ana.dir(), &[]).await;
    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        set_theme(&app, theme).await;
        check(&app, "settings", theme, &mut found).await;

        app.click("[data-testid=nav-inbox]").await;
        app.wait_for("[data-testid=thread-item]").await;
        check(&app, "inbox", theme, &mut found).await;

        app.click("[data-testid=channel-link]").await;
        app.wait_for(&row(&thread)).await;
        check(&app, "channel", theme, &mut found).await;

        app.click(&row(&thread)).await;
        app.wait_for(&thread_view(&thread)).await;
        app.wait_for("[data-testid=comment]").await;
        check(&app, "thread with its reply box", theme, &mut found).await;

        app.click("[data-testid=thread-remind]").await;
        app.wait_for("[data-testid=remind-dialog]").await;
        check(&app, "remind me dialog", theme, &mut found).await;
        escape(&app, "[data-testid=remind-dialog]").await;

        app.click("[data-testid=new-thread]").await;
        app.wait_for("[data-testid=new-thread-dialog]").await;
        check(&app, "new thread dialog", theme, &mut found).await;
        escape(&app, "[data-testid=new-thread-dialog]").await;

        app.click("[data-testid=new-channel]").await;
        app.wait_for("#channel-name").await;
        check(&app, "new channel dialog", theme, &mut found).await;
        app.press(&[Key::Escape.into()]).await;
        app.wait_gone("#channel-name").await;

        app.press(&['/']).await;
        app.fill("[data-testid=search-input]", "docs").await;
        app.wait_for("[data-testid=search-result]").await;
        check(&app, "search", theme, &mut found).await;
        escape(&app, "[data-testid=search]").await;

        app.press(&['?']).await;
        app.wait_for("[data-testid=help]").await;
        check(&app, "keyboard shortcuts", theme, &mut found).await;
        escape(&app, "[data-testid=help]").await;

        for (nav, screen, ready) in [
            ("done", "done list", "[data-testid=thread-list]"),
            ("catch-up", "catch-up", "[data-testid=catch-up]"),
            ("checkins", "check-ins", "[data-testid=checkins]"),
            ("later", "later", "[data-testid=later]"),
            ("scheduled", "scheduled", "[data-testid=scheduled]"),
            ("waiting", "waiting", "[data-testid=waiting]"),
        ] {
            app.click(&format!("[data-testid=nav-{nav}]")).await;
            app.wait_for(&format!("[data-testid=nav-{nav}][aria-current=page]"))
                .await;
            app.wait_for(ready).await;
            check(&app, screen, theme, &mut found).await;
        }
    }
    app.quit().await;
    verdict(&found);
}

/// The page's width in CSS pixels: zooming in makes it narrower.
async fn css_width(app: &App<'_>) -> f64 {
    app.eval("return window.innerWidth;", Vec::new())
        .await
        .as_f64()
        .expect("innerWidth is a number")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_plus_zooms_the_whole_window_and_the_zoom_is_kept() {
    let world = World::start("a11y_zoom").await;
    let ana = world.device("ana");
    ana.create_workspace("Acme", "Ana", "Europe/Lisbon", "09:00-17:00");
    let app = world.launch(ana.dir(), &[]).await;
    app.wait_for("[data-testid=nav-inbox]").await;
    let normal = css_width(&app).await;

    // Two steps in: 110%, then 125%.
    app.chord(Key::Control, '=').await;
    app.chord(Key::Control, '=').await;
    app.wait_for("html[data-zoom='1.25']").await;
    let zoomed = css_width(&app).await;
    assert!(
        (zoomed * 1.25 - normal).abs() < normal * 0.03,
        "at 125% the page is {zoomed} CSS px wide, against {normal} at 100%"
    );
    app.quit().await;

    // The next launch opens at the same zoom.
    let app = world.launch(ana.dir(), &[]).await;
    app.wait_for("[data-testid=nav-inbox]").await;
    app.wait_for("html[data-zoom='1.25']").await;
    let again = css_width(&app).await;
    assert!(
        (again - zoomed).abs() < 2.0,
        "the zoom was not kept: {again} CSS px wide after a relaunch, {zoomed} before"
    );

    // Ctrl+0 is the actual size again.
    app.chord(Key::Control, '0').await;
    app.wait_for("html[data-zoom='1']").await;
    let reset = css_width(&app).await;
    assert!(
        (reset - normal).abs() < 2.0,
        "Ctrl+0 left the page {reset} CSS px wide, not {normal}"
    );
    app.quit().await;
}
