//! Screenshots of the main views in the light and the dark theme, for
//! people reviewing the UI (target/e2e-screenshots/<view>-<theme>.png).
//! The theme is chosen the way a person does (Settings → Theme), and each
//! pair is checked to really differ in brightness, so a theme that does
//! not apply fails here.

use std::path::Path;
use std::process::Command;

use fantoccini::key::Key;
use tidings_e2e::poll::until;
use tidings_e2e::{App, World, DEADLINE};

use crate::support::{ana_and_ben, row, set_theme, thread_view, CHANNEL};

/// Mean brightness of a PNG, 0 (black) to 1 (white), by ImageMagick.
fn brightness(png: &Path) -> f64 {
    let out = Command::new("convert")
        .arg(png)
        .args(["-colorspace", "gray", "-format", "%[fx:mean]", "info:"])
        .output()
        .expect("run ImageMagick convert");
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("convert said {text:?} about {}", png.display()))
}

async fn open_thread(app: &App<'_>, thread: &str) {
    app.click("[data-testid=channel-link]").await;
    app.click(&row(thread)).await;
    app.wait_for(&thread_view(thread)).await;
    app.wait_for("[data-testid=comment]").await;
}

async fn search(app: &App<'_>) {
    app.press(&['/']).await;
    app.fill("[data-testid=search-input]", "review").await;
    app.wait_for("[data-testid=search-result]").await;
}

async fn close_search(app: &App<'_>) {
    app.press(&[Key::Escape.into()]).await;
    app.wait_gone("[data-testid=search]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_of_every_view_in_light_and_dark() {
    let world = World::start("screens").await;
    let mut thread = String::new();
    let team = ana_and_ben(&world, |ana| {
        thread = ana.post(
            CHANNEL,
            "Launch checklist",
            "What is **left** before Friday?\n\n- docs\n- footer\n- `release notes`",
        );
    });
    team.ben.comment(
        &thread,
        "The docs are ready for review. See [the draft](https://example.com/draft).",
    );
    team.ben.comment(&thread, "Footer next: I'll take it.");
    // For the catch-up: a question for Ana and a thread she does not follow.
    team.ben.post(
        CHANNEL,
        "Footer copy",
        "@ana which wording do you prefer for the footer?",
    );
    team.ben.post(
        CHANNEL,
        "Offsite ideas",
        "Somewhere warm in March? Ideas welcome.",
    );
    team.ben.sync();
    team.ana.sync();

    let app = world.launch(team.ana.dir(), &[]).await;
    // The inbox first in both themes: reading the thread takes it out.
    let mut shots = Vec::new();
    for theme in ["light", "dark"] {
        set_theme(&app, theme).await;
        shots.push(app.screenshot(&format!("settings-{theme}")).await);
        app.click("[data-testid=nav-inbox]").await;
        app.wait_for(&row(&thread)).await;
        shots.push(app.screenshot(&format!("inbox-{theme}")).await);
    }
    for theme in ["dark", "light"] {
        set_theme(&app, theme).await;
        open_thread(&app, &thread).await;
        shots.push(app.screenshot(&format!("thread-{theme}")).await);
        search(&app).await;
        shots.push(app.screenshot(&format!("search-{theme}")).await);
        close_search(&app).await;
    }
    for view in ["settings", "inbox", "thread", "search"] {
        let path = |theme: &str| {
            shots
                .iter()
                .find(|p| {
                    p.file_stem()
                        .is_some_and(|s| s.to_string_lossy() == format!("{view}-{theme}"))
                })
                .unwrap_or_else(|| panic!("no {view}-{theme} screenshot"))
        };
        let (l, d) = (brightness(path("light")), brightness(path("dark")));
        assert!(
            d + 0.2 < l,
            "the dark {view} is not darker than the light one (brightness {d:.2} vs {l:.2})"
        );
    }

    // The composer asking Ben for a reply: his day, when it reaches him
    // and when it is due, in his time and Ana's (the README shows it).
    open_thread(&app, &thread).await;
    app.fill(
        "#reply-body",
        "@ben can you check the footer before your Friday?",
    )
    .await;
    app.select("[data-testid=reply-by]", "next_day").await;
    app.wait_any_text(
        "[data-testid=recipient-day] [data-testid=recipient-due]",
        "Ben's deadline in the composer",
        |t| t.contains("Ben's"),
    )
    .await;
    until("the reply-by choice to show", DEADLINE, || async {
        (app.value("[data-testid=reply-by]").await == "next_day").then_some(())
    })
    .await;
    app.screenshot("composer-light").await;

    // The catch-up the README shows: what waits on Ana, news and new threads.
    app.click("[data-testid=nav-catch-up]").await;
    app.wait_for("[data-testid=catch-up-waiting]").await;
    app.wait_for("[data-testid=catch-up-new_threads]").await;
    app.screenshot("catch-up-light").await;
    app.quit().await;
}
