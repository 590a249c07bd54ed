//! One part of the store's single sled tree: the rows of one [`T`] kind,
//! under a one-byte prefix. It reads like a `sled::Tree` of its own (keys
//! come back without the prefix), so views keep their range scans, while a
//! write batch that touches many kinds is still one `Tree::apply_batch`:
//! atomic, without the read of every key before it is written that
//! sled's multi-tree transactions do (sled 0.34 `TransactionalTree::insert`).

use std::ops::{Bound, RangeBounds};

use sled::IVec;

use super::trees::T;

/// The rows of one kind.
#[derive(Clone, Copy)]
pub struct Part<'a> {
    tree: &'a sled::Tree,
    tag: u8,
}

impl<'a> Part<'a> {
    pub(super) fn new(tree: &'a sled::Tree, t: T) -> Self {
        Part { tree, tag: t.tag() }
    }

    fn full_key(&self, k: &[u8]) -> Vec<u8> {
        let mut full = Vec::with_capacity(k.len() + 1);
        full.push(self.tag);
        full.extend_from_slice(k);
        full
    }

    /// A value.
    pub fn get<K: AsRef<[u8]>>(&self, k: K) -> sled::Result<Option<IVec>> {
        super::read_count::note_point_read();
        self.tree.get(self.full_key(k.as_ref()))
    }

    /// Whether a key is present.
    pub fn contains_key<K: AsRef<[u8]>>(&self, k: K) -> sled::Result<bool> {
        super::read_count::note_point_read();
        self.tree.contains_key(self.full_key(k.as_ref()))
    }

    /// Writes one key (outside the op pipeline: sync bookkeeping).
    pub fn insert<K: AsRef<[u8]>, V: Into<IVec>>(&self, k: K, v: V) -> sled::Result<Option<IVec>> {
        self.tree.insert(self.full_key(k.as_ref()), v)
    }

    /// Removes one key.
    pub fn remove<K: AsRef<[u8]>>(&self, k: K) -> sled::Result<Option<IVec>> {
        self.tree.remove(self.full_key(k.as_ref()))
    }

    /// Every row, in key order.
    pub fn iter(&self) -> PartIter {
        self.scan_prefix([])
    }

    /// Rows whose key starts with `prefix`.
    pub fn scan_prefix<P: AsRef<[u8]>>(&self, prefix: P) -> PartIter {
        super::read_count::note_scan();
        PartIter(self.tree.scan_prefix(self.full_key(prefix.as_ref())))
    }

    /// Rows with keys in `range`.
    pub fn range<K: AsRef<[u8]>, R: RangeBounds<K>>(&self, range: R) -> PartIter {
        let start = match range.start_bound() {
            Bound::Included(k) => Bound::Included(self.full_key(k.as_ref())),
            Bound::Excluded(k) => Bound::Excluded(self.full_key(k.as_ref())),
            Bound::Unbounded => Bound::Included(vec![self.tag]),
        };
        let end = match range.end_bound() {
            Bound::Included(k) => Bound::Included(self.full_key(k.as_ref())),
            Bound::Excluded(k) => Bound::Excluded(self.full_key(k.as_ref())),
            Bound::Unbounded => match self.tag.checked_add(1) {
                Some(next) => Bound::Excluded(vec![next]),
                None => Bound::Unbounded,
            },
        };
        super::read_count::note_scan();
        PartIter(self.tree.range::<Vec<u8>, _>((start, end)))
    }

    /// The row with the smallest key.
    pub fn first(&self) -> sled::Result<Option<(IVec, IVec)>> {
        self.iter().next().transpose()
    }

    /// The row with the largest key.
    pub fn last(&self) -> sled::Result<Option<(IVec, IVec)>> {
        self.iter().next_back().transpose()
    }

    /// Number of rows (a scan, as sled's own `len`). Stops at the first
    /// error: after a failed flush sled may return the same error for
    /// every later step of an iterator, and counting them never ends.
    pub fn len(&self) -> sled::Result<usize> {
        self.iter().try_fold(0, |n, kv| kv.map(|_| n + 1))
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// Removes every row of this kind in one atomic batch.
    pub fn clear(&self) -> sled::Result<()> {
        let mut batch = sled::Batch::default();
        for k in self.tree.scan_prefix([self.tag]).keys() {
            batch.remove(k?);
        }
        self.tree.apply_batch(batch)
    }

    /// A write batch for this kind.
    pub fn batch(&self) -> PartBatch {
        PartBatch {
            tag: self.tag,
            batch: sled::Batch::default(),
        }
    }

    /// Applies a batch of this kind atomically.
    pub fn apply_batch(&self, batch: PartBatch) -> sled::Result<()> {
        debug_assert_eq!(batch.tag, self.tag, "a batch of another kind");
        self.tree.apply_batch(batch.batch)
    }
}

/// Writes to one kind, applied together.
pub struct PartBatch {
    tag: u8,
    batch: sled::Batch,
}

impl PartBatch {
    /// Writes a key.
    pub fn insert<K: AsRef<[u8]>, V: Into<IVec>>(&mut self, k: K, v: V) {
        let mut full = vec![self.tag];
        full.extend_from_slice(k.as_ref());
        self.batch.insert(full, v);
    }

    /// Removes a key.
    pub fn remove<K: AsRef<[u8]>>(&mut self, k: K) {
        let mut full = vec![self.tag];
        full.extend_from_slice(k.as_ref());
        self.batch.remove(full);
    }
}

/// Rows of one kind, keys without the prefix.
pub struct PartIter(sled::Iter);

fn strip(kv: sled::Result<(IVec, IVec)>) -> sled::Result<(IVec, IVec)> {
    kv.map(|(k, v)| (k.subslice(1, k.len() - 1), v))
}

impl Iterator for PartIter {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(strip)
    }
}

impl DoubleEndedIterator for PartIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(strip)
    }
}

impl PartIter {
    /// Only the keys.
    pub fn keys(self) -> impl DoubleEndedIterator<Item = sled::Result<IVec>> {
        self.map(|kv| kv.map(|(k, _)| k))
    }
}
