//! Desktop notifications: the core's policy decides, this module delivers
//! with notify-rust and turns a click into "open that thread".
//!
//! Two entry points feed the queue: [`on_arrivals`] for ops that just came
//! from teammates, and [`run_scheduler`] for held notifications whose time
//! has come (working hours begin, a pause ends). The queue is restored from
//! the data folder at start ([`restore`]) and the core rewrites that file
//! after every change to it, so a comment held at 22:00 still shows at
//! 09:00 after a quit and relaunch; every call that may change the queue
//! runs off the async threads.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tauri::{AppHandle, Manager};
use tauri_specta::Event as _;
use tidings::arrivals::Arrivals;
use tidings::events::Change;
use tidings::model::ids::ThreadId;
use tidings::model::op::Op;
use tidings::policy::{persist, Notification, NotificationKey};
use tracing::{debug, info, warn};

use crate::ctx::{lock, Shared};
use crate::events::StoreChanged;

/// The app's identifier, also its macOS bundle id and Windows AppUserModelID.
pub const APP_ID: &str = "app.tidings.desktop";

/// Ids the notification daemon gave to what is on screen, so a newer
/// notification for the same thread replaces the older one.
static SHOWN: OnceLock<Mutex<HashMap<NotificationKey, u32>>> = OnceLock::new();
/// Held while a notification is handed to the daemon (see [`show`]).
static SHOWING: OnceLock<Mutex<()>> = OnceLock::new();
/// The app icon as a file the daemon can read.
static ICON: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Once at startup: the platform identity and the icon file.
pub fn init(data_dir: &std::path::Path) {
    // macOS shows notifications under an app's bundle; without this,
    // notify-rust would borrow another app's identity.
    #[cfg(target_os = "macos")]
    if let Err(e) = notify_rust::set_application(APP_ID) {
        warn!("notifications will show under another app's name: {e}");
    }
    ICON.get_or_init(|| {
        let path = data_dir.join("notification-icon.png");
        let bytes = include_bytes!("../../icons/128x128.png");
        match std::fs::write(&path, bytes) {
            Ok(()) => Some(path),
            Err(e) => {
                warn!("cannot write the notification icon: {e}");
                None
            }
        }
    });
}

/// The notification queue saved in `data_dir` by the last run (empty on a
/// first run; a damaged file is set aside with a warning).
pub fn restore(data_dir: &std::path::Path) -> Arrivals {
    let arrivals = Arrivals::saved_in(data_dir.join(persist::FILE_NAME));
    let held = arrivals.held_count();
    if held > 0 {
        info!(
            next = ?arrivals.next_due(),
            "{held} held notifications restored"
        );
    }
    arrivals
}

/// Ops arrived from teammates: ask the policy, show what it says now.
pub async fn on_arrivals(ctx: &Shared, ops: &[Op]) {
    let shown = {
        let ctx = ctx.clone();
        let ops = ops.to_vec();
        crate::ipc::blocking(move || {
            let focus = lock(&ctx.focus).clone();
            let now = ctx.store.now();
            lock(&ctx.arrivals).on_applied(&ctx.store, &ops, &focus, now)
        })
        .await
    };
    match shown {
        Ok(list) => {
            if list.iter().any(|n| n.reminder) {
                // A reply brought a Later reminder: Later's badge and the
                // inbox read again (the scheduler will not see it as new).
                changed(ctx, vec![Change::Later, Change::Inbox]);
            }
            deliver(ctx, list)
        }
        Err(e) => warn!("notification policy failed: {e}"),
    }
    // What was held may now be due sooner than the scheduler thinks.
    ctx.rescheduled.notify_one();
}

/// My settings or working hours changed: re-time what is held (a resume
/// makes it due now) and wake the scheduler.
pub async fn settings_changed(ctx: &Shared) {
    let moved = {
        let ctx = ctx.clone();
        crate::ipc::blocking(move || {
            let now = ctx.store.now();
            lock(&ctx.arrivals).settings_changed(&ctx.store, now)
        })
        .await
    };
    if let Err(e) = moved {
        warn!("cannot reschedule notifications: {e}");
    }
    ctx.rescheduled.notify_one();
}

/// I opened the thread: what was held or shown for it is dropped.
pub async fn thread_read(ctx: &Shared, thread: ThreadId) {
    let ctx = ctx.clone();
    let read = crate::ipc::blocking(move || {
        lock(&ctx.arrivals).thread_read(thread);
        Ok(())
    })
    .await;
    if let Err(e) = read {
        warn!("cannot drop the notifications of an opened thread: {e}");
    }
}

/// Shows held notifications when their time comes, including those
/// restored from the last run, and what the store was keeping for this
/// moment: scheduled posts whose reveal time came, ops from a teammate's
/// fast clock. Sleeps until the next of these is due, or until woken
/// (settings changed, the test clock moved).
pub async fn run_scheduler(ctx: Shared) {
    loop {
        let released = {
            let ctx = ctx.clone();
            crate::ipc::blocking(move || ctx.store.release_due().map(|r| r.applied)).await
        };
        match released {
            // The policy decides about them like about any arrival.
            Ok(ops) if !ops.is_empty() => {
                if let Some(app) = ctx.app() {
                    crate::sync_runner::held_changed(&ctx, &app);
                }
                on_arrivals(&ctx, &ops).await
            }
            Ok(_) => {}
            Err(e) => warn!("cannot show what was due: {e}"),
        }
        let due = {
            let ctx = ctx.clone();
            crate::ipc::blocking(move || {
                let now = ctx.store.now();
                // The morning catch-up, held notifications, reply-by and
                // Later reminders: the core decides what shows together.
                lock(&ctx.arrivals).due_at(&ctx.store, now)
            })
            .await
        };
        match due {
            Ok(due) => {
                if due.asks_due {
                    // An ask just became due or overdue by the app's clock,
                    // which no write announces: the Waiting view and the
                    // thread badges read it again.
                    changed(&ctx, vec![Change::Waiting]);
                }
                if due.later_due {
                    // Likewise a reminder: Later's badge and the inbox.
                    changed(&ctx, vec![Change::Later, Change::Inbox]);
                }
                if due.checkins_due {
                    // And a check-in asking me: the Check-ins badge.
                    changed(&ctx, vec![Change::Checkins]);
                }
                deliver(&ctx, due.notifications);
            }
            Err(e) => warn!("cannot release held notifications: {e}"),
        }
        let wait = {
            let now = ctx.store.now();
            let held = lock(&ctx.arrivals)
                .next_due_at(&ctx.store, now)
                .unwrap_or_else(|e| {
                    warn!("cannot read when the next notification is due: {e}");
                    None
                });
            let stored = ctx.store.next_due().unwrap_or_else(|e| {
                warn!("cannot read when the next scheduled post is due: {e}");
                None
            });
            let next = [held, stored].into_iter().flatten().min();
            next.map(|t| (t - now).to_std().unwrap_or(Duration::ZERO))
                // Nothing held: wake now and then anyway (cheap), so a
                // sleeping laptop that wakes late still delivers on time.
                .unwrap_or(Duration::from_secs(60))
                .min(Duration::from_secs(60))
        };
        show_tray_status(&ctx);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = ctx.rescheduled.notified() => {}
        }
    }
}

/// The tray's status line: paused until …, held until …, or on. Runs
/// with every pass of the scheduler, which every arrival, read, pause and
/// settings change wakes (and the clock, at least once a minute).
fn show_tray_status(ctx: &Shared) {
    let Some(app) = ctx.app() else {
        return;
    };
    let Some(tray) = app.try_state::<crate::tray::Tray>() else {
        return;
    };
    // Before the first run there is no me, and nothing to hold.
    let Ok(me) = ctx.store.policy_me() else {
        return;
    };
    let (held, next_release) = {
        let arrivals = lock(&ctx.arrivals);
        (arrivals.held_count(), arrivals.next_due())
    };
    let state = tidings::policy::tray::TrayState {
        paused_until: me.settings.pause_until,
        held,
        next_release,
    };
    tray.status(&tidings::policy::tray::status_line(
        &state,
        me.tz,
        ctx.store.now(),
    ));
}

/// Tells the window what the app's clock changed, which no write announces.
fn changed(ctx: &Shared, changes: Vec<Change>) {
    let Some(app) = ctx.app() else { return };
    if let Err(e) = (StoreChanged { changes }).emit(&app) {
        warn!("cannot tell the window that something came due: {e}");
    }
}

fn deliver(ctx: &Shared, list: Vec<Notification>) {
    if list.is_empty() {
        return;
    }
    let Some(app) = ctx.app() else { return };
    for n in list {
        let app = app.clone();
        // notify-rust talks D-Bus synchronously and, on Linux, waits for
        // the click on the same connection: one thread per notification.
        std::thread::spawn(move || show(app, n));
    }
}

fn show(app: AppHandle, n: Notification) {
    let mut note = notify_rust::Notification::new();
    note.summary(&n.title)
        .body(&crate::markup::body(&n.body))
        .appname("Tidings");
    if let Some(Some(icon)) = ICON.get() {
        note.icon(&icon.to_string_lossy());
    }
    #[cfg(target_os = "windows")]
    note.app_id(APP_ID);
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        note.action("default", "Open");
        if n.reminder {
            note.action(ACTION_DONE, "Done");
            note.action(ACTION_TOMORROW, "Tomorrow");
        } else if n.thread.is_some() {
            note.action(ACTION_TOMORROW, "Remind me tomorrow");
        }
        note.hint(notify_rust::Hint::DesktopEntry("tidings-desktop".into()));
    }
    // One show at a time, from reading the id to replace to recording the
    // new one: two notifications for one thread in the same instant (a
    // reminder and the reply that brought it) still make one on screen.
    let one_at_a_time = lock(SHOWING.get_or_init(Default::default));
    #[cfg(all(unix, not(target_os = "macos")))]
    if let Some(id) = shown().get(&n.key) {
        note.id(*id);
    }
    debug!(title = %n.title, "notify");
    let handle = match note.show() {
        Ok(h) => h,
        Err(e) => {
            warn!("the notification could not be shown: {e}");
            return;
        }
    };
    #[cfg(all(unix, not(target_os = "macos")))]
    let id = {
        let id = handle.id();
        shown().insert(n.key, id);
        id
    };
    drop(one_at_a_time);
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let key = n.key;
        let thread = n.thread;
        handle.wait_for_action(|action| match (action, key, thread) {
            ("default", NotificationKey::CatchUp, _) => crate::window::open_catch_up(&app),
            ("default", NotificationKey::Checkin(checkin, date), _) => {
                crate::window::open_checkin(&app, checkin, date)
            }
            ("default", _, _) => crate::window::open_at(&app, thread),
            (ACTION_DONE | ACTION_TOMORROW, _, Some(t)) => reminder_action(&app, action, t),
            _ => {}
        });
        // Closed or clicked: the next one for this thread is new.
        let mut map = shown();
        if map.get(&key) == Some(&id) {
            map.remove(&key);
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        let _ = (handle, app);
    }
}

/// A notification's buttons: mark the Later item done (reminders), or
/// remind me tomorrow at my start (any thread's notification).
const ACTION_DONE: &str = "later-done";
const ACTION_TOMORROW: &str = "later-tomorrow";

/// Runs a reminder's button on this (notification) thread; the window
/// hears of it through the store's change event.
#[cfg(all(unix, not(target_os = "macos")))]
fn reminder_action(app: &AppHandle, action: &str, thread: ThreadId) {
    use tauri::Manager as _;
    let ctx = app.state::<Shared>();
    let done = if action == ACTION_DONE {
        ctx.store.later_done(thread, true)
    } else {
        let on_reply = ctx
            .store
            .later_list()
            .map(|l| l.items.iter().any(|i| i.thread.id == thread && i.on_reply))
            .unwrap_or(false);
        ctx.store
            .remind(
                thread,
                &tidings::model::later::RemindAt::TomorrowAtMyStart,
                on_reply,
            )
            .map(drop)
    };
    if let Err(e) = done {
        warn!("the reminder's button failed: {e}");
    }
}

fn shown() -> std::sync::MutexGuard<'static, HashMap<NotificationKey, u32>> {
    lock(SHOWN.get_or_init(Default::default))
}

/// A one-off message from the shell itself (not from the policy).
pub fn say(title: &str, body: &str) {
    let (title, body) = (title.to_string(), body.to_string());
    std::thread::spawn(move || {
        let mut note = notify_rust::Notification::new();
        note.summary(&title)
            .body(&crate::markup::body(&body))
            .appname("Tidings");
        if let Some(Some(icon)) = ICON.get() {
            note.icon(&icon.to_string_lossy());
        }
        #[cfg(target_os = "windows")]
        note.app_id(APP_ID);
        if let Err(e) = note.show() {
            warn!("the notification could not be shown: {e}");
        }
    });
}
