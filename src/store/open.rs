//! Opening a data folder: the lock, sled with a bounded cache, the device
//! identity, the schema check (rebuilding derived trees after an upgrade)
//! and the search index beside the store.
//!
//! Layout of a data folder: `tidings.lock`, `store/` (sled), `search/`
//! (tantivy).

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use tokio::sync::broadcast;
use tracing::{info, instrument};

use super::durability::{sync_dir, Durability, FolderLock};
use super::identity;
use super::rows::{dec, enc, CommentRow, ThreadRow};
use super::trees::{
    has_many_trees, meta, migrate_from_many_trees, stats, Trees, SCHEMA_VERSION, T,
};
use super::{Inner, Store};
use crate::error::{Error, ErrorCode, Result};
use crate::model::clock::{Clock, IdSource, SystemClock, UlidIds};
use crate::model::ids::{DeviceId, Hlc, OpId, OP_KEY_LEN};
use crate::search::SearchIndex;

/// sled's page cache. sled's resident memory runs at roughly ten times
/// this, so 8 MiB keeps a large store near 100 MB while the hot views (the
/// inbox, the open channel and thread) stay cached.
pub const DEFAULT_CACHE_BYTES: u64 = 8 * 1024 * 1024;

/// sled's page cache for a session that applies a whole workspace: the
/// first one of a data folder (a join catches up on everything written
/// so far) and one that rebuilds the derived rows. Applying touches rows
/// of every thread in turn; with 8 MiB most of sled's pages are evicted
/// and read back from its log before each write (BENCHMARKS.md, issue 11,
/// fourth round: 1.4-1.7x more ops per second with 128 MiB). The next
/// session opens with [`DEFAULT_CACHE_BYTES`] again.
pub const BULK_CACHE_BYTES: u64 = 128 * 1024 * 1024;

/// The free space a store keeps on its disk by default (see
/// [`Options::disk_reserve_bytes`]).
pub const DEFAULT_DISK_RESERVE_BYTES: u64 = 4 * 1024 * 1024;

/// How to open a store.
#[derive(Clone)]
pub struct Options {
    /// sled cache capacity in bytes.
    pub cache_bytes: u64,
    /// sled's cache instead of `cache_bytes` when this session will apply
    /// a whole workspace: the store has no "me" yet (a join is next) or
    /// its derived rows are rebuilt. Never smaller than `cache_bytes`.
    pub bulk_cache_bytes: u64,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// Where new ids come from.
    pub ids: Arc<dyn IdSource>,
    /// Free space kept on the data folder's disk: a write that would leave
    /// less is refused with `disk_full` before anything changes (see
    /// `durability`). 0 turns the check off (tests of a write that fails
    /// part way).
    pub disk_reserve_bytes: u64,
    /// [`Store::close`] opens sled once more, which writes its snapshot,
    /// when the session wrote at least this many bytes of rows (see
    /// `store::close`).
    pub resnapshot_after_bytes: u64,
    /// [`Store::close`] copies the live rows into a fresh sled folder once
    /// sled's log is at least this big and twice what the last compaction
    /// left (see `store::compact`). `u64::MAX` turns it off.
    pub compact_above_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cache_bytes: DEFAULT_CACHE_BYTES,
            bulk_cache_bytes: BULK_CACHE_BYTES,
            clock: Arc::new(SystemClock),
            ids: Arc::new(UlidIds),
            disk_reserve_bytes: DEFAULT_DISK_RESERVE_BYTES,
            resnapshot_after_bytes: super::close::RESNAPSHOT_AFTER_BYTES,
            compact_above_bytes: super::compact::COMPACT_ABOVE_BYTES,
        }
    }
}

impl Store {
    /// Opens (creating if needed) the store in `dir`. Fails with
    /// `already_running` when another process has it open.
    #[instrument(skip(opts), fields(dir = %dir.display()), err)]
    pub fn open(dir: &Path, opts: Options) -> Result<Store> {
        let lock = FolderLock::acquire(dir)?;
        // A compaction a crash interrupted is finished or undone, and a
        // copy prepared at the last quit takes over.
        super::compact::recover(dir)?;
        let store_dir = dir.join("store");
        let is_new = !store_dir.join("db").exists();
        let mut cache_bytes = opts.cache_bytes;
        let mut db = open_sled(&sled_config(&store_dir, cache_bytes))?;
        if is_new {
            db.flush()?;
            sync_dir(&store_dir)?;
            sync_dir(dir)?;
        }
        let mut trees = Trees::open(&db)?;
        let stored_schema: Option<u32> =
            trees.meta.get(meta::SCHEMA)?.map(|v| dec(&v)).transpose()?;
        let has_ops = !trees.get(T::Ops).is_empty();
        let must_rebuild = match stored_schema {
            Some(v) if v > SCHEMA_VERSION => {
                return Err(Error::new(
                    ErrorCode::UnsupportedVersion,
                    format!(
                        "This data folder was written by a newer Tidings (schema {v}); update Tidings to open it"
                    ),
                ))
            }
            Some(v) => v < SCHEMA_VERSION,
            None => has_ops,
        };
        // A rebuild that did not finish (crash, power cut) is done again.
        let interrupted = trees.meta.contains_key(meta::REBUILDING)?;
        if interrupted {
            info!("the last rebuild did not finish: rebuilding again");
        }
        // Schema 3 and older kept one tree per kind (also after a crash
        // in the middle of moving them).
        let many_trees = has_many_trees(&db);
        let must_rebuild = must_rebuild || interrupted || many_trees;
        let me = identity::load_me(&trees.meta)?;
        // A session that will apply a whole workspace (BULK_CACHE_BYTES):
        // no one is me yet, so a join (or a new workspace) is next, or the
        // derived rows are rebuilt.
        if opts.bulk_cache_bytes > cache_bytes && (me.is_none() || must_rebuild) {
            // sled sizes its cache at open only: open it again, bigger.
            drop(trees);
            drop(db);
            cache_bytes = opts.bulk_cache_bytes;
            db = open_sled(&sled_config(&store_dir, cache_bytes))?;
            trees = Trees::open(&db)?;
        }
        let (key, _) = identity::device_key(&trees.meta)?;
        if must_rebuild {
            // Durable before the new version is: a crash in between must
            // not leave old rows under a version that trusts them.
            trees.meta.insert(meta::REBUILDING, &[1u8])?;
            db.flush()?;
        }
        if many_trees {
            info!("moving the op log into the one-tree layout of schema {SCHEMA_VERSION}");
            migrate_from_many_trees(&db, &trees)?;
        }
        trees.meta.insert(meta::SCHEMA, enc(&SCHEMA_VERSION))?;
        // The clock resumes from the latest op it can trust: a log written
        // before ops from the future were held may hold some beyond it.
        let trusted = OpId {
            hlc: super::remote::horizon(opts.clock.now()),
            device: DeviceId([0xff; 32]),
        }
        .to_key();
        // Ops still waiting for their target took no effect: they may not
        // move the clock either.
        let waiting: std::collections::HashSet<Vec<u8>> = trees
            .get(T::Pending)
            .iter()
            .keys()
            .map(|k| k.map(|k| k[k.len().saturating_sub(OP_KEY_LEN)..].to_vec()))
            .collect::<std::result::Result<_, _>>()?;
        let mut last_op = None;
        for kv in trees.get(T::Ops).range(..=trusted.to_vec()).rev() {
            let (k, _) = kv?;
            if !waiting.contains(k.as_ref()) {
                last_op = Some(OpId::from_key(&k)?);
                break;
            }
        }
        let (search, search_fresh) = SearchIndex::open(&dir.join("search"))?;
        let durability = Durability::new(db, &store_dir)?;
        let device = DeviceId(key.verifying_key().to_bytes());
        let (events, _) = broadcast::channel(256);
        let store = Store {
            inner: Arc::new(Inner {
                dir: dir.to_path_buf(),
                trees,
                durability,
                writer: Mutex::new(last_op.map(|o| o.hlc).unwrap_or(Hlc::default())),
                key,
                device,
                me: RwLock::new(me),
                clock: opts.clock,
                ids: opts.ids,
                search,
                search_epoch: std::sync::atomic::AtomicU64::new(0),
                events,
                outbox_targets: RwLock::new(Vec::new()),
                outbox_notify: tokio::sync::watch::channel(0).0,
                disk_reserve: opts.disk_reserve_bytes,
                commits: Default::default(),
                written: Default::default(),
                resnapshot_after: opts.resnapshot_after_bytes,
                compact_above: opts.compact_above_bytes,
                cache_bytes,
                people: Default::default(),
                html: Default::default(),
                _lock: lock,
            }),
        };
        let targets = store.sync_targets()?.iter().map(|t| t.id).collect();
        store.set_outbox_targets(targets);
        let logged = store.last_search_epoch()?;
        let covered = store.search_index().committed_epoch();
        store
            .inner
            .search_epoch
            .store(logged.max(covered), std::sync::atomic::Ordering::SeqCst);
        if must_rebuild {
            info!("derived views are from an older schema: rebuilding from the op log");
            store.rebuild()?;
        } else if search_fresh {
            info!("search index is missing: reindexing");
            store.reindex_search()?;
        } else {
            // Writes the index had not committed when the last run ended.
            store.replay_search_log()?;
            if store.search_is_stale()? {
                info!("search index is behind: reindexing");
                store.reindex_search()?;
            }
        }
        // Ops the last run saved but had not flushed the effects of; their
        // search documents are committed now, as a replay's are.
        if store.apply_staged()? > 0 {
            store.search_index().commit()?;
        }
        store.inner.durability.sync()?;
        Ok(store)
    }

    fn search_is_stale(&self) -> Result<bool> {
        let expected: i64 = self
            .trees()
            .get(T::Stats)
            .get(stats::SEARCHABLE)?
            .map(|v| dec(&v))
            .transpose()?
            .unwrap_or(0);
        Ok(self.search_index().num_docs() != expected as u64)
    }

    /// Rebuilds the search index from the derived threads, comments and
    /// check-in answers.
    pub fn reindex_search(&self) -> Result<()> {
        let idx = self.search_index();
        idx.clear()?;
        let mut batch = Vec::new();
        let mut titles = std::collections::HashMap::new();
        for kv in self.trees().get(T::Threads).iter() {
            let (k, v) = kv?;
            let t: ThreadRow = dec(&v)?;
            let id = crate::model::ids::ThreadId::from_bytes(
                k.as_ref()
                    .try_into()
                    .map_err(|_| Error::corrupt("thread key"))?,
            );
            let body = self.thread_body(id)?;
            batch.push(super::search_log::thread_doc(id, &t, &body));
            titles.insert(id, t);
        }
        idx.upsert(&batch)?;
        batch.clear();
        for kv in self.trees().get(T::ThreadComments).iter() {
            let (_, v) = kv?;
            let c: CommentRow = dec(&v)?;
            if c.deleted.is_some() {
                continue;
            }
            let Some(thread) = titles.get(&c.thread) else {
                continue;
            };
            batch.push(super::search_log::comment_doc(c.id, &c, thread));
            if batch.len() >= 10_000 {
                idx.upsert(&batch)?;
                batch.clear();
            }
        }
        idx.upsert(&batch)?;
        idx.upsert(&self.answer_docs()?)?;
        // Everything logged so far is in: the commit says so, and the log
        // starts again from here.
        let epoch = self
            .inner
            .search_epoch
            .load(std::sync::atomic::Ordering::SeqCst);
        idx.mark_epoch(epoch);
        idx.commit()?;
        self.prune_search_log(epoch)?;
        // What the index now holds is the truth: store it, so a counter
        // damaged by an older version heals instead of forcing this again.
        let indexed = idx.num_docs() as i64;
        self.trees()
            .get(T::Stats)
            .insert(stats::SEARCHABLE, super::rows::enc(&indexed))?;
        Ok(())
    }

    /// Sets who the local person is and rebuilds the personal views for them.
    pub(crate) fn set_me(&self, me: crate::model::ids::MemberId) -> Result<()> {
        identity::save_me(&self.trees().meta, me)?;
        if let Ok(mut m) = self.inner.me.write() {
            *m = Some(me);
        }
        self.members_changed();
        Ok(())
    }
}

/// The sled settings of every handle on a store folder (and its copies).
pub(super) fn sled_config(path: &Path, cache_bytes: u64) -> sled::Config {
    sled::Config::new()
        .path(path)
        .cache_capacity(cache_bytes)
        // No periodic flusher: every write is made durable by
        // `Durability::sync`, and sled's flusher thread also runs its
        // segment cleaner, which on our stores rewrote pages every half
        // second forever (about 1 MB/s and an fsync a second on an idle
        // store, BENCHMARKS.md), reclaiming nothing measurable.
        .flush_every_ms(None)
}

/// How long opening waits for sled's lock on its log file (see
/// [`open_sled`]).
const SLED_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens sled. The data folder's lock is ours, so no other process has
/// the store; sled's own lock on its log file can still be held for a
/// moment by this process's previous handle: sled's I/O threads keep the
/// file open until their last write of it ends, after the handle is
/// dropped (a close followed at once by an open, as `Store::close` and
/// restarts do, failed with "could not acquire lock" under load). So a
/// lock refusal is retried for up to [`SLED_LOCK_WAIT`].
pub(super) fn open_sled(config: &sled::Config) -> Result<sled::Db> {
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(1);
    loop {
        match config.open() {
            Ok(db) => return Ok(db),
            Err(e) if is_lock_refusal(&e) && started.elapsed() < SLED_LOCK_WAIT => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(50));
            }
            Err(e) if is_lock_refusal(&e) => {
                return Err(Error::new(
                    ErrorCode::AlreadyRunning,
                    "Tidings is already running with this data folder: switch to that window, or quit it first",
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// sled's refusal to open a log file another handle has locked (sled
/// 0.34 reports it as `ErrorKind::Other` with this text).
fn is_lock_refusal(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock
        || io.to_string().contains("could not acquire lock"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::{Profile, WorkingHours};
    use crate::store::NewThread;

    #[test]
    fn the_search_counter_matches_the_index_so_reopening_does_not_reindex() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path(), Options::default()).unwrap();
        let profile = Profile {
            display_name: "Ana".into(),
            time_zone: "UTC".into(),
            working_hours: WorkingHours::default(),
        };
        s.create_workspace("Acme", profile).unwrap();
        let c = s.create_channel("general", "").unwrap();
        let t = s
            .create_thread(NewThread {
                channel: c,
                title: "T".into(),
                body: "b".into(),
                notify: vec![],
            })
            .unwrap();
        let ids: Vec<_> = (0..20)
            .map(|i| s.add_comment(t, &format!("c{i}")).unwrap())
            .collect();
        s.delete_comment(ids[3]).unwrap();
        s.flush_search().unwrap();
        assert!(!s.search_is_stale().unwrap(), "16 + 1 docs expected");
        // A counter damaged by an older version heals on reindex.
        s.trees()
            .get(T::Stats)
            .insert(stats::SEARCHABLE, enc(&999_i64))
            .unwrap();
        assert!(s.search_is_stale().unwrap());
        s.reindex_search().unwrap();
        assert!(!s.search_is_stale().unwrap());
    }

    fn ana() -> Profile {
        Profile {
            display_name: "Ana".into(),
            time_zone: "UTC".into(),
            working_hours: WorkingHours::default(),
        }
    }

    #[test]
    fn a_session_that_will_apply_a_whole_workspace_opens_sled_with_the_bulk_cache() {
        let dir = tempfile::tempdir().unwrap();
        let opts = Options {
            bulk_cache_bytes: 64 << 20,
            ..Options::default()
        };
        // No one is me yet: a join (or a new workspace) comes next.
        let s = Store::open(dir.path(), opts.clone()).unwrap();
        assert_eq!(s.inner.cache_bytes, 64 << 20, "first session");
        s.create_workspace("Acme", ana()).unwrap();
        drop(s);
        // The next session is an everyday one.
        let s = Store::open(dir.path(), opts.clone()).unwrap();
        assert_eq!(s.inner.cache_bytes, DEFAULT_CACHE_BYTES, "everyday session");
        assert!(s.me().is_some(), "me survives the reopen");
        // Derived rows from an older schema are rebuilt from the whole log.
        s.trees()
            .meta
            .insert(meta::SCHEMA, enc(&(SCHEMA_VERSION - 1)))
            .unwrap();
        drop(s);
        let s = Store::open(dir.path(), opts).unwrap();
        assert_eq!(s.inner.cache_bytes, 64 << 20, "rebuilding session");
        assert_eq!(s.channels().unwrap().len(), 0, "nothing lost or invented");
    }

    #[test]
    fn a_bulk_cache_smaller_than_the_everyday_one_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let opts = Options {
            cache_bytes: 32 << 20,
            bulk_cache_bytes: 16 << 20,
            ..Options::default()
        };
        let s = Store::open(dir.path(), opts).unwrap();
        assert_eq!(s.inner.cache_bytes, 32 << 20);
    }
}
