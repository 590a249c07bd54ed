//! dunst, the notification daemon the app's notifications go to, with a
//! private configuration: notifications never time out (a slow test must
//! not lose one) and the history keeps them all.
//!
//! The helpers wrap `dunstctl` with the world's bus address. dunst lists in
//! `history` only notifications that left the screen, so a test counts
//! what is displayed with [`Dunst::displayed`], acts on it with
//! [`Dunst::act`], and reads texts with [`Dunst::close_all_and_read`].

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use serde_json::Value;

use crate::paths::require_tool;
use crate::poll::until_sync;
use crate::proc::Proc;

// `markup = full` as dunst's shipped dunstrc sets it (the compiled-in
// default strips tags without advertising `body-markup`).
const CONFIG: &str = "[global]
    markup = full
    monitor = 0
    follow = none
    idle_threshold = 0
    sticky_history = yes
    history_length = 100
    notification_limit = 0
    show_indicators = no
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
";

/// One notification as dunst's history reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// dunst's id.
    pub id: i64,
    /// The application name.
    pub appname: String,
    /// The heading.
    pub summary: String,
    /// The text under it.
    pub body: String,
    /// What dunst shows: its format filled in with the summary and body,
    /// as Pango markup.
    pub message: String,
}

impl Note {
    /// The text a person sees: the message's markup applied (tags gone,
    /// entities decoded), as Pango renders it.
    pub fn shown_text(&self) -> String {
        let mut text = String::with_capacity(self.message.len());
        let mut in_tag = false;
        for c in self.message.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    }
}

/// A running dunst on the world's display and bus.
pub struct Dunst {
    proc: Proc,
    env: Vec<(String, String)>,
}

impl Dunst {
    /// Starts dunst and waits until it answers on the bus.
    pub fn start(dir: &Path, env: &[(String, String)]) -> Dunst {
        let bin = require_tool("dunst", "dunst");
        require_tool("dunstctl", "dunst");
        let config = dir.join("dunstrc");
        std::fs::write(&config, CONFIG).expect("write dunstrc");
        let mut cmd = Command::new(bin);
        cmd.arg("-config")
            .arg(&config)
            .arg("-print")
            .envs(env.iter().cloned());
        let (mut proc, _) = Proc::spawn("dunst", cmd, &dir.join("dunst.log"), false);
        until_sync(
            "dunst to own org.freedesktop.Notifications",
            Duration::from_secs(20),
            || {
                if let Some(status) = proc.exited() {
                    proc.print_tail(60);
                    panic!("dunst exited at start: {status}");
                }
                let out = ctl_output(env, &["is-paused"]);
                out.status.success().then_some(())
            },
        );
        Dunst {
            proc,
            env: env.to_vec(),
        }
    }

    fn ctl(&self, args: &[&str]) -> String {
        let out = ctl_output(&self.env, args);
        assert!(
            out.status.success(),
            "dunstctl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn count(&self, which: &str) -> u32 {
        let text = self.ctl(&["count", which]);
        text.trim()
            .parse()
            .unwrap_or_else(|_| panic!("dunstctl count {which} printed {text:?}"))
    }

    /// Notifications on screen now (including any waiting to be shown).
    pub fn displayed(&self) -> u32 {
        self.count("displayed") + self.count("waiting")
    }

    /// Notifications that left the screen.
    pub fn history_count(&self) -> u32 {
        self.count("history")
    }

    /// Every notification this dunst has received: on screen or gone.
    pub fn total(&self) -> u32 {
        self.displayed() + self.history_count()
    }

    /// Invokes the default action of the notification on top (as a click
    /// would), without closing the others first.
    pub fn act(&self) {
        self.ctl(&["action", "0"]);
    }

    /// Closes everything on screen and returns the whole history, newest
    /// first.
    pub fn close_all_and_read(&self) -> Vec<Note> {
        self.ctl(&["close-all"]);
        self.history()
    }

    /// The history (notifications that left the screen), newest first.
    pub fn history(&self) -> Vec<Note> {
        let text = self.ctl(&["history"]);
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("dunstctl history is not JSON ({e}): {text}"));
        let field = |n: &Value, k: &str| n[k]["data"].clone();
        json["data"][0]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|n| Note {
                        id: field(n, "id").as_i64().unwrap_or(0),
                        appname: field(n, "appname").as_str().unwrap_or("").to_string(),
                        summary: field(n, "summary").as_str().unwrap_or("").to_string(),
                        body: field(n, "body").as_str().unwrap_or("").to_string(),
                        message: field(n, "message").as_str().unwrap_or("").to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Prints dunst's log (it prints every notification it gets).
    pub fn print_log(&self) {
        self.proc.print_tail(200);
    }
}

fn ctl_output(env: &[(String, String)], args: &[&str]) -> Output {
    Command::new("dunstctl")
        .args(args)
        .envs(env.iter().cloned())
        .output()
        .expect("run dunstctl")
}
