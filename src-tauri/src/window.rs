//! The main window: show and focus it, go to a thread, hide to the tray
//! on close (saying so once), and tell the policy whether it has focus.

use tauri::{AppHandle, Manager, Runtime, WebviewWindow, Window, WindowEvent};
use tauri_specta::Event as _;
use tidings::model::ids::ThreadId;
use tracing::{info, warn};

use crate::ctx::{lock, Shared};
use crate::events::{Navigate, ShellNotice};
use crate::log_err::LogErr;

/// The main window's label (tauri.conf.json).
pub const MAIN: &str = "main";

/// Brings the main window forward: shown, unminimized, raised and given
/// the focus. Failures are logged: every caller is an event (a tray
/// click, a notification, another launch) with no one to answer.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    let Some(w) = app.get_webview_window(MAIN) else {
        warn!("there is no main window to show");
        return;
    };
    log_err("shown", w.show());
    log_err("unminimized", w.unminimize());
    log_err("focused", focus(&w));
}

/// Raises and focuses the window.
///
/// Not `set_focus` on Linux: tao's does nothing while the window still
/// counts as minimized, and after `unminimize` it still does until the X
/// server has answered the map, so a minimized window came back raised
/// but unfocused. GTK's `present` does not check: it maps, raises and
/// focuses (through the window manager when one runs, else with
/// XRaiseWindow and XSetInputFocus). It runs on the main thread after the
/// show and unminimize queued before it, so a hidden window is already
/// shown when it is presented.
#[cfg(target_os = "linux")]
fn focus<R: Runtime>(w: &WebviewWindow<R>) -> tauri::Result<()> {
    use gtk::prelude::GtkWindowExt as _;
    let window = w.clone();
    w.run_on_main_thread(move || match window.gtk_window() {
        Ok(gtk) => gtk.present(),
        Err(e) => warn!("the window could not be focused: {e}"),
    })
}

#[cfg(not(target_os = "linux"))]
fn focus<R: Runtime>(w: &WebviewWindow<R>) -> tauri::Result<()> {
    w.set_focus()
}

fn log_err(what: &str, result: tauri::Result<()>) {
    if let Err(e) = result {
        warn!("the window could not be {what}: {e}");
    }
}

/// Brings the window up at a thread (or the inbox for a summary).
pub fn open_at<R: Runtime>(app: &AppHandle<R>, thread: Option<ThreadId>) {
    show_main(app);
    let nav = match thread {
        Some(thread) => Navigate::Thread {
            thread,
            comment: None,
        },
        None => Navigate::Inbox,
    };
    nav.emit(app).log_err("opening the thread in the window");
}

/// Shows the window on the Catch-up view (the catch-up notification's click).
pub fn open_catch_up<R: Runtime>(app: &AppHandle<R>) {
    show_main(app);
    Navigate::CatchUp
        .emit(app)
        .log_err("opening the catch-up in the window");
}

/// Shows the window on a check-in, to answer it for `date` (a check-in
/// notification's click).
pub fn open_checkin<R: Runtime>(
    app: &AppHandle<R>,
    checkin: tidings::model::ids::CheckinId,
    date: chrono::NaiveDate,
) {
    show_main(app);
    Navigate::Checkin { checkin, date }
        .emit(app)
        .log_err("opening the check-in in the window");
}

/// Window events: close hides to the tray; focus feeds the policy.
pub fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if window.label() != MAIN {
        return;
    }
    let Some(ctx) = window.try_state::<Shared>() else {
        return;
    };
    match event {
        WindowEvent::CloseRequested { api, .. } => {
            api.prevent_close();
            match window.hide() {
                Ok(()) => info!("window closed: Tidings keeps running in the tray"),
                Err(e) => warn!("the window could not be hidden: {e}"),
            }
            lock(&ctx.focus).window_focused = false;
            if first_close(&ctx) {
                let msg = "Tidings keeps running in the tray so it can tell you when something new concerns you. Quit it from the tray menu.";
                crate::notifier::say("Tidings is still running", msg);
                ShellNotice {
                    message: msg.into(),
                }
                .emit(window.app_handle())
                .log_err("telling the window it is still running");
            }
        }
        WindowEvent::Focused(focused) => {
            lock(&ctx.focus).window_focused = *focused;
        }
        _ => {}
    }
}

/// True the first time the window is closed in this data folder.
fn first_close(ctx: &Shared) -> bool {
    let marker = ctx.data_dir.join("shell-close-hint-shown");
    if marker.exists() {
        return false;
    }
    std::fs::write(&marker, b"1").log_err("remembering that the close hint was shown");
    true
}
