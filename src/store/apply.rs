//! Applying ops: the merge rules that make apply idempotent and
//! order-independent.
//!
//! - creations are a grow-only set keyed by id;
//! - edits and states are last-writer-wins by `OpId` ([`Lww`]);
//! - a comment delete is a tombstone that beats every edit;
//! - read markers take the maximum;
//! - an op whose target (device binding, channel, thread, comment) has not
//!   arrived is kept in the log and in `pending`, and applies when it does;
//! - permission checks (only the author edits a comment…) depend only on
//!   the op and its target, so every replica decides alike.

use std::collections::BTreeSet;

use tracing::warn;

use super::content;
use super::rows::Lww;
use super::trees::{key, Target, T};
use super::tx::Tx;
use crate::error::{Error, ErrorCode, Result};
use crate::events::Change;
use crate::model::ids::{MemberId, OpId, OP_KEY_LEN};
use crate::model::limits;
use crate::model::op::{Op, OpKind};
use crate::model::signed::SignedOp;
use crate::search::SearchDoc;

/// What became of one op.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It took effect now.
    Applied,
    /// It was already in the log.
    Duplicate,
    /// It is stored and waits for its target.
    Pending,
    /// It was refused; nothing changed.
    Rejected(Error),
}

/// Work for after the commit: search index updates.
#[derive(Debug, Clone)]
pub enum SearchWork {
    /// Add or replace a doc.
    Upsert(SearchDoc),
    /// Remove a comment's doc.
    RemoveComment(crate::model::ids::CommentId),
    /// New title for every doc of a thread.
    Retitle(crate::model::ids::ThreadId, String),
    /// Remove a check-in answer's doc.
    RemoveAnswer(
        crate::model::ids::CheckinId,
        chrono::NaiveDate,
        crate::model::ids::MemberId,
    ),
}

/// Everything an apply batch did besides writing rows.
#[derive(Default, Debug)]
pub struct Effects {
    /// What changed, for subscribers.
    pub changes: BTreeSet<Change>,
    /// Search index work.
    pub search: Vec<SearchWork>,
    /// Ops that took effect (including ones released from pending), in
    /// the order they did.
    pub applied: Vec<Op>,
}

/// The apply step: a write set, the local member, and the effects so far.
pub struct Applier<'a> {
    /// Pending writes.
    pub tx: Tx<'a>,
    /// The local person, whose personal views are kept.
    pub me: Option<MemberId>,
    /// Collected effects.
    pub fx: Effects,
}

/// Whether an op can take effect now.
enum Readiness {
    Ready,
    Wait(Target),
    Refuse(Error),
}

impl<'a> Applier<'a> {
    /// Applies one verified op. `replay` is set when rebuilding from the log
    /// (the op is already stored there).
    pub fn apply(&mut self, signed: &SignedOp, op: &Op, replay: bool) -> Result<Outcome> {
        let op_key = op.id.to_key();
        if !replay && self.tx.contains(T::Ops, &op_key)? {
            return Ok(Outcome::Duplicate);
        }
        if let Err(e) = limits::validate(op) {
            let code = if e.code == ErrorCode::TooLarge {
                ErrorCode::TooLarge
            } else {
                ErrorCode::MalformedOp
            };
            return Ok(Outcome::Rejected(Error::new(
                code,
                format!("Op {} refused: {}", op.id, e.message),
            )));
        }
        match self.readiness(op)? {
            Readiness::Refuse(e) => Ok(Outcome::Rejected(e)),
            Readiness::Wait(target) => {
                if !replay {
                    self.tx.put(T::Ops, op_key.to_vec(), signed.as_bytes());
                }
                self.tx
                    .put(T::Pending, key(&[&target.key(), &op_key]), Vec::new());
                Ok(Outcome::Pending)
            }
            Readiness::Ready => {
                if !replay {
                    self.tx.put(T::Ops, op_key.to_vec(), signed.as_bytes());
                }
                self.take_effect(op)?;
                Ok(Outcome::Applied)
            }
        }
    }

    /// Checks device binding, targets and permissions.
    fn readiness(&self, op: &Op) -> Result<Readiness> {
        let bound: Option<MemberId> = self.tx.row(T::Devices, &op.id.device.0)?;
        let introduces_device = matches!(
            op.kind,
            OpKind::WorkspaceCreated { .. } | OpKind::MemberJoined { .. }
        );
        if introduces_device && op.author != MemberId::for_device(op.id.device) {
            return Ok(Readiness::Refuse(Error::new(
                ErrorCode::WrongMember,
                format!(
                    "Op {} joins as {} but a device can only found a new person (it would be {}); a person's other devices are added by one of theirs",
                    op.id,
                    op.author,
                    MemberId::for_device(op.id.device)
                ),
            )));
        }
        match bound {
            Some(m) if m != op.author => {
                return Ok(Readiness::Refuse(Error::new(
                    ErrorCode::WrongMember,
                    format!(
                        "Op {} claims author {} but its device belongs to {m}; it was refused",
                        op.id, op.author
                    ),
                )))
            }
            None if !introduces_device => return Ok(Readiness::Wait(Target::Device(op.id.device))),
            _ => {}
        }
        content::readiness_of_kind(&self.tx, op).map(|r| match r {
            content::Ready::Yes => Readiness::Ready,
            content::Ready::Wait(t) => Readiness::Wait(t),
            content::Ready::Refuse(e) => Readiness::Refuse(e),
        })
    }

    /// Writes the op's effects, then releases ops that waited for what it
    /// created.
    pub(super) fn take_effect(&mut self, op: &Op) -> Result<()> {
        let released = content::take_effect(self, op)?;
        self.fx.applied.push(op.clone());
        for target in released {
            self.release(target)?;
        }
        Ok(())
    }

    /// Applies the ops that waited for `target`, in op order.
    fn release(&mut self, target: Target) -> Result<()> {
        let prefix = target.key();
        let waiting = self.tx.scan_prefix(T::Pending, &prefix)?;
        for (k, _) in waiting {
            self.tx.del(T::Pending, k.clone());
            let op_key = &k[k.len() - OP_KEY_LEN..];
            let Some(bytes) = self.tx.get(T::Ops, op_key)? else {
                continue;
            };
            let signed = SignedOp::from_bytes(bytes)?;
            let op = signed.decode_unverified()?;
            if let Outcome::Rejected(e) = self.apply(&signed, &op, true)? {
                // Refused ops are not kept, whichever order they came in, so
                // every replica ends with the same log.
                warn!(op = %op.id, error = %e, "a waiting op was refused once its target arrived");
                self.tx.del(T::Ops, op_key.to_vec());
            }
        }
        Ok(())
    }

    /// Binds the op's device to its author (for ops that introduce a device).
    pub fn bind_device(&mut self, op: &Op) -> Result<Option<Target>> {
        if self.tx.contains(T::Devices, &op.id.device.0)? {
            return Ok(None);
        }
        self.tx
            .put_row(T::Devices, op.id.device.0.to_vec(), &op.author);
        Ok(Some(Target::Device(op.id.device)))
    }

    /// Offers a value to a LWW row stored under `k`, creating it if absent.
    pub fn offer_lww<V>(&mut self, t: T, k: Vec<u8>, value: V, at: OpId) -> Result<bool>
    where
        V: serde::Serialize + serde::de::DeserializeOwned,
    {
        let row: Option<Lww<V>> = self.tx.row(t, &k)?;
        let (row, changed) = match row {
            Some(mut r) => {
                let changed = r.offer(value, at);
                (r, changed)
            }
            None => (Lww::new(value, at), true),
        };
        if changed {
            self.tx.put_row(t, k, &row);
        }
        Ok(changed)
    }
}
