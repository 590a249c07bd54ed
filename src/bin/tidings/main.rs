//! `tidings`: the command-line face of the Tidings core, for scripts, bots,
//! tests and the first `make run`.

mod async_cmd;
mod catchup_cmd;
mod checkin_cmd;
mod cli;
mod commands;
mod demo;
mod later_cmd;
mod print;
mod scheduled_cmd;
mod sync_cmd;
mod when;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .map(|d| d.join("tidings"))
        .unwrap_or_else(|| PathBuf::from(".tidings"))
}

/// Ends the process quietly when whoever reads its output goes away
/// (`tidings inbox | head -1`), as other command-line tools do. Rust
/// ignores SIGPIPE, so without this every `println!` after the reader left
/// panics with "Broken pipe". A command cut short this way (say `sync run`
/// printing as it goes) is as safe as a crash: the store keeps every op it
/// acknowledged (tests/crash.rs).
#[cfg(unix)]
fn end_quietly_on_closed_output() {
    // SAFETY: restores the default disposition of one signal at start-up,
    // before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_on_closed_output() {}

fn main() -> ExitCode {
    end_quietly_on_closed_output();
    let cli = cli::Cli::parse();
    // With --json, stderr carries the JSON error and nothing else, so a
    // script can parse it: logs only when TIDINGS_LOG asks for them.
    let default_filter = if cli.json { "off" } else { "warn" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TIDINGS_LOG")
                .unwrap_or_else(|_| default_filter.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let dir = cli.data_dir.clone().unwrap_or_else(default_data_dir);
    match commands::run(&dir, cli.json, cli.test_clock.as_deref(), cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if cli.json {
                eprintln!(
                    "{}",
                    serde_json::json!({ "error": { "code": e.code, "message": e.message } })
                );
            } else {
                eprintln!("error[{}]: {}", e.code, e.message);
            }
            ExitCode::FAILURE
        }
    }
}
