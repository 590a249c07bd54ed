//! A child process the harness owns: its own process group, output to a
//! log file, killed (the whole group, by the group id this harness
//! created) on drop.
//!
//! The group matters for `tauri-driver`: it starts `WebKitWebDriver`, which
//! starts the app, which starts WebKit's helper processes. Killing the
//! group ends all of them and nothing that this harness did not start. A
//! small `sh` watchdog reading a pipe from the test process kills the
//! group too when the test process itself dies without running `Drop`
//! (killed by a CI timeout), so no X server or app outlives its test.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

/// A running process group led by a child of this process.
pub struct Proc {
    name: String,
    child: Option<Child>,
    watchdog: Option<Child>,
    log: PathBuf,
}

impl Proc {
    /// Starts `cmd` in a new process group, stderr (and stdout unless
    /// `pipe_stdout`) appended to `log`.
    pub fn spawn(
        name: &str,
        mut cmd: Command,
        log: &Path,
        pipe_stdout: bool,
    ) -> (Proc, Option<ChildStdout>) {
        let out = File::options()
            .create(true)
            .append(true)
            .open(log)
            .unwrap_or_else(|e| panic!("open {}: {e}", log.display()));
        let err = out.try_clone().expect("clone log handle");
        cmd.stdin(Stdio::null())
            .stderr(Stdio::from(err))
            .process_group(0);
        if pipe_stdout {
            cmd.stdout(Stdio::piped());
        } else {
            cmd.stdout(Stdio::from(out));
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({:?}): {e}", cmd.get_program()));
        let stdout = child.stdout.take();
        let watchdog = Command::new("sh")
            .arg("-c")
            .arg(format!("read _; kill -9 -- -{} 2>/dev/null", child.id()))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok();
        let proc = Proc {
            name: name.to_string(),
            child: Some(child),
            watchdog,
            log: log.to_path_buf(),
        };
        (proc, stdout)
    }

    /// The leader's PID (also the process group id).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// The exit status if the leader has exited.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
    }

    /// The log file.
    pub fn log(&self) -> &Path {
        &self.log
    }

    /// SIGKILL to the whole group, then reap the leader.
    pub fn kill(&mut self) {
        if let Some(mut w) = self.watchdog.take() {
            let _ = w.kill();
            let _ = w.wait();
        }
        if let Some(mut child) = self.child.take() {
            let pgid = child.id() as libc::pid_t;
            // SAFETY: kill(2) with a negative id signals the process group
            // this harness created for `child`; no memory is touched.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
            let _ = child.wait();
        }
    }

    /// Prints the last `lines` of the log, headed by the process name.
    pub fn print_tail(&self, lines: usize) {
        print_tail(&format!("{} log", self.name), &self.log, lines);
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Prints the last `lines` lines of a file to stderr (for failure
/// reports), each cut to 300 characters: a log line may quote a 1 MiB input.
pub fn print_tail(title: &str, path: &Path, lines: usize) {
    eprintln!("----- {title}: {}", path.display());
    let Ok(mut f) = File::open(path) else {
        eprintln!("(missing)");
        return;
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(8 << 20)));
    let mut buf = Vec::new();
    let _ = f.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    let all: Vec<&str> = text.lines().collect();
    for line in &all[all.len().saturating_sub(lines)..] {
        match line.char_indices().nth(300) {
            Some((cut, _)) => eprintln!("{}… ({} bytes)", &line[..cut], line.len()),
            None => eprintln!("{line}"),
        }
    }
}

/// Whether a process with this PID exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X')),
        Err(_) => false,
    }
}

/// PIDs whose command line has `exe` as its program and contains `needle`
/// among its arguments.
pub fn find_pids(exe: &Path, needle: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let exe = exe.to_string_lossy().to_string();
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
                return false;
            };
            let args: Vec<String> = raw
                .split(|b| *b == 0)
                .map(|a| String::from_utf8_lossy(a).to_string())
                .collect();
            args.first().is_some_and(|a| *a == exe) && args.iter().any(|a| a == needle)
        })
        .filter(|pid| alive(*pid))
        .collect()
}
