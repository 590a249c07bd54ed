//! The first open of a store in a fresh process, to its first inbox page:
//! what a person waits for when they start the app again after joining.
//!
//! The bench re-executes itself with `--first-open <dir>` (as
//! `benches/store_vs_sqlite/rss.rs` does for its cold opens); the child
//! opens the store the way the app does, reads the first inbox page and
//! prints the times and its resident memory. Before the "evicted" run the
//! store's files are dropped from the OS page cache
//! (`posix_fadvise(DONTNEED)`, as `vmtouch -e` does), so the child reads
//! from disk as after a reboot; the "warm" runs find them cached.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use tidings::views::PageRequest;

use crate::setup;

/// The argument that makes the bench binary a first-open child.
pub const ARG: &str = "--first-open";
/// Items on the first page, as the UI asks.
const PAGE: usize = 50;

/// What one first open cost.
#[derive(Clone, Copy, Debug, Default)]
pub struct FirstOpen {
    /// `Store::open`.
    pub open: Duration,
    /// Opening plus the first inbox page.
    pub first_page: Duration,
    /// Inbox items on it.
    pub items: usize,
    /// Resident memory after the first page (KiB).
    pub rss_kb: u64,
}

pub use crate::files::{disk_bytes, evict};

/// Runs a child that opens the (closed) store in `dir`.
pub fn spawn(dir: &Path) -> Result<FirstOpen> {
    let fields = crate::files::run_child(&[ARG.as_ref(), dir.as_os_str()], "FIRST-OPEN")?;
    let mut r = FirstOpen::default();
    for (k, n) in fields {
        match k.as_str() {
            "open_us" => r.open = Duration::from_micros(n),
            "first_page_us" => r.first_page = Duration::from_micros(n),
            "items" => r.items = n as usize,
            "rss_kb" => r.rss_kb = n,
            _ => {}
        }
    }
    Ok(r)
}

/// The first open after eviction, and the median of three warm ones.
pub fn evicted_and_warm(dir: &Path) -> Result<(FirstOpen, FirstOpen)> {
    evict(dir)?;
    let evicted = spawn(dir)?;
    let mut warm = (0..3).map(|_| spawn(dir)).collect::<Result<Vec<_>>>()?;
    warm.sort_by_key(|w| w.first_page);
    Ok((evicted, warm[1]))
}

/// Resident memory of this process (KiB), from `/proc/self/status`.
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The child's side: `args` is `<dir>`.
pub fn child_main(args: &[String]) -> Result<()> {
    let [dir] = args else {
        bail!("usage: {ARG} <store dir>");
    };
    let start = Instant::now();
    let store = setup::open_store(Path::new(dir))?;
    let open = start.elapsed();
    let page = store.inbox(&PageRequest::first(PAGE))?;
    let first_page = start.elapsed();
    let rss = rss_kb();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "FIRST-OPEN open_us={} first_page_us={} items={} rss_kb={rss}",
        open.as_micros(),
        first_page.as_micros(),
        page.items.len(),
    )?;
    Ok(())
}
