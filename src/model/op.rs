//! Ops: the immutable records of everything a person does. The store keeps
//! them as the source of truth and derives every view from them.
//!
//! `Op` is encoded with postcard and signed; the encoding is the wire and
//! storage format. Add new kinds only at the end of [`OpKind`]; never
//! reorder or change existing variants (that would be a format change).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ChannelId, CommentId, DeviceId, MemberId, OpId, ThreadId, WorkspaceId};
use super::profile::{NotificationSettings, Profile};

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
        }
    }
}
