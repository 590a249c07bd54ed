//! What the shell shows: the output of the policy.
//!
//! Kept apart from the queue's internals because these are the types the
//! shell (and its IPC layer) sees; everything else in the policy is private
//! state.

use serde::{Deserialize, Serialize};

use crate::model::ids::{CheckinId, ThreadId};

/// Which shown notification a new one replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NotificationKey {
    /// The one notification of a thread.
    Thread(ThreadId),
    /// The one catch-up summary.
    Summary,
    /// The morning catch-up ("Your catch-up"): opens the Catch-up view.
    CatchUp,
    /// A check-in asking me, for one of my dates.
    Checkin(CheckinId, chrono::NaiveDate),
}

/// A notification for the shell to show. A key equal to one already on
/// screen means "replace it" (update the text and count, without a new sound).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Same key = replace the notification already shown.
    pub key: NotificationKey,
    /// The thread to open when clicked; `None` for a summary (open the
    /// inbox) or a check-in (open its board, named by the key).
    pub thread: Option<ThreadId>,
    /// Heading line.
    pub title: String,
    /// Text under the heading.
    pub body: String,
    /// How many events it stands for.
    pub count: u32,
    /// A Later reminder: the shell offers Done and Tomorrow on it.
    #[serde(default)]
    pub reminder: bool,
}
