//! Joining a workspace from an invite and adding a person's second device
//! from a device-link code. The codes themselves are made and read in
//! `sync::codes`; here the store takes on the identity they carry.

use rand::RngCore;
use tracing::instrument;

use super::sync_state::SyncSecrets;
use super::Store;
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{MemberId, WorkspaceId};
use crate::model::op::OpKind;
use crate::model::profile::Profile;

fn random_key() -> [u8; 32] {
    let mut k = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut k);
    k
}

impl Store {
    fn refuse_if_member(&self) -> Result<()> {
        if let Some(m) = self.me() {
            return Err(Error::new(
                ErrorCode::WorkspaceExists,
                format!("This data folder already belongs to member {m} of a workspace: use another --data-dir to join a second one"),
            ));
        }
        Ok(())
    }

    /// Makes fresh sync secrets for a workspace this device founded.
    pub(crate) fn new_sync_secrets(&self, workspace: WorkspaceId) -> Result<()> {
        if self.sync_secrets()?.is_none() {
            self.set_sync_secrets(
                workspace,
                &SyncSecrets {
                    workspace_key: random_key(),
                    personal_key: random_key(),
                },
            )?;
        }
        Ok(())
    }

    /// Joins `workspace` as a new member: keeps its key, makes my personal
    /// key, and announces me with a signed `MemberJoined` op (which sync
    /// then carries to everyone).
    #[instrument(skip(self, workspace_key, profile), err(level = "info"))]
    pub fn join_workspace(
        &self,
        workspace: WorkspaceId,
        workspace_key: [u8; 32],
        profile: Profile,
    ) -> Result<MemberId> {
        profile.validate()?;
        self.refuse_if_member()?;
        if let Some(w) = self.workspace_row()? {
            if w.id != workspace {
                return Err(Error::new(
                    ErrorCode::WorkspaceExists,
                    format!(
                        "This data folder holds the workspace '{}'; join with another --data-dir",
                        w.name
                    ),
                ));
            }
        }
        self.set_sync_secrets(
            workspace,
            &SyncSecrets {
                workspace_key,
                personal_key: random_key(),
            },
        )?;
        self.join_as(profile)
    }

    /// On one of my devices: adds `device` (a new computer of mine, which
    /// showed its id) with a signed `DeviceAdded` op, which sync carries to
    /// everyone, the new device included.
    pub fn add_my_device(&self, device: crate::model::ids::DeviceId) -> Result<()> {
        let me = self.require_me()?;
        if device == self.device() {
            return Err(Error::invalid(
                "That is this device: run the command on your other computer's id",
            ));
        }
        // Added already: by me, nothing to do; by someone else, the op
        // would be refused (a device belongs to one person).
        if let Some(owner) = self.device_owner(device)? {
            if owner == me {
                return Ok(());
            }
            return Err(Error::new(
                ErrorCode::WrongMember,
                "That device belongs to another member: check the id your other computer shows",
            ));
        }
        self.commit_local(me, vec![OpKind::DeviceAdded { device }])
            .map(drop)
    }

    /// On the new device: act for `member` (from a device-link code), with
    /// the same workspace key and personal key. The `DeviceAdded` op that
    /// another of their devices issued arrives with the first sync; until
    /// then this device can read but its writes wait.
    #[instrument(skip(self, workspace_key, personal_key), err(level = "info"))]
    pub fn link_as(
        &self,
        workspace: WorkspaceId,
        member: MemberId,
        workspace_key: [u8; 32],
        personal_key: [u8; 32],
    ) -> Result<()> {
        self.refuse_if_member()?;
        self.set_sync_secrets(
            workspace,
            &SyncSecrets {
                workspace_key,
                personal_key,
            },
        )?;
        self.set_local_member(member)
    }
}
