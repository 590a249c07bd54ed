//! Finding and moving by keyboard: Ctrl+K or "/" opens search, a word from
//! a teammate's comment finds it (highlighted), Enter opens the thread at
//! that comment; in a list j/k move the selection, Enter opens, Esc comes
//! back, e marks the thread done (it leaves the inbox for Done).

use fantoccini::key::Key;
use serde_json::json;
use tidings_e2e::poll::until;
use tidings_e2e::{App, World, DEADLINE};

use crate::support::{ana_and_ben, row, thread_view, CHANNEL};

const TITLES: [&str; 3] = ["Alpha plan", "Beta notes", "Gamma review"];
/// Ben's comments in "Beta notes"; the one with the search word is far
/// down, so opening the thread "at the comment" has to scroll to it.
const COMMENTS: usize = 24;
const FOUND_AT: usize = 18;
const WORD: &str = "marmalade";

/// Which row in the list is selected (by aria-selected), if exactly one.
async fn selected(app: &App<'_>) -> Option<String> {
    let rows = app
        .find_all("[data-testid=thread-list] [data-testid=thread-item][aria-selected=true]")
        .await;
    if rows.len() != 1 {
        return None;
    }
    rows[0].attr("data-thread-id").await.ok().flatten()
}

async fn wait_selected(app: &App<'_>, what: &str, ok: impl Fn(&str) -> bool) -> String {
    until(
        &format!("the selection to move to {what}"),
        DEADLINE,
        || async { selected(app).await.filter(|id| ok(id)) },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_and_keyboard_navigation() {
    let world = World::start("search_and_keys").await;
    let mut threads = Vec::new();
    let team = ana_and_ben(&world, |ana| {
        for t in TITLES {
            threads.push(ana.post(CHANNEL, t, &format!("Notes for {t}.")));
        }
    });
    // Ben answers in every thread, so all three are in Ana's inbox.
    let mut found = String::new();
    for (i, t) in threads.iter().enumerate() {
        let n = if i == 1 { COMMENTS } else { 1 };
        for c in 0..n {
            let body = if i == 1 && c == FOUND_AT {
                format!("We should serve {WORD} at the launch party.")
            } else {
                format!("Comment {c} from Ben about item {i}.")
            };
            let id = team.ben.comment(t, &body);
            if i == 1 && c == FOUND_AT {
                found = id;
            }
        }
    }
    team.ben.sync();
    team.ana.sync();

    let app = world.launch(team.ana.dir(), &[]).await;
    app.click("[data-testid=nav-inbox]").await;
    app.wait_count("[data-testid=thread-list] [data-testid=thread-item]", 3)
        .await;

    // Ctrl+K opens search and Esc closes it.
    app.chord(Key::Control, 'k').await;
    app.wait_for("[data-testid=search] [data-testid=search-input]")
        .await;
    app.press(&[Key::Escape.into()]).await;
    app.wait_gone("[data-testid=search]").await;

    // "/" opens it too; the start of a word finds the comment, highlighted.
    app.press(&['/']).await;
    app.wait_for("[data-testid=search-input]").await;
    app.fill("[data-testid=search-input]", &WORD[..6]).await;
    let hit = format!("[data-testid=search-result][data-comment-id='{found}']");
    let result = app.wait_for(&hit).await;
    assert_eq!(
        result
            .attr("data-thread-id")
            .await
            .ok()
            .flatten()
            .as_deref(),
        Some(threads[1].as_str()),
        "the hit names its thread"
    );
    let html = result.html(true).await.unwrap_or_default().to_lowercase();
    assert!(
        html.contains(&format!("<mark>{WORD}</mark>"))
            || html.contains(&format!("<mark>{}</mark>", &WORD[..6])),
        "the matched word is highlighted with <mark>: {html}"
    );
    app.press(&[Key::Enter.into()]).await;
    app.wait_for(&thread_view(&threads[1])).await;
    let comment = format!("[data-testid=comment][data-comment-id='{found}']");
    app.wait_for(&comment).await;
    until(
        "the found comment to be scrolled into view",
        DEADLINE,
        || async {
            let v = app
                .eval(
                    "const r = document.querySelector(arguments[0]).getBoundingClientRect();
                 return r.bottom > 0 && r.top < window.innerHeight;",
                    vec![json!(comment)],
                )
                .await;
            (v == json!(true)).then_some(())
        },
    )
    .await;

    // Esc goes back to the inbox. "Beta notes" is read now, so it leaves
    // the inbox (which holds threads with something unread).
    let items = "[data-testid=thread-list] [data-testid=thread-item]";
    let in_list = |id: &str| format!("[data-testid=thread-list] {}", row(id));
    app.press(&[Key::Escape.into()]).await;
    app.wait_gone("[data-testid=thread-view]").await;
    app.wait_gone(&in_list(&threads[1])).await;
    app.wait_count(items, 2).await;

    // j / k move the selection by one row.
    app.press(&['j']).await;
    let first = wait_selected(&app, "a row", |_| true).await;
    app.press(&['j']).await;
    let second = wait_selected(&app, "the next row", |id| id != first).await;
    app.press(&['k']).await;
    wait_selected(&app, "the first row again", |id| id == first).await;

    // Enter opens the selected thread; Esc comes back to the inbox, which
    // the thread, now read, has left.
    app.press(&[Key::Enter.into()]).await;
    app.wait_for(&thread_view(&first)).await;
    app.press(&[Key::Escape.into()]).await;
    app.wait_gone("[data-testid=thread-view]").await;
    app.wait_gone(&in_list(&first)).await;
    app.wait_count(items, 1).await;

    // e marks the selected thread done: it leaves the inbox for Done.
    app.press(&['j']).await;
    wait_selected(&app, "the remaining row", |id| id == second).await;
    app.press(&['e']).await;
    app.wait_gone(&in_list(&second)).await;
    app.wait_count(items, 0).await;
    app.click("[data-testid=nav-done]").await;
    app.wait_for(&in_list(&second)).await;
    app.quit().await;
}
