//! Comments: add, edit and delete my own, react, preview a draft.

use tauri::State;
use tidings::model::ids::{CommentId, ThreadId};
use tidings::model::op::ReactionTarget;

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// Adds a comment to a thread.
#[tauri::command]
#[specta::specta]
pub async fn add_comment(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    body: Arg<String>,
) -> IpcResult<CommentId> {
    let (thread, body) = (thread.get("thread")?, body.get("body")?);
    ctx.run(move |s| s.add_comment(thread, &body)).await
}

/// Edits one of my comments.
#[tauri::command]
#[specta::specta]
pub async fn edit_comment(
    ctx: State<'_, Shared>,
    comment: Arg<CommentId>,
    body: Arg<String>,
) -> IpcResult<()> {
    let (comment, body) = (comment.get("comment")?, body.get("body")?);
    ctx.run(move |s| s.edit_comment(comment, &body)).await
}

/// Deletes one of my comments.
#[tauri::command]
#[specta::specta]
pub async fn delete_comment(ctx: State<'_, Shared>, comment: Arg<CommentId>) -> IpcResult<()> {
    let comment = comment.get("comment")?;
    ctx.run(move |s| s.delete_comment(comment)).await
}

/// Sets or clears my reaction.
#[tauri::command]
#[specta::specta]
pub async fn react(
    ctx: State<'_, Shared>,
    target: Arg<ReactionTarget>,
    emoji: Arg<String>,
    on: Arg<bool>,
) -> IpcResult<()> {
    let (target, emoji, on) = (target.get("target")?, emoji.get("emoji")?, on.get("on")?);
    ctx.run(move |s| s.react(target, &emoji, on)).await
}

/// A draft rendered as it will look once posted (sanitized HTML).
#[tauri::command]
#[specta::specta]
pub async fn preview_markdown(ctx: State<'_, Shared>, body: Arg<String>) -> IpcResult<String> {
    let body = body.get("body")?;
    ctx.run(move |s| s.preview_markdown(&body)).await
}
