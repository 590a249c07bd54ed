//! Founding a workspace as a person does in the app: the workspace, a
//! #general channel and a welcome thread that explains how Tidings works,
//! all in one commit, so a new workspace never starts empty (or half made
//! after a crash).

use serde::{Deserialize, Serialize};

use super::Store;
use crate::error::Result;
use crate::model::ids::{ChannelId, ThreadId, WorkspaceId};
use crate::model::op::OpKind;
use crate::model::profile::Profile;

/// The channel every founded workspace starts with.
pub const GENERAL: &str = "general";
/// Its topic.
pub const GENERAL_TOPIC: &str = "Anything for the whole team";
/// The welcome thread's title.
pub const WELCOME_TITLE: &str = "Welcome to Tidings: how we work here";
/// The welcome thread's Markdown.
pub const WELCOME_BODY: &str = include_str!("welcome.md");

/// What founding made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Founded {
    /// The new workspace.
    pub workspace: WorkspaceId,
    /// Its #general channel.
    pub general: ChannelId,
    /// The welcome thread in #general.
    pub welcome: ThreadId,
}

impl Store {
    /// Founds a workspace in this (empty) store, as [`Store::create_workspace`]
    /// does, with a #general channel and a welcome thread written by me in
    /// the same commit: all three exist, or none.
    pub fn found_workspace(&self, name: &str, profile: Profile) -> Result<Founded> {
        let (me, workspace, created) = self.founding(name, profile)?;
        let general = ChannelId(self.new_id());
        let welcome = ThreadId(self.new_id());
        self.commit_local(
            me,
            vec![
                created,
                OpKind::ChannelCreated {
                    channel: general,
                    name: GENERAL.to_string(),
                    topic: GENERAL_TOPIC.to_string(),
                },
                OpKind::ThreadCreated {
                    thread: welcome,
                    channel: general,
                    title: WELCOME_TITLE.to_string(),
                    body: WELCOME_BODY.to_string(),
                    notify: Vec::new(),
                    mentions: Vec::new(),
                },
            ],
        )?;
        Ok(Founded {
            workspace,
            general,
            welcome,
        })
    }
}
