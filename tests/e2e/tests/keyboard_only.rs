//! A person who uses no mouse: the first run, a reply, a new thread, a
//! search and a settings change, with Tab, typing, Enter and the app's
//! shortcuts only. Every control is reached by Tab from wherever the focus
//! is, so a control the keyboard cannot reach fails here.

use fantoccini::key::Key;
use serde_json::json;
use tidings_e2e::poll::until;
use tidings_e2e::{App, World, DEADLINE};

const REPLY: &str = "Hello from the keyboard";
const TITLE: &str = "Keyboard only";

/// Presses Tab until the focused element matches `css` (at most 80 times).
async fn tab_to(app: &App<'_>, css: &str) {
    for _ in 0..80 {
        if focus_is(app, css).await {
            return;
        }
        app.press(&[Key::Tab.into()]).await;
    }
    panic!("Tab never reached `{css}`");
}

/// Waits until the focus is on an element matching `css` (where the app
/// moves it: a dialog's first field, the reply box), as a person waits to
/// see the caret before typing.
async fn wait_focus(app: &App<'_>, css: &str) {
    until(&format!("the focus on `{css}`"), DEADLINE, || async {
        focus_is(app, css).await.then_some(())
    })
    .await;
}

/// Whether the focused element matches `css`.
async fn focus_is(app: &App<'_>, css: &str) -> bool {
    app.eval(
        "const a = document.activeElement; return !!a && a.matches(arguments[0]);",
        vec![json!(css)],
    )
    .await
        == json!(true)
}

/// Types `text` into whatever has the focus.
async fn type_text(app: &App<'_>, text: &str) {
    app.press(&text.chars().collect::<Vec<_>>()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_post_reply_search_and_settings_without_a_mouse() {
    let world = World::start("keyboard_only").await;
    let app = world.launch(&world.data_dir("ana"), &[]).await;

    // First run: name, a zone found by its city, the workspace; Enter.
    app.wait_for("[data-testid=first-run]").await;
    tab_to(&app, "#fr-name").await;
    type_text(&app, "Ana Souza").await;
    tab_to(&app, "#fr-tz-find").await;
    type_text(&app, "Lisbon").await;
    app.wait_value("#fr-tz", "Europe/Lisbon").await;
    tab_to(&app, "#fr-workspace-name").await;
    type_text(&app, "Acme").await;
    app.press(&[Key::Enter.into()]).await;
    app.wait_text("[data-testid=thread-title]", "the welcome thread", |t| {
        t.starts_with("Welcome to Tidings")
    })
    .await;

    // Reply to the welcome: r, type, Ctrl+Enter.
    app.press(&['r']).await;
    wait_focus(&app, "#reply-body").await;
    type_text(&app, REPLY).await;
    app.chord(Key::Control, Key::Enter.into()).await;
    app.wait_any_text("[data-testid=comment-body]", "the reply", |t| {
        t.contains(REPLY)
    })
    .await;

    // A new thread: Esc out of the reply box, c, title, Tab to the body,
    // Ctrl+Enter.
    app.press(&[Key::Escape.into()]).await;
    app.press(&['c']).await;
    app.wait_for("[data-testid=new-thread-dialog]").await;
    tab_to(&app, "#thread-title").await;
    type_text(&app, TITLE).await;
    tab_to(&app, "#thread-body").await;
    type_text(&app, "Written without touching the mouse.").await;
    app.chord(Key::Control, Key::Enter.into()).await;
    app.wait_text("[data-testid=thread-title]", "the new thread", |t| {
        t == TITLE
    })
    .await;

    // Search: /, type, Down, Enter opens the welcome thread at the hit.
    app.press(&[Key::Escape.into()]).await;
    app.press(&['/']).await;
    wait_focus(&app, "[data-testid=search-input]").await;
    type_text(&app, "working hours").await;
    app.wait_for("[data-testid=search-result]").await;
    app.press(&[Key::Down.into(), Key::Enter.into()]).await;
    app.wait_gone("[data-testid=search]").await;
    app.wait_text("[data-testid=thread-title]", "the searched thread", |t| {
        t.starts_with("Welcome to Tidings")
    })
    .await;

    // Settings: g s, a zone found by its country, Tab to Save, Enter.
    app.press(&[Key::Escape.into()]).await;
    app.press(&['g', 's']).await;
    app.wait_for("[data-testid=settings]").await;
    tab_to(&app, "#set-tz-find").await;
    type_text(&app, "India").await;
    app.wait_value("#set-tz", "Asia/Kolkata").await;
    tab_to(&app, "[data-testid=profile-save]").await;
    app.press(&[Key::Enter.into()]).await;
    until("my new zone to be saved", DEADLINE, || async {
        let members = app.call("members", json!({})).await;
        let me = members
            .as_array()?
            .iter()
            .find(|m| m["is_me"] == json!(true))?;
        (me["time_zone"] == json!("Asia/Kolkata")).then_some(())
    })
    .await;
    app.quit().await;
}
