//! My own state of threads (synced only among my devices): read, done,
//! snoozed, muted, followed; and the inbox and done lists built on it.

use chrono::{DateTime, Utc};
use tauri::State;
use tidings::model::ids::{OpId, ThreadId};
use tidings::views::{InboxItem, Page, PageRequest, ThreadSummary};

use crate::ctx::Shared;
use crate::events::UnreadChanged;
use crate::ipc::{Arg, IpcResult};

/// Marks a thread read up to an item (its `op`), or entirely (None).
#[tauri::command]
#[specta::specta]
pub async fn mark_read(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    up_to: Arg<Option<OpId>>,
) -> IpcResult<()> {
    let (thread, up_to) = (thread.get("thread")?, up_to.get("upTo")?);
    ctx.run(move |s| s.mark_read(thread, up_to)).await
}

/// Marks a thread done (out of my inbox until someone writes again).
#[tauri::command]
#[specta::specta]
pub async fn set_done(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    done: Arg<bool>,
) -> IpcResult<()> {
    let (thread, done) = (thread.get("thread")?, done.get("done")?);
    ctx.run(move |s| s.set_done(thread, done)).await
}

/// Hides a thread from my inbox until a time (None: back now).
#[tauri::command]
#[specta::specta]
pub async fn snooze(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    until: Arg<Option<DateTime<Utc>>>,
) -> IpcResult<()> {
    let (thread, until) = (thread.get("thread")?, until.get("until")?);
    ctx.run(move |s| s.snooze(thread, until)).await
}

/// Mutes or unmutes a thread.
#[tauri::command]
#[specta::specta]
pub async fn mute(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    muted: Arg<bool>,
) -> IpcResult<()> {
    let (thread, muted) = (thread.get("thread")?, muted.get("muted")?);
    ctx.run(move |s| s.mute(thread, muted)).await
}

/// Follows or unfollows a thread.
#[tauri::command]
#[specta::specta]
pub async fn follow(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    followed: Arg<bool>,
) -> IpcResult<()> {
    let (thread, followed) = (thread.get("thread")?, followed.get("followed")?);
    ctx.run(move |s| s.follow(thread, followed)).await
}

/// A page of my inbox, newest activity first.
#[tauri::command]
#[specta::specta]
pub async fn inbox(ctx: State<'_, Shared>, page: Arg<PageRequest>) -> IpcResult<Page<InboxItem>> {
    let page = page.get("page")?;
    ctx.run(move |s| s.inbox(&page)).await
}

/// A page of threads I marked done.
#[tauri::command]
#[specta::specta]
pub async fn done_list(
    ctx: State<'_, Shared>,
    page: Arg<PageRequest>,
) -> IpcResult<Page<ThreadSummary>> {
    let page = page.get("page")?;
    ctx.run(move |s| s.done_list(&page)).await
}

/// The inbox and unread counts now (later changes come as events).
#[tauri::command]
#[specta::specta]
pub async fn unread_counts(ctx: State<'_, Shared>) -> IpcResult<UnreadChanged> {
    ctx.run(crate::changes::counts).await
}
