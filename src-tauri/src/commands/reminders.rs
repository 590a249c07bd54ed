//! Later and reminders: putting a thread in Later, the list, and what a
//! picked time resolves to. Each command is one adapter over a core call.

use tauri::State;
use tidings::model::ids::ThreadId;
use tidings::model::later::RemindAt;
use tidings::views::{LaterList, ReminderPreview};

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// Puts a thread in Later with a reminder (`saved`: none), replacing what
/// was there; says when it will fire and whether that moved into my hours.
#[tauri::command]
#[specta::specta]
pub async fn remind(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    when: Arg<RemindAt>,
    on_reply: Arg<bool>,
) -> IpcResult<Option<ReminderPreview>> {
    let (thread, when) = (thread.get("thread")?, when.get("when")?);
    let on_reply = on_reply.get("on_reply")?;
    ctx.run(move |s| {
        let t = s.remind(thread, &when, on_reply)?;
        t.map(|t| s.describe_reminder(&t)).transpose()
    })
    .await
}

/// What a reminder picked now would resolve to, without setting it.
#[tauri::command]
#[specta::specta]
pub async fn reminder_preview(
    ctx: State<'_, Shared>,
    when: Arg<RemindAt>,
) -> IpcResult<Option<ReminderPreview>> {
    let when = when.get("when")?;
    ctx.run(move |s| s.reminder_preview(&when)).await
}

/// My Later list.
#[tauri::command]
#[specta::specta]
pub async fn later_list(ctx: State<'_, Shared>) -> IpcResult<LaterList> {
    ctx.run(|s| s.later_list()).await
}

/// Marks a Later item done, or open again.
#[tauri::command]
#[specta::specta]
pub async fn later_done(
    ctx: State<'_, Shared>,
    thread: Arg<ThreadId>,
    done: Arg<bool>,
) -> IpcResult<()> {
    let (thread, done) = (thread.get("thread")?, done.get("done")?);
    ctx.run(move |s| s.later_done(thread, done)).await
}

/// Takes a thread off my Later list.
#[tauri::command]
#[specta::specta]
pub async fn later_remove(ctx: State<'_, Shared>, thread: Arg<ThreadId>) -> IpcResult<()> {
    let thread = thread.get("thread")?;
    ctx.run(move |s| s.later_remove(thread)).await
}
