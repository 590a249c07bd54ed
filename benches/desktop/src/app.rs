//! One launch of an app (Tidings or the bare window): spawn it with the
//! session's environment, timestamp each stdout line as it arrives, and
//! stop its whole process tree afterwards.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::procfs::{self, Proc};

/// Which app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The Tidings desktop app.
    Tidings,
    /// The bare Tauri window.
    Bare,
}

impl Kind {
    /// The stdout line that says the first view is interactive.
    pub fn ready_prefix(self) -> &'static str {
        match self {
            Kind::Tidings => "TIDINGS_INTERACTIVE",
            Kind::Bare => "BARE_INTERACTIVE",
        }
    }

    /// Short name for logs.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Tidings => "tidings",
            Kind::Bare => "bare",
        }
    }
}

/// How to start an app.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Which one.
    pub kind: Kind,
    /// Its binary.
    pub bin: PathBuf,
    /// Arguments (Tidings: `--data-dir …`).
    pub args: Vec<String>,
    /// Where its stderr goes (appended).
    pub log: PathBuf,
}

/// A running app.
pub struct Running {
    /// Which one.
    pub kind: Kind,
    child: Child,
    /// Just before `spawn`.
    pub spawned: Instant,
    lines: Receiver<(Instant, String)>,
    /// Every stdout line seen so far, with its arrival time.
    pub seen: Vec<(Instant, String)>,
}

/// When the first view became interactive.
#[derive(Clone, Copy, Debug)]
pub struct Ready {
    /// Spawn → the ready line arrived on the benchmark's pipe.
    pub observed: Duration,
    /// The app's own number: ms from its `main` to the ready command.
    pub reported_ms: u64,
}

impl Spec {
    /// Starts the app with `env` added to the benchmark's environment.
    pub fn spawn(&self, env: &[(String, String)]) -> Result<Running> {
        let log = std::fs::File::options()
            .create(true)
            .append(true)
            .open(&self.log)
            .with_context(|| format!("open {}", self.log.display()))?;
        let mut cmd = Command::new(&self.bin);
        cmd.args(&self.args)
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let spawned = Instant::now();
        let mut child = cmd
            .spawn()
            .with_context(|| format!("start {}", self.bin.display()))?;
        let stdout = child.stdout.take().context("app stdout")?;
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        Ok(Running {
            kind: self.kind,
            child,
            spawned,
            lines,
            seen: Vec::new(),
        })
    }
}

impl Running {
    /// The app's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The app and its descendants now.
    pub fn tree(&self) -> Vec<Proc> {
        procfs::tree(self.pid())
    }

    /// Waits for the stdout line starting with `prefix`.
    pub fn wait_line(&mut self, prefix: &str, timeout: Duration) -> Result<(Instant, String)> {
        if let Some(l) = self.seen.iter().find(|(_, l)| l.starts_with(prefix)) {
            return Ok(l.clone());
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((at, line)) => {
                    self.seen.push((at, line.clone()));
                    if line.starts_with(prefix) {
                        return Ok((at, line));
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    bail!("no `{prefix}` line within {timeout:?}")
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = self.child.try_wait().ok().flatten();
                    bail!("the app closed its stdout without a `{prefix}` line (exit status: {status:?})")
                }
            }
        }
    }

    /// Waits until the first view is interactive.
    pub fn wait_ready(&mut self, timeout: Duration) -> Result<Ready> {
        let (at, line) = self.wait_line(self.kind.ready_prefix(), timeout)?;
        let reported_ms = line
            .split_whitespace()
            .nth(1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Ok(Ready {
            observed: at - self.spawned,
            reported_ms,
        })
    }

    /// Stops the app and every descendant: SIGTERM to all (children
    /// first), SIGKILL after `grace`; waits until all are gone.
    pub fn stop(mut self, grace: Duration) -> Result<()> {
        let procs = self.tree();
        for p in procs.iter().rev() {
            procfs::signal(p, libc::SIGTERM);
        }
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline && procs.iter().any(procfs::alive) {
            let _ = self.child.try_wait();
            std::thread::sleep(Duration::from_millis(10));
        }
        let stubborn: Vec<&Proc> = procs.iter().filter(|p| procfs::alive(p)).collect();
        for p in &stubborn {
            procfs::signal(p, libc::SIGKILL);
        }
        let _ = self.child.wait();
        let deadline = Instant::now() + Duration::from_secs(10);
        while procs.iter().any(procfs::alive) {
            if Instant::now() > deadline {
                let left: Vec<String> = procs
                    .iter()
                    .filter(|p| procfs::alive(p))
                    .map(|p| format!("{} ({})", p.comm, p.pid))
                    .collect();
                bail!("still running after SIGKILL: {}", left.join(", "));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if !stubborn.is_empty() {
            let names: Vec<&str> = stubborn.iter().map(|p| p.comm.as_str()).collect();
            eprintln!(
                "[{}] needed SIGKILL after {grace:?}: {}",
                self.kind.name(),
                names.join(", ")
            );
        }
        Ok(())
    }
}

/// The first lines of `log` that match `pattern` (case-insensitive).
pub fn grep(log: &Path, pattern: &str) -> Vec<String> {
    let p = pattern.to_lowercase();
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.to_lowercase().contains(&p))
        .take(5)
        .map(String::from)
        .collect()
}
