//! Channels: list, create, rename, archive.

use tauri::State;
use tidings::model::ids::ChannelId;
use tidings::views::ChannelView;

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// All channels with my unread counts: live ones by name, then archived.
#[tauri::command]
#[specta::specta]
pub async fn list_channels(ctx: State<'_, Shared>) -> IpcResult<Vec<ChannelView>> {
    ctx.run(|s| s.channels()).await
}

/// Creates a channel.
#[tauri::command]
#[specta::specta]
pub async fn create_channel(
    ctx: State<'_, Shared>,
    name: Arg<String>,
    topic: Arg<String>,
) -> IpcResult<ChannelId> {
    let (name, topic) = (name.get("name")?, topic.get("topic")?);
    ctx.run(move |s| s.create_channel(&name, &topic)).await
}

/// Renames a channel or changes its topic.
#[tauri::command]
#[specta::specta]
pub async fn rename_channel(
    ctx: State<'_, Shared>,
    channel: Arg<ChannelId>,
    name: Arg<String>,
    topic: Arg<String>,
) -> IpcResult<()> {
    let (channel, name, topic) = (
        channel.get("channel")?,
        name.get("name")?,
        topic.get("topic")?,
    );
    ctx.run(move |s| s.rename_channel(channel, &name, &topic))
        .await
}

/// Archives (read-only) or restores a channel.
#[tauri::command]
#[specta::specta]
pub async fn archive_channel(
    ctx: State<'_, Shared>,
    channel: Arg<ChannelId>,
    archived: Arg<bool>,
) -> IpcResult<()> {
    let (channel, archived) = (channel.get("channel")?, archived.get("archived")?);
    ctx.run(move |s| s.archive_channel(channel, archived)).await
}
