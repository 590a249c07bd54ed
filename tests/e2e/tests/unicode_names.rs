//! A teammate whose display name starts with a RIGHT-TO-LEFT OVERRIDE
//! (U+202E) cannot reverse the text around the name: the notification
//! dunst shows carries the name without the override and isolated as
//! right-to-left text, and the thread shows it in its own `<bdi>`.

use chrono::{TimeDelta, Weekday};
use serde_json::json;
use tidings_e2e::clock::{recent, rfc3339};
use tidings_e2e::nats;
use tidings_e2e::poll::until;
use tidings_e2e::{World, DEADLINE};

use crate::support::{clock_args, thread_view, wait_live, ANA_TZ, BEN_TZ, CHANNEL};

/// An override, then the Hebrew for "Ben".
const NAME: &str = "\u{202E}בן";
/// What the name must become in plain text: no override, isolated (FSI … PDI).
const SHOWN_IN_TEXT: &str = "\u{2068}בן\u{2069}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_with_a_bidi_override_shows_isolated_in_the_notification_and_the_thread() {
    let world = World::start("unicode_names").await;
    // A Wednesday, 10:00 in Lisbon: inside Ana's hours.
    let now = recent(ANA_TZ, Weekday::Wed, 10, 0);
    let before = rfc3339(now - TimeDelta::hours(1));
    let server = nats::start();
    let ana = world.device("ana");
    ana.set_clock(&before);
    ana.create_workspace("Acme", "Ana", ANA_TZ, "09:00-17:00");
    ana.channel(CHANNEL);
    ana.add_nats(&server.url());
    let thread = ana.post(CHANNEL, "Launch checklist", "What is left?");
    ana.sync();
    let code = ana.invite();
    let ben = world.device("ben");
    ben.set_clock(&before);
    ben.join(&code, NAME, BEN_TZ);
    ben.sync();
    ana.sync();

    let app = world.launch(ana.dir(), &clock_args(now)).await;
    ben.set_clock(&rfc3339(now));
    wait_live(&app).await;
    ben.comment(&thread, "ship it");
    ben.sync();

    until("one notification on screen", DEADLINE, || async {
        (world.dunst().displayed() == 1).then_some(())
    })
    .await;
    // Its click opens the thread.
    world.dunst().act();
    app.wait_for(&thread_view(&thread)).await;
    let notes = world.dunst().close_all_and_read();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert_eq!(
        notes[0].body,
        format!("{SHOWN_IN_TEXT}: ship it"),
        "{notes:#?}"
    );
    assert!(
        notes[0]
            .shown_text()
            .contains(&format!("{SHOWN_IN_TEXT}: ship it")),
        "{notes:#?}"
    );

    // In the thread the author is the cleaned name, inside its own <bdi>.
    let author = app
        .eval(
            "const el = document.querySelector(arguments[0] + ' [data-testid=comment-author] bdi');
             return el ? el.textContent : null;",
            vec![json!(thread_view(&thread))],
        )
        .await;
    assert_eq!(author, json!("בן"));
    app.quit().await;
}
