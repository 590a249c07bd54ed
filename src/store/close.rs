//! Closing a store, and keeping the next open fast and the store small.
//!
//! sled 0.34 writes its snapshot (the page table) only while opening, and
//! recovery replays every log segment written since that snapshot. After a
//! session that wrote a lot — a large sync, joining a big workspace, a bulk
//! import — the next open would read back and replay all of it (8.8 s from
//! a cold page cache after loading 1M comments, BENCHMARKS.md). [`Store::close`]
//! moves that cost to the end of the session that caused it:
//!
//! - when sled's log has grown enough to be compacted (`compact`), it
//!   copies the live rows into a fresh folder, which also gives the next
//!   open a fresh snapshot;
//! - otherwise, when the session wrote at least
//!   [`super::Options::resnapshot_after_bytes`], it opens sled once more,
//!   while the log is still in the page cache, which writes a fresh
//!   snapshot; the next open then replays nothing.

use std::time::Instant;

use tracing::info;

use super::compact::Prepared;
use super::Store;
use crate::error::Result;

/// Bytes of rows written in a session after which closing re-snapshots
/// by default ([`super::Options::resnapshot_after_bytes`]): below it, the
/// next open replays little and the extra open at close (≈ reading the
/// page table) would cost more than it saves.
pub const RESNAPSHOT_AFTER_BYTES: u64 = 64 << 20;

/// What closing did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    /// Other handles to the store are still open: this one was dropped and
    /// the store closes with the last of them.
    StillShared,
    /// Closed; the session wrote too little to be worth a snapshot.
    Closed,
    /// Closed, then compacted: the live rows copied into a fresh folder.
    Compacted(super::Compaction),
    /// Closed, then opened once more to write sled's snapshot.
    Resnapshotted {
        /// Bytes of rows the session wrote.
        written: u64,
        /// How long the extra open took, in milliseconds.
        millis: u64,
    },
}

impl Store {
    /// Bytes of rows this session has written through the op pipeline so
    /// far (each write batch's keys and values, as given to sled, and the
    /// ops staged before it; see [`Store::written_by_kind`]).
    pub fn written_this_session(&self) -> u64 {
        self.inner.written.total()
    }

    /// For an app that quits without closing its store (its tasks still
    /// hold it): when sled's log is due for compaction (as for
    /// [`Store::close`]), copies the rows aside now, with writers kept out,
    /// to take over at the next open, unless something is written in
    /// between (`compact`). None when no compaction is due, or when the
    /// disk has less free space than the store takes (logged).
    pub fn prepare_compaction(&self) -> Result<Option<Prepared>> {
        self.flush_search()?;
        let _writers = self.write_lock()?;
        self.inner.durability.sync()?;
        let dir = &self.inner.dir;
        let live = dir.join("store");
        let log = super::compact::log_bytes(&live);
        if !super::compact::due(&self.inner.trees.meta, log, self.inner.compact_above)? {
            return Ok(None);
        }
        if !super::compact::room_for(dir)? {
            return Ok(None);
        }
        super::compact::prepare(dir, self.inner.durability.db(), self.inner.cache_bytes).map(Some)
    }

    /// Closes the store: makes everything durable, releases the folder,
    /// and compacts or re-snapshots sled when that is due (module doc).
    pub fn close(self) -> Result<Closed> {
        self.flush_search()?;
        self.inner.durability.sync()?;
        let written = self.written_this_session();
        let threshold = self.inner.resnapshot_after;
        let inner = match std::sync::Arc::try_unwrap(self.inner) {
            Ok(inner) => inner,
            Err(_) => return Ok(Closed::StillShared),
        };
        let super::Inner {
            dir,
            trees,
            durability,
            search,
            compact_above,
            cache_bytes,
            _lock,
            ..
        } = inner;
        let compact = super::compact::due(
            &trees.meta,
            super::compact::log_bytes(&dir.join("store")),
            compact_above,
        )?;
        // Every sled handle goes before sled is opened again; the folder
        // lock stays held until it is done, so no other process gets in.
        drop(trees);
        drop(durability);
        drop(search);
        if compact && super::compact::room_for(&dir)? {
            let done = super::compact::compact(&dir, cache_bytes)?;
            drop(_lock);
            return Ok(Closed::Compacted(done));
        }
        if written < threshold {
            return Ok(Closed::Closed);
        }
        let started = Instant::now();
        let db =
            super::open::open_sled(&super::open::sled_config(&dir.join("store"), cache_bytes))?;
        drop(db);
        let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        info!(
            written,
            millis, "wrote sled's snapshot so the next open replays nothing"
        );
        drop(_lock);
        Ok(Closed::Resnapshotted { written, millis })
    }
}
