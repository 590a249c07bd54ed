//! Change events: what an applied op changed, so a UI can refresh exactly
//! that. The store sends them on a tokio broadcast channel after the change
//! is durable.

use serde::{Deserialize, Serialize};

use crate::model::ids::{ChannelId, ThreadId};

/// One thing that changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Change {
    /// The workspace itself (created, renamed) or my identity.
    Workspace,
    /// Members or their profiles.
    Members,
    /// The channel list (new, renamed, archived, unread counts).
    Channels,
    /// The thread list of one channel.
    ChannelThreads(ChannelId),
    /// One thread: its title, body, comments, reactions or my state of it.
    Thread(ThreadId),
    /// My inbox or done list.
    Inbox,
    /// My notification settings.
    Settings,
    /// Scheduled posts (mine, in the Scheduled list).
    Scheduled,
    /// Reply-by asks: waiting on me or on others.
    Waiting,
    /// Check-ins: their rules, their answers, or what they ask of me.
    Checkins,
    /// My Later list (items, reminders, a reply that makes one due).
    Later,
    /// Everything (after a rebuild or an import).
    All,
}
