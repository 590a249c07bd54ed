//! What sync keeps in the store besides ops: the workspace's secrets, the
//! sync targets, each target's outbox (my ops it has not acknowledged) and
//! its read cursor. Acknowledged state (the op log) and not-yet-synced state
//! (outboxes) live in different trees, and a rebuild never touches the
//! latter.

use serde::{Deserialize, Serialize};

use super::rows::{dec, enc};
use super::trees::{key, T};
use super::Store;
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{DeviceId, MemberId, OpId, WorkspaceId, OP_KEY_LEN};
use crate::model::signed::SignedOp;
use crate::sync::config::TargetConfig;

const SECRETS: &[u8] = b"sync_secrets";
const WORKSPACE_ID: &[u8] = b"workspace_id";
const TARGETS: &[u8] = b"sync_targets";

/// The workspace key and my personal key (never leave this device except
/// inside invite and device-link codes).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSecrets {
    /// Encrypts shared ops.
    pub workspace_key: [u8; 32],
    /// Encrypts my personal ops (read markers, done, mute, settings).
    pub personal_key: [u8; 32],
}

impl std::fmt::Debug for SyncSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SyncSecrets(..)")
    }
}

/// A configured target and its id in this store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// Stable id (outbox and cursor keys).
    pub id: u32,
    /// Where it is.
    pub config: TargetConfig,
}

impl Store {
    /// The secrets, once the workspace was created or joined with sync.
    pub fn sync_secrets(&self) -> Result<Option<SyncSecrets>> {
        self.trees().meta.get(SECRETS)?.map(|v| dec(&v)).transpose()
    }

    /// Stores the secrets of `workspace`.
    pub(crate) fn set_sync_secrets(&self, workspace: WorkspaceId, s: &SyncSecrets) -> Result<()> {
        self.trees().meta.insert(SECRETS, enc(s))?;
        self.trees().meta.insert(WORKSPACE_ID, enc(&workspace))?;
        self.durable()
    }

    /// The workspace this store belongs to: known from the invite before
    /// its founding op arrives.
    pub fn workspace_id(&self) -> Result<Option<WorkspaceId>> {
        if let Some(w) = self.workspace_row()? {
            return Ok(Some(w.id));
        }
        self.trees()
            .meta
            .get(WORKSPACE_ID)?
            .map(|v| dec(&v))
            .transpose()
    }

    /// Whether an op introduced this device (it belongs to a member).
    pub fn is_device_known(&self, device: DeviceId) -> Result<bool> {
        Ok(self.trees().get(T::Devices).contains_key(device.0)?)
    }

    /// The member an op bound `device` to, if any.
    pub(crate) fn device_owner(&self, device: DeviceId) -> Result<Option<MemberId>> {
        self.trees()
            .get(T::Devices)
            .get(device.0)?
            .map(|v| dec(&v))
            .transpose()
    }

    /// The configured targets.
    pub fn sync_targets(&self) -> Result<Vec<Target>> {
        // JSON: target configs are internally tagged enums, which postcard
        // cannot decode.
        match self.trees().meta.get(TARGETS)? {
            Some(v) => {
                serde_json::from_slice(&v).map_err(|e| Error::corrupt(format!("sync targets: {e}")))
            }
            None => Ok(Vec::new()),
        }
    }

    /// Adds a target (or returns the id of the same one) and queues every
    /// op this device wrote for it, so a new server or folder receives the
    /// history.
    pub fn add_sync_target(&self, config: TargetConfig) -> Result<u32> {
        config.validate()?;
        let _w = self.write_lock()?;
        let mut targets = self.sync_targets()?;
        if let Some(t) = targets.iter().find(|t| t.config == config) {
            return Ok(t.id);
        }
        let id = targets.iter().map(|t| t.id + 1).max().unwrap_or(1);
        let mine = self.device();
        let outbox = self.trees().get(T::Outbox);
        let mut batch = outbox.batch();
        // Ops still being written get their entries when they take effect.
        let staged = self.staged_in_log()?;
        for k in self.trees().get(T::Ops).iter().keys() {
            let k = k?;
            if OpId::from_key(&k)?.device == mine && !staged.contains(k.as_ref()) {
                batch.insert(key(&[&id.to_be_bytes(), &k]), Vec::<u8>::new());
            }
        }
        outbox.apply_batch(batch)?;
        targets.push(Target { id, config });
        self.trees().meta.insert(TARGETS, targets_json(&targets))?;
        self.set_outbox_targets(targets.iter().map(|t| t.id).collect());
        drop(_w);
        self.durable()?;
        self.outbox_notify().send_modify(|n| *n += 1);
        Ok(id)
    }

    /// Removes a target with its outbox and cursor.
    pub fn remove_sync_target(&self, id: u32) -> Result<()> {
        let _w = self.write_lock()?;
        let mut targets = self.sync_targets()?;
        let before = targets.len();
        targets.retain(|t| t.id != id);
        if targets.len() == before {
            return Err(Error::new(
                ErrorCode::NotFound,
                format!("No sync target {id}: `tidings sync status` lists them"),
            ));
        }
        let outbox = self.trees().get(T::Outbox);
        for k in outbox.scan_prefix(id.to_be_bytes()).keys() {
            outbox.remove(k?)?;
        }
        self.trees().get(T::Cursors).remove(id.to_be_bytes())?;
        self.trees().meta.insert(TARGETS, targets_json(&targets))?;
        self.set_outbox_targets(targets.iter().map(|t| t.id).collect());
        drop(_w);
        self.durable()
    }

    /// Up to `limit` of my ops that `target` has not acknowledged, oldest first.
    pub fn outbox_peek(&self, target: u32, limit: usize) -> Result<Vec<SignedOp>> {
        let mut out = Vec::new();
        for k in self
            .trees()
            .get(T::Outbox)
            .scan_prefix(target.to_be_bytes())
            .keys()
            .take(limit)
        {
            let k = k?;
            let op_key = &k[4..];
            match self.trees().get(T::Ops).get(op_key)? {
                Some(v) => out.push(SignedOp::from_bytes(v.to_vec())?),
                // Refused after all (it waited and its target disallowed it).
                None => {
                    self.trees().get(T::Outbox).remove(&k)?;
                }
            }
        }
        Ok(out)
    }

    /// The target acknowledged these ops: they leave its outbox.
    pub fn outbox_ack(&self, target: u32, ops: &[OpId]) -> Result<()> {
        let outbox = self.trees().get(T::Outbox);
        let mut batch = outbox.batch();
        for op in ops {
            batch.remove(key(&[&target.to_be_bytes(), &op.to_key()]));
        }
        outbox.apply_batch(batch)?;
        Ok(())
    }

    /// Ops waiting for `target`.
    pub fn outbox_len(&self, target: u32) -> usize {
        self.trees()
            .get(T::Outbox)
            .scan_prefix(target.to_be_bytes())
            .count()
    }

    /// The target's saved read position.
    pub fn sync_cursor(&self, target: u32) -> Result<Option<Vec<u8>>> {
        Ok(self
            .trees()
            .get(T::Cursors)
            .get(target.to_be_bytes())?
            .map(|v| v.to_vec()))
    }

    /// Saves the target's read position (durably: it is saved after the
    /// ops read up to it were applied, so a crash re-reads, never skips).
    pub fn set_sync_cursor(&self, target: u32, cursor: &[u8]) -> Result<()> {
        self.trees()
            .get(T::Cursors)
            .insert(target.to_be_bytes(), cursor)?;
        self.durable()
    }

    /// Changes whenever something enters an outbox.
    pub fn outbox_signal(&self) -> tokio::sync::watch::Receiver<u64> {
        self.outbox_notify().subscribe()
    }
}

/// Outbox keys for a new local op, one per target.
pub(crate) fn outbox_keys(targets: &[u32], op: &OpId) -> Vec<Vec<u8>> {
    let k: [u8; OP_KEY_LEN] = op.to_key();
    targets
        .iter()
        .map(|t| key(&[&t.to_be_bytes(), &k]))
        .collect()
}

fn targets_json(targets: &[Target]) -> Vec<u8> {
    serde_json::to_vec(targets).unwrap_or_default()
}
