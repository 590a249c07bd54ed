//! What a replica shows, read through its public views into the model's
//! shape, so the two compare field by field.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use chrono::NaiveDate;
use tidings::model::ids::{CheckinId, MemberId};
use tidings::model::op::ReactionTarget;
use tidings::views::{LaterState, PageRequest, MAX_BOARD_DAYS, MAX_PAGE};
use tidings::Store;

use super::model::Model;
use super::personal::Mine;

/// The answers a replica shows on its check-ins' boards.
pub fn shown_answers(store: &Store) -> BTreeMap<(CheckinId, NaiveDate, MemberId), String> {
    let mut out = BTreeMap::new();
    for c in store.checkins(None).unwrap() {
        let board = store.checkin_board(c.id, MAX_BOARD_DAYS).unwrap();
        for d in board.days {
            for a in d.answers {
                out.insert((c.id, d.date, a.author.id), a.body_markdown);
            }
        }
    }
    out
}

/// Everything `store` shows that the model predicts.
pub fn shown(store: &Store) -> Model {
    let mut m = Model::default();
    for c in store.channels().unwrap() {
        m.channels.insert(c.id, ((c.name, c.topic), c.archived));
        let mut page = PageRequest::first(200);
        loop {
            let list = store.channel_threads(c.id, &page).unwrap();
            for s in &list.items {
                let v = store
                    .thread(s.id, &PageRequest::first(200), Default::default())
                    .unwrap();
                let sum = &v.summary;
                m.threads.insert(s.id, (sum.title.clone(), sum.closed));
                m.mine.insert(
                    s.id,
                    Mine {
                        following: sum.following,
                        muted: sum.muted,
                        done: sum.done,
                        unread: sum.unread,
                    },
                );
                for r in &v.reactions {
                    m.reactions.insert(
                        (ReactionTarget::Thread(s.id), r.emoji.clone()),
                        r.people.iter().map(|p| p.id).collect(),
                    );
                }
                for c in &v.comments.items {
                    m.comments.insert(c.id, c.body_markdown.clone());
                    for r in &c.reactions {
                        m.reactions.insert(
                            (ReactionTarget::Comment(c.id), r.emoji.clone()),
                            r.people.iter().map(|p| p.id).collect(),
                        );
                    }
                }
            }
            match list.next {
                Some(n) => page.cursor = Some(n),
                None => break,
            }
        }
    }
    for p in store.members().unwrap() {
        m.members
            .insert(p.id, (p.display_name, p.time_zone, p.away));
    }
    for c in store.checkins(None).unwrap() {
        m.checkins.insert(c.id, (c.question, c.paused, c.stopped));
    }
    m.answers = shown_answers(store);
    let inbox = store.inbox(&PageRequest::first(MAX_PAGE)).unwrap();
    assert!(inbox.next.is_none(), "the inbox fits one page");
    m.inbox = inbox.items.iter().map(|i| i.thread.id).collect();
    let done = store.done_list(&PageRequest::first(MAX_PAGE)).unwrap();
    assert!(done.next.is_none(), "the done list fits one page");
    m.done = done.items.iter().map(|t| t.id).collect();
    for i in store.later_list().unwrap().items {
        let state = match i.state {
            LaterState::Done => "done",
            LaterState::Upcoming => "upcoming",
            LaterState::Saved => "saved",
            LaterState::Due => "due",
        };
        m.later.insert(i.thread.id, state);
    }
    m.settings = (
        store.notification_settings().unwrap(),
        store.urgent_settings().unwrap(),
    );
    m
}

/// The keys whose values differ between two maps, as lines naming both.
fn map_diff<K: Debug + Ord, V: Debug + PartialEq>(
    what: &str,
    shown: &BTreeMap<K, V>,
    model: &BTreeMap<K, V>,
    out: &mut Vec<String>,
) {
    let keys: BTreeSet<&K> = shown.keys().chain(model.keys()).collect();
    for k in keys {
        let (s, m) = (shown.get(k), model.get(k));
        if s != m {
            out.push(format!("{what} {k:?}: shows {s:?}, the model {m:?}"));
        }
    }
}

/// Where what a replica shows differs from the model, one line each
/// (empty when they agree), so a counterexample names the rule it broke.
pub fn differences(shown: &Model, model: &Model) -> Vec<String> {
    let set = |s: &BTreeSet<_>| s.iter().map(|t| (*t, ())).collect::<BTreeMap<_, _>>();
    let mut out = Vec::new();
    map_diff(
        "channel (name, topic), archived",
        &shown.channels,
        &model.channels,
        &mut out,
    );
    map_diff(
        "thread title, closed",
        &shown.threads,
        &model.threads,
        &mut out,
    );
    map_diff("comment body", &shown.comments, &model.comments, &mut out);
    map_diff("reaction", &shown.reactions, &model.reactions, &mut out);
    map_diff(
        "member (name, zone, away)",
        &shown.members,
        &model.members,
        &mut out,
    );
    map_diff(
        "check-in (question, paused, stopped)",
        &shown.checkins,
        &model.checkins,
        &mut out,
    );
    map_diff("check-in answer", &shown.answers, &model.answers, &mut out);
    map_diff("my state of thread", &shown.mine, &model.mine, &mut out);
    map_diff(
        "in my inbox: thread",
        &set(&shown.inbox),
        &set(&model.inbox),
        &mut out,
    );
    map_diff(
        "in my done list: thread",
        &set(&shown.done),
        &set(&model.done),
        &mut out,
    );
    map_diff("my Later item", &shown.later, &model.later, &mut out);
    if shown.settings != model.settings {
        out.push(format!(
            "my settings: shows {:?}, the model {:?}",
            shown.settings, model.settings
        ));
    }
    out
}
