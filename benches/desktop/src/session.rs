//! The private desktop session the apps run in, built from the e2e
//! harness's parts (tidings-e2e): Xvfb displays, a private session bus
//! that starts no services by itself (no portals, no accessibility bus:
//! only what is started here is on it), and dunst as the notification
//! daemon. The environment is the e2e world's: private HOME and XDG
//! folders, GTK kept from looking for an accessibility bus or dconf.
//!
//! Two displays, so the two apps can idle side by side without one window
//! covering the other. Everything is killed when the session drops (the
//! harness kills each process group it started).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use anyhow::Result;
use tidings_e2e::bus::Bus;
use tidings_e2e::display::Display;
use tidings_e2e::dunst::Dunst;

use crate::procfs::{self, Proc};

/// The session. Fields drop in order: dunst, the bus, the displays.
pub struct Session {
    /// The notification daemon, on the first display.
    pub dunst: Dunst,
    /// The session bus.
    pub bus: Bus,
    /// The X displays.
    pub displays: Vec<Display>,
    base: Vec<(String, String)>,
}

impl Session {
    /// Starts `displays` X servers, the bus and dunst, with folders under
    /// `root`.
    pub fn start(root: &Path, displays: usize) -> Result<Session> {
        let mut base = Vec::new();
        for sub in ["run", "home", "config", "cache", "data"] {
            std::fs::create_dir_all(root.join(sub))?;
        }
        std::fs::set_permissions(root.join("run"), std::fs::Permissions::from_mode(0o700))?;
        let path = |sub: &str| root.join(sub).display().to_string();
        for (k, v) in [
            ("XDG_RUNTIME_DIR", path("run")),
            ("HOME", path("home")),
            ("XDG_CONFIG_HOME", path("config")),
            ("XDG_CACHE_HOME", path("cache")),
            ("XDG_DATA_HOME", path("data")),
            ("GDK_BACKEND", "x11".into()),
            ("NO_AT_BRIDGE", "1".into()),
            ("GSETTINGS_BACKEND", "memory".into()),
        ] {
            base.push((k.to_string(), v));
        }
        let displays: Vec<Display> = (0..displays).map(|_| Display::start(root)).collect();
        let bus = Bus::start(root);
        base.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address().to_string()));
        let mut env = base.clone();
        env.push(("DISPLAY".into(), displays[0].name()));
        let dunst = Dunst::start(root, &env);
        Ok(Session {
            dunst,
            bus,
            displays,
            base,
        })
    }

    /// The environment of an app on display `display`.
    pub fn env(&self, display: usize) -> Vec<(String, String)> {
        let mut env = self.base.clone();
        env.push(("DISPLAY".into(), self.displays[display].name()));
        env
    }

    /// The bus address.
    pub fn bus_address(&self) -> &str {
        self.bus.address()
    }

    /// The X server of display `display`, found among this process's
    /// descendants by its `:N` argument.
    pub fn x_server(&self, display: usize) -> Option<Proc> {
        let name = self.displays[display].name();
        procfs::tree(std::process::id()).into_iter().find(|p| {
            p.comm == "Xvfb"
                && std::fs::read(format!("/proc/{}/cmdline", p.pid))
                    .map(|c| c.split(|b| *b == 0).any(|a| a == name.as_bytes()))
                    .unwrap_or(false)
        })
    }
}
