//! Where a store's bytes are: the live rows of each kind, and the files
//! on disk (sled's log, its snapshots, the search index). The difference
//! between the two is what sled's log holds beyond the live rows — old
//! page versions its segment cleaner has not reclaimed yet.

use std::path::Path;

use super::trees::T;
use super::Store;
use crate::error::Result;

/// The live rows of one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindBytes {
    /// How many rows.
    pub rows: u64,
    /// Bytes of their keys (with the one-byte kind prefix).
    pub key_bytes: u64,
    /// Bytes of their values.
    pub value_bytes: u64,
}

/// A store's size, by what holds it.
#[derive(Clone, Debug, Default)]
pub struct Space {
    /// Live rows per kind, by the kind's name; kinds without rows left out.
    pub kinds: Vec<(String, KindBytes)>,
    /// The meta tree's live rows.
    pub meta: KindBytes,
    /// sled's log file (`store/db`).
    pub log_file: u64,
    /// sled's snapshot files (`store/snap.*`) and anything else sled keeps
    /// beside its log (`store/blobs`, `store/conf`).
    pub sled_other: u64,
    /// The search index's files.
    pub search: u64,
}

impl Space {
    /// Bytes of every live row's key and value.
    pub fn live(&self) -> u64 {
        self.kinds
            .iter()
            .map(|(_, k)| k)
            .chain(std::iter::once(&self.meta))
            .map(|k| k.key_bytes + k.value_bytes)
            .sum()
    }

    /// Bytes of every file in the data folder that this reports.
    pub fn on_disk(&self) -> u64 {
        self.log_file + self.sled_other + self.search
    }
}

fn count(kv: sled::Result<(sled::IVec, sled::IVec)>, into: &mut KindBytes) -> Result<()> {
    let (k, v) = kv?;
    into.rows += 1;
    into.key_bytes += k.len() as u64;
    into.value_bytes += v.len() as u64;
    Ok(())
}

/// Bytes of the files under `dir` (apparent sizes), 0 when it is missing.
pub(super) fn files_bytes(dir: &Path) -> Result<u64> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut n = 0;
    for e in entries {
        let e = e?;
        let m = e.metadata()?;
        n += if m.is_dir() {
            files_bytes(&e.path())?
        } else {
            m.len()
        };
    }
    Ok(n)
}

impl Store {
    /// Where this store's bytes are (module doc). Reads every row: a
    /// diagnostic for benchmarks and support, not for a view.
    pub fn space(&self) -> Result<Space> {
        let trees = &self.inner.trees;
        let mut kinds = Vec::new();
        for t in T::ALL {
            let mut k = KindBytes::default();
            for kv in trees.data.scan_prefix([t.tag()]) {
                count(kv, &mut k)?;
            }
            if k.rows > 0 {
                kinds.push((format!("{t:?}"), k));
            }
        }
        let mut meta = KindBytes::default();
        for kv in trees.meta.iter() {
            count(kv, &mut meta)?;
        }
        let store = self.inner.dir.join("store");
        let log_file = std::fs::metadata(store.join("db")).map_or(0, |m| m.len());
        let sled_other = files_bytes(&store)?.saturating_sub(log_file);
        let search = files_bytes(&self.inner.dir.join("search"))?;
        Ok(Space {
            kinds,
            meta,
            log_file,
            sled_other,
            search,
        })
    }
}

/// What a session has written, per kind: the store adds each committed
/// write set (and each batch of staged ops) here.
#[derive(Default)]
pub(super) struct WrittenTally(std::sync::Mutex<Vec<KindBytes>>);

impl WrittenTally {
    /// Adds one write set's tally, in [`T::ALL`] order.
    pub(super) fn add(&self, kinds: &[KindBytes]) {
        let Ok(mut sum) = self.0.lock() else { return };
        if sum.is_empty() {
            sum.resize(T::ALL.len(), KindBytes::default());
        }
        for (s, k) in sum.iter_mut().zip(kinds) {
            s.rows += k.rows;
            s.key_bytes += k.key_bytes;
            s.value_bytes += k.value_bytes;
        }
    }

    /// Bytes of keys and values written so far.
    pub(super) fn total(&self) -> u64 {
        self.0
            .lock()
            .map_or(0, |s| s.iter().map(|k| k.key_bytes + k.value_bytes).sum())
    }

    /// Per kind, by name, kinds never written left out.
    fn named(&self) -> Vec<(String, KindBytes)> {
        let Ok(sum) = self.0.lock() else {
            return Vec::new();
        };
        T::ALL
            .iter()
            .zip(sum.iter())
            .filter(|(_, k)| k.rows > 0)
            .map(|(t, k)| (format!("{t:?}"), *k))
            .collect()
    }
}

impl Store {
    /// What this session has written through the op pipeline, per kind:
    /// keys written or removed (`rows`) and their bytes as sled got them.
    /// Writes outside it (sync cursors, meta, marks) are not counted.
    pub fn written_by_kind(&self) -> Vec<(String, KindBytes)> {
        self.inner.written.named()
    }
}
