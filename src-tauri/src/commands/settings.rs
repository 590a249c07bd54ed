//! Notification settings, quick pauses, and who may break through them
//! with an urgent mark.

use tauri::State;
use tidings::model::profile::{NotificationSettings, Pause};
use tidings::model::urgent::UrgentSettings;

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

/// Whose urgent marks may break through my hours and pauses (private to
/// my devices).
#[tauri::command]
#[specta::specta]
pub async fn urgent_settings(ctx: State<'_, Shared>) -> IpcResult<UrgentSettings> {
    ctx.run(|s| s.urgent_settings()).await
}

/// Replaces whose urgent marks may break through.
#[tauri::command]
#[specta::specta]
pub async fn set_urgent_settings(
    ctx: State<'_, Shared>,
    settings: Arg<UrgentSettings>,
) -> IpcResult<()> {
    let settings = settings.get("settings")?;
    ctx.run(move |s| s.set_urgent_settings(settings)).await
}
