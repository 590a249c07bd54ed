//! The app itself: what it runs on, what is on screen, links out.

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use tidings::model::ids::ThreadId;
use tidings::views::WorkspaceView;
use tidings::{Error, ErrorCode};

use crate::ctx::{lock, Shared};
use crate::ipc::{Arg, IpcResult};

/// What the UI needs to know at start.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The data folder in use.
    pub data_dir: String,
    /// Where the logs go.
    pub log_dir: String,
    /// The workspace, once created or joined (None = first run).
    pub workspace: Option<WorkspaceView>,
    /// Running on a test clock (`--test-clock`).
    pub test_clock: bool,
}

/// Version, folders and the workspace (None on first run).
#[tauri::command]
#[specta::specta]
pub async fn app_info(ctx: State<'_, Shared>) -> IpcResult<AppInfo> {
    let (data_dir, log_dir) = (
        ctx.data_dir.display().to_string(),
        ctx.log_dir.display().to_string(),
    );
    let test_clock = ctx.test_clock.is_some();
    let workspace = ctx.run(|s| s.workspace()).await?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        data_dir,
        log_dir,
        workspace,
        test_clock,
    })
}

/// The UI shows its first interactive view (the inbox, or the first-run
/// form). Logged with the time since launch; benchmarks read the stdout
/// line `TIDINGS_INTERACTIVE <ms>`.
#[tauri::command]
#[specta::specta]
pub async fn ui_ready() -> IpcResult<()> {
    let ms = crate::STARTED.get().map_or(0, |t| t.elapsed().as_millis());
    tracing::info!("interactive {ms} ms after launch");
    println!("TIDINGS_INTERACTIVE {ms}");
    Ok(())
}

/// Every IANA time zone name, sorted.
#[tauri::command]
#[specta::specta]
pub async fn time_zones() -> IpcResult<Vec<String>> {
    Ok(tidings::model::profile::time_zone_names()
        .into_iter()
        .map(String::from)
        .collect())
}

/// The thread now on screen (None: a list). Its notifications stop while
/// the window has focus, and what was held for it is dropped.
#[tauri::command]
#[specta::specta]
pub async fn set_open_thread(
    ctx: State<'_, Shared>,
    thread: Arg<Option<ThreadId>>,
) -> IpcResult<()> {
    let thread = thread.get("thread")?;
    lock(&ctx.focus).thread = thread;
    if let Some(t) = thread {
        crate::notifier::thread_read(&ctx, t).await;
    }
    Ok(())
}

/// Opens an http(s) or mailto link in the system browser or mail app;
/// any other link is refused (`external::checked_url`).
#[tauri::command]
#[specta::specta]
pub async fn open_external(app: AppHandle, url: Arg<String>) -> IpcResult<()> {
    let parsed = crate::external::checked_url(&url.get("url")?)?;
    app.opener()
        .open_url(parsed.as_str(), None::<&str>)
        .map_err(|e| Error::new(ErrorCode::Io, format!("The link could not be opened: {e}")))
}

/// Moves the test clock (only with `--test-clock`; end-to-end tests use
/// it to reach the start of working hours without waiting).
#[tauri::command]
#[specta::specta]
pub async fn set_test_clock(
    ctx: State<'_, Shared>,
    at: Arg<chrono::DateTime<chrono::Utc>>,
) -> IpcResult<()> {
    let at = at.get("at")?;
    let clock = ctx.test_clock.as_ref().ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidInput,
            "The clock can only be set when Tidings was started with --test-clock",
        )
    })?;
    clock.set(at);
    ctx.rescheduled.notify_one();
    Ok(())
}
