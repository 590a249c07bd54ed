//! Threads: a channel's list, one thread, start, retitle, close.

use tauri::State;
use tidings::model::ids::{ChannelId, ThreadId};
use tidings::render::RenderOptions;
use tidings::store::NewThread;
use tidings::views::{Page, PageRequest, ThreadAt, ThreadSummary, ThreadView, ThreadWindow};

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// A page of a channel's threads, latest activity first.
#[tauri::command]
#[specta::specta]
pub async fn channel_threads(
    ctx: State<'_, Shared>,
    channel: Arg<ChannelId>,
    page: Arg<PageRequest>,
) -> IpcResult<Page<ThreadSummary>> {
    let (channel, page) = (channel.get("channel")?, page.get("page")?);
    ctx.run(move |s| s.channel_threads(channel, &page)).await
}

/// A thread with a page of its comments, rendered for me.
#[tauri::command]
#[specta::specta]
pub async fn get_thread(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    page: Arg<PageRequest>,
) -> IpcResult<ThreadView> {
    let (thread, page) = (thread.get("thread")?, page.get("page")?);
    ctx.run(move |s| s.thread(thread, &page, RenderOptions::default()))
        .await
}

/// A thread opened at a comment (my first unread by default), with a few
/// before it and cursors to page both ways.
#[tauri::command]
#[specta::specta]
pub async fn get_thread_at(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    at: Arg<ThreadAt>,
) -> IpcResult<ThreadWindow> {
    let (thread, at) = (thread.get("thread")?, at.get("at")?);
    ctx.run(move |s| s.thread_at(thread, &at, RenderOptions::default()))
        .await
}

/// A thread with the page of comments before a `prev` cursor.
#[tauri::command]
#[specta::specta]
pub async fn get_thread_before(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    page: Arg<PageRequest>,
) -> IpcResult<ThreadView> {
    let (thread, page) = (thread.get("thread")?, page.get("page")?);
    ctx.run(move |s| s.thread_before(thread, &page, RenderOptions::default()))
        .await
}

/// Starts a thread.
#[tauri::command]
#[specta::specta]
pub async fn create_thread(ctx: State<'_, Shared>, draft: Arg<NewThread>) -> IpcResult<ThreadId> {
    let draft = draft.get("draft")?;
    ctx.run(move |s| s.create_thread(draft)).await
}

/// Changes a thread's title.
#[tauri::command]
#[specta::specta]
pub async fn retitle_thread(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    title: Arg<String>,
) -> IpcResult<()> {
    let (thread, title) = (thread.get("thread")?, title.get("title")?);
    ctx.run(move |s| s.retitle_thread(thread, &title)).await
}

/// Closes (resolves) or reopens a thread.
#[tauri::command]
#[specta::specta]
pub async fn set_thread_closed(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    closed: Arg<bool>,
) -> IpcResult<()> {
    let (thread, closed) = (thread.get("thread")?, closed.get("closed")?);
    ctx.run(move |s| s.set_thread_closed(thread, closed)).await
}
