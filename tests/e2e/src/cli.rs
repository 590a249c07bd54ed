//! A teammate's device: the real `tidings` CLI on its own data folder.
//!
//! Preparing data with the CLI (found a workspace, invite, post, sync)
//! exercises the same core and wire format the app uses, and keeps the UI
//! steps of a scenario to what the scenario is about.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::paths::cli_bin;

/// The CLI on one data folder.
#[derive(Clone, Debug)]
pub struct Device {
    dir: PathBuf,
    /// The instant its clock reads (RFC 3339), when a test sets one.
    clock: Arc<Mutex<Option<String>>>,
}

impl Device {
    /// A device using `dir` (created by the CLI when needed).
    pub fn new(dir: &Path) -> Device {
        Device {
            dir: dir.to_path_buf(),
            clock: Arc::default(),
        }
    }

    /// From now on this device writes at `at` (RFC 3339), the instant the
    /// app's test clock reads: the app holds ops dated more than a few
    /// minutes ahead of its clock, as it would a teammate's wrong clock.
    pub fn set_clock(&self, at: &str) {
        *self.clock.lock().unwrap() = Some(at.to_string());
    }

    /// Its data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `tidings --data-dir DIR args…`; its stdout, trimmed. Panics
    /// with stderr when the command fails.
    pub fn run(&self, args: &[&str]) -> String {
        let mut cmd = Command::new(cli_bin());
        cmd.arg("--data-dir")
            .arg(&self.dir)
            .args(args)
            .env_remove("TIDINGS_DATA_DIR")
            .env_remove("TIDINGS_TEST_CLOCK");
        if let Some(at) = self.clock.lock().unwrap().as_deref() {
            cmd.env("TIDINGS_TEST_CLOCK", at);
        }
        let out = cmd.output().expect("run the tidings CLI");
        assert!(
            out.status.success(),
            "`tidings {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Runs with `--json` and parses the output.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.run(&all);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("`tidings {}` printed no JSON ({e}): {text}", all.join(" ")))
    }

    /// Founds a workspace with me as `name` in zone `tz`, working `hours`
    /// (HH:MM-HH:MM) Monday to Friday.
    pub fn create_workspace(&self, workspace: &str, name: &str, tz: &str, hours: &str) {
        self.run(&[
            "workspace",
            "create",
            workspace,
            "--as",
            name,
            "--tz",
            tz,
            "--hours",
            hours,
        ]);
    }

    /// Joins with an invite code.
    pub fn join(&self, code: &str, name: &str, tz: &str) {
        self.run(&["workspace", "join", code, "--as", name, "--tz", tz]);
    }

    /// An invite code for a teammate.
    pub fn invite(&self) -> String {
        self.run(&["workspace", "invite"])
    }

    /// Creates a channel; its id.
    pub fn channel(&self, name: &str) -> String {
        self.run(&["channel", "create", name])
    }

    /// Starts a thread; its id.
    pub fn post(&self, channel: &str, title: &str, body: &str) -> String {
        self.run(&[
            "post",
            "--channel",
            channel,
            "--title",
            title,
            "--body",
            body,
        ])
    }

    /// Comments in a thread; the comment's id.
    pub fn comment(&self, thread: &str, body: &str) -> String {
        self.run(&["comment", thread, body])
    }

    /// Adds a NATS server as a sync target.
    pub fn add_nats(&self, url: &str) {
        self.run(&["sync", "add-nats", url]);
    }

    /// One sync round: catch up, send, exit.
    pub fn sync(&self) {
        self.run(&["sync", "run", "--once"]);
    }
}
