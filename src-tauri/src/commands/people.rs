//! People: the members and my profile.

use tauri::State;
use tidings::model::profile::Profile;
use tidings::views::MemberView;

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// Everyone in the workspace, by name.
#[tauri::command]
#[specta::specta]
pub async fn members(ctx: State<'_, Shared>) -> IpcResult<Vec<MemberView>> {
    ctx.run(|s| s.members()).await
}

/// Changes my name, time zone or working hours.
#[tauri::command]
#[specta::specta]
pub async fn update_profile(ctx: State<'_, Shared>, profile: Arg<Profile>) -> IpcResult<()> {
    let profile = profile.get("profile")?;
    ctx.run(move |s| s.update_profile(profile)).await
}
