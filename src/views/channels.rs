//! The channel list with my unread counts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::ids::ChannelId;
use crate::render::clean_label;
use crate::store::rows::{dec, ChannelRow};
use crate::store::trees::T;
use crate::store::Store;

/// A channel in the sidebar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelView {
    /// Its id.
    pub id: ChannelId,
    /// Its name (without '#').
    pub name: String,
    /// What it is for.
    pub topic: String,
    /// Archived channels are read-only and listed last.
    pub archived: bool,
    /// Threads in it with something I have not read.
    pub unread_threads: u32,
}

/// Channel names read once per page: a list of threads from many
/// channels (the inbox, done, Later) names each channel once.
#[derive(Default)]
pub(crate) struct ChannelNames(HashMap<ChannelId, String>);

impl ChannelNames {
    /// The name of `channel` as views show it.
    pub(crate) fn get(&mut self, store: &Store, channel: ChannelId) -> String {
        self.0
            .entry(channel)
            .or_insert_with(|| store.channel_label(channel))
            .clone()
    }
}

impl Store {
    /// A channel's name as every view shows it: cleaned of invisible
    /// steering characters (see [`crate::render::bidi`]); empty for a
    /// channel not (yet) known.
    pub(crate) fn channel_label(&self, channel: ChannelId) -> String {
        self.channel_row(channel)
            .map(|c| clean_label(&c.name.value.0))
            .unwrap_or_default()
    }

    /// All channels: live ones by name, then archived ones.
    pub fn channels(&self) -> Result<Vec<ChannelView>> {
        let unread = self.trees().get(T::MyChanUnread);
        let mut out = Vec::new();
        for kv in self.trees().get(T::Channels).iter() {
            let (k, v) = kv?;
            let row: ChannelRow = dec(&v)?;
            let id = ChannelId::from_bytes(
                k.as_ref()
                    .try_into()
                    .map_err(|_| Error::corrupt("channel key"))?,
            );
            out.push(ChannelView {
                id,
                name: clean_label(&row.name.value.0),
                topic: row.name.value.1,
                archived: row.archived.value,
                unread_threads: unread.get(k)?.map(|v| dec(&v)).transpose()?.unwrap_or(0),
            });
        }
        out.sort_by(|a, b| {
            (a.archived, a.name.to_lowercase()).cmp(&(b.archived, b.name.to_lowercase()))
        });
        Ok(out)
    }
}
