//! Async options: send later, the recipients' day, the Scheduled list,
//! reply-by lists and away. Each command is one adapter over a core call.

use chrono::NaiveDate;
use tauri::State;
use tidings::model::away::Away;
use tidings::model::ids::{OpId, ThreadId};
use tidings::model::schedule::{PostRef, SendAt};
use tidings::store::{NewThread, PostOptions, Posted, ScheduledEdit, WaitingItem};
use tidings::views::{Draft, RecipientDay, ScheduledView};

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// Starts a thread now or later, with urgency and a reply-by ask.
#[tauri::command]
#[specta::specta]
pub async fn post_thread(
    ctx: State<'_, Shared>,
    draft: Arg<NewThread>,
    options: Arg<PostOptions>,
) -> IpcResult<Posted> {
    let (draft, options) = (draft.get("draft")?, options.get("options")?);
    ctx.run(move |s| s.post_thread(draft, &options)).await
}

/// Answers in a thread now or later, with urgency and a reply-by ask.
#[tauri::command]
#[specta::specta]
pub async fn post_comment(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    body: Arg<String>,
    options: Arg<PostOptions>,
) -> IpcResult<Posted> {
    let (thread, body) = (thread.get("thread")?, body.get("body")?);
    let options = options.get("options")?;
    ctx.run(move |s| s.post_comment(thread, &body, &options))
        .await
}

/// My posts waiting for their time, soonest first.
#[tauri::command]
#[specta::specta]
pub async fn scheduled_list(ctx: State<'_, Shared>) -> IpcResult<Vec<ScheduledView>> {
    ctx.run(|s| s.scheduled()).await
}

/// Cancels one of my scheduled posts.
#[tauri::command]
#[specta::specta]
pub async fn cancel_scheduled(ctx: State<'_, Shared>, post: Arg<PostRef>) -> IpcResult<()> {
    let post = post.get("post")?;
    ctx.run(move |s| s.cancel_scheduled(post)).await
}

/// Sends one of my scheduled posts now.
#[tauri::command]
#[specta::specta]
pub async fn send_scheduled_now(ctx: State<'_, Shared>, post: Arg<PostRef>) -> IpcResult<PostRef> {
    let post = post.get("post")?;
    ctx.run(move |s| s.send_scheduled_now(post)).await
}

/// Changes the text or the time of one of my scheduled posts (it takes
/// a new id, returned).
#[tauri::command]
#[specta::specta]
pub async fn edit_scheduled(
    ctx: State<'_, Shared>,
    post: Arg<PostRef>,
    edit: Arg<ScheduledEdit>,
) -> IpcResult<PostRef> {
    let (post, edit) = (post.get("post")?, edit.get("edit")?);
    ctx.run(move |s| s.edit_scheduled(post, edit)).await
}

/// The day of everyone a draft will notify, if sent `when` (null: now).
#[tauri::command]
#[specta::specta]
pub async fn recipients_day(
    ctx: State<'_, Shared>,
    draft: Arg<Draft>,
    when: Arg<Option<SendAt>>,
) -> IpcResult<Vec<RecipientDay>> {
    let (draft, when) = (draft.get("draft")?, when.get("when")?);
    ctx.run(move |s| s.recipients_day(&draft, when.as_ref()))
        .await
}

/// Asks waiting for my answer.
#[tauri::command]
#[specta::specta]
pub async fn waiting_on_me(ctx: State<'_, Shared>) -> IpcResult<Vec<WaitingItem>> {
    ctx.run(|s| s.waiting_on_me()).await
}

/// My asks waiting for others' answers.
#[tauri::command]
#[specta::specta]
pub async fn waiting_on_others(ctx: State<'_, Shared>) -> IpcResult<Vec<WaitingItem>> {
    ctx.run(|s| s.waiting_on_others()).await
}

/// Says I answered the asks on me in a thread.
#[tauri::command]
#[specta::specta]
pub async fn mark_answered(ctx: State<'_, Shared>, thread: Arg<ThreadId>) -> IpcResult<()> {
    let thread = thread.get("thread")?;
    ctx.run(move |s| s.mark_answered(thread)).await
}

/// Withdraws one of my asks (`ask` from a `waiting_on_others` item).
#[tauri::command]
#[specta::specta]
pub async fn withdraw_reply(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    ask: Arg<OpId>,
) -> IpcResult<()> {
    let (thread, ask) = (thread.get("thread")?, ask.get("ask")?);
    ctx.run(move |s| s.withdraw_reply(thread, ask)).await
}

/// My away period, if I set one that has not ended (None before a
/// workspace exists).
#[tauri::command]
#[specta::specta]
pub async fn my_away(ctx: State<'_, Shared>) -> IpcResult<Option<Away>> {
    ctx.run(|s| s.me().map_or(Ok(None), |me| s.away_of(me)))
        .await
}

/// Says I am away until I am back on `back_on` (my local date).
#[tauri::command]
#[specta::specta]
pub async fn set_away(
    ctx: State<'_, Shared>,
    back_on: Arg<NaiveDate>,
    note: Arg<String>,
) -> IpcResult<Away> {
    let (back_on, note) = (back_on.get("back_on")?, note.get("note")?);
    ctx.run(move |s| s.set_away(back_on, &note)).await
}

/// Says I am back.
#[tauri::command]
#[specta::specta]
pub async fn clear_away(ctx: State<'_, Shared>) -> IpcResult<()> {
    ctx.run(|s| s.clear_away()).await
}
