//! First run: found a workspace or join one with an invite code.

use tauri::{AppHandle, State};
use tidings::model::ids::MemberId;
use tidings::model::profile::Profile;
use tidings::store::Founded;

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// Founds a workspace with me as its first member, #general and a welcome
/// thread in it.
#[tauri::command]
#[specta::specta]
pub async fn create_workspace(
    ctx: State<'_, Shared>,
    app: AppHandle,
    name: Arg<String>,
    profile: Arg<Profile>,
) -> IpcResult<Founded> {
    let (name, profile) = (name.get("name")?, profile.get("profile")?);
    let founded = ctx.run(move |s| s.found_workspace(&name, profile)).await?;
    crate::sync_runner::restart(ctx.inner().clone(), app).await;
    Ok(founded)
}

/// Joins with an invite code and starts syncing with its targets.
#[tauri::command]
#[specta::specta]
pub async fn join_workspace(
    ctx: State<'_, Shared>,
    app: AppHandle,
    code: Arg<String>,
    profile: Arg<Profile>,
) -> IpcResult<MemberId> {
    let (code, profile) = (code.get("code")?, profile.get("profile")?);
    let (me, _) = ctx
        .run(move |s| tidings::sync::invites::join_with_code(s, &code, profile))
        .await?;
    crate::sync_runner::restart(ctx.inner().clone(), app).await;
    Ok(me)
}
