//! The store: one sled database per data folder holding the op log and every
//! derived view, a tantivy index beside it, and the write pipelines.
//!
//! A local write: command → op built, signed → applied with its derived
//! rows in one sled transaction → search index fed → durable (group-commit
//! flush + fsync) → change event. An arriving op: verified (batch
//! signatures) → applied the same way → returned to the caller, which runs
//! the notification policy on it.

mod apply;
mod away;
mod checkin_alerts;
pub(crate) mod checkin_days;
mod checkin_write;
mod checkins;
mod close;
mod compact;
mod content;
mod durability;
mod found;
mod identity;
mod later;
mod later_alerts;
pub(crate) mod me;
mod membership;
mod open;
pub(crate) mod part;
mod post;
pub(crate) mod reactions;
mod read_count;
mod remote;
mod reply_alerts;
mod replyby;
mod room;
pub(crate) mod rows;
mod schedule_write;
mod scheduled;
mod search_log;
mod shown;
mod snippet;
mod space;
mod staged;
mod sync_state;
pub(crate) mod trees;
pub(crate) mod tx;
mod urgent;
mod write;

pub use apply::Outcome;
pub use close::{Closed, RESNAPSHOT_AFTER_BYTES};
pub use compact::{Compaction, Prepared, COMPACT_ABOVE_BYTES};
pub use found::{Founded, GENERAL, WELCOME_TITLE};
pub use later::LaterEntry;
pub use open::{Options, BULK_CACHE_BYTES, DEFAULT_CACHE_BYTES, DEFAULT_DISK_RESERVE_BYTES};
pub use post::{PostOptions, Posted, ReplyBy};
pub use read_count::{comment_reads_on_this_thread, store_reads_on_this_thread, Reads};
pub use remote::{ApplyReport, MAX_SKEW, VERIFY_CHUNK};
pub use replyby::WaitingItem;
pub use schedule_write::ScheduledEdit;
pub use space::{KindBytes, Space};
pub use sync_state::{SyncSecrets, Target};
pub use urgent::UrgentCheck;
pub use write::NewThread;

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock};

use ed25519_dalek::SigningKey;
use tokio::sync::broadcast;
use tracing::{instrument, warn};

use self::apply::{Applier, Effects, SearchWork};
use self::durability::{Durability, FolderLock};
use self::trees::{Trees, T};
use self::tx::Tx;
use crate::error::{Error, ErrorCode, Result};
use crate::events::Change;
use crate::model::clock::{Clock, IdSource};
use crate::model::ids::{DeviceId, Hlc, MemberId, OpId};
use crate::model::op::{Op, OpKind};
use crate::model::signed::SignedOp;
use crate::search::SearchIndex;

/// How many ops one sled transaction carries at most when applying a
/// batch (bounds the write set's memory).
const OPS_PER_TX: usize = 2_000;

/// An open store. Cheap to clone; all clones share one database.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    trees: Trees,
    durability: Durability,
    writer: Mutex<Hlc>,
    key: SigningKey,
    device: DeviceId,
    me: RwLock<Option<MemberId>>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
    search: SearchIndex,
    /// The search log's latest epoch (see `search_log`).
    search_epoch: std::sync::atomic::AtomicU64,
    events: broadcast::Sender<Arc<Vec<Change>>>,
    /// Ids of the sync targets every local op is queued for.
    outbox_targets: RwLock<Vec<u32>>,
    outbox_notify: tokio::sync::watch::Sender<u64>,
    /// Free space kept on the disk (`room`).
    disk_reserve: u64,
    /// Write sets committed since open (`commit_local`'s group commit).
    commits: std::sync::atomic::AtomicU64,
    /// Rows written since open, per kind (`close`, `space`).
    written: space::WrittenTally,
    /// Re-snapshot at close after this many bytes (`close`).
    resnapshot_after: u64,
    /// Compact at close once the log is this big (`compact`).
    compact_above: u64,
    /// sled's cache, as opened (`Options::cache_bytes`).
    cache_bytes: u64,
    /// The members, kept until one changes (`views/people_cache.rs`).
    people: crate::views::people_cache::PeopleCache,
    /// Rendered HTML per text version (`render/cache.rs`).
    html: crate::render::cache::HtmlCache,
    _lock: FolderLock,
}

impl Store {
    /// The data folder.
    pub fn dir(&self) -> &std::path::Path {
        &self.inner.dir
    }

    /// This device's id (its public key).
    pub fn device(&self) -> DeviceId {
        self.inner.device
    }

    /// The local person, once a workspace was created or joined.
    pub fn me(&self) -> Option<MemberId> {
        self.inner.me.read().ok().and_then(|m| *m)
    }

    /// The local person, or an error telling how to get one.
    pub fn require_me(&self) -> Result<MemberId> {
        self.me().ok_or_else(|| {
            Error::new(
                ErrorCode::NoWorkspace,
                "No workspace yet: create one (`tidings workspace create`) or join one with an invite",
            )
        })
    }

    /// The clock this store reads.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.clock.now()
    }

    fn new_id(&self) -> u128 {
        self.inner.ids.next_id()
    }

    /// Subscribes to change events; each message lists what one write changed.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Vec<Change>>> {
        self.inner.events.subscribe()
    }

    pub(crate) fn trees(&self) -> &Trees {
        &self.inner.trees
    }

    pub(crate) fn search_index(&self) -> &SearchIndex {
        &self.inner.search
    }

    pub(crate) fn people_cache(&self) -> &crate::views::people_cache::PeopleCache {
        &self.inner.people
    }

    pub(crate) fn html_cache(&self) -> &crate::render::cache::HtmlCache {
        &self.inner.html
    }

    /// Next HLC reading: never behind the wall clock or anything seen.
    fn tick(&self, last: &mut Hlc) -> Hlc {
        let now = self.inner.clock.now().timestamp_millis().max(0) as u64;
        *last = next_hlc(*last, now);
        *last
    }

    /// Signs and applies local ops as `author`, atomically; returns their
    /// ids once they are durable. A refusal is the caller's to report
    /// (logged at info: an ERROR line on stderr would break the CLI's
    /// `--json` error output). The ops are checked, then made durable
    /// (`staged`), then take effect: a write refused for a full disk
    /// changes nothing a person sees.
    ///
    /// Group commit: the writer lock is released while the ops are
    /// flushed, so writers on other threads share one flush. Their effects
    /// were worked out before it; when another write committed in the
    /// meantime (`Inner::commits` moved), they are worked out again on
    /// what is there now.
    #[instrument(skip(self, kinds), err(level = "info"))]
    pub(crate) fn commit_local(&self, author: MemberId, kinds: Vec<OpKind>) -> Result<Vec<OpId>> {
        let mut hlc = self.inner.writer.lock().map_err(|_| poisoned())?;
        let mut applier = self.applier();
        let mut ids = Vec::with_capacity(kinds.len());
        let mut signed_ops = Vec::with_capacity(kinds.len());
        for kind in kinds {
            let op = Op {
                id: OpId {
                    hlc: self.tick(&mut hlc),
                    device: self.inner.device,
                },
                author,
                kind,
            };
            let signed = SignedOp::sign(&op, &self.inner.key)?;
            self.apply_local(&mut applier, &signed, &op, false)?;
            ids.push(op.id);
            signed_ops.push((signed, op));
        }
        let keys: Vec<_> = ids.iter().map(OpId::to_key).collect();
        // `stage` writes the ops to the log; the write set must not write
        // them a second time.
        for k in &keys {
            applier.tx.forget(T::Ops, k);
        }
        let staged = self.stage_unsynced(
            keys.iter()
                .map(|k| &k[..])
                .zip(signed_ops.iter().map(|(s, _)| s)),
        )?;
        let seen = self.inner.commits.load(Ordering::SeqCst);
        drop(hlc);
        if let Err(e) = self.inner.durability.sync() {
            let _hlc = self.inner.writer.lock().map_err(|_| poisoned())?;
            self.unstage(&staged);
            return Err(e);
        }
        let hlc = self.inner.writer.lock().map_err(|_| poisoned())?;
        if self.inner.commits.load(Ordering::SeqCst) != seen {
            applier = self.applier();
            for (signed, op) in &signed_ops {
                if let Err(e) = self.apply_local(&mut applier, signed, op, true) {
                    // What it relied on changed while it was flushed: it
                    // does not take effect, and it leaves the log again.
                    self.unstage(&staged);
                    return Err(e);
                }
            }
        }
        let fx = self.take_effect(applier)?;
        drop(hlc);
        self.publish(fx);
        self.inner.outbox_notify.send_modify(|n| *n += 1);
        Ok(ids)
    }

    /// Applies one local op into `applier`, with its outbox entries and the
    /// removal of its `staged` marker; `in_log` when it is staged already.
    fn apply_local(
        &self,
        applier: &mut Applier<'_>,
        signed: &SignedOp,
        op: &Op,
        in_log: bool,
    ) -> Result<()> {
        match applier.apply(signed, op, in_log)? {
            Outcome::Applied => {
                for k in sync_state::outbox_keys(&self.outbox_targets(), &op.id) {
                    applier.tx.put(T::Outbox, k, Vec::new());
                }
                applier.tx.del(T::Staged, op.id.to_key().to_vec());
                Ok(())
            }
            Outcome::Rejected(e) => Err(e),
            Outcome::Pending | Outcome::Duplicate => Err(Error::new(
                ErrorCode::NotFound,
                "What this refers to is not in the store yet: sync first, then try again",
            )),
        }
    }

    /// Step 2 of a write whose ops are staged and durable: commits the
    /// write set. sled refuses it only when an earlier log write failed
    /// since the ops were flushed; they are saved all the same, and the
    /// next open applies them, so this is not a refusal (logged).
    fn take_effect(&self, applier: Applier<'_>) -> Result<Effects> {
        match self.finish(applier) {
            Ok(fx) => Ok(fx),
            Err(e) if self.inner.durability.failure().is_some() => {
                warn!(error = %e, "saved ops could not take effect in this session; they will after a restart");
                Ok(Effects::default())
            }
            Err(e) => Err(e),
        }
    }

    fn outbox_targets(&self) -> Vec<u32> {
        self.inner
            .outbox_targets
            .read()
            .map(|t| t.clone())
            .unwrap_or_default()
    }

    pub(crate) fn set_outbox_targets(&self, targets: Vec<u32>) {
        if let Ok(mut t) = self.inner.outbox_targets.write() {
            *t = targets;
        }
    }

    pub(crate) fn outbox_notify(&self) -> &tokio::sync::watch::Sender<u64> {
        &self.inner.outbox_notify
    }

    /// Serializes with writers (for changes outside the op pipeline).
    /// Counts as a commit for writers waiting on a flush (`commit_local`).
    pub(crate) fn write_lock(&self) -> Result<std::sync::MutexGuard<'_, Hlc>> {
        let guard = self.inner.writer.lock().map_err(|_| poisoned())?;
        self.inner.commits.fetch_add(1, Ordering::SeqCst);
        Ok(guard)
    }

    /// Waits until everything written so far is on disk.
    pub(crate) fn durable(&self) -> Result<()> {
        self.inner.durability.sync()
    }

    fn applier(&self) -> Applier<'_> {
        Applier {
            tx: Tx::new(&self.inner.trees),
            me: self.me(),
            fx: Effects::default(),
        }
    }

    /// Commits the write set and feeds the search index (under the writer
    /// lock, so index updates land in commit order).
    fn finish(&self, applier: Applier<'_>) -> Result<Effects> {
        let Applier { mut tx, fx, .. } = applier;
        // Logged with the rows: a crash before the index commits is redone
        // at the next open.
        let epoch = self.log_search_work(&mut tx, &fx.search)?;
        let kinds = tx.by_kind();
        tx.commit()?;
        self.inner.commits.fetch_add(1, Ordering::SeqCst);
        self.inner.written.add(&kinds);
        // After the commit, never before: see `views/people_cache.rs`.
        if crate::views::people_cache::touches_people(&fx.changes) {
            self.members_changed();
        }
        self.feed_search(&fx.search);
        if let Some(epoch) = epoch {
            self.inner.search.mark_epoch(epoch);
        }
        Ok(fx)
    }

    fn feed_search(&self, work: &[SearchWork]) {
        let idx = &self.inner.search;
        let mut upserts = Vec::new();
        for w in work {
            let r = match w {
                SearchWork::Upsert(d) => {
                    upserts.push(d.clone());
                    Ok(())
                }
                SearchWork::RemoveComment(c) => {
                    flush_upserts(idx, &mut upserts).and_then(|_| idx.remove_comment(*c))
                }
                SearchWork::Retitle(t, title) => {
                    flush_upserts(idx, &mut upserts).and_then(|_| idx.retitle_thread(*t, title))
                }
                SearchWork::RemoveAnswer(c, d, m) => {
                    flush_upserts(idx, &mut upserts).and_then(|_| idx.remove_answer(*c, *d, *m))
                }
            };
            if let Err(e) = r {
                warn!(error = %e, "search index update failed; `tidings rebuild` restores it");
            }
        }
        if let Err(e) = flush_upserts(idx, &mut upserts) {
            warn!(error = %e, "search index update failed; `tidings rebuild` restores it");
        }
    }

    fn publish(&self, fx: Effects) {
        if !fx.changes.is_empty() {
            // No subscribers is fine: nobody is looking.
            let _ = self
                .inner
                .events
                .send(Arc::new(fx.changes.into_iter().collect()));
        }
    }

    /// Every op in the log, in op order (for export and sync). Ops still
    /// being written — in the log with a `staged` marker, their effects
    /// not landed — are left out: they are not acknowledged yet, and one
    /// refused for a failed flush may stay in memory until a restart.
    pub fn ops(&self) -> impl Iterator<Item = Result<SignedOp>> + '_ {
        let (staged, failed) = match self.staged_in_log() {
            Ok(s) => (s, None),
            Err(e) => (Default::default(), Some(e)),
        };
        let log = self.inner.trees.get(T::Ops).iter();
        failed
            .map(Err)
            .into_iter()
            .chain(log.filter_map(move |kv| match kv {
                Ok((k, _)) if staged.contains(k.as_ref()) => None,
                Ok((_, v)) => Some(SignedOp::from_bytes(v.to_vec())),
                Err(e) => Some(Err(e.into())),
            }))
    }

    /// Number of ops in the log, as [`Store::ops`] lists them.
    pub fn op_count(&self) -> Result<usize> {
        let staged = self.staged_in_log()?;
        let mut n = 0;
        for k in self.inner.trees.get(T::Ops).iter().keys() {
            if !staged.contains(k?.as_ref()) {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Rebuilds every derived tree and the search index from the op log.
    #[instrument(skip(self), err)]
    pub fn rebuild(&self) -> Result<()> {
        let mut hlc = self.inner.writer.lock().map_err(|_| poisoned())?;
        self.rebuild_locked(&mut hlc)?;
        drop(hlc);
        self.inner.durability.sync()?;
        let _ = self.inner.events.send(Arc::new(vec![Change::All]));
        Ok(())
    }

    fn rebuild_locked(&self, hlc: &mut Hlc) -> Result<()> {
        // Marked durably before the first row is cleared, unmarked after
        // the last is written: a crash in between leaves the mark, and the
        // next open rebuilds again instead of trusting half the views.
        let meta = &self.inner.trees.meta;
        meta.insert(trees::meta::REBUILDING, &[1u8])?;
        meta.flush()?;
        for t in T::ALL {
            if t.is_derived() {
                self.inner.trees.get(t).clear()?;
            }
        }
        self.members_changed();
        self.inner.search.clear()?;
        let trusted = remote::horizon(self.now());
        // Ops saved with their effects still to come are applied after the
        // rebuild, by `apply_staged`, which also holds back any dated in
        // the future.
        let staged = self.staged_in_log()?;
        let mut applier = self.applier();
        let mut n = 0;
        for kv in self.inner.trees.get(T::Ops).iter() {
            let (k, v) = kv?;
            if staged.contains(k.as_ref()) {
                continue;
            }
            let signed = SignedOp::from_bytes(v.to_vec())?;
            let op = signed.decode_unverified()?;
            let seen = applier.fx.applied.len();
            if let Outcome::Rejected(e) = applier.apply(&signed, &op, true)? {
                warn!(error = %e, "an op in the log is refused by the current rules");
            }
            // As on arrival: only what took effect moves the clock.
            for applied in &applier.fx.applied[seen..] {
                if applied.id.hlc > *hlc && applied.id.hlc <= trusted {
                    *hlc = applied.id.hlc;
                }
            }
            n += 1;
            if n % OPS_PER_TX == 0 {
                self.finish(applier)?;
                applier = self.applier();
            }
        }
        scheduled::reveal_due(&mut applier, self.now())?;
        self.finish(applier)?;
        self.inner.search.commit()?;
        // sled recovers a prefix of its writes: if this removal is on disk,
        // so is every row above.
        meta.remove(trees::meta::REBUILDING)?;
        Ok(())
    }

    /// Waits (up to `timeout`) until every write so far is searchable, the
    /// way the background committer makes it; returns whether it is.
    pub fn wait_searchable(&self, timeout: std::time::Duration) -> bool {
        self.inner.search.wait_committed(timeout)
    }

    /// Makes every write so far visible to search now (normally within a
    /// fraction of a second by itself).
    pub fn flush_search(&self) -> Result<()> {
        self.inner.search.commit()
    }
}

fn flush_upserts(idx: &SearchIndex, upserts: &mut Vec<crate::search::SearchDoc>) -> Result<()> {
    if upserts.is_empty() {
        return Ok(());
    }
    let r = idx.upsert(upserts);
    upserts.clear();
    r
}

/// The HLC reading after `last` at wall time `now_ms`: the wall clock when
/// it is ahead, else one more tick of the counter, carrying into the next
/// millisecond rather than overflowing.
fn next_hlc(last: Hlc, now_ms: u64) -> Hlc {
    if now_ms > last.ms {
        Hlc {
            ms: now_ms,
            counter: 0,
        }
    } else if last.counter == u32::MAX {
        Hlc {
            ms: last.ms.saturating_add(1),
            counter: 0,
        }
    } else {
        Hlc {
            ms: last.ms,
            counter: last.counter + 1,
        }
    }
}

fn merge(into: &mut Effects, fx: Effects) {
    into.changes.extend(fx.changes);
    into.applied.extend(fx.applied);
}

fn poisoned() -> Error {
    Error::new(ErrorCode::Io, "A writer crashed earlier; restart Tidings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_counter_carries_into_the_next_millisecond_instead_of_overflowing() {
        let last = Hlc {
            ms: 1_000,
            counter: u32::MAX,
        };
        // The wall clock stands still (or was left behind by a seen op).
        let next = next_hlc(last, 900);
        assert_eq!(
            next,
            Hlc {
                ms: 1_001,
                counter: 0
            }
        );
        assert!(next > last);
        assert_eq!(
            next_hlc(next, 900),
            Hlc {
                ms: 1_001,
                counter: 1
            }
        );
        assert_eq!(
            next_hlc(next, 5_000),
            Hlc {
                ms: 5_000,
                counter: 0
            }
        );
    }
}
