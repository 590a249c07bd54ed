//! A private D-Bus session bus for one world.
//!
//! Its configuration lists no service directories, so nothing is
//! auto-started on it: no desktop portal, no notification daemon from the
//! system's service files. Only what the harness starts (dunst, the tray
//! watcher) and the app itself are on it, so a test sees only its own
//! notifications and tray items. Its address goes to children only, never
//! into this process's environment.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{ChildStdout, Command};

use crate::paths::require_tool;
use crate::proc::Proc;

/// A running `dbus-daemon`.
pub struct Bus {
    proc: Proc,
    address: String,
    // Kept open: a closed pipe would kill the daemon on its next write.
    _stdout: ChildStdout,
}

impl Bus {
    /// Starts the daemon and reads the address it prints once listening.
    pub fn start(dir: &Path) -> Bus {
        let daemon = require_tool("dbus-daemon", "dbus");
        let socket_dir = dir.join("bus");
        std::fs::create_dir_all(&socket_dir).expect("create the bus socket dir");
        let config = dir.join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                socket_dir.display()
            ),
        )
        .expect("write bus.conf");
        let mut cmd = Command::new(daemon);
        cmd.arg(format!("--config-file={}", config.display()))
            .arg("--nofork")
            .arg("--print-address");
        let (proc, stdout) = Proc::spawn("dbus-daemon", cmd, &dir.join("bus.log"), true);
        let mut stdout = stdout.expect("piped stdout");
        let mut line = String::new();
        // The daemon prints its address once it listens, or exits (EOF).
        let _ = BufReader::new(&mut stdout).read_line(&mut line);
        let address = line.trim().to_string();
        if address.is_empty() {
            proc.print_tail(30);
            panic!("dbus-daemon did not print an address");
        }
        Bus {
            proc,
            address,
            _stdout: stdout,
        }
    }

    /// The address for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Prints the daemon's log.
    pub fn print_log(&self) {
        self.proc.print_tail(30);
    }
}
