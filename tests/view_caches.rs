//! What the views keep between calls — the members, and each comment's
//! rendered HTML — never shows anything older than the store holds: an
//! edit, a delete, a rename, a new member, a changed time zone or another
//! image setting shows in the very next view, after the same view was
//! already shown (and so cached) before the change. The oracle for the
//! HTML is the same view from the store opened afresh, which has kept
//! nothing.

use chrono::Duration;
use tidings::model::ids::{ChannelId, ThreadId};
use tidings::render::RenderOptions;
use tidings::store::NewThread;
use tidings::views::{CommentView, PageRequest, ThreadView};

use crate::util::{ana_and_ben, member_names, person, Replica};

fn view(r: &Replica, t: ThreadId, opts: RenderOptions) -> ThreadView {
    r.store.thread(t, &PageRequest::first(50), opts).unwrap()
}

fn comments(r: &Replica, t: ThreadId) -> Vec<CommentView> {
    view(r, t, RenderOptions::default()).comments.items
}

fn thread(r: &Replica, channel: ChannelId, body: &str) -> ThreadId {
    r.store
        .create_thread(NewThread {
            channel,
            title: "Release".into(),
            body: body.into(),
            notify: vec![],
        })
        .unwrap()
}

/// Every comment's HTML as `r` shows it now, and as it shows it once
/// reopened (nothing kept): they must agree.
fn assert_html_as_if_fresh(r: &mut Replica, t: ThreadId) -> Vec<String> {
    let shown: Vec<String> = comments(r, t).into_iter().map(|c| c.body_html).collect();
    let body = view(r, t, RenderOptions::default()).body_html;
    r.reopen();
    let fresh: Vec<String> = comments(r, t).into_iter().map(|c| c.body_html).collect();
    assert_eq!(shown, fresh, "kept HTML differs from a fresh render");
    assert_eq!(body, view(r, t, RenderOptions::default()).body_html);
    shown
}

#[test]
fn an_edited_comment_shows_its_new_text_in_the_next_view() {
    let (mut ana, _ben, general) = ana_and_ben();
    let t = thread(&ana, general, "Plan");
    let c = ana.store.add_comment(t, "ship on **Friday**").unwrap();
    assert!(comments(&ana, t)[0]
        .body_html
        .contains("<strong>Friday</strong>"));

    ana.store.edit_comment(c, "ship on **Monday**").unwrap();
    let html = &comments(&ana, t)[0].body_html;
    assert!(html.contains("<strong>Monday</strong>"), "{html}");
    assert!(!html.contains("Friday"), "{html}");
    assert_html_as_if_fresh(&mut ana, t);
}

#[test]
fn an_edit_arriving_from_another_device_shows_in_the_next_view() {
    let (ana, ben, general) = ana_and_ben();
    let t = thread(&ben, general, "Plan");
    let c = ben.store.add_comment(t, "first draft").unwrap();
    ben.send_to(&ana);
    assert!(comments(&ana, t)[0].body_html.contains("first draft"));

    ben.store.edit_comment(c, "second draft").unwrap();
    ben.send_to(&ana);
    let html = &comments(&ana, t)[0].body_html;
    assert!(
        html.contains("second draft") && !html.contains("first"),
        "{html}"
    );
}

#[test]
fn a_deleted_comment_leaves_the_next_view_and_the_others_keep_their_own_text() {
    let (mut ana, _ben, general) = ana_and_ben();
    let t = thread(&ana, general, "Plan");
    let a = ana.store.add_comment(t, "alpha").unwrap();
    ana.store.add_comment(t, "bravo").unwrap();
    ana.store.add_comment(t, "charlie").unwrap();
    assert_eq!(comments(&ana, t).len(), 3);

    ana.store.delete_comment(a).unwrap();
    let shown = comments(&ana, t);
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().all(|c| c.id != a));
    assert!(
        shown[0].body_html.contains("bravo"),
        "{}",
        shown[0].body_html
    );
    assert!(
        shown[1].body_html.contains("charlie"),
        "{}",
        shown[1].body_html
    );
    assert_html_as_if_fresh(&mut ana, t);
}

#[test]
fn renaming_a_mentioned_member_shows_the_new_name_in_comments_already_shown() {
    let (mut ana, ben, general) = ana_and_ben();
    let t = thread(&ana, general, "Ask @ben first");
    ana.store.add_comment(t, "thanks @ben").unwrap();
    let before = &comments(&ana, t)[0].body_html;
    assert!(before.contains(">@Ben</span>"), "{before}");
    assert!(view(&ana, t, RenderOptions::default())
        .body_html
        .contains(">@Ben</span>"));

    // Same handle (`ben`), another name: the mention shows the new one.
    ben.store
        .update_profile(person("BEN", "Asia/Tokyo"))
        .unwrap();
    ben.send_to(&ana);
    let after = &comments(&ana, t)[0].body_html;
    assert!(after.contains(">@BEN</span>"), "{after}");
    let body = view(&ana, t, RenderOptions::default()).body_html;
    assert!(body.contains(">@BEN</span>"), "{body}");
    assert_html_as_if_fresh(&mut ana, t);
}

#[test]
fn a_mentioned_member_whose_join_arrives_later_shows_as_a_mention_then() {
    let (ana, ben, general) = ana_and_ben();
    let carol = Replica::new(3);
    ana.send_to(&carol);
    carol
        .store
        .join_as(person("Carol", "America/New_York"))
        .unwrap();
    carol.send_to(&ben);
    let t = thread(&ben, general, "Plan");
    ben.store.add_comment(t, "over to @carol").unwrap();

    // Ana gets Ben's comment before Carol's join.
    let carols = carol.ops();
    let without_carol: Vec<_> = ben
        .ops()
        .into_iter()
        .filter(|s| !carols.contains(s))
        .collect();
    ana.store.apply_remote(without_carol).unwrap();
    let before = &comments(&ana, t)[0].body_html;
    assert!(!before.contains("mention"), "{before}");
    assert!(!member_names(&ana.store).iter().any(|n| n == "Carol"));

    carol.send_to(&ana);
    let after = &comments(&ana, t)[0].body_html;
    assert!(after.contains(">@Carol</span>"), "{after}");
    assert!(member_names(&ana.store).iter().any(|n| n == "Carol"));
}

#[test]
fn allowing_remote_images_shows_them_in_comments_already_shown_without() {
    let (ana, _ben, general) = ana_and_ben();
    let t = thread(&ana, general, "![chart](https://img.example/post.png)");
    ana.store
        .add_comment(t, "![cat](https://img.example/cat.png)")
        .unwrap();
    let off = view(&ana, t, RenderOptions::default());
    assert!(!off.comments.items[0].body_html.contains("<img"));
    assert!(!off.body_html.contains("<img"));

    let on = view(
        &ana,
        t,
        RenderOptions {
            allow_remote_images: true,
        },
    );
    let html = &on.comments.items[0].body_html;
    assert!(
        html.contains(r#"src="https://img.example/cat.png""#),
        "{html}"
    );
    assert!(on
        .body_html
        .contains(r#"src="https://img.example/post.png""#));

    // And back: the setting is not stuck on either.
    let off = view(&ana, t, RenderOptions::default());
    assert!(!off.comments.items[0].body_html.contains("<img"));
}

#[test]
fn a_rename_shows_in_the_next_thread_view_and_member_list() {
    let (ana, ben, general) = ana_and_ben();
    let t = thread(&ben, general, "Plan");
    ben.store.add_comment(t, "hello").unwrap();
    ben.send_to(&ana);
    let v = view(&ana, t, RenderOptions::default());
    assert_eq!(v.summary.author.name, "Ben");
    assert_eq!(v.comments.items[0].author.name, "Ben");

    ben.store
        .update_profile(person("Benjamin", "Asia/Tokyo"))
        .unwrap();
    ben.send_to(&ana);
    let v = view(&ana, t, RenderOptions::default());
    assert_eq!(v.summary.author.name, "Benjamin");
    assert_eq!(v.comments.items[0].author.name, "Benjamin");
    let names = member_names(&ana.store);
    assert_eq!(names, ["Ana Souza", "Benjamin"]);

    // My own rename, written here.
    ana.store
        .update_profile(person("Ana Lima", "Europe/Lisbon"))
        .unwrap();
    let names = member_names(&ana.store);
    assert_eq!(names, ["Ana Lima", "Benjamin"]);
}

#[test]
fn a_new_member_shows_in_the_next_member_list() {
    let (ana, _ben, _general) = ana_and_ben();
    assert_eq!(ana.store.members().unwrap().len(), 2);
    let carol = Replica::new(3);
    ana.send_to(&carol);
    carol
        .store
        .join_as(person("Carol", "America/New_York"))
        .unwrap();
    carol.send_to(&ana);
    let names = member_names(&ana.store);
    assert_eq!(names, ["Ana Souza", "Ben", "Carol"]);
}

#[test]
fn a_time_zone_change_shows_in_the_next_view_of_what_they_wrote() {
    let (ana, ben, general) = ana_and_ben();
    let t = thread(&ben, general, "Plan");
    ben.send_to(&ana);
    // 14:00 UTC: Ben's 23:00 in Tokyo.
    let before = view(&ana, t, RenderOptions::default()).created;
    assert!(before.label.contains("Ben's 23:00"), "{}", before.label);

    ben.store
        .update_profile(person("Ben", "America/New_York"))
        .unwrap();
    ben.send_to(&ana);
    let after = view(&ana, t, RenderOptions::default()).created;
    assert!(after.label.contains("Ben's 09:00"), "{}", after.label);
    let zone = ana
        .store
        .members()
        .unwrap()
        .into_iter()
        .find(|m| m.display_name == "Ben")
        .map(|m| m.time_zone);
    assert_eq!(zone.as_deref(), Some("America/New_York"));
}

#[test]
fn away_ends_in_the_member_list_when_the_clock_passes_it_with_no_new_op() {
    let (ana, ben, _general) = ana_and_ben();
    let back = (ben.store.now() + Duration::days(3)).date_naive();
    ben.store.set_away(back, "conference").unwrap();
    ben.send_to(&ana);
    let away = |r: &Replica| {
        r.store
            .members()
            .unwrap()
            .into_iter()
            .find(|m| m.display_name == "Ben")
            .and_then(|m| m.away)
    };
    assert!(away(&ana).is_some());
    ana.clock.advance(Duration::days(4));
    assert_eq!(away(&ana), None, "away must follow the clock, not a cache");
}
