//! Sync targets and invites.

use tauri::{AppHandle, State};
use tidings::sync::config::{FolderConfig, NatsAuth, NatsConfig, TargetConfig};
use tidings::sync::SyncStatus;

use crate::ctx::{lock, Shared};
use crate::ipc::{Arg, IpcResult};

/// Every target's status now (changes come as events).
#[tauri::command]
#[specta::specta]
pub async fn sync_status(ctx: State<'_, Shared>) -> IpcResult<SyncStatus> {
    Ok(lock(&ctx.sync_status).clone())
}

/// Adds a NATS JetStream server (or cluster) and starts syncing with it.
#[tauri::command]
#[specta::specta]
pub async fn add_nats_target(
    ctx: State<'_, Shared>,
    app: AppHandle,
    servers: Arg<Vec<String>>,
    auth: Arg<NatsAuth>,
    tls: Arg<bool>,
) -> IpcResult<u32> {
    let config = TargetConfig::Nats(NatsConfig {
        servers: servers.get("servers")?,
        auth: auth.get("auth")?,
        tls: tls.get("tls")?,
        replicas: 1,
    });
    let id = ctx.run(move |s| s.add_sync_target(config)).await?;
    crate::sync_runner::restart(ctx.inner().clone(), app).await;
    Ok(id)
}

/// Adds a synced folder (Syncthing, Dropbox, a share) as a target.
#[tauri::command]
#[specta::specta]
pub async fn add_folder_target(
    ctx: State<'_, Shared>,
    app: AppHandle,
    path: Arg<String>,
) -> IpcResult<u32> {
    let config = TargetConfig::Folder(FolderConfig {
        path: path.get("path")?,
    });
    let id = ctx.run(move |s| s.add_sync_target(config)).await?;
    crate::sync_runner::restart(ctx.inner().clone(), app).await;
    Ok(id)
}

/// Stops syncing with a target.
#[tauri::command]
#[specta::specta]
pub async fn remove_sync_target(
    ctx: State<'_, Shared>,
    app: AppHandle,
    id: Arg<u32>,
) -> IpcResult<()> {
    let id = id.get("id")?;
    ctx.run(move |s| s.remove_sync_target(id)).await?;
    crate::sync_runner::restart(ctx.inner().clone(), app).await;
    Ok(())
}

/// An invite code for a teammate (carries the workspace key: send it
/// privately).
#[tauri::command]
#[specta::specta]
pub async fn invite_code(ctx: State<'_, Shared>) -> IpcResult<String> {
    ctx.run(tidings::sync::invites::invite_code).await
}
