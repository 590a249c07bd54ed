//! A private X server (Xvfb) on a free display number.
//!
//! The number is picked by trying: a display whose lock file exists is
//! skipped, and an Xvfb that exits at once (another process took the
//! number meanwhile) is retried on the next. Ready means `xdpyinfo`
//! answers on it, polled with a deadline.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::paths::require_tool;
use crate::poll::until_sync;
use crate::proc::Proc;
use crate::window::Windows;

/// A running Xvfb.
pub struct Display {
    proc: Proc,
    number: u32,
}

impl Display {
    /// Starts Xvfb (1280×800, 24-bit) and waits until it answers.
    pub fn start(dir: &Path) -> Display {
        let xvfb = require_tool("Xvfb", "xvfb");
        require_tool("xdpyinfo", "x11-utils");
        // Spread concurrent test processes over different numbers.
        let first = 100 + std::process::id() % 400;
        for number in (first..first + 50).filter(|n| !taken(*n)) {
            let mut cmd = Command::new(&xvfb);
            cmd.arg(format!(":{number}")).args([
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ]);
            let (mut proc, _) = Proc::spawn("Xvfb", cmd, &dir.join("xvfb.log"), false);
            let ready = until_sync("Xvfb to answer or exit", Duration::from_secs(20), || {
                if proc.exited().is_some() {
                    return Some(false);
                }
                answers(number).then_some(true)
            });
            if ready {
                return Display { proc, number };
            }
        }
        panic!("no free X display number in {first}..{}", first + 50);
    }

    /// `:N`, for `DISPLAY`.
    pub fn name(&self) -> String {
        format!(":{}", self.number)
    }

    /// Saves the whole screen as a PNG (ImageMagick `import`), for failure
    /// reports; also shows what the tray or a notification popup looks like.
    pub fn screenshot(&self, to: &Path) -> bool {
        Command::new("import")
            .args(["-display", &self.name(), "-window", "root"])
            .arg(to)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Its top-level windows.
    pub fn windows(&self) -> Windows {
        Windows::connect(&self.name())
    }

    /// Prints the server's log.
    pub fn print_log(&self) {
        self.proc.print_tail(30);
    }
}

fn answers(number: u32) -> bool {
    Command::new("xdpyinfo")
        .args(["-display", &format!(":{number}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether display `n` belongs to a running X server. Its lock file alone
/// does not say so: an Xvfb killed with SIGKILL leaves it behind, and on a
/// machine that ran many worlds such leftovers filled every number tried.
/// (Xvfb itself replaces a lock whose process is gone.)
fn taken(n: u32) -> bool {
    let Ok(text) = std::fs::read_to_string(format!("/tmp/.X{n}-lock")) else {
        return false;
    };
    match text.trim().parse::<u32>() {
        Ok(pid) => Path::new(&format!("/proc/{pid}")).exists(),
        // Unreadable: leave it to its owner.
        Err(_) => true,
    }
}
