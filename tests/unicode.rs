//! Names and titles with bidi controls, zero-width characters and
//! right-to-left scripts, as notifications and lists show them: a teammate
//! named "\u{202E}Ana" must not reverse the text after the name, and a
//! Hebrew or Arabic name must show as written, laid out on its own.

use chrono::{DateTime, Utc};
use tidings::arrivals::Arrivals;
use tidings::policy::{Focus, Notification};
use tidings::store::NewThread;
use tidings::views::PageRequest;

use crate::util::{member_names, person, Replica};

const RLO: char = '\u{202E}';
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Thursday 11:00 in Tokyo: inside everyone's working hours.
fn day() -> DateTime<Utc> {
    "2026-11-26T02:00:00Z".parse().unwrap()
}

/// Kenji founds the workspace; a teammate called `name` joins and posts
/// `comments` in a thread Kenji started. Returns Kenji and the teammate.
fn teammate_comments(name: &str, title: &str, comments: &[&str]) -> (Replica, Vec<Notification>) {
    let kenji = Replica::new(1);
    let other = Replica::new(2);
    kenji.clock.set(day());
    other.clock.set(day());
    kenji
        .store
        .create_workspace("Acme", person("Kenji", "Asia/Tokyo"))
        .unwrap();
    let c = kenji.store.create_channel("eng", "").unwrap();
    let t = kenji
        .store
        .create_thread(NewThread {
            channel: c,
            title: title.into(),
            body: "What happened?".into(),
            notify: vec![],
        })
        .unwrap();
    kenji.send_to(&other);
    other.store.join_as(person(name, "Asia/Tokyo")).unwrap();
    for body in comments {
        other.store.add_comment(t, body).unwrap();
    }
    let report = kenji.store.apply_remote(other.ops()).unwrap();
    let shown = Arrivals::new()
        .on_applied(&kenji.store, &report.applied, &Focus::default(), day())
        .unwrap();
    (kenji, shown)
}

fn invisible_steering(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{200B}' | '\u{FEFF}'))
        .collect()
}

#[test]
fn an_override_in_a_name_or_title_cannot_reverse_the_notification_text() {
    let name = format!("{RLO}Ana");
    let title = format!("Outage {RLO}review");
    let (kenji, shown) = teammate_comments(&name, &title, &["ship it"]);
    assert_eq!(shown.len(), 1, "{shown:?}");
    // Without the fix the body was "\u{202E}Ana: ship it", which draws as
    // "ti pihs :anA".
    assert_eq!(shown[0].body, "Ana: ship it");
    assert_eq!(shown[0].title, "Outage review");

    // Lists show the same cleaned name and title.
    let names = member_names(&kenji.store);
    assert!(names.contains(&"Ana".to_string()), "{names:?}");
    let chan = kenji.store.channels().unwrap()[0].id;
    let threads = kenji
        .store
        .channel_threads(chan, &PageRequest::first(10))
        .unwrap();
    assert_eq!(threads.items[0].title, "Outage review");
    for s in names.iter().chain([&threads.items[0].title]) {
        assert!(invisible_steering(s).is_empty(), "{s:?}");
    }
}

#[test]
fn a_zero_width_lookalike_shows_as_the_name_it_imitates_only_without_the_hidden_part() {
    let (_kenji, shown) = teammate_comments("A\u{200B}na\u{FEFF}", "Plan", &["hi"]);
    assert_eq!(shown[0].body, "Ana: hi");
}

#[test]
fn right_to_left_names_keep_their_letters_and_are_isolated_from_the_sentence() {
    let (_kenji, shown) = teammate_comments("سارة", "خطة", &["ok", "done"]);
    assert_eq!(shown.len(), 1, "{shown:?}");
    // Two comments fold into one sentence; the Arabic name sits in an
    // isolate so it cannot pull "2 new comments from" into its direction.
    assert_eq!(shown[0].body, format!("2 new comments from {FSI}سارة{PDI}"));
    assert_eq!(shown[0].title, format!("{FSI}خطة{PDI}"));
}

#[test]
fn emoji_joined_with_zwj_survive_in_names() {
    let (kenji, shown) = teammate_comments("Dev 👩‍💻", "Plan 🚀", &["hi"]);
    assert_eq!(shown[0].body, "Dev 👩‍💻: hi");
    assert_eq!(shown[0].title, "Plan 🚀");
    let names = member_names(&kenji.store);
    assert!(names.contains(&"Dev 👩‍💻".to_string()), "{names:?}");
}
