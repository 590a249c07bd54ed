//! Ops are on disk before they take effect.
//!
//! sled applies a write in memory first and flushes it later; when the
//! flush fails (a full disk), the write is already in the trees every view
//! reads, and sled cannot take it back (its failed log write is a sticky
//! error that refuses every later write, `durability`). So a write goes in
//! two steps, under the writer lock:
//!
//! 1. the signed ops go into the `staged` tree, which no view reads, and
//!    are flushed; a failure here refuses the write and nothing a person
//!    sees changed (no row, no op in the log, no search document, no
//!    change event);
//! 2. the ops take effect (log, rows, outbox, search), in one atomic batch
//!    that also removes them from `staged`. This is flushed with the next
//!    write (or at close); a run that ends before that leaves them in
//!    `staged`, and the next open applies them again ([`Store::open`]).
//!
//! A refused op's bytes are normally not on disk: its flush failed. sled
//! recovers a prefix of its log and checks each message, so a write cut
//! off part way is dropped at the next open. It comes back after a
//! restart only if the log write failed *after* its bytes were written
//! (a later part of the same flush ran out of room); then the next open
//! applies it like any acknowledged op.

use tracing::{info, warn};

use super::remote::ApplyReport;
use super::trees::T;
use super::Store;
use crate::error::Result;
use crate::model::signed::SignedOp;

impl Store {
    /// Step 1: checks there is room, writes `ops` to `staged` and waits
    /// until they are on disk. On an error nothing took effect.
    pub(super) fn stage<'a>(
        &self,
        ops: impl IntoIterator<Item = (&'a [u8], &'a SignedOp)>,
    ) -> Result<()> {
        if let Some(failed) = self.inner.durability.failure() {
            return Err(failed);
        }
        let staged = self.trees().get(T::Staged);
        let mut batch = staged.batch();
        let mut keys = Vec::new();
        let mut bytes = 0u64;
        let mut tally = super::space::KindBytes::default();
        for (key, signed) in ops {
            bytes += signed.as_bytes().len() as u64;
            batch.insert(key, signed.as_bytes());
            keys.push(key);
            tally.rows += 1;
            tally.key_bytes += 1 + key.len() as u64;
        }
        tally.value_bytes = bytes;
        if keys.is_empty() {
            return Ok(());
        }
        super::room::check(&self.inner.dir, self.inner.disk_reserve, bytes)?;
        let result = staged
            .apply_batch(batch)
            .map_err(Into::into)
            .and_then(|()| self.inner.durability.sync());
        self.inner.written.add_kind(T::Staged, tally);
        if result.is_err() {
            // Usually refused too (sled's error is sticky); if not, a later
            // flush must not carry the refused ops to disk.
            let mut undo = staged.batch();
            for k in keys {
                undo.remove(k);
            }
            if let Err(e) = staged.apply_batch(undo) {
                info!(error = %e, "refused ops stay in memory only (the store refuses writes)");
            }
        }
        result
    }

    /// At open: applies the ops a previous run made durable but had not
    /// flushed the effects of (it ended before its next flush).
    pub(super) fn apply_staged(&self) -> Result<usize> {
        let mut ops = Vec::new();
        for kv in self.trees().get(T::Staged).iter() {
            let (_, v) = kv?;
            let signed = SignedOp::from_bytes(v.to_vec())?;
            let op = signed.decode_unverified()?;
            ops.push((signed, op));
        }
        if ops.is_empty() {
            return Ok(0);
        }
        let n = ops.len();
        info!(n, "applying ops saved just before the last run ended");
        let mut report = ApplyReport::default();
        self.apply_verified(ops, super::remote::Source::Staged, &mut report)?;
        for e in &report.rejected {
            warn!(error = %e, "a saved op is refused by the current rules");
        }
        Ok(n)
    }
}
