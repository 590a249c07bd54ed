//! The morning catch-up: the view built from my store, and "mark all seen"
//! per section. Each command is one adapter over a core call.

use tauri::State;
use tidings::views::{CatchUp, CatchUpSection};

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// My catch-up, built now.
#[tauri::command]
#[specta::specta]
pub async fn catch_up(ctx: State<'_, Shared>) -> IpcResult<CatchUp> {
    ctx.run(|s| s.catch_up()).await
}

/// Marks every thread of a section read; returns how many.
#[tauri::command]
#[specta::specta]
pub async fn catch_up_seen(ctx: State<'_, Shared>, section: Arg<CatchUpSection>) -> IpcResult<u32> {
    let section = section.get("section")?;
    ctx.run(move |s| s.catch_up_seen(section)).await
}
