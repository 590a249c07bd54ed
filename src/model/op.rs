//! Ops: the immutable records of everything a person does. The store keeps
//! them as the source of truth and derives every view from them.
//!
//! `Op` is encoded with postcard and signed; the encoding is the wire and
//! storage format. Add new kinds only at the end of [`OpKind`]; never
//! reorder or change existing variants (that would be a format change).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::away::Away;
use super::checkin::Checkin;
use super::ids::{
    ChannelId, CheckinId, CommentId, DeviceId, MemberId, OpId, ThreadId, WorkspaceId,
};
use super::later::Later;
use super::profile::{NotificationSettings, Profile};
use super::schedule::{PostRef, Reveal, ScheduledPost};
use super::urgent::UrgentSettings;

/// One op, before signing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    /// Clock stamp and issuing device.
    pub id: OpId,
    /// The person acting. The device must belong to them.
    pub author: MemberId,
    /// What was done.
    pub kind: OpKind,
}

/// What a reaction is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ReactionTarget {
    /// The thread's opening post.
    Thread(ThreadId),
    /// A comment.
    Comment(CommentId),
}

/// Every kind of op. Shared ops are seen by the whole workspace; personal
/// ops (see [`OpKind::is_personal`]) only by the author's own devices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpKind {
    /// Founds the workspace; its author is the first member and the signing
    /// device becomes theirs.
    WorkspaceCreated {
        /// The new workspace.
        workspace: WorkspaceId,
        /// Its name.
        name: String,
        /// The founder's profile.
        profile: Profile,
    },
    /// A person joins (or adds a device): binds the signing device to the author.
    MemberJoined {
        /// Their profile at joining.
        profile: Profile,
    },
    /// A person changes name, time zone or working hours.
    ProfileUpdated {
        /// The whole new profile (last writer wins).
        profile: Profile,
    },
    /// A new channel.
    ChannelCreated {
        /// Its id.
        channel: ChannelId,
        /// Its name.
        name: String,
        /// What it is for (may be empty).
        topic: String,
    },
    /// A channel gets a new name or topic.
    ChannelRenamed {
        /// Which channel.
        channel: ChannelId,
        /// New name.
        name: String,
        /// New topic.
        topic: String,
    },
    /// A channel is archived (read-only, hidden from the sidebar) or restored.
    ChannelArchived {
        /// Which channel.
        channel: ChannelId,
        /// true = archived.
        archived: bool,
    },
    /// A new thread.
    ThreadCreated {
        /// Its id.
        thread: ThreadId,
        /// Where it lives.
        channel: ChannelId,
        /// Its title.
        title: String,
        /// Markdown body.
        body: String,
        /// People the author asked to notify (they follow the thread).
        notify: Vec<MemberId>,
        /// People @mentioned in the body.
        mentions: Vec<MemberId>,
    },
    /// A thread gets a new title.
    ThreadRetitled {
        /// Which thread.
        thread: ThreadId,
        /// New title.
        title: String,
    },
    /// A thread is closed (resolved) or reopened.
    ThreadClosed {
        /// Which thread.
        thread: ThreadId,
        /// true = closed.
        closed: bool,
    },
    /// A comment in a thread.
    CommentAdded {
        /// Its id.
        comment: CommentId,
        /// The thread it answers.
        thread: ThreadId,
        /// Markdown body.
        body: String,
        /// People @mentioned.
        mentions: Vec<MemberId>,
    },
    /// The author changes a comment (last writer wins; a delete beats it).
    CommentEdited {
        /// Which comment.
        comment: CommentId,
        /// New markdown body.
        body: String,
        /// People @mentioned in the new body.
        mentions: Vec<MemberId>,
    },
    /// The author deletes a comment (a tombstone: final).
    CommentDeleted {
        /// Which comment.
        comment: CommentId,
    },
    /// A reaction is set or cleared (last writer wins per person and emoji).
    ReactionSet {
        /// On what.
        target: ReactionTarget,
        /// The emoji.
        emoji: String,
        /// true = set, false = cleared.
        on: bool,
    },
    /// Personal: I have read the thread up to this op (the max wins).
    ReadUpTo {
        /// Which thread.
        thread: ThreadId,
        /// The last op (thread creation or comment) read.
        up_to: OpId,
    },
    /// Personal: mark a thread done (out of the inbox) or not.
    ThreadDone {
        /// Which thread.
        thread: ThreadId,
        /// true = done.
        done: bool,
    },
    /// Personal: hide a thread from the inbox until a time (None = unsnooze).
    ThreadSnoozed {
        /// Which thread.
        thread: ThreadId,
        /// When it comes back.
        until: Option<DateTime<Utc>>,
    },
    /// Personal: mute (never in inbox, never notifies) or unmute.
    ThreadMuted {
        /// Which thread.
        thread: ThreadId,
        /// true = muted.
        muted: bool,
    },
    /// Personal: follow or unfollow explicitly (overrides the implicit follow).
    ThreadFollowed {
        /// Which thread.
        thread: ThreadId,
        /// true = follow.
        followed: bool,
    },
    /// Personal: notification settings (last writer wins).
    NotificationSettingsSet {
        /// The whole new settings.
        settings: NotificationSettings,
    },
    /// A person adds another of their devices: issued by one of their
    /// devices already known, it binds `device` to them. (Nobody else can
    /// add a device for them: the issuing device must be theirs.)
    DeviceAdded {
        /// The new device.
        device: DeviceId,
    },
    /// A thread or comment sent later. It syncs now; every replica keeps it
    /// hidden (views, unread, search, notifications) until its clock passes
    /// the reveal instant for its person, then shows it as posted then.
    PostScheduled {
        /// What it becomes.
        post: ScheduledPost,
        /// When, for whom.
        reveal: Reveal,
        /// The scheduled post of mine this one replaces (an edit or a
        /// reschedule before delivery); of several replacing the same post,
        /// the latest op wins and the others are never shown.
        replaces: Option<PostRef>,
    },
    /// The author cancels a scheduled post before it is delivered (a
    /// tombstone). Valid only when made before the post's earliest reveal.
    ScheduleCancelled {
        /// Which post.
        post: PostRef,
    },
    /// A person says they are away until a time, or back (None). Shared:
    /// teammates see it where they write to them (last writer wins).
    AwaySet {
        /// The away period, or None when back.
        away: Option<Away>,
    },
    /// The author asks people for an answer in a thread by a deadline
    /// each (reply-by). Open until the person comments in the thread after
    /// this op, marks it answered, or the author withdraws it.
    ReplyRequested {
        /// Which thread.
        thread: ThreadId,
        /// Who is asked, and by when.
        asks: Vec<(MemberId, DateTime<Utc>)>,
    },
    /// The author of a `ReplyRequested` op withdraws its asks.
    ReplyWithdrawn {
        /// Which thread.
        thread: ThreadId,
        /// The `ReplyRequested` op.
        ask: OpId,
    },
    /// The author says they answered every ask made of them in the thread
    /// before this op (without commenting).
    ReplyAnswered {
        /// Which thread.
        thread: ThreadId,
    },
    /// The author marks a post of theirs urgent for these people: it may
    /// break through their hours and pauses (see `model::urgent`). Made in
    /// the same commit as the post, just before it.
    UrgentMarked {
        /// The post (a thread or comment, perhaps scheduled).
        post: PostRef,
        /// Who it is urgent for.
        people: Vec<MemberId>,
    },
    /// Personal: my choice about urgent break-through (last writer wins).
    UrgentSettingsSet {
        /// The whole new choice.
        settings: UrgentSettings,
    },
    /// Personal: put a thread on my Later list, with or without a
    /// reminder, mark it done there, or take it off (None). One item per
    /// thread, last writer wins.
    LaterSet {
        /// Which thread.
        thread: ThreadId,
        /// The item, or None to remove it.
        later: Option<Later>,
    },
    /// A new recurring check-in in a channel; its author is its creator,
    /// the only one who may edit, pause or stop it.
    CheckinCreated {
        /// Its id.
        checkin: CheckinId,
        /// The rule.
        spec: Checkin,
    },
    /// The creator changes the question, people or days (last writer
    /// wins; the channel stays).
    CheckinEdited {
        /// Which check-in.
        checkin: CheckinId,
        /// The whole new rule.
        spec: Checkin,
    },
    /// The creator pauses or resumes it (last writer wins).
    CheckinPaused {
        /// Which check-in.
        checkin: CheckinId,
        /// true = paused.
        paused: bool,
    },
    /// The creator stops it for good (a tombstone: the earliest stop
    /// wins; answers made after it do not count).
    CheckinStopped {
        /// Which check-in.
        checkin: CheckinId,
    },
    /// The author's answer for one occurrence (their local date). A later
    /// answer of theirs for the same date replaces it; an empty body
    /// withdraws it.
    CheckinAnswered {
        /// Which check-in.
        checkin: CheckinId,
        /// The author's local date the answer is for.
        date: NaiveDate,
        /// Markdown, or empty to withdraw.
        body: String,
    },
}

impl OpKind {
    /// Personal ops concern only their author and sync only among the
    /// author's own devices.
    pub fn is_personal(&self) -> bool {
        matches!(
            self,
            OpKind::ReadUpTo { .. }
                | OpKind::ThreadDone { .. }
                | OpKind::ThreadSnoozed { .. }
                | OpKind::ThreadMuted { .. }
                | OpKind::ThreadFollowed { .. }
                | OpKind::NotificationSettingsSet { .. }
                | OpKind::UrgentSettingsSet { .. }
                | OpKind::LaterSet { .. }
        )
    }

    /// A short stable name for logs and the JSON export.
    pub fn name(&self) -> &'static str {
        match self {
            OpKind::WorkspaceCreated { .. } => "workspace_created",
            OpKind::MemberJoined { .. } => "member_joined",
            OpKind::ProfileUpdated { .. } => "profile_updated",
            OpKind::ChannelCreated { .. } => "channel_created",
            OpKind::ChannelRenamed { .. } => "channel_renamed",
            OpKind::ChannelArchived { .. } => "channel_archived",
            OpKind::ThreadCreated { .. } => "thread_created",
            OpKind::ThreadRetitled { .. } => "thread_retitled",
            OpKind::ThreadClosed { .. } => "thread_closed",
            OpKind::CommentAdded { .. } => "comment_added",
            OpKind::CommentEdited { .. } => "comment_edited",
            OpKind::CommentDeleted { .. } => "comment_deleted",
            OpKind::ReactionSet { .. } => "reaction_set",
            OpKind::ReadUpTo { .. } => "read_up_to",
            OpKind::ThreadDone { .. } => "thread_done",
            OpKind::ThreadSnoozed { .. } => "thread_snoozed",
            OpKind::ThreadMuted { .. } => "thread_muted",
            OpKind::ThreadFollowed { .. } => "thread_followed",
            OpKind::NotificationSettingsSet { .. } => "notification_settings_set",
            OpKind::DeviceAdded { .. } => "device_added",
            OpKind::PostScheduled { .. } => "post_scheduled",
            OpKind::ScheduleCancelled { .. } => "schedule_cancelled",
            OpKind::AwaySet { .. } => "away_set",
            OpKind::ReplyRequested { .. } => "reply_requested",
            OpKind::ReplyWithdrawn { .. } => "reply_withdrawn",
            OpKind::ReplyAnswered { .. } => "reply_answered",
            OpKind::UrgentMarked { .. } => "urgent_marked",
            OpKind::UrgentSettingsSet { .. } => "urgent_settings_set",
            OpKind::LaterSet { .. } => "later_set",
            OpKind::CheckinCreated { .. } => "checkin_created",
            OpKind::CheckinEdited { .. } => "checkin_edited",
            OpKind::CheckinPaused { .. } => "checkin_paused",
            OpKind::CheckinStopped { .. } => "checkin_stopped",
            OpKind::CheckinAnswered { .. } => "checkin_answered",
        }
    }
}
