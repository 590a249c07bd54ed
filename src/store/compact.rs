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
//! When. [`Store::close`] compacts when the log has grown past
//! [`super::Options::compact_above_bytes`] and to twice the size the last
//! compaction left (kept in `meta`): the copy costs a read and a write of
//! the whole store, so it runs only after the store wrote about as much
//! again as it holds — typically after joining a workspace or a long
//! catch-up. The app cannot close its store at quit (its tasks still hold
//! it), so it calls [`Store::prepare_compaction`]: the copy is taken from
//! the open store, and takes over at the next open.
//!
//! Two steps. [`prepare`] copies the rows of the open store into
//! `store.compact/`, makes the copy durable (every file and the folder
//! fsynced), then writes `store.compact.ready`, which holds each file of
//! `store/` with its length and modification time as they were before the
//! copy began. [`recover`], which runs before every open, swaps the copy
//! in only if `store/` still matches that list: a write after the copy
//! began changes a file's time, and the copy is discarded rather than lose
//! it. The swap renames `store/` to `store.old/`, `store.compact/` to
//! `store/`, removes the marker and `store.old/`, with the data folder
//! fsynced after each step.
//!
//! Crash safety. Whatever a crash interrupts, the next [`recover`]
//! finishes or undoes: a copy without its marker is removed, a missing
//! `store/` is restored from `store.old/` (and the swap is tried again),
//! and a `store.old/` beside a complete `store/` is removed.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use tracing::{info, warn};

use super::durability::sync_dir;
use super::open::sled_config;
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
    ready: PathBuf,
    old: PathBuf,
    data: PathBuf,
}

impl Folders {
    fn of(data: &Path) -> Folders {
        Folders {
            live: data.join("store"),
            copy: data.join("store.compact"),
            ready: data.join("store.compact.ready"),
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

/// Whether the disk has room for a copy of the store in `data`: as much
/// free as the store takes (the copy is smaller, being due). Logged when
/// not.
pub(super) fn room_for(data: &Path) -> Result<bool> {
    let free = fs4::available_space(data).unwrap_or(0);
    let takes = super::space::files_bytes(&Folders::of(data).live)?;
    if free < takes {
        warn!(
            free,
            takes, "too little free disk to compact the store; it stays as it is"
        );
    }
    Ok(free >= takes)
}

/// Bytes of sled's log file in a `store/` folder.
pub(super) fn log_bytes(store: &Path) -> u64 {
    std::fs::metadata(store.join("db")).map_or(0, |m| m.len())
}

/// Compacts the closed store in `data` now (the caller holds the folder
/// lock and no sled handle). See the module doc.
pub(super) fn compact(data: &Path, cache_bytes: u64) -> Result<Compaction> {
    let started = Instant::now();
    recover(data)?;
    let live = Folders::of(data).live;
    let db = super::open::open_sled(&sled_config(&live, cache_bytes))?;
    let prepared = prepare(data, &db, cache_bytes)?;
    drop(db);
    // Nothing else has the store: the copy takes over whatever dropping
    // the handle wrote (sled flushes on drop).
    swap(&Folders::of(data))?;
    // Removes the marker and the original.
    recover(data)?;
    let after = super::space::files_bytes(&live)?;
    let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    info!(
        before = prepared.before,
        after,
        rows = prepared.rows,
        millis,
        "compacted the store"
    );
    Ok(Compaction {
        before: prepared.before,
        after,
        rows: prepared.rows,
        millis,
    })
}

/// What [`prepare`] made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// sled's folder, in bytes, when the copy began.
    pub before: u64,
    /// The copy's folder, in bytes.
    pub copy: u64,
    /// Rows copied.
    pub rows: u64,
    /// How long it took, in milliseconds.
    pub millis: u64,
}

/// Copies the rows of `db`, the open sled database of `data/store`, into
/// `store.compact/`, makes the copy durable and marks it ready, with the
/// list of `store/`'s files as they were before the copy began. The caller
/// has made the store durable and keeps its writers out; a write that
/// slips in anyway only costs the copy (module doc).
pub(super) fn prepare(data: &Path, db: &sled::Db, cache_bytes: u64) -> Result<Prepared> {
    let started = Instant::now();
    let f = Folders::of(data);
    discard(&f)?;
    // What sled has yet to write goes before the list is taken (a handle
    // just opened starts a new log segment at its first flush).
    db.flush()?;
    let fence = fence(&f.live)?;
    let before = super::space::files_bytes(&f.live)?;
    let rows = copy(db, &f.copy, cache_bytes)?;
    fsync_tree(&f.copy)?;
    sync_dir(&f.data)?;
    let mut ready = File::create(&f.ready)?;
    ready.write_all(&enc(&fence))?;
    ready.sync_all()?;
    sync_dir(&f.data)?;
    let copy = super::space::files_bytes(&f.copy)?;
    let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    info!(
        before,
        copy, rows, millis, "copied the store's rows to take over at the next open"
    );
    Ok(Prepared {
        before,
        copy,
        rows,
        millis,
    })
}

/// Copies every tree of `src` into a new sled database in `to`, and
/// records the copy's log size in its meta tree. Returns the rows copied.
fn copy(src: &sled::Db, to: &Path, cache_bytes: u64) -> Result<u64> {
    let dst = super::open::open_sled(&sled_config(to, cache_bytes))?;
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
    drop(dst);
    // sled writes its snapshot only while opening: without opening the
    // copy once more, the next open would replay all of it (`close`).
    let dst = super::open::open_sled(&sled_config(to, cache_bytes))?;
    dst.open_tree("meta")?
        .insert(COMPACTED_LOG_BYTES, enc(&log_bytes(to)))?;
    dst.flush()?;
    Ok(rows)
}

/// Each file under `dir` (relative path), with its length and its
/// modification time in nanoseconds, sorted.
type Fence = Vec<(String, u64, u128)>;

fn fence(dir: &Path) -> Result<Fence> {
    fn walk(root: &Path, dir: &Path, out: &mut Fence) -> Result<()> {
        for e in std::fs::read_dir(dir)? {
            let e = e?;
            let m = e.metadata()?;
            if m.is_dir() {
                walk(root, &e.path(), out)?;
                continue;
            }
            let name = e.path();
            let name = name.strip_prefix(root).unwrap_or(&name);
            let modified = m
                .modified()?
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            out.push((name.to_string_lossy().into_owned(), m.len(), modified));
        }
        Ok(())
    }
    let mut out = Fence::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// Before the store's sled folder is opened: finishes or undoes what a
/// crash interrupted, and swaps in a copy [`prepare`] made ready if the
/// store has not changed since (module doc). True if a copy took over.
pub(super) fn recover(data: &Path) -> Result<bool> {
    let f = Folders::of(data);
    if !f.live.exists() && f.old.exists() {
        info!("a compaction was interrupted before its copy took over: keeping the original");
        std::fs::rename(&f.old, &f.live)?;
        sync_dir(&f.data)?;
    }
    let mut swapped = false;
    if f.copy.exists() && f.ready.exists() {
        let taken: Option<Fence> = std::fs::read(&f.ready)
            .ok()
            .and_then(|bytes| dec(&bytes).ok());
        if taken.is_some_and(|t| fence(&f.live).is_ok_and(|now| now == t)) {
            swap(&f)?;
            swapped = true;
            info!("the compacted copy of the store took over");
        } else {
            info!("the store changed after its compacted copy was taken: the copy is discarded");
        }
    }
    discard(&f)?;
    if f.old.exists() {
        std::fs::remove_dir_all(&f.old)?;
        sync_dir(&f.data)?;
    }
    Ok(swapped)
}

/// Puts the copy in the store's place (the original goes to `store.old/`).
fn swap(f: &Folders) -> Result<()> {
    std::fs::rename(&f.live, &f.old)?;
    sync_dir(&f.data)?;
    std::fs::rename(&f.copy, &f.live)?;
    sync_dir(&f.data)?;
    Ok(())
}

/// Removes a copy and its marker, if there are.
fn discard(f: &Folders) -> Result<()> {
    if f.ready.exists() {
        std::fs::remove_file(&f.ready)?;
        sync_dir(&f.data)?;
    }
    if f.copy.exists() {
        std::fs::remove_dir_all(&f.copy)?;
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
