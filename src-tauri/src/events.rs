//! Typed events the shell sends to the UI. Their TypeScript is generated
//! with the commands (tauri-specta), so the UI listens with types.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;
use tidings::events::Change;
use tidings::model::ids::{CommentId, ThreadId};
use tidings::sync::SyncStatus;

/// The store changed (a local write, an arrival, a rebuild): views refresh
/// what is named here, without polling.
#[derive(Clone, Debug, Serialize, Deserialize, Type, Event)]
pub struct StoreChanged {
    /// What changed, without repeats.
    pub changes: Vec<Change>,
}

/// The counts the sidebar and the tray show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type, Event)]
pub struct UnreadChanged {
    /// Threads in my inbox.
    pub inbox: u32,
    /// Threads with something I have not read, in all channels.
    pub unread_threads: u32,
}

/// Sync targets' status (offline, connecting, catching up N of M, live).
#[derive(Clone, Debug, Serialize, Deserialize, Type, Event)]
pub struct SyncStatusChanged(pub SyncStatus);

/// Where the window should go: a notification or a `tidings://` link was
/// clicked, or the tray's Inbox item.
#[derive(Clone, Debug, Serialize, Deserialize, Type, Event)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Navigate {
    /// The inbox.
    Inbox,
    /// The Catch-up view.
    CatchUp,
    /// A check-in, to answer it for a date.
    Checkin {
        /// The check-in.
        checkin: tidings::model::ids::CheckinId,
        /// My date it asks about.
        date: chrono::NaiveDate,
    },
    /// A thread, at a comment if given.
    Thread {
        /// The thread.
        thread: ThreadId,
        /// The comment to scroll to.
        comment: Option<CommentId>,
    },
}

/// A long task's progress (search reindex, export); `done == total` ends it.
#[derive(Clone, Debug, Serialize, Deserialize, Type, Event)]
pub struct Progress {
    /// What is running, in words.
    pub task: String,
    /// Steps done.
    pub done: u32,
    /// Steps in all (0 while unknown).
    pub total: u32,
}

/// A message for the person from the shell itself ("Tidings is still
/// running in the tray").
#[derive(Clone, Debug, Serialize, Deserialize, Type, Event)]
pub struct ShellNotice {
    /// What to say.
    pub message: String,
}
