//! Ops are on disk before they take effect.
//!
//! sled applies a write in memory first and flushes it later; when the
//! flush fails (a full disk), the write is already in the trees every view
//! reads, and sled cannot take it back (its failed log write is a sticky
//! error that refuses every later write, `durability`). So a write goes in
//! two steps, under the writer lock:
//!
//! 1. the signed ops go into the op log, each with a marker in `staged`
//!    (its key, an empty value), and are flushed; a failure here refuses
//!    the write and nothing a person sees changed (no row, no search
//!    document, no change event; the ops are taken out of the log again);
//! 2. the ops take effect (rows, outbox, search), in one atomic batch that
//!    also removes their markers. This is flushed with the next write (or
//!    at close); a run that ends before that leaves the markers, and the
//!    next open applies their ops again ([`Store::open`]).
//!
//! Each op is written once: step 2 does not write the op again. Tidings
//! up to commit 0327850 kept the whole op in `staged` instead of a
//! marker, with the op not yet in the log; [`Store::apply_staged`] still
//! takes those.
//!
//! A refused op's bytes are normally not on disk: its flush failed. sled
//! recovers a prefix of its log and checks each message, so a write cut
//! off part way is dropped at the next open. It comes back after a
//! restart only if the log write failed *after* its bytes were written
//! (a later part of the same flush ran out of room); then the next open
//! applies it like any acknowledged op.

use std::collections::HashSet;

use tracing::{info, warn};

use super::remote::ApplyReport;
use super::trees::T;
use super::tx::Tx;
use super::Store;
use crate::error::Result;
use crate::model::signed::SignedOp;

impl Store {
    /// Step 1: checks there is room, writes `ops` to the log with their
    /// markers and waits until they are on disk. On an error nothing took
    /// effect.
    pub(super) fn stage<'a>(
        &self,
        ops: impl IntoIterator<Item = (&'a [u8], &'a SignedOp)>,
    ) -> Result<()> {
        let keys = self.stage_unsynced(ops)?;
        if keys.is_empty() {
            return Ok(());
        }
        let result = self.inner.durability.sync();
        if result.is_err() {
            self.unstage(&keys);
        }
        result
    }

    /// Step 1 without waiting for the disk: the caller makes the ops
    /// durable (`Durability::sync`) and, should that fail, calls
    /// [`Store::unstage`]. Returns the keys written.
    pub(super) fn stage_unsynced<'a>(
        &self,
        ops: impl IntoIterator<Item = (&'a [u8], &'a SignedOp)>,
    ) -> Result<Vec<Vec<u8>>> {
        if let Some(failed) = self.inner.durability.failure() {
            return Err(failed);
        }
        let mut tx = Tx::new(self.trees());
        let mut keys = Vec::new();
        let mut bytes = 0u64;
        for (key, signed) in ops {
            bytes += signed.as_bytes().len() as u64;
            tx.put(T::Ops, key, signed.as_bytes());
            tx.put(T::Staged, key, Vec::new());
            keys.push(key.to_vec());
        }
        if keys.is_empty() {
            return Ok(keys);
        }
        super::room::check(&self.inner.dir, self.inner.disk_reserve, bytes)?;
        let tally = tx.by_kind();
        let result = tx.commit();
        self.inner.written.add(&tally);
        match result {
            Ok(()) => Ok(keys),
            Err(e) => {
                self.unstage(&keys);
                Err(e)
            }
        }
    }

    /// Takes refused ops out of the log again (their flush failed).
    /// Usually refused too (sled's error is sticky); if not, a later flush
    /// must not carry the refused ops to disk.
    pub(super) fn unstage(&self, keys: &[Vec<u8>]) {
        let mut undo = Tx::new(self.trees());
        for k in keys {
            undo.del(T::Ops, k.clone());
            undo.del(T::Staged, k.clone());
        }
        if let Err(e) = undo.commit() {
            info!(error = %e, "refused ops stay in memory only (the store refuses writes)");
        }
    }

    /// At open: applies the ops a previous run made durable but had not
    /// flushed the effects of (it ended before its next flush).
    pub(super) fn apply_staged(&self) -> Result<usize> {
        let log = self.trees().get(T::Ops);
        let mut ops = Vec::new();
        let mut in_log = HashSet::new();
        for kv in self.trees().get(T::Staged).iter() {
            let (k, v) = kv?;
            let bytes = if v.is_empty() {
                match log.get(&k)? {
                    Some(op) => {
                        in_log.insert(k.to_vec());
                        op.to_vec()
                    }
                    None => {
                        warn!("a staged op is missing from the log; dropping its marker");
                        self.trees().get(T::Staged).remove(&k)?;
                        continue;
                    }
                }
            } else {
                // Schema 5 before markers: the op itself, not in the log.
                v.to_vec()
            };
            let signed = SignedOp::from_bytes(bytes)?;
            let op = signed.decode_unverified()?;
            ops.push((signed, op));
        }
        if ops.is_empty() {
            return Ok(0);
        }
        let n = ops.len();
        info!(n, "applying ops saved just before the last run ended");
        let mut report = ApplyReport::default();
        self.apply_verified(ops, super::remote::Source::Staged(in_log), &mut report)?;
        for e in &report.rejected {
            warn!(error = %e, "a saved op is refused by the current rules");
        }
        Ok(n)
    }

    /// Keys of the ops whose markers say they are in the log but may not
    /// have taken effect (a rebuild leaves them to [`Store::apply_staged`];
    /// [`Store::ops`] does not list them).
    pub(super) fn staged_in_log(&self) -> Result<HashSet<Vec<u8>>> {
        let mut keys = HashSet::new();
        for kv in self.trees().get(T::Staged).iter() {
            let (k, v) = kv?;
            if v.is_empty() {
                keys.insert(k.to_vec());
            }
        }
        Ok(keys)
    }
}
