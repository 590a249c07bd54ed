//! One test's world: X server, session bus, notification daemon, tray
//! watcher and WebDriver, all private to the test, in one temp folder.
//!
//! Worlds are built one at a time (a file lock held for the world's life,
//! shared with any other test process of this suite), so scenarios never
//! compete for display numbers, ports or CPU. When the test fails, the world
//! prints what a person debugging it needs (the app's log and stderr,
//! dunst's log, a screenshot of the whole screen) and keeps its folder.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::TempDir;

use crate::app::App;
use crate::bus::Bus;
use crate::cli::Device;
use crate::display::Display;
use crate::driver::Driver;
use crate::dunst::Dunst;
use crate::paths::{repo_root, screenshot_dir};
use crate::proc::print_tail;
use crate::sni::Tray;

/// Everything one scenario runs in. Fields drop in order: the app and
/// driver first, the X server last, the lock after everything.
pub struct World {
    name: String,
    driver: Driver,
    dunst: Dunst,
    tray: Tray,
    bus: Bus,
    display: Display,
    env: Vec<(String, String)>,
    data_dirs: Mutex<Vec<PathBuf>>,
    dir: Option<TempDir>,
    _serial: std::fs::File,
}

impl World {
    /// Starts a world for the test called `name`.
    pub async fn start(name: &str) -> World {
        let serial = one_world_at_a_time().await;
        let dir = tempfile::Builder::new()
            .prefix(&format!("tidings-e2e-{name}-"))
            .tempdir()
            .expect("create the world's temp dir");
        let root = dir.path();
        let mut env = Vec::new();
        for sub in ["run", "home", "config", "cache", "data"] {
            std::fs::create_dir_all(root.join(sub)).expect("create a world folder");
        }
        std::fs::set_permissions(root.join("run"), std::fs::Permissions::from_mode(0o700))
            .expect("chmod the runtime dir");
        let path = |sub: &str| root.join(sub).display().to_string();
        for (k, v) in [
            ("XDG_RUNTIME_DIR", path("run")),
            ("HOME", path("home")),
            ("XDG_CONFIG_HOME", path("config")),
            ("XDG_CACHE_HOME", path("cache")),
            ("XDG_DATA_HOME", path("data")),
            ("GDK_BACKEND", "x11".into()),
            // No accessibility bus or dconf here: keep GTK from looking.
            ("NO_AT_BRIDGE", "1".into()),
            ("GSETTINGS_BACKEND", "memory".into()),
            // Plain logs (tracing honours NO_COLOR) for failure reports.
            ("NO_COLOR", "1".into()),
        ] {
            env.push((k.to_string(), v));
        }
        // The system browser cannot run here: links the app opens go to a
        // recorder that xdg-open runs as $BROWSER (the one stand-in in
        // these tests), so a test can see which links left the app.
        let browser = root.join("browser");
        std::fs::write(
            &browser,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
                root.join("opened-links.txt").display()
            ),
        )
        .expect("write the browser recorder");
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755))
            .expect("chmod the browser recorder");
        env.push(("BROWSER".into(), browser.display().to_string()));
        let display = Display::start(root);
        env.push(("DISPLAY".into(), display.name()));
        let bus = Bus::start(root);
        env.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address().to_string()));
        let dunst = Dunst::start(root, &env);
        // Owned before any app starts, so the app's item registers.
        let tray = Tray::start(bus.address()).await;
        let driver = Driver::start(root, &env);
        World {
            name: name.to_string(),
            driver,
            dunst,
            tray,
            bus,
            display,
            env,
            data_dirs: Mutex::new(Vec::new()),
            dir: Some(dir),
            _serial: serial,
        }
    }

    /// The environment the app runs in here (display, session bus, XDG
    /// folders), for a process a test starts beside it.
    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// The world's folder.
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().expect("the world is alive").path()
    }

    /// A data folder for `who` inside the world (not created yet).
    pub fn data_dir(&self, who: &str) -> PathBuf {
        self.dir().join(format!("people/{who}"))
    }

    /// A `tidings` CLI device on `who`'s data folder.
    pub fn device(&self, who: &str) -> Device {
        Device::new(&self.data_dir(who))
    }

    /// Launches the app on `data_dir` with extra arguments.
    pub async fn launch(&self, data_dir: &Path, extra: &[String]) -> App<'_> {
        App::launch(self, data_dir, extra).await
    }

    /// Links the app handed to the system's opener, in order.
    pub fn opened_links(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir().join("opened-links.txt"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The notification daemon.
    pub fn dunst(&self) -> &Dunst {
        &self.dunst
    }

    /// The tray watcher.
    pub fn tray(&self) -> &Tray {
        &self.tray
    }

    /// The WebDriver server.
    pub fn driver(&self) -> &Driver {
        &self.driver
    }

    /// The X display (`:N`).
    pub fn display(&self) -> &Display {
        &self.display
    }

    pub(crate) fn note_data_dir(&self, dir: &Path) {
        let mut dirs = self.data_dirs.lock().unwrap_or_else(|e| e.into_inner());
        if !dirs.iter().any(|d| d == dir) {
            dirs.push(dir.to_path_buf());
        }
    }

    fn report_failure(&mut self) {
        eprintln!("===== e2e failure report for {} =====", self.name);
        let shot = screenshot_dir().join(format!("FAILED-{}.png", self.name));
        if self.display.screenshot(&shot) {
            eprintln!("screen at failure: {}", shot.display());
        }
        self.driver.print_log();
        for dir in self
            .data_dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let logs = dir.join("logs");
            for entry in std::fs::read_dir(&logs).into_iter().flatten().flatten() {
                print_tail("app log", &entry.path(), 100);
            }
        }
        self.dunst.print_log();
        self.bus.print_log();
        self.display.print_log();
        if let Some(dir) = self.dir.take() {
            eprintln!("kept the world's folder: {}", dir.keep().display());
        }
    }
}

/// Takes the world lock: an exclusive `flock` on `<repo>/target/e2e-world.lock`,
/// released when the returned file closes. flock treats every opened file
/// separately, so this orders the tests of this binary and those of a
/// second `cargo test` running at the same time (each world starts an
/// app, WebKit and a server; two at once on a small machine time out).
async fn one_world_at_a_time() -> std::fs::File {
    use std::os::fd::AsRawFd;
    let path = repo_root().join("target/e2e-world.lock");
    let _ = std::fs::create_dir_all(repo_root().join("target"));
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let fd = file.as_raw_fd();
    // SAFETY: flock(2) on a descriptor this function owns.
    if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return file;
    }
    eprintln!(
        "waiting for another end-to-end world to finish ({})",
        path.display()
    );
    tokio::task::spawn_blocking(move || {
        // SAFETY: as above; blocks until the other holder closes its file.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        assert_eq!(
            rc,
            0,
            "flock {}: {}",
            path.display(),
            std::io::Error::last_os_error()
        );
        file
    })
    .await
    .expect("the lock task")
}

impl Drop for World {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.report_failure();
        }
    }
}
