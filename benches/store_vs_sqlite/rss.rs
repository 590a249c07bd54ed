//! Opening a store cold, in a fresh process, and what it costs in time and
//! resident memory.
//!
//! The bench re-executes itself with `--cold-open <peer> <path>`; the child
//! opens the store, reads the first inbox page and reports the time and
//! its `VmRSS`/`VmHWM` from `/proc/self/status`, then opens every thread of
//! that page and runs 20 searches (a short session) and reports `VmRSS`
//! again. Before an "evicted" run the parent drops the store's files from
//! the OS page cache (`posix_fadvise(DONTNEED)`, as `vmtouch -e` does), so
//! the child reads from disk as after a reboot.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::gen::{queries, SearchText};
use crate::sqlite::SqlitePeer;
use crate::tidings_side::TidingsPeer;

/// What a cold open cost.
#[derive(Clone, Copy, Debug, Default)]
pub struct ColdOpen {
    /// Opening the store.
    pub open: Duration,
    /// Opening plus the first inbox page.
    pub first_page: Duration,
    /// Inbox items on it.
    pub items: usize,
    /// Resident memory after the first page (KiB).
    pub rss_kb: u64,
    /// Peak resident memory so far (KiB).
    pub hwm_kb: u64,
    /// Of `rss_kb`: anonymous memory (heap, caches) (KiB).
    pub anon_kb: u64,
    /// Of `rss_kb`: file pages mapped in, e.g. tantivy's mmapped index (KiB).
    pub file_kb: u64,
    /// Resident memory after a short session (KiB).
    pub rss_session_kb: u64,
    /// Of `rss_session_kb`: anonymous memory (KiB).
    pub session_anon_kb: u64,
    /// Of `rss_session_kb`: file pages mapped in (KiB).
    pub session_file_kb: u64,
}

/// Resident memory of this process, in KiB.
#[derive(Clone, Copy, Debug, Default)]
pub struct Vm {
    /// VmRSS.
    pub rss: u64,
    /// VmHWM (peak).
    pub hwm: u64,
    /// RssAnon.
    pub anon: u64,
    /// RssFile.
    pub file: u64,
}

/// Reads this process's resident memory from `/proc/self/status`.
pub fn vm_status() -> Result<Vm> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok(Vm {
        rss: field("VmRSS:"),
        hwm: field("VmHWM:"),
        anon: field("RssAnon:"),
        file: field("RssFile:"),
    })
}

pub use crate::files::evict;

/// Runs a child that opens `path` as `peer` ("tidings" or "sqlite").
pub fn cold_open(peer: &str, path: &Path) -> Result<ColdOpen> {
    let fields = crate::files::run_child(
        &["--cold-open".as_ref(), peer.as_ref(), path.as_os_str()],
        "COLD",
    )?;
    let mut r = ColdOpen::default();
    for (k, n) in fields {
        match k.as_str() {
            "open_us" => r.open = Duration::from_micros(n),
            "first_page_us" => r.first_page = Duration::from_micros(n),
            "items" => r.items = n as usize,
            "rss_kb" => r.rss_kb = n,
            "hwm_kb" => r.hwm_kb = n,
            "anon_kb" => r.anon_kb = n,
            "file_kb" => r.file_kb = n,
            "rss_session_kb" => r.rss_session_kb = n,
            "session_anon_kb" => r.session_anon_kb = n,
            "session_file_kb" => r.session_file_kb = n,
            _ => {}
        }
    }
    Ok(r)
}

/// The child's side: `args` are `<peer> <path>`.
pub fn child_main(args: &[String]) -> Result<()> {
    let [peer, path] = args else {
        bail!("usage: --cold-open tidings|sqlite <path>");
    };
    let path = Path::new(path);
    let searches: Vec<SearchText> = queries(20);
    let start = Instant::now();
    let (open, first_page, items, vm, session) = match peer.as_str() {
        "tidings" => {
            let p = TidingsPeer::open(path)?;
            let open = start.elapsed();
            let page = p.inbox(50)?;
            let first = start.elapsed();
            let vm = vm_status()?;
            for item in &page {
                p.thread_page(item.thread.id, 50)?;
            }
            for q in &searches {
                p.search(q, 20)?;
            }
            (open, first, page.len(), vm, vm_status()?)
        }
        "sqlite" => {
            let p = SqlitePeer::open(path)?;
            let open = start.elapsed();
            let page = p.inbox(50)?;
            let first = start.elapsed();
            let vm = vm_status()?;
            for item in &page {
                let mut t = p.thread_page(item.id, 50)?;
                crate::sqlite::render(&mut t);
            }
            for q in &searches {
                p.search(q, 20)?;
            }
            (open, first, page.len(), vm, vm_status()?)
        }
        other => bail!("unknown peer {other}"),
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "COLD open_us={} first_page_us={} items={items} rss_kb={} hwm_kb={} anon_kb={} file_kb={} \
         rss_session_kb={} session_anon_kb={} session_file_kb={}",
        open.as_micros(),
        first_page.as_micros(),
        vm.rss,
        vm.hwm,
        vm.anon,
        vm.file,
        session.rss,
        session.anon,
        session.file
    )?;
    Ok(())
}
