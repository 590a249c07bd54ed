//! Compacting the store: copying its live rows into a fresh sled folder.
//!
//! sled 0.34 writes every change to its log as a page fragment, rewrites
//! a whole page after ten of them, and frees a log segment only once its
//! segment cleaner has moved every page still in it. On our write pattern
//! the log ends up holding several times the live rows: 355 MiB of log for
//! 62 MiB of rows after loading 50k comments (`BENCHMARKS.md`), and it
//! never shrinks. Copying the live rows into a new folder in key order,
//! in batches of [`BATCH`], gives a log of about 1.8× the rows; the copy
//! is opened once more before it takes over, which writes its snapshot,
//! so the next open replays nothing.
//!
//! [`Store::close`] compacts when the log has grown past
//! [`super::Options::compact_above_bytes`] and to twice the size the last
//! compaction left (kept in `meta`): the copy costs a read and a write of
//! the whole store, so it runs only after the store wrote about as much
//! again as it holds — typically after joining a workspace or a long
//! catch-up.
//!
//! Crash safety. The copy goes to `store.compact/` and is made durable
//! (every file and the folder fsynced) before anything else moves; then
//! `store/` is renamed to `store.old/`, `store.compact/` to `store/`, and
//! `store.old/` is removed, with the data folder fsynced after each step.
//! [`recover`] runs before every open and finishes or undoes whatever a
//! crash interrupted: a leftover copy is removed, a missing `store/` is
//! restored from `store.old/`, and a `store.old/` beside a complete
//! `store/` is removed.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Instant;

use tracing::info;

use super::durability::sync_dir;
use super::rows::{dec, enc};
use crate::error::Result;

/// Rows per `apply_batch` while copying. Measured on a 81 MiB store:
/// 1,000 gave the smallest copy (1.75× its rows) and the fastest; 100 and
/// 10,000 left 2.1× and 1.9×, one batch of everything 3.2×.
const BATCH: usize = 1_000;

/// The meta key holding the log's size right after the last compaction.
const COMPACTED_LOG_BYTES: &[u8] = b"compacted_log_bytes";

/// By default, compact only a log at least this big (see
/// [`super::Options::compact_above_bytes`]).
pub const COMPACT_ABOVE_BYTES: u64 = 64 << 20;

/// The folders one compaction uses, inside a data folder.
struct Folders {
    live: PathBuf,
    copy: PathBuf,
    old: PathBuf,
    data: PathBuf,
}

impl Folders {
    fn of(data: &Path) -> Folders {
        Folders {
            live: data.join("store"),
            copy: data.join("store.compact"),
            old: data.join("store.old"),
            data: data.to_path_buf(),
        }
    }
}

/// What a compaction did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compaction {
    /// sled's folder before, in bytes.
    pub before: u64,
    /// …and after.
    pub after: u64,
    /// Rows copied.
    pub rows: u64,
    /// How long it took, in milliseconds.
    pub millis: u64,
}

/// Whether a log of `log_bytes` is due for compaction, given the store's
/// meta tree and the floor below which it never is.
pub(super) fn due(meta: &sled::Tree, log_bytes: u64, floor: u64) -> Result<bool> {
    let last: u64 = meta
        .get(COMPACTED_LOG_BYTES)?
        .map(|v| dec(&v))
        .transpose()?
        .unwrap_or(0);
    Ok(log_bytes >= floor && log_bytes >= last.saturating_mul(2))
}

/// Bytes of sled's log file in a `store/` folder.
pub(super) fn log_bytes(store: &Path) -> u64 {
    std::fs::metadata(store.join("db")).map_or(0, |m| m.len())
}

/// Compacts the closed store in `data` (the caller holds the folder lock
/// and no sled handle). See the module doc.
pub(super) fn compact(data: &Path, cache_bytes: u64) -> Result<Compaction> {
    let started = Instant::now();
    let f = Folders::of(data);
    recover(data)?;
    let before = super::space::files_bytes(&f.live)?;
    let rows = copy(&f.live, &f.copy, cache_bytes)?;
    fsync_tree(&f.copy)?;
    sync_dir(&f.data)?;
    std::fs::rename(&f.live, &f.old)?;
    sync_dir(&f.data)?;
    std::fs::rename(&f.copy, &f.live)?;
    sync_dir(&f.data)?;
    std::fs::remove_dir_all(&f.old)?;
    sync_dir(&f.data)?;
    let after = super::space::files_bytes(&f.live)?;
    let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    info!(before, after, rows, millis, "compacted the store");
    Ok(Compaction {
        before,
        after,
        rows,
        millis,
    })
}

/// Copies every tree of the sled database in `from` into a new one in
/// `to`, and records the copy's log size in its meta tree. Returns the
/// rows copied.
fn copy(from: &Path, to: &Path, cache_bytes: u64) -> Result<u64> {
    let open = |p: &Path| {
        super::open::open_sled(
            &sled::Config::new()
                .path(p)
                .cache_capacity(cache_bytes)
                .flush_every_ms(None),
        )
    };
    let src = open(from)?;
    let dst = open(to)?;
    let mut rows = 0u64;
    for name in src.tree_names() {
        let (a, b) = (src.open_tree(&name)?, dst.open_tree(&name)?);
        let mut batch = sled::Batch::default();
        let mut n = 0;
        for kv in a.iter() {
            let (k, v) = kv?;
            batch.insert(k, v);
            n += 1;
            if n % BATCH == 0 {
                b.apply_batch(std::mem::take(&mut batch))?;
            }
        }
        b.apply_batch(batch)?;
        rows += n as u64;
    }
    dst.flush()?;
    drop((dst, src));
    // sled writes its snapshot only while opening: without opening the
    // copy once more, the next open would replay all of it (`close`).
    let dst = open(to)?;
    dst.open_tree("meta")?
        .insert(COMPACTED_LOG_BYTES, enc(&log_bytes(to)))?;
    dst.flush()?;
    Ok(rows)
}

/// Finishes or undoes a compaction a crash interrupted (module doc).
/// Runs before the store's sled folder is opened.
pub(super) fn recover(data: &Path) -> Result<()> {
    let f = Folders::of(data);
    if !f.live.exists() && f.old.exists() {
        info!("a compaction was interrupted before its copy took over: keeping the original");
        std::fs::rename(&f.old, &f.live)?;
        sync_dir(&f.data)?;
    }
    if f.copy.exists() {
        std::fs::remove_dir_all(&f.copy)?;
        sync_dir(&f.data)?;
    }
    if f.old.exists() {
        std::fs::remove_dir_all(&f.old)?;
        sync_dir(&f.data)?;
    }
    Ok(())
}

/// fsyncs every file and folder under `dir` (sled's own flush does not
/// reach the disk: see `durability`).
fn fsync_tree(dir: &Path) -> Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            fsync_tree(&e.path())?;
        } else {
            File::open(e.path())?.sync_all()?;
        }
    }
    sync_dir(dir)
}
