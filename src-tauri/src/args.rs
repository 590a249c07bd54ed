//! The app's command line: which data folder to open, and the link to
//! follow (`tidings://thread/<id>`) when the OS or a second launch gives one.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Parser;

/// Tidings desktop app.
#[derive(Debug, Clone, Parser)]
#[command(name = "tidings-desktop", version, about)]
pub struct Args {
    /// Data folder (default: the platform's app data folder, shared with
    /// the `tidings` CLI). Run two profiles side by side with two folders.
    #[arg(long, env = "TIDINGS_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Start with the window hidden in the tray (for login items).
    #[arg(long)]
    pub hidden: bool,

    /// For end-to-end tests only: run on a clock fixed at this instant
    /// (RFC 3339), moved by the `set_test_clock` command. Never use it for
    /// real work: ops would carry this time.
    #[arg(long, hide = true)]
    pub test_clock: Option<DateTime<Utc>>,

    /// For end-to-end tests only: compact the store at quit once sled's
    /// log passes this many bytes (default 64 MiB), so a small test store
    /// goes through it.
    #[arg(long, hide = true)]
    pub compact_above_bytes: Option<u64>,

    /// A `tidings://` link to open, e.g. `tidings://thread/01J…`.
    pub link: Option<String>,
}
