//! What every command and background task shares: the open store, the sync
//! runner, the notification queue and what is on screen.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tauri::AppHandle;
use tidings::arrivals::Arrivals;
use tidings::model::clock::FixedClock;
use tidings::policy::Focus;
use tidings::sync::SyncStatus;
use tidings::{Error, Store};
use tokio::sync::Notify;

use crate::ipc::blocking;

/// Shared by commands (as Tauri state) and background tasks.
pub type Shared = Arc<Ctx>;

/// The shell's state.
pub struct Ctx {
    /// The open store (cheap to clone).
    pub store: Store,
    /// The data folder in use.
    pub data_dir: PathBuf,
    /// Where the logs go.
    pub log_dir: PathBuf,
    /// Set only with `--test-clock`: the clock the store runs on.
    pub test_clock: Option<Arc<FixedClock>>,
    /// Woken when the time of the next held notification may have moved
    /// (settings changed, the test clock moved).
    pub rescheduled: Notify,
    /// The notification queue (folds bursts, holds for working hours),
    /// saved in the data folder after each change ([`crate::notifier`]).
    /// Its methods that change it write that file: lock it off async
    /// threads.
    pub arrivals: Mutex<Arrivals>,
    /// The thread on screen and whether the window has focus.
    pub focus: Mutex<Focus>,
    /// The latest sync status, for the UI when it asks.
    pub sync_status: Mutex<SyncStatus>,
    /// The running sync engine, restarted when targets change.
    pub sync: tokio::sync::Mutex<Option<crate::sync_runner::Running>>,
    /// The last counts sent to the UI and tray.
    pub unread: Mutex<Option<crate::events::UnreadChanged>>,
    /// Set once the app handle exists (after setup).
    pub app: Mutex<Option<AppHandle>>,
}

impl Ctx {
    /// A context for an opened store and the notification queue restored
    /// for it ([`crate::notifier::restore`]).
    pub fn new(
        store: Store,
        data_dir: PathBuf,
        log_dir: PathBuf,
        test_clock: Option<Arc<FixedClock>>,
        arrivals: Arrivals,
    ) -> Self {
        Ctx {
            store,
            data_dir,
            log_dir,
            test_clock,
            rescheduled: Notify::new(),
            arrivals: Mutex::new(arrivals),
            focus: Mutex::new(Focus::default()),
            sync_status: Mutex::new(SyncStatus::default()),
            sync: tokio::sync::Mutex::new(None),
            unread: Mutex::new(None),
            app: Mutex::new(None),
        }
    }

    /// Runs one blocking core call on a worker thread.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let store = self.store.clone();
        blocking(move || f(&store)).await
    }

    /// The app handle (None before setup ran).
    pub fn app(&self) -> Option<AppHandle> {
        lock(&self.app).clone()
    }
}

/// Locks a mutex, recovering it if a panicking thread poisoned it (the
/// guarded values stay consistent: each is replaced whole).
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
