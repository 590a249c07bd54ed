//! Rows of the derived trees. They are postcard-encoded in sled; changing a
//! row is a schema change: bump `SCHEMA_VERSION` in `store::trees`, and the
//! derived trees are rebuilt from the op log on the next open.

use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::checkin::Checkin;
use crate::model::ids::{ChannelId, CommentId, Hlc, MemberId, OpId, ThreadId, WorkspaceId};
use crate::model::later::Later;
use crate::model::profile::{NotificationSettings, Profile};
use crate::model::schedule::{PostRef, Reveal, ScheduledPost};

/// A last-writer-wins register: the value and the op that set it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lww<T> {
    /// Current value.
    pub value: T,
    /// The op that wrote it; a later op id wins.
    pub at: OpId,
}

impl<T> Lww<T> {
    /// A register holding `value`, written by `at`.
    pub fn new(value: T, at: OpId) -> Self {
        Lww { value, at }
    }
    /// Takes `value` if `at` is later than what is held. Returns whether it did.
    pub fn offer(&mut self, value: T, at: OpId) -> bool {
        if at > self.at {
            self.value = value;
            self.at = at;
            true
        } else {
            false
        }
    }
}

/// The workspace this store holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceRow {
    /// Its id.
    pub id: WorkspaceId,
    /// Its name.
    pub name: String,
    /// The op that created it.
    pub created: OpId,
}

/// A member and their profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    /// Latest profile.
    pub profile: Lww<Profile>,
}

/// A channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRow {
    /// Creation op.
    pub created: OpId,
    /// Who made it.
    pub creator: MemberId,
    /// (name, topic).
    pub name: Lww<(String, String)>,
    /// Archived or not.
    pub archived: Lww<bool>,
}

/// A thread and its activity summary: what thread lists show, rewritten
/// by every comment. The opening post's text, written once, is a row of
/// its own (`T::ThreadBodies`), so a comment does not copy it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadRow {
    /// Channel it lives in.
    pub channel: ChannelId,
    /// Who started it.
    pub author: MemberId,
    /// Creation op (also its position for read markers).
    pub created: OpId,
    /// Title.
    pub title: Lww<String>,
    /// Named to notify.
    pub notify: Vec<MemberId>,
    /// Mentioned in the body.
    pub mentions: Vec<MemberId>,
    /// Closed (resolved) or open.
    pub closed: Lww<bool>,
    /// Latest creation or comment op: orders thread lists.
    pub last_activity: OpId,
    /// Live (not deleted) comments.
    pub comments: u32,
    /// Everyone who wrote in it with the hybrid time of their first op,
    /// ordered by that time and then by member, so every replica lists
    /// them alike, whatever order comments arrived in. (The time alone,
    /// not the whole op id: the device's 32 bytes made this list most of
    /// the row.)
    pub participants: Vec<(Hlc, MemberId)>,
    /// What thread lists show of it: the start of its latest live comment
    /// (or of the opening post), as plain text, extracted when that
    /// comment lands or changes so a list reads no comment.
    pub snippet: String,
    /// The creation op of the comment `snippet` comes from; None for the
    /// opening post. A comment arriving late takes the snippet only if it
    /// is newer than this one.
    pub snippet_from: Option<OpId>,
    /// Reactions on the opening post, as shown (`store::reactions`).
    pub reactions: super::reactions::Reactions,
}

/// A comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentRow {
    /// Its id (the row is kept under its thread and position).
    pub id: CommentId,
    /// Thread it belongs to.
    pub thread: ThreadId,
    /// Who wrote it.
    pub author: MemberId,
    /// Creation op (orders comments).
    pub created: OpId,
    /// (markdown body, mentions), last edit wins.
    pub body: Lww<(String, Vec<MemberId>)>,
    /// Tombstone: once set, final.
    pub deleted: Option<OpId>,
    /// Reactions on it, as shown (`store::reactions`).
    pub reactions: super::reactions::Reactions,
}

/// One member's personal state for one thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PersonalRow {
    /// Read up to this op (max wins).
    pub read_up_to: Option<OpId>,
    /// The latest read op itself (when they last read).
    pub read_at: Option<OpId>,
    /// Done flag.
    pub done: Option<Lww<bool>>,
    /// Snoozed until.
    pub snoozed: Option<Lww<Option<DateTime<Utc>>>>,
    /// Muted flag.
    pub muted: Option<Lww<bool>>,
    /// Explicit follow/unfollow.
    pub followed: Option<Lww<bool>>,
    /// My Later item for the thread (None inside = removed).
    pub later: Option<Lww<Option<Later>>>,
}

impl PersonalRow {
    /// The Later item, with the op that set it, if there is one.
    pub fn later_item(&self) -> Option<(Later, OpId)> {
        self.later.as_ref().and_then(|l| l.value.map(|v| (v, l.at)))
    }
}

/// Why a member follows a thread without saying so (bit flags).
pub mod involvement {
    /// Started the thread.
    pub const STARTED: u8 = 1;
    /// Commented in it.
    pub const COMMENTED: u8 = 2;
    /// Was @mentioned.
    pub const MENTIONED: u8 = 4;
    /// Was named to notify.
    pub const NAMED: u8 = 8;
}

/// Notification settings of a member.
pub type SettingsRow = Lww<NotificationSettings>;

/// A reaction by one member.
pub type ReactionRow = Lww<bool>;

/// What the local member sees of one thread; kept for "me" only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MyThreadRow {
    /// Unread items (opening post + comments by others after my marker).
    pub unread: u32,
    /// My first unread comment's creation op, if any.
    pub first_unread: Option<OpId>,
    /// Latest op by someone else (decides whether "done" still holds).
    pub last_other: Option<OpId>,
    /// Where the thread sits in my inbox candidates (key), if it does.
    pub inbox_key: Option<Vec<u8>>,
    /// Where it sits in my done list (key), if it does.
    pub done_key: Option<Vec<u8>>,
    /// It is on my Later list.
    pub later: bool,
    /// Counted among its channel's unread threads (unread and not muted).
    pub counted: bool,
    /// My latest post in the thread (opening post or comment).
    pub mine_last: Option<OpId>,
    /// Where I have read up to: my read marker or my latest post, whichever
    /// is later.
    pub seen_up_to: Option<OpId>,
    /// My follow, mute and done state, resolved when anything it depends
    /// on changes (see `me::state`), so lists need not read the rows
    /// behind it.
    pub following: bool,
    /// I muted it.
    pub muted: bool,
    /// Marked done, and no one else wrote since.
    pub done: bool,
    /// A snooze or a Later reminder may hide it from my inbox until it is
    /// due: the inbox reads my personal row only for these.
    pub reminder: bool,
}

/// A scheduled post and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledRow {
    /// The `PostScheduled` op.
    pub op: OpId,
    /// Who scheduled it.
    pub author: MemberId,
    /// What it becomes.
    pub post: ScheduledPost,
    /// When, for whom.
    pub reveal: Reveal,
    /// The post it replaces, if it is an edit.
    pub replaces: Option<PostRef>,
    /// The earliest valid cancel (a tombstone: final).
    pub cancelled: Option<OpId>,
    /// The latest post replacing this one, with its op.
    pub replaced_by: Option<(OpId, PostRef)>,
    /// Where it was shown here (its position as if posted then), once
    /// revealed.
    pub shown: Option<OpId>,
}

/// One reply-by ask of one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskRow {
    /// Who asked.
    pub asker: MemberId,
    /// By when.
    pub due: DateTime<Utc>,
    /// The withdrawal, if the asker withdrew it.
    pub withdrawn: Option<OpId>,
}

/// A check-in: its rule and its state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinRow {
    /// Who created it (the only one who may edit, pause or stop it).
    pub creator: MemberId,
    /// The creation op.
    pub created: OpId,
    /// The rule, last edit wins (its channel never changes).
    pub spec: Lww<Checkin>,
    /// Paused or not, last writer wins.
    pub paused: Lww<bool>,
    /// The earliest stop (a tombstone: final).
    pub stopped: Option<OpId>,
}

/// One person's answer for one of their dates: every answer op they made
/// for it, kept as ids so a stop that arrives late can still tell which
/// came before it (whatever the arrival order, the same one counts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AnswerRow {
    /// Each answer op and whether it withdrew (an empty body), in op order.
    pub versions: Vec<(OpId, bool)>,
    /// The markdown of the answer in force ("" when there is none).
    pub body: String,
}

/// The answer in force in an [`AnswerRow`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurrentAnswer {
    /// The op that first gave this answer (after any withdrawal).
    pub first: OpId,
    /// The op whose text is in force.
    pub last: OpId,
}

impl AnswerRow {
    /// Adds a version (idempotent).
    pub fn add(&mut self, op: OpId, withdrawn: bool) {
        if let Err(i) = self.versions.binary_search_by_key(&op, |v| v.0) {
            self.versions.insert(i, (op, withdrawn));
        }
    }

    /// The answer in force when the check-in was stopped at `stopped`
    /// (only versions made before it count), or None if there is none or
    /// it was withdrawn.
    pub fn current(&self, stopped: Option<OpId>) -> Option<CurrentAnswer> {
        let n = self
            .versions
            .partition_point(|(id, _)| stopped.is_none_or(|s| *id < s));
        let counted = &self.versions[..n];
        let (last, withdrawn) = *counted.last()?;
        if withdrawn {
            return None;
        }
        let since = counted.iter().rposition(|(_, w)| *w).map_or(0, |i| i + 1);
        Some(CurrentAnswer {
            first: counted[since].0,
            last,
        })
    }
}

/// Encodes a row.
pub fn enc<T: Serialize>(v: &T) -> Vec<u8> {
    // Encoding plain data into a Vec cannot fail.
    postcard::to_allocvec(v).unwrap_or_default()
}

/// Decodes a row, mapping failure to a corruption error.
pub fn dec<T: DeserializeOwned>(b: &[u8]) -> Result<T> {
    postcard::from_bytes(b).map_err(|e| Error::corrupt(format!("undecodable row: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::{DeviceId, Hlc};

    fn op(ms: u64) -> OpId {
        OpId {
            hlc: Hlc { ms, counter: 0 },
            device: DeviceId([1; 32]),
        }
    }

    #[test]
    fn the_answer_in_force_is_the_latest_before_the_stop_in_any_order() {
        let mut a = AnswerRow::default();
        for (ms, withdrawn) in [
            (30, false),
            (10, false),
            (20, true),
            (40, false),
            (30, false),
        ] {
            a.add(op(ms), withdrawn);
        }
        assert_eq!(a.versions.len(), 4, "adding twice is once");
        let cur = |stop: Option<u64>| a.current(stop.map(op)).map(|c| (c.first, c.last));
        // 10 answered, 20 withdrew, 30 answered again, 40 edited it.
        assert_eq!(cur(None), Some((op(30), op(40))));
        assert_eq!(cur(Some(40)), Some((op(30), op(30))));
        assert_eq!(cur(Some(25)), None, "withdrawn before the stop");
        assert_eq!(cur(Some(15)), Some((op(10), op(10))));
        assert_eq!(cur(Some(10)), None, "nothing before the stop");
    }
}
