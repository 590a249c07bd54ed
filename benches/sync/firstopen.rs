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

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
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

/// Drops every file under `dir` from the page cache; returns their bytes.
/// The files are fsynced first (DONTNEED keeps dirty pages).
pub fn evict(dir: &Path) -> Result<u64> {
    use std::os::fd::AsRawFd;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
                continue;
            }
            let f = File::open(&path).with_context(|| format!("opening {}", path.display()))?;
            f.sync_all()?;
            bytes += f.metadata()?.len();
            // SAFETY: posix_fadvise only reads its integer arguments; the
            // descriptor stays open for the duration of the call.
            let rc = unsafe { libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
            if rc != 0 {
                bail!("posix_fadvise failed on {} (error {rc})", path.display());
            }
        }
    }
    Ok(bytes)
}

/// Bytes of all files under `dir`.
pub fn disk_bytes(dir: &Path) -> Result<u64> {
    let mut n = 0;
    for e in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let e = e?;
        let m = e.metadata()?;
        n += if m.is_dir() {
            disk_bytes(&e.path())?
        } else {
            m.len()
        };
    }
    Ok(n)
}

/// Runs a child that opens the (closed) store in `dir`.
pub fn spawn(dir: &Path) -> Result<FirstOpen> {
    let exe = std::env::current_exe().context("finding the bench binary")?;
    let out = Command::new(exe)
        .arg(ARG)
        .arg(dir)
        .output()
        .context("running the first-open child")?;
    if !out.status.success() {
        bail!(
            "the first-open child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("FIRST-OPEN "))
        .with_context(|| format!("the first-open child printed no result: {text}"))?;
    let mut r = FirstOpen::default();
    for kv in line.split_whitespace().skip(1) {
        let Some((k, v)) = kv.split_once('=') else {
            continue;
        };
        let n: u64 = v.parse().with_context(|| format!("bad value in {kv}"))?;
        match k {
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
