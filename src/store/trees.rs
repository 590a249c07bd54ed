//! The sled trees of a store and how their keys are laid out. Keys are
//! big-endian so that byte order is the order views need.
//!
//! Every kind of row ([`T`]) lives in one sled tree, `data`, under a
//! one-byte prefix (its [`T::tag`]), so one batch of ops and all their rows
//! land with one atomic `Tree::apply_batch` ([`super::part`]); `meta` is
//! kept apart. `ops` is the source of truth; every kind except the sync
//! state is derived and can be rebuilt from it. Changing a layout here is
//! a schema change: bump [`SCHEMA_VERSION`].

use super::part::Part;
use crate::model::ids::{
    ChannelId, CheckinId, CommentId, DeviceId, MemberId, OpId, ThreadId, OP_KEY_LEN,
};
use crate::model::op::ReactionTarget;
use crate::model::schedule::PostRef;

/// Version of the derived trees' layout. Opening a store written with an
/// older version rebuilds them from the op log. Version 4 moved the 34
/// trees of version 3 into one ([`migrate_from_many_trees`]); version 5
/// keeps thread lists' snippets in the thread row and my resolved state
/// in my row, and comment rows under their thread and position; version 6
/// moves the opening post out of the thread row and keeps participants by
/// the hybrid time of their first op.
pub const SCHEMA_VERSION: u32 = 6;

/// Every tree, by index into [`Trees::all`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(usize)]
pub enum T {
    /// The op log: op key → signed op.
    Ops,
    /// Ops waiting for a target: target key ++ op key → ().
    Pending,
    /// Device → member that owns it.
    Devices,
    /// Member → MemberRow.
    Members,
    /// Channel → ChannelRow.
    Channels,
    /// Thread → ThreadRow.
    Threads,
    /// channel ++ !last_activity ++ thread → (): threads by activity.
    ChanThreads,
    /// Comment → where its row is: its `ThreadComments` key.
    Comments,
    /// thread ++ created op key → CommentRow: a thread's comments side by
    /// side in order, so a page of them is one range scan.
    ThreadComments,
    /// target ++ emoji ++ 0xff ++ member → ReactionRow.
    Reactions,
    /// member ++ thread → PersonalRow.
    Personal,
    /// member ++ thread → involvement bits.
    Involved,
    /// member → SettingsRow.
    Settings,
    /// thread → MyThreadRow (local member only).
    MyThreads,
    /// !last_activity ++ thread → (): my inbox candidates.
    MyInbox,
    /// !done op ++ thread → (): my done list.
    MyDone,
    /// channel → unread thread count (u32) for me.
    MyChanUnread,
    /// Counters and small state of derived data.
    Stats,
    /// Post ref → ScheduledRow: every scheduled post, shown yet or not.
    Scheduled,
    /// my reveal instant (ms, u64) ++ post ref → (): scheduled posts still
    /// to be shown here, soonest first.
    Reveals,
    /// Member → Lww<Option<Away>>.
    Away,
    /// asked ++ thread ++ ask op key → AskRow: reply-by asks, per person.
    Asks,
    /// asker ++ ask op key ++ asked → (): asks by who made them.
    AsksBy,
    /// member ++ thread → OpId: their latest answer (a comment, or marking
    /// asks answered); asks made before it are satisfied.
    Answers,
    /// recipient ++ sender ++ mark op key → post ref: urgent marks.
    UrgentMarks,
    /// post ref ++ recipient → mark op key.
    UrgentPosts,
    /// member → Lww<UrgentSettings> (personal).
    UrgentSettings,
    /// Search log: epoch (u64 BE) → the documents a write batch changed.
    /// Entries newer than the search index's last commit say what to redo
    /// after a crash; older ones are pruned.
    SearchLog,
    /// thread → (): threads on my Later list (local member only).
    MyLater,
    /// check-in → CheckinRow.
    Checkins,
    /// check-in ++ date key ++ member → AnswerRow: each person's answer
    /// for each of their local dates (see `model::checkin::date_key`).
    CheckinAnswers,
    /// Not derived: target id (u32) ++ op key → (): my ops a sync target
    /// has not acknowledged yet.
    Outbox,
    /// Not derived: target id (u32) → the target's read position.
    Cursors,
    /// Not derived: op key → signed op, for verified ops dated further
    /// ahead of this device's clock than [`crate::store::MAX_SKEW`]. They
    /// are not in the log yet and move no clock; they apply once local
    /// time reaches them.
    Future,
    /// Not derived: op key → signed op, for ops made durable before they
    /// take effect (see `staged`). Empty except while a write is under
    /// way, or after a run that ended before its last writes reached disk.
    Staged,
    /// Thread → its opening post's Markdown (String), written once.
    ThreadBodies,
}

impl T {
    /// The key prefix of this kind's rows in the one tree.
    pub fn tag(self) -> u8 {
        self as u8
    }

    /// Derived trees are cleared and recomputed by a rebuild; the op log and
    /// sync state are not.
    pub fn is_derived(self) -> bool {
        !matches!(
            self,
            T::Ops | T::Outbox | T::Cursors | T::Future | T::Staged
        )
    }

    /// Every tree, in order.
    pub const ALL: [T; 36] = [
        T::Ops,
        T::Pending,
        T::Devices,
        T::Members,
        T::Channels,
        T::Threads,
        T::ChanThreads,
        T::Comments,
        T::ThreadComments,
        T::Reactions,
        T::Personal,
        T::Involved,
        T::Settings,
        T::MyThreads,
        T::MyInbox,
        T::MyDone,
        T::MyChanUnread,
        T::Stats,
        T::Scheduled,
        T::Reveals,
        T::Away,
        T::Asks,
        T::AsksBy,
        T::Answers,
        T::UrgentMarks,
        T::UrgentPosts,
        T::UrgentSettings,
        T::SearchLog,
        T::MyLater,
        T::Checkins,
        T::CheckinAnswers,
        T::Outbox,
        T::Cursors,
        T::Future,
        T::Staged,
        T::ThreadBodies,
    ];
}

/// The trees of schema 3 and older, one per kind, in [`T`] order (the
/// kinds added since, such as `Staged`, never had a tree of their own).
pub const OLD_NAMES: [&str; 34] = [
    "ops",
    "pending",
    "devices",
    "members",
    "channels",
    "threads",
    "chan_threads",
    "comments",
    "thread_comments",
    "reactions",
    "personal",
    "involved",
    "settings",
    "my_threads",
    "my_inbox",
    "my_done",
    "my_chan_unread",
    "stats",
    "scheduled",
    "reveals",
    "away",
    "asks",
    "asks_by",
    "answers",
    "urgent_marks",
    "urgent_posts",
    "urgent_settings",
    "search_log",
    "my_later",
    "checkins",
    "checkin_answers",
    "outbox",
    "cursors",
    "future",
];

/// The open store's trees.
pub struct Trees {
    /// Every kind of row, each under its tag.
    pub data: sled::Tree,
    /// Schema version, identity, workspace: not derived.
    pub meta: sled::Tree,
}

/// The one tree's name (never one of [`OLD_NAMES`]).
const DATA: &str = "data";

impl Trees {
    /// Opens (creating) both trees.
    pub fn open(db: &sled::Db) -> sled::Result<Self> {
        Ok(Trees {
            data: db.open_tree(DATA)?,
            meta: db.open_tree("meta")?,
        })
    }

    /// The rows of one kind.
    pub fn get(&self, t: T) -> Part<'_> {
        Part::new(&self.data, t)
    }
}

/// Whether the store still has the trees of schema 3 or older.
pub fn has_many_trees(db: &sled::Db) -> bool {
    db.tree_names()
        .iter()
        .any(|n| n.as_ref() == OLD_NAMES[0].as_bytes())
}

/// Moves a schema-3 store's op log and sync state into the one tree and
/// drops the old trees; the caller then rebuilds every derived row. Safe to
/// run again after a crash at any point: copying is idempotent, and the op
/// log's old tree, whose presence brings this back, is dropped last, after
/// everything copied is durable.
pub fn migrate_from_many_trees(db: &sled::Db, trees: &Trees) -> sled::Result<()> {
    const BATCH: usize = 10_000;
    for t in T::ALL.into_iter().filter(|t| !t.is_derived()) {
        let Some(name) = OLD_NAMES.get(t as usize) else {
            continue;
        };
        if !db
            .tree_names()
            .iter()
            .any(|n| n.as_ref() == name.as_bytes())
        {
            continue;
        }
        let old = db.open_tree(name)?;
        let part = trees.get(t);
        let mut batch = part.batch();
        let mut n = 0;
        for kv in old.iter() {
            let (k, v) = kv?;
            batch.insert(k, v);
            n += 1;
            if n % BATCH == 0 {
                part.apply_batch(std::mem::replace(&mut batch, part.batch()))?;
            }
        }
        part.apply_batch(batch)?;
    }
    db.flush()?;
    for name in OLD_NAMES.iter().rev() {
        db.drop_tree(name)?;
    }
    db.flush()?;
    Ok(())
}

/// Bitwise-not of an op key: iterating ascending gives newest first.
pub fn inverted(op: &OpId) -> [u8; OP_KEY_LEN] {
    let mut k = op.to_key();
    for b in &mut k {
        *b = !*b;
    }
    k
}

/// Concatenates key parts.
pub fn key(parts: &[&[u8]]) -> Vec<u8> {
    let mut k = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

/// chan_threads key.
pub fn chan_thread_key(channel: ChannelId, last: &OpId, thread: ThreadId) -> Vec<u8> {
    key(&[&channel.to_bytes(), &inverted(last), &thread.to_bytes()])
}

/// thread_comments key.
pub fn thread_comment_key(thread: ThreadId, created: &OpId) -> Vec<u8> {
    key(&[&thread.to_bytes(), &created.to_key()])
}

/// member ++ thread.
pub fn member_thread(m: MemberId, t: ThreadId) -> Vec<u8> {
    key(&[&m.to_bytes(), &t.to_bytes()])
}

/// Prefix of a reaction target's rows.
pub fn reaction_prefix(target: ReactionTarget) -> Vec<u8> {
    match target {
        ReactionTarget::Thread(t) => key(&[&[0], &t.to_bytes()]),
        ReactionTarget::Comment(c) => key(&[&[1], &c.to_bytes()]),
    }
}

/// A reaction row key. 0xff never occurs in UTF-8, so it ends the emoji.
pub fn reaction_key(target: ReactionTarget, emoji: &str, member: MemberId) -> Vec<u8> {
    key(&[
        &reaction_prefix(target),
        emoji.as_bytes(),
        &[0xff],
        &member.to_bytes(),
    ])
}

/// What a pending op waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A device not yet bound to a member.
    Device(DeviceId),
    /// A channel.
    Channel(ChannelId),
    /// A thread.
    Thread(ThreadId),
    /// A comment.
    Comment(CommentId),
    /// A scheduled post (for cancels and replacements of it).
    Scheduled(PostRef),
    /// A reply-by op (for its withdrawal).
    Ask(OpId),
    /// A check-in (for its edits, pauses, stop and answers).
    Checkin(CheckinId),
}

impl Target {
    /// Prefix under which waiting ops are kept.
    pub fn key(&self) -> Vec<u8> {
        match self {
            Target::Device(d) => key(&[&[0], &d.0]),
            Target::Channel(c) => key(&[&[1], &c.to_bytes()]),
            Target::Thread(t) => key(&[&[2], &t.to_bytes()]),
            Target::Comment(c) => key(&[&[3], &c.to_bytes()]),
            Target::Scheduled(p) => key(&[&[4], &p.to_key()]),
            Target::Ask(op) => key(&[&[5], &op.to_key()]),
            Target::Checkin(c) => key(&[&[6], &c.to_bytes()]),
        }
    }
}

/// Meta keys.
pub mod meta {
    /// u32 schema version.
    pub const SCHEMA: &[u8] = b"schema_version";
    /// 32-byte ed25519 secret of this device.
    pub const DEVICE_KEY: &[u8] = b"device_key";
    /// MemberId of the local person.
    pub const ME: &[u8] = b"me";
    /// Present while a rebuild runs: derived trees may be half done, and
    /// the next open rebuilds again.
    pub const REBUILDING: &[u8] = b"rebuilding";
}

/// Stats keys.
pub mod stats {
    /// Threads + live comments + check-in answers in force: what the
    /// search index should hold.
    pub const SEARCHABLE: &[u8] = b"searchable";
    /// The WorkspaceRow (derived from the founding op).
    pub const WORKSPACE: &[u8] = b"workspace";
}
