//! A write set over the store's rows. Apply logic reads through it (seeing
//! its own writes) and records writes; `commit` then writes everything with
//! one atomic `apply_batch` on the store's one tree, so an op and all its
//! derived rows land together or not at all.
//!
//! Apply reads (including range scans) run against the tree plus this
//! overlay; writers are serialized by the store's write lock, so nothing
//! changes underneath.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::{de::DeserializeOwned, Serialize};

use super::rows::{dec, enc};
use super::trees::{Trees, T};
use crate::error::Result;

type Overlay = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// Pending writes over the trees.
pub struct Tx<'a> {
    trees: &'a Trees,
    writes: Vec<Overlay>,
}

impl<'a> Tx<'a> {
    /// An empty write set.
    pub fn new(trees: &'a Trees) -> Self {
        Tx {
            trees,
            writes: vec![Overlay::new(); T::ALL.len()],
        }
    }

    /// Reads a value, seeing pending writes.
    pub fn get(&self, t: T, k: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(v) = self.writes[t as usize].get(k) {
            return Ok(v.clone());
        }
        Ok(self.trees.get(t).get(k)?.map(|v| v.to_vec()))
    }

    /// Whether a key exists.
    pub fn contains(&self, t: T, k: &[u8]) -> Result<bool> {
        if let Some(v) = self.writes[t as usize].get(k) {
            return Ok(v.is_some());
        }
        Ok(self.trees.get(t).contains_key(k)?)
    }

    /// Reads and decodes a row.
    pub fn row<R: DeserializeOwned>(&self, t: T, k: &[u8]) -> Result<Option<R>> {
        self.get(t, k)?.map(|b| dec(&b)).transpose()
    }

    /// Writes raw bytes.
    pub fn put(&mut self, t: T, k: impl Into<Vec<u8>>, v: impl Into<Vec<u8>>) {
        self.writes[t as usize].insert(k.into(), Some(v.into()));
    }

    /// Encodes and writes a row.
    pub fn put_row<R: Serialize>(&mut self, t: T, k: impl Into<Vec<u8>>, r: &R) {
        self.put(t, k, enc(r));
    }

    /// Drops a pending write of `k`, as if it had not been made (for a
    /// row that is already in the tree as written: see `staged`).
    pub fn forget(&mut self, t: T, k: &[u8]) {
        self.writes[t as usize].remove(k);
    }

    /// Removes a key.
    pub fn del(&mut self, t: T, k: impl Into<Vec<u8>>) {
        self.writes[t as usize].insert(k.into(), None);
    }

    /// Entries with keys in `[from, end of prefix)`, in key order, seeing
    /// pending writes.
    pub fn range_in_prefix(
        &self,
        t: T,
        prefix: &[u8],
        from: &[u8],
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        let end = prefix_end(prefix);
        let tree = self.trees.get(t);
        let iter = match &end {
            Some(e) => tree.range(from.to_vec()..e.clone()),
            None => tree.range(from.to_vec()..),
        };
        for kv in iter {
            let (k, v) = kv?;
            merged.insert(k.to_vec(), v.to_vec());
        }
        let upper = match &end {
            Some(e) => Bound::Excluded(e.clone()),
            None => Bound::Unbounded,
        };
        for (k, v) in self.writes[t as usize].range((Bound::Included(from.to_vec()), upper)) {
            match v {
                Some(v) => merged.insert(k.clone(), v.clone()),
                None => merged.remove(k),
            };
        }
        Ok(merged.into_iter().collect())
    }

    /// Entries with keys in `[from, end)`, in key order, seeing pending
    /// writes.
    pub fn scan_range(&self, t: T, from: &[u8], end: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for kv in self.trees.get(t).range(from.to_vec()..end.to_vec()) {
            let (k, v) = kv?;
            merged.insert(k.to_vec(), v.to_vec());
        }
        let bounds = (
            Bound::Included(from.to_vec()),
            Bound::Excluded(end.to_vec()),
        );
        for (k, v) in self.writes[t as usize].range(bounds) {
            match v {
                Some(v) => merged.insert(k.clone(), v.clone()),
                None => merged.remove(k),
            };
        }
        Ok(merged.into_iter().collect())
    }

    /// All entries under a prefix.
    pub fn scan_prefix(&self, t: T, prefix: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.range_in_prefix(t, prefix, prefix)
    }

    /// What this write set holds, per kind in [`T::ALL`] order: keys
    /// written or removed (`rows`), and their bytes as sled gets them.
    pub fn by_kind(&self) -> [super::space::KindBytes; T::ALL.len()] {
        let mut out = [super::space::KindBytes::default(); T::ALL.len()];
        for (o, writes) in out.iter_mut().zip(&self.writes) {
            for (k, v) in writes {
                o.rows += 1;
                o.key_bytes += 1 + k.len() as u64;
                o.value_bytes += v.as_ref().map_or(0, Vec::len) as u64;
            }
        }
        out
    }

    /// Writes everything atomically.
    pub fn commit(self) -> Result<()> {
        if self.writes.iter().all(BTreeMap::is_empty) {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        for (t, writes) in T::ALL.iter().zip(&self.writes) {
            for (k, v) in writes {
                let mut full = Vec::with_capacity(k.len() + 1);
                full.push(t.tag());
                full.extend_from_slice(k);
                match v {
                    Some(v) => batch.insert(full, v.as_slice()),
                    None => batch.remove(full),
                }
            }
        }
        self.trees.data.apply_batch(batch)?;
        Ok(())
    }
}

/// The smallest key greater than every key starting with `prefix`.
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}
