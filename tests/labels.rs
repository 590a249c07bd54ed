//! Every view that shows a name or a title shows it cleaned (see
//! `render::bidi`): a workspace, channel, thread title, check-in question or
//! person named with a RIGHT-TO-LEFT OVERRIDE (U+202E) or a zero-width space
//! (U+200B) shows without them in search, Scheduled, check-ins, the
//! catch-up, Later and the reply-by lists, as it already did in the member
//! list, channel list and thread summaries.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tidings::model::checkin::EVERY_DAY;
use tidings::model::ids::{ChannelId, CheckinId, ThreadId};
use tidings::model::later::RemindAt;
use tidings::model::replyby::DueBy;
use tidings::model::schedule::SendAt;
use tidings::search::SearchQuery;
use tidings::store::NewThread;
use tidings::views::Draft;

use crate::util::{person, Replica};

const RLO: char = '\u{202E}';
const ZWSP: char = '\u{200B}';

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Panics if `view`, as the UI receives it (JSON), still carries an
/// override or a zero-width space anywhere.
fn no_tricks<T: Serialize>(what: &str, view: &T) {
    let json = serde_json::to_string(view).unwrap();
    assert!(
        !json.contains(RLO) && !json.contains(ZWSP),
        "{what} still shows a hidden character: {json}"
    );
}

struct World {
    ana: Replica,
    ben: Replica,
    /// Has a reply-by ask on Ben and a comment scheduled by Ana.
    asked: ThreadId,
    checkin: CheckinId,
    general: ChannelId,
}

/// Ana ("\u{202E}Ana Souza", Lisbon) founds "Ac\u{200B}me\u{202E}" with
/// "#gen\u{200B}eral"; Ben ("B\u{200B}en", Tokyo) joins. Ana starts
/// "Out\u{200B}age \u{202E}review" asking Ben to answer and
/// "\u{202E}Road\u{200B}map", schedules a thread and a comment, and starts a
/// daily check-in "What \u{202E}blocks\u{200B} you?". Ben keeps the first
/// thread in Later. Everything has reached Ben; both clocks are Monday
/// 2026-11-30 01:00 UTC (10:00 for Ben, before Ana's day).
fn world() -> World {
    let ana = Replica::new(1);
    let ben = Replica::new(2);
    ana.store
        .create_workspace(
            &format!("Ac{ZWSP}me{RLO}"),
            person(&format!("{RLO}Ana Souza"), "Europe/Lisbon"),
        )
        .unwrap();
    let general: ChannelId = ana
        .store
        .create_channel(&format!("gen{ZWSP}eral"), "")
        .unwrap();
    ana.send_to(&ben);
    ben.store
        .join_as(person(&format!("B{ZWSP}en"), "Asia/Tokyo"))
        .unwrap();
    ben.send_to(&ana);
    let ben_id = ben.store.me().unwrap();

    let asked = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: format!("Out{ZWSP}age {RLO}review"),
            body: "The pelican cable was cut.".into(),
            notify: vec![],
        })
        .unwrap();
    ana.store
        .create_thread(NewThread {
            channel: general,
            title: format!("{RLO}Road{ZWSP}map"),
            body: "Next quarter.".into(),
            notify: vec![],
        })
        .unwrap();
    ana.store
        .ask_reply(asked, &[ben_id], &DueBy::WorkingDays(3))
        .unwrap();
    ana.store
        .schedule_thread(
            NewThread {
                channel: general,
                title: format!("{RLO}Launch{ZWSP} day"),
                body: "Tomorrow.".into(),
                notify: vec![],
            },
            &SendAt::InOneHour,
        )
        .unwrap();
    ana.store
        .schedule_comment(asked, "Cable fixed.", &SendAt::InOneHour)
        .unwrap();
    let checkin = ana
        .store
        .create_checkin(
            general,
            &format!("What {RLO}blocks{ZWSP} you?"),
            None,
            EVERY_DAY,
        )
        .unwrap();
    ana.send_to(&ben);
    ben.store.remind(asked, &RemindAt::Saved, false).unwrap();
    ben.send_to(&ana);
    for r in [&ana, &ben] {
        r.clock.set(utc("2026-11-30T01:00:00Z"));
    }
    World {
        ana,
        ben,
        asked,
        checkin,
        general,
    }
}

#[test]
fn the_workspace_name_shows_without_hidden_characters() {
    let w = world();
    for r in [&w.ana, &w.ben] {
        let ws = r.store.workspace().unwrap().unwrap();
        assert_eq!(ws.name, "Acme");
        no_tricks("workspace", &ws);
    }
}

#[test]
fn search_results_show_clean_channel_names_titles_and_authors() {
    let w = world();
    w.ben.store.flush_search().unwrap();
    let hits = w
        .ben
        .store
        .search(&SearchQuery {
            text: "pelican".into(),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].channel_name, "general");
    assert_eq!(hits[0].hit.title_html, "Outage review");
    assert_eq!(hits[0].author.name, "Ana Souza");
    no_tricks("search result", &hits);
}

#[test]
fn the_scheduled_list_shows_clean_titles_channel_names_and_people() {
    let w = world();
    let list = w.ana.store.scheduled().unwrap();
    let mut titles: Vec<&str> = list.iter().map(|s| s.title.as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["Launch day", "Outage review"]);
    assert!(list.iter().all(|s| s.channel_name == "general"), "{list:?}");
    no_tricks("scheduled list", &list);
}

#[test]
fn check_ins_show_a_clean_question_channel_name_and_people() {
    let w = world();
    let asks = w.ben.store.checkin_asks_for_me().unwrap();
    assert_eq!(asks.len(), 1, "{asks:?}");
    assert_eq!(asks[0].question, "What blocks you?");
    assert_eq!(asks[0].channel_name, "general");
    no_tricks("check-in asks", &asks);

    let list = w.ben.store.checkins(None).unwrap();
    assert_eq!(list[0].question, "What blocks you?");
    assert_eq!(list[0].channel_name, "general");
    assert_eq!(list[0].creator.name, "Ana Souza");
    no_tricks("check-in list", &list);

    w.ben
        .store
        .answer_checkin(w.checkin, None, "Nothing today")
        .unwrap();
    w.ben.send_to(&w.ana);
    let board = w.ana.store.checkin_board(w.checkin, 7).unwrap();
    assert_eq!(board.checkin.question, "What blocks you?");
    let answer = &board.days[0].answers[0];
    assert_eq!(answer.author.name, "Ben");
    // "… (Ben's 10:00)": the first name in the time label is clean too.
    assert!(
        answer.answered.label.contains("Ben's"),
        "{}",
        answer.answered.label
    );
    no_tricks("check-in board", &board);
}

#[test]
fn reply_by_lists_show_clean_titles_channel_names_and_people() {
    let w = world();
    let mine = w.ben.store.waiting_on_me().unwrap();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].thread, w.asked);
    assert_eq!(mine[0].title, "Outage review");
    assert_eq!(mine[0].channel_name, "general");
    assert_eq!(mine[0].asker.name, "Ana Souza");
    no_tricks("waiting on me", &mine);

    let theirs = w.ana.store.waiting_on_others().unwrap();
    assert_eq!(theirs[0].title, "Outage review");
    assert_eq!(theirs[0].channel_name, "general");
    assert_eq!(theirs[0].asked.name, "Ben");
    no_tricks("waiting on others", &theirs);
}

#[test]
fn later_and_the_catch_up_show_clean_names_and_titles() {
    let w = world();
    let later = w.ben.store.later_list().unwrap();
    assert_eq!(later.items.len(), 1);
    assert_eq!(later.items[0].thread.title, "Outage review");
    assert_eq!(later.items[0].thread.channel_name, "general");
    no_tricks("Later list", &later);

    let up = w.ben.store.catch_up().unwrap();
    assert_eq!(up.waiting[0].thread.title, "Outage review");
    assert!(
        up.waiting[0].why.starts_with("Ana Souza asked"),
        "{}",
        up.waiting[0].why
    );
    assert_eq!(up.new_threads[0].channel_name, "general");
    assert_eq!(up.new_threads[0].items[0].thread.title, "Roadmap");
    assert_eq!(up.checkins[0].question, "What blocks you?");
    assert_eq!(up.checkins[0].channel_name, "general");
    no_tricks("catch-up", &up);
}

#[test]
fn the_composer_names_recipients_cleanly_in_their_time() {
    let w = world();
    let ben_id = w.ben.store.me().unwrap();
    let days = w
        .ana
        .store
        .recipients_day(
            &Draft {
                channel: Some(w.general),
                notify: vec![ben_id],
                reply_by: Some(DueBy::WorkingDays(1)),
                ..Draft::default()
            },
            None,
        )
        .unwrap();
    assert_eq!(days.len(), 1, "{days:?}");
    assert_eq!(days[0].person.name, "Ben");
    // Ana in Lisbon, Ben in Tokyo: "01:00 (Ben's 10:00)".
    assert!(
        days[0].lands_at.label.contains("(Ben's "),
        "{}",
        days[0].lands_at.label
    );
    no_tricks("composer recipients", &days);
}
