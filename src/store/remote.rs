//! Ops from elsewhere: verified in a batch, applied under the merge rules,
//! and kept from moving this device's clock beyond what it can trust.
//!
//! Clocks are untrusted input. An op dated more than [`MAX_SKEW`] ahead of
//! this device's wall clock (a teammate's clock is wrong, or someone forged
//! the date) is verified and kept in the `future` tree, outside the log: it
//! is not applied, not shown, and it does not raise the hybrid clock. It
//! applies once local time reaches it ([`Store::release_due`]). The clock is
//! raised only by ops that took effect, so a refused or waiting op cannot
//! drag every later local op ahead either.

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use tracing::{instrument, warn};

use super::apply::{Effects, Outcome};
use super::trees::T;
use super::{merge, poisoned, Store, OPS_PER_TX};
use crate::error::{Error, Result};
use crate::model::ids::{Hlc, OpId, OP_KEY_LEN};
use crate::model::op::Op;
use crate::model::signed::SignedOp;

/// How far ahead of this device's clock an arriving op may be dated and
/// still apply at once. Honest devices synchronised by NTP are within a
/// second; three minutes leaves room for a laptop that drifted or slept,
/// and bounds what a wrong clock can do to last-writer-wins rules.
pub const MAX_SKEW: TimeDelta = TimeDelta::minutes(3);

/// Arriving ops checked per chunk when a batch is larger: each chunk is
/// staged (one flush) and applied on its own, while the next is checked.
pub const VERIFY_CHUNK: usize = 2_000;

/// The ops whose check (`opened`, from `SignedOp::open_batch`) passed;
/// the refused ones go to `report`.
fn verified(
    ops: Vec<SignedOp>,
    opened: Vec<Result<Op>>,
    report: &mut ApplyReport,
) -> Vec<(SignedOp, Op)> {
    let mut ok = Vec::with_capacity(ops.len());
    for (signed, op) in ops.into_iter().zip(opened) {
        match op {
            Ok(op) => ok.push((signed, op)),
            Err(e) => {
                warn!(error = %e, "refused an arriving op");
                report.rejected.push(e);
            }
        }
    }
    ok
}

/// What became of a batch of arriving ops.
#[derive(Debug, Default)]
pub struct ApplyReport {
    /// Ops that took effect (including earlier ones they released).
    pub applied: Vec<Op>,
    /// Already known.
    pub duplicates: usize,
    /// Stored, waiting for their target.
    pub pending: usize,
    /// Dated too far in the future: kept aside until local time reaches
    /// them ("waiting: from the future").
    pub from_future: usize,
    /// Refused, with the reason (nothing of them was kept).
    pub rejected: Vec<Error>,
}

/// Where ops being applied come from.
#[derive(Clone, PartialEq, Eq)]
pub(super) enum Source {
    /// Arrived from elsewhere.
    Remote,
    /// Held from the future, now due.
    Released,
    /// Made durable by a run that ended before their effects were (see
    /// `staged`): the keys of those already in the log (the others are
    /// in `staged` itself). Local ones still need their outbox entries.
    Staged(HashSet<Vec<u8>>),
}

/// The latest HLC this device trusts at wall time `now`.
pub(crate) fn horizon(now: DateTime<Utc>) -> Hlc {
    Hlc {
        ms: (now + MAX_SKEW).timestamp_millis().max(0) as u64,
        counter: u32::MAX,
    }
}

impl Store {
    /// Verifies and applies ops that arrived from elsewhere. Bad ops are
    /// reported and change nothing; good ones in the same batch still apply.
    /// Ops dated beyond [`MAX_SKEW`] ahead are held (see the module doc).
    ///
    /// A large batch is verified in chunks of [`VERIFY_CHUNK`] on a second
    /// thread, one chunk ahead of the chunk being applied, so signature
    /// checks use the other core instead of adding to the apply time.
    #[instrument(skip(self, ops), fields(n = ops.len()), err)]
    pub fn apply_remote(&self, ops: Vec<SignedOp>) -> Result<ApplyReport> {
        let mut report = ApplyReport::default();
        if ops.len() <= VERIFY_CHUNK {
            let opened = SignedOp::open_batch(&ops);
            let ok = verified(ops, opened, &mut report);
            self.apply_verified(ok, Source::Remote, &mut report)?;
            return Ok(report);
        }
        let mut chunks = Vec::new();
        let mut rest = ops;
        while rest.len() > VERIFY_CHUNK {
            let tail = rest.split_off(VERIFY_CHUNK);
            chunks.push(std::mem::replace(&mut rest, tail));
        }
        chunks.push(rest);
        std::thread::scope(|scope| {
            // One chunk checked ahead: the channel holds one, the checker
            // works on the next.
            let (tx, rx) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move || {
                for chunk in chunks {
                    let opened = SignedOp::open_batch(&chunk);
                    if tx.send((chunk, opened)).is_err() {
                        return; // the applier stopped on an error
                    }
                }
            });
            for (chunk, opened) in rx {
                let ok = verified(chunk, opened, &mut report);
                self.apply_verified(ok, Source::Remote, &mut report)?;
            }
            Ok(report)
        })
    }

    /// Applies the held ops whose time has come (local time has reached
    /// them, within [`MAX_SKEW`]). Returns what took effect, for the
    /// notification policy.
    #[instrument(skip(self), err)]
    pub fn release_due(&self) -> Result<ApplyReport> {
        let limit = horizon(self.now());
        let end = OpId {
            hlc: limit,
            device: crate::model::ids::DeviceId([0xff; 32]),
        }
        .to_key();
        let mut due = Vec::new();
        for kv in self.trees().get(T::Future).range(..=end.to_vec()) {
            let (_, v) = kv?;
            let signed = SignedOp::from_bytes(v.to_vec())?;
            let op = signed.decode_unverified()?;
            due.push((signed, op));
        }
        let mut report = ApplyReport::default();
        if !due.is_empty() {
            self.apply_verified(due, Source::Released, &mut report)?;
        }
        report.applied.extend(self.reveal_scheduled()?);
        Ok(report)
    }

    /// Shows the scheduled posts whose time has come for this replica's
    /// person; returns them as the ops they became.
    fn reveal_scheduled(&self) -> Result<Vec<Op>> {
        let now = self.now();
        match super::scheduled::next_reveal(self.trees().get(T::Reveals))? {
            Some(at) if at <= now => {}
            _ => return Ok(Vec::new()),
        }
        let hlc = self.inner.writer.lock().map_err(|_| poisoned())?;
        let mut applier = self.applier();
        super::scheduled::reveal_due(&mut applier, now)?;
        let mut fx = self.finish(applier)?;
        drop(hlc);
        self.inner.durability.sync()?;
        let applied = std::mem::take(&mut fx.applied);
        self.publish(fx);
        Ok(applied)
    }

    /// The next instant something waiting here is due: an op held from the
    /// future, or a scheduled post to show. The desktop app sets its timer
    /// to it and calls [`Store::release_due`] then.
    pub fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        let reveal = super::scheduled::next_reveal(self.trees().get(T::Reveals))?;
        let future = self.next_future_release()?;
        Ok(match (reveal, future) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    /// How many ops are held because they are dated in the future.
    pub fn held_from_future(&self) -> Result<usize> {
        Ok(self.trees().get(T::Future).len()?)
    }

    /// When the earliest held op becomes due on this device's clock.
    pub fn next_future_release(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(match self.trees().get(T::Future).first()? {
            Some((k, _)) => Some(OpId::from_key(&k)?.time() - MAX_SKEW),
            None => None,
        })
    }

    /// Applies verified ops: made durable first (`staged`), then in
    /// transactions of up to [`OPS_PER_TX`]. A refusal while staging
    /// changes nothing. An op staged here is in the log already: it is
    /// applied as a replay, and taken out of the log if it is refused or
    /// dated in the future.
    pub(super) fn apply_verified(
        &self,
        ops: Vec<(SignedOp, Op)>,
        source: Source,
        report: &mut ApplyReport,
    ) -> Result<()> {
        let limit = horizon(self.now());
        let mut hlc = self.inner.writer.lock().map_err(|_| poisoned())?;
        // Markers to remove, and which of their ops are in the log.
        let (mut unstage, in_log): (HashSet<Vec<u8>>, HashSet<Vec<u8>>) = match &source {
            Source::Staged(in_log) => (
                ops.iter().map(|(_, op)| op.id.to_key().to_vec()).collect(),
                in_log.clone(),
            ),
            Source::Released => Default::default(),
            Source::Remote => {
                // Ops already in the log change nothing: not worth a write.
                let log = self.trees().get(T::Ops);
                let mut fresh: Vec<([u8; OP_KEY_LEN], &SignedOp)> = Vec::new();
                let mut seen = HashSet::new();
                for (signed, op) in &ops {
                    let key = op.id.to_key();
                    if seen.insert(key) && !log.contains_key(key)? {
                        fresh.push((key, signed));
                    }
                }
                self.stage(fresh.iter().map(|(k, s)| (&k[..], *s)))?;
                let keys: HashSet<Vec<u8>> = fresh.iter().map(|(k, _)| k.to_vec()).collect();
                (keys.clone(), keys)
            }
        };
        let targets = self.outbox_targets();
        let mut all_fx = Effects::default();
        let mut applier = self.applier();
        let mut in_tx = 0;
        for (signed, op) in &ops {
            let key = op.id.to_key();
            // Only an op's first copy in the batch was staged.
            let staged = unstage.remove(&key[..]);
            if staged {
                applier.tx.del(T::Staged, key.to_vec());
            }
            let in_log = staged && in_log.contains(&key[..]);
            if op.id.hlc > limit {
                if in_log {
                    applier.tx.del(T::Ops, key.to_vec());
                }
                if in_log || !applier.tx.contains(T::Ops, &key)? {
                    applier
                        .tx
                        .put(T::Future, key.to_vec(), signed.as_bytes().to_vec());
                    report.from_future += 1;
                } else {
                    report.duplicates += 1;
                }
                continue;
            }
            if source == Source::Released {
                applier.tx.del(T::Future, key.to_vec());
            }
            let seen = applier.fx.applied.len();
            match applier.apply(signed, op, in_log)? {
                Outcome::Applied => {
                    if matches!(source, Source::Staged(_)) && op.id.device == self.inner.device {
                        for k in super::sync_state::outbox_keys(&targets, &op.id) {
                            applier.tx.put(T::Outbox, k, Vec::new());
                        }
                    }
                }
                Outcome::Duplicate => report.duplicates += 1,
                Outcome::Pending => report.pending += 1,
                Outcome::Rejected(e) => {
                    warn!(error = %e, "refused an arriving op");
                    report.rejected.push(e);
                    // Refused ops are not kept (see `apply::release`).
                    if in_log {
                        applier.tx.del(T::Ops, key.to_vec());
                    }
                }
            }
            // Only what took effect (this op and what it released) moves
            // the clock; all of it is within the horizon.
            for applied in &applier.fx.applied[seen..] {
                if applied.id.hlc > *hlc && applied.id.hlc <= limit {
                    *hlc = applied.id.hlc;
                }
            }
            in_tx += 1;
            if in_tx == OPS_PER_TX {
                merge(&mut all_fx, self.take_effect(applier)?);
                applier = self.applier();
                in_tx = 0;
            }
        }
        merge(&mut all_fx, self.take_effect(applier)?);
        drop(hlc);
        report.applied.append(&mut all_fx.applied);
        self.publish(all_fx);
        Ok(())
    }
}
