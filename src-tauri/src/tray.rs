//! The tray icon: a distinct variant while something is unread, the count
//! in its tooltip (on Linux, where StatusNotifierItem hosts show no
//! tooltips for libappindicator icons, as the label beside the icon), and a
//! menu: Open Tidings, Inbox (N), Pause notifications, Quit.

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};
use tidings::model::profile::Pause;
use tracing::warn;

use crate::ctx::Shared;
use crate::events::UnreadChanged;
use crate::log_err::LogErr;

const ICON: &[u8] = include_bytes!("../../icons/tray.png");
const ICON_UNREAD: &[u8] = include_bytes!("../../icons/tray-unread.png");

/// Menu item ids (also what a D-Bus menu click names).
pub mod ids {
    /// Show the window.
    pub const OPEN: &str = "open";
    /// Show the window at the inbox.
    pub const INBOX: &str = "inbox";
    /// Pause notifications for an hour.
    pub const PAUSE_HOUR: &str = "pause_hour";
    /// Pause until my working hours begin tomorrow.
    pub const PAUSE_TOMORROW: &str = "pause_tomorrow";
    /// Resume notifications.
    pub const RESUME: &str = "resume";
    /// Quit the app.
    pub const QUIT: &str = "quit";
}

/// What the tray needs to update later.
pub struct Tray {
    icon: TrayIcon<Wry>,
    inbox: MenuItem<Wry>,
    status: MenuItem<Wry>,
    /// The status line shown, so an unchanged one is not sent again.
    shown: std::sync::Mutex<String>,
}

/// Builds the tray icon and its menu.
pub fn build(app: &AppHandle) -> tauri::Result<Tray> {
    // Information, not an action: disabled.
    let status = MenuItem::with_id(app, "status", STARTING, false, None::<&str>)?;
    let open = MenuItem::with_id(app, ids::OPEN, "Open Tidings", true, None::<&str>)?;
    let inbox = MenuItem::with_id(app, ids::INBOX, "Inbox", true, None::<&str>)?;
    let hour = MenuItem::with_id(app, ids::PAUSE_HOUR, "For 1 hour", true, None::<&str>)?;
    let tomorrow = MenuItem::with_id(
        app,
        ids::PAUSE_TOMORROW,
        "Until tomorrow",
        true,
        None::<&str>,
    )?;
    let resume = MenuItem::with_id(app, ids::RESUME, "Resume", true, None::<&str>)?;
    let pause = Submenu::with_items(
        app,
        "Pause notifications",
        true,
        &[&hour, &tomorrow, &resume],
    )?;
    let quit = MenuItem::with_id(app, ids::QUIT, "Quit Tidings", true, None::<&str>)?;
    let sep = PredefinedMenuItem::separator(app)?;
    let top = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&status, &top, &open, &inbox, &pause, &sep, &quit])?;
    let icon = TrayIconBuilder::with_id("main")
        .icon(Image::from_bytes(ICON)?)
        .tooltip("Tidings")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                crate::window::show_main(tray.app_handle());
            }
        })
        .build(app)?;
    Ok(Tray {
        icon,
        inbox,
        status,
        shown: std::sync::Mutex::new(STARTING.to_string()),
    })
}

/// The status line until the notification scheduler first sets it.
const STARTING: &str = "Notifications on";

fn on_menu(app: &AppHandle, id: &str) {
    match id {
        ids::OPEN => crate::window::show_main(app),
        ids::INBOX => crate::window::open_at(app, None),
        ids::PAUSE_HOUR => pause(app, Pause::OneHour),
        ids::PAUSE_TOMORROW => pause(app, Pause::UntilTomorrow),
        ids::RESUME => pause(app, Pause::Resume),
        ids::QUIT => crate::quit(app),
        _ => {}
    }
}

fn pause(app: &AppHandle, choice: Pause) {
    let ctx = app.state::<Shared>().inner().clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = ctx.run(move |s| s.pause_notifications(choice)).await {
            warn!("pausing notifications failed: {e}");
        }
    });
}

impl Tray {
    /// Sets the status line (`tidings::policy::tray::status_line`).
    pub fn status(&self, line: &str) {
        let mut shown = crate::ctx::lock(&self.shown);
        if *shown == line {
            return;
        }
        if let Err(e) = self.status.set_text(line) {
            warn!("cannot update the tray's status line: {e}");
            return;
        }
        *shown = line.to_string();
    }

    /// Shows the counts: icon variant, tooltip or label, Inbox (N).
    pub fn show(&self, counts: UnreadChanged) {
        let unread = counts.inbox > 0 || counts.unread_threads > 0;
        let icon = Image::from_bytes(if unread { ICON_UNREAD } else { ICON });
        if let Ok(icon) = icon {
            self.icon
                .set_icon(Some(icon))
                .log_err("setting the tray icon");
        }
        let text = if counts.inbox == 0 {
            "Tidings — nothing new in your inbox".to_string()
        } else {
            format!(
                "Tidings — {} in your inbox",
                tidings::policy::text::count_of(counts.inbox, "thread", "threads")
            )
        };
        self.icon
            .set_tooltip(Some(&text))
            .log_err("setting the tray tooltip");
        #[cfg(target_os = "linux")]
        self.icon
            .set_title(Some(if counts.inbox == 0 {
                String::new()
            } else {
                counts.inbox.to_string()
            }))
            .log_err("setting the tray label");
        self.inbox
            .set_text(if counts.inbox == 0 {
                "Inbox".to_string()
            } else {
                format!("Inbox ({})", counts.inbox)
            })
            .log_err("setting the tray's Inbox item");
    }
}
