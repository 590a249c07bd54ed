//! An independent model of the merge rules, written from the rules (as
//! ARCHITECTURE.md and the op docs state them), not from the store's code
//! and without calling its views: given every op, what one person should
//! see. Shared content here; the person's own state in [`super::personal`],
//! check-ins in [`super::checkins`].
//!
//! The content rules: names, topics, titles, bodies, flags and reactions are
//! last-writer-wins by op id; only a thread's author may retitle it and
//! only a comment's author may edit or delete it (others' ops are refused);
//! a deleted comment stays deleted; an op whose channel, thread or comment
//! never arrived waits. A thing is created with its defaults (open,
//! unarchived) as of its creating op, so a change dated earlier (possible
//! only with skewed clocks) loses to them. Profiles (from founding, joining
//! or an update) and away notes are last-writer-wins per person.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use tidings::model::away::Away;
use tidings::model::ids::{ChannelId, CheckinId, CommentId, MemberId, OpId, ThreadId};
use tidings::model::op::{Op, OpKind, ReactionTarget};
use tidings::model::profile::{NotificationSettings, Profile};
use tidings::model::urgent::UrgentSettings;

use super::checkins::CheckinModel;
use super::personal::Mine;

/// What one person should see.
#[derive(Debug, Default, PartialEq)]
pub struct Model {
    /// Channel: (name, topic), archived.
    pub channels: BTreeMap<ChannelId, ((String, String), bool)>,
    /// Thread: title, closed.
    pub threads: BTreeMap<ThreadId, (String, bool)>,
    /// Live comment: body.
    pub comments: BTreeMap<CommentId, String>,
    /// Target, emoji: who reacts.
    pub reactions: BTreeMap<(ReactionTarget, String), BTreeSet<MemberId>>,
    /// Member: display name, time zone, away (while it lasts).
    pub members: BTreeMap<MemberId, (String, String, Option<Away>)>,
    /// Check-in: question, paused, stopped.
    pub checkins: BTreeMap<CheckinId, (String, bool, bool)>,
    /// Answers in force: check-in, date, person → body.
    pub answers: BTreeMap<(CheckinId, NaiveDate, MemberId), String>,
    /// The person's own state of each thread (follow, mute, done, unread).
    pub mine: BTreeMap<ThreadId, Mine>,
    /// Threads in the person's inbox.
    pub inbox: BTreeSet<ThreadId>,
    /// Threads in the person's done list.
    pub done: BTreeSet<ThreadId>,
    /// The person's Later list: thread → "done", "upcoming" or "saved".
    pub later: BTreeMap<ThreadId, &'static str>,
    /// The person's notification and urgent settings.
    pub settings: (NotificationSettings, UrgentSettings),
}

/// A last-writer-wins slot: the value of the latest op offered.
pub fn lww<V: Clone>(slot: &mut Option<(OpId, V)>, at: OpId, v: &V) {
    if slot.as_ref().is_none_or(|(t, _)| at > *t) {
        *slot = Some((at, v.clone()));
    }
}

/// A thread that exists (its channel was created).
#[derive(Clone, Debug)]
pub struct ThreadFact {
    pub author: MemberId,
    pub created: OpId,
    pub notify: Vec<MemberId>,
    pub mentions: Vec<MemberId>,
}

/// A comment that exists (its thread does).
#[derive(Clone, Debug)]
pub struct CommentFact {
    pub author: MemberId,
    pub thread: ThreadId,
    pub created: OpId,
    pub mentions: Vec<MemberId>,
}

/// What exists once every op arrived, and who made it: creations are a
/// grow-only set, each needing its parent.
#[derive(Default)]
pub struct Facts {
    pub channels: BTreeSet<ChannelId>,
    pub threads: BTreeMap<ThreadId, ThreadFact>,
    pub comments: BTreeMap<CommentId, CommentFact>,
    /// Comments deleted by their author.
    pub deleted: BTreeSet<CommentId>,
}

impl Facts {
    pub fn of(ops: &[Op]) -> Facts {
        let mut f = Facts::default();
        for op in ops {
            if let OpKind::ChannelCreated { channel, .. } = &op.kind {
                f.channels.insert(*channel);
            }
        }
        for op in ops {
            if let OpKind::ThreadCreated {
                thread,
                channel,
                notify,
                mentions,
                ..
            } = &op.kind
            {
                if f.channels.contains(channel) {
                    let fact = ThreadFact {
                        author: op.author,
                        created: op.id,
                        notify: notify.clone(),
                        mentions: mentions.clone(),
                    };
                    f.threads.insert(*thread, fact);
                }
            }
        }
        for op in ops {
            if let OpKind::CommentAdded {
                comment,
                thread,
                mentions,
                ..
            } = &op.kind
            {
                if f.threads.contains_key(thread) {
                    let fact = CommentFact {
                        author: op.author,
                        thread: *thread,
                        created: op.id,
                        mentions: mentions.clone(),
                    };
                    f.comments.insert(*comment, fact);
                }
            }
        }
        for op in ops {
            if let OpKind::CommentDeleted { comment } = &op.kind {
                if f.author_of(*comment) == Some(op.author) {
                    f.deleted.insert(*comment);
                }
            }
        }
        f
    }

    /// The author of an existing comment.
    pub fn author_of(&self, c: CommentId) -> Option<MemberId> {
        self.comments.get(&c).map(|c| c.author)
    }
}

impl Model {
    /// What `me` should see once every op in `ops` arrived.
    pub fn of(ops: &[Op], me: MemberId) -> Model {
        let f = Facts::of(ops);
        let mut m = Model::default();
        content(ops, &f, &mut m);
        members(ops, &mut m);
        super::personal::of(ops, &f, me, &mut m);
        let c = CheckinModel::of(ops, &f);
        m.checkins = c.shown();
        m.answers = c.answers();
        m
    }
}

/// Channels, threads, comments and reactions.
fn content(ops: &[Op], f: &Facts, m: &mut Model) {
    let mut names = BTreeMap::new();
    let mut archived: BTreeMap<ChannelId, Option<(OpId, bool)>> = BTreeMap::new();
    let mut titles = BTreeMap::new();
    let mut closed: BTreeMap<ThreadId, Option<(OpId, bool)>> = BTreeMap::new();
    let mut bodies = BTreeMap::new();
    let mut reacts: BTreeMap<_, Option<(OpId, bool)>> = BTreeMap::new();
    let thread_by = |t: &ThreadId| f.threads.get(t).map(|t| t.author);
    for op in ops {
        let at = op.id;
        match &op.kind {
            OpKind::ChannelCreated {
                channel,
                name,
                topic,
            } => {
                lww(
                    names.entry(*channel).or_default(),
                    at,
                    &(name.clone(), topic.clone()),
                );
                // Created unarchived: an earlier-dated archive loses.
                lww(archived.entry(*channel).or_default(), at, &false);
            }
            OpKind::ChannelRenamed {
                channel,
                name,
                topic,
            } if f.channels.contains(channel) => lww(
                names.entry(*channel).or_default(),
                at,
                &(name.clone(), topic.clone()),
            ),
            OpKind::ChannelArchived {
                channel,
                archived: a,
            } if f.channels.contains(channel) => lww(archived.entry(*channel).or_default(), at, a),
            OpKind::ThreadCreated { thread, title, .. } if f.threads.contains_key(thread) => {
                lww(titles.entry(*thread).or_default(), at, title);
                lww(closed.entry(*thread).or_default(), at, &false);
            }
            OpKind::ThreadRetitled { thread, title } if thread_by(thread) == Some(op.author) => {
                lww(titles.entry(*thread).or_default(), at, title)
            }
            OpKind::ThreadClosed { thread, closed: c } if f.threads.contains_key(thread) => {
                lww(closed.entry(*thread).or_default(), at, c)
            }
            OpKind::CommentAdded { comment, body, .. } if f.comments.contains_key(comment) => {
                lww(bodies.entry(*comment).or_default(), at, body)
            }
            OpKind::CommentEdited { comment, body, .. }
                if f.author_of(*comment) == Some(op.author) =>
            {
                lww(bodies.entry(*comment).or_default(), at, body)
            }
            OpKind::ReactionSet { target, emoji, on } => {
                let exists = match target {
                    ReactionTarget::Thread(t) => f.threads.contains_key(t),
                    ReactionTarget::Comment(c) => f.comments.contains_key(c),
                };
                if exists {
                    let slot = reacts.entry((*target, emoji.clone(), op.author));
                    lww(slot.or_default(), at, on);
                }
            }
            _ => {}
        }
    }
    for (c, v) in names {
        let name = v.map(|(_, n)| n).unwrap();
        let a = archived.get(&c).copied().flatten();
        m.channels.insert(c, (name, a.is_some_and(|(_, a)| a)));
    }
    for (t, v) in titles {
        let c = closed.get(&t).copied().flatten();
        m.threads
            .insert(t, (v.unwrap().1, c.is_some_and(|(_, c)| c)));
    }
    for (c, v) in bodies {
        if !f.deleted.contains(&c) {
            m.comments.insert(c, v.unwrap().1);
        }
    }
    for ((target, emoji, who), v) in reacts {
        let live = match target {
            ReactionTarget::Thread(_) => true,
            ReactionTarget::Comment(c) => m.comments.contains_key(&c),
        };
        if live && v.is_some_and(|(_, on)| on) {
            m.reactions.entry((target, emoji)).or_default().insert(who);
        }
    }
}

/// Profiles and away notes, last writer wins per person. Every device is
/// introduced in every run, so no membership op waits for good.
fn members(ops: &[Op], m: &mut Model) {
    let mut profiles: BTreeMap<MemberId, Option<(OpId, Profile)>> = BTreeMap::new();
    let mut away: BTreeMap<MemberId, Option<(OpId, Option<Away>)>> = BTreeMap::new();
    for op in ops {
        match &op.kind {
            OpKind::WorkspaceCreated { profile, .. }
            | OpKind::MemberJoined { profile }
            | OpKind::ProfileUpdated { profile } => {
                lww(profiles.entry(op.author).or_default(), op.id, profile)
            }
            OpKind::AwaySet { away: a } => lww(away.entry(op.author).or_default(), op.id, a),
            _ => {}
        }
    }
    for (who, p) in profiles {
        let p = p.unwrap().1;
        let a = away.get(&who).cloned().flatten().and_then(|(_, a)| a);
        m.members.insert(who, (p.display_name, p.time_zone, a));
    }
}
