//! Notification settings and quick pauses.

use tauri::State;
use tidings::model::profile::{NotificationSettings, Pause};

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// My notification settings.
#[tauri::command]
#[specta::specta]
pub async fn notification_settings(ctx: State<'_, Shared>) -> IpcResult<NotificationSettings> {
    ctx.run(|s| s.notification_settings()).await
}

/// Replaces my notification settings.
#[tauri::command]
#[specta::specta]
pub async fn set_notification_settings(
    ctx: State<'_, Shared>,
    settings: Arg<NotificationSettings>,
) -> IpcResult<()> {
    let settings = settings.get("settings")?;
    ctx.run(move |s| s.set_notification_settings(settings))
        .await
}

/// Pauses notifications for an hour or until tomorrow, or resumes them.
#[tauri::command]
#[specta::specta]
pub async fn pause_notifications(
    ctx: State<'_, Shared>,
    pause: Arg<Pause>,
) -> IpcResult<NotificationSettings> {
    let pause = pause.get("pause")?;
    ctx.run(move |s| s.pause_notifications(pause)).await
}
