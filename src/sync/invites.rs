//! Invites and device links end to end: make a code from the store's
//! workspace, keys and targets; take one and become a member (or another
//! device of one), with the code's targets configured.

use super::codes::{DeviceLink, Invite};
use super::keys::SecretKey;
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{DeviceId, MemberId};
use crate::model::profile::Profile;
use crate::store::Store;

fn parts(
    store: &Store,
) -> Result<(
    crate::model::ids::WorkspaceId,
    String,
    crate::store::SyncSecrets,
)> {
    let workspace = store.workspace_id()?.ok_or_else(|| {
        Error::new(
            ErrorCode::NoWorkspace,
            "No workspace yet: create one before inviting anyone",
        )
    })?;
    let secrets = store.sync_secrets()?.ok_or_else(|| {
        Error::new(
            ErrorCode::NoWorkspace,
            "This data folder has no workspace keys, so it cannot invite",
        )
    })?;
    let name = store.workspace()?.map(|w| w.name).unwrap_or_default();
    Ok((workspace, name, secrets))
}

/// An invite code for this workspace: its id, name, key and sync targets.
/// Anyone holding it can join and read the workspace: share it privately.
pub fn invite_code(store: &Store) -> Result<String> {
    let (workspace, name, secrets) = parts(store)?;
    Ok(Invite {
        workspace,
        name,
        key: SecretKey::from_bytes(secrets.workspace_key),
        targets: store
            .sync_targets()?
            .into_iter()
            .map(|t| t.config)
            .collect(),
    }
    .to_code())
}

/// Joins the workspace of an invite code as a new member; returns my id and
/// the workspace name. Sync then fetches its history.
pub fn join_with_code(store: &Store, code: &str, profile: Profile) -> Result<(MemberId, String)> {
    let invite = Invite::from_code(code)?;
    let me = store.join_workspace(invite.workspace, *invite.key.as_bytes(), profile)?;
    for t in invite.targets {
        store.add_sync_target(t)?;
    }
    Ok((me, invite.name))
}

/// On one of my devices: adds my new computer `device` (shown there by
/// `tidings init`) and returns the code to enter on it. The code carries my
/// personal key too, so keep it to yourself.
pub fn link_code(store: &Store, device: DeviceId) -> Result<String> {
    let (workspace, name, secrets) = parts(store)?;
    let member = store.require_me()?;
    store.add_my_device(device)?;
    Ok(DeviceLink {
        workspace,
        name,
        key: SecretKey::from_bytes(secrets.workspace_key),
        member,
        device,
        personal_key: SecretKey::from_bytes(secrets.personal_key),
        targets: store
            .sync_targets()?
            .into_iter()
            .map(|t| t.config)
            .collect(),
    }
    .to_code())
}

/// Makes this (new) device another device of the person who made the code.
pub fn add_device_with_code(store: &Store, code: &str) -> Result<(MemberId, String)> {
    let link = DeviceLink::from_code(code)?;
    if link.device != store.device() {
        return Err(Error::new(
            ErrorCode::BadCode,
            format!(
                "This link code is for device {}, not this one ({}): make a code for this device's id",
                link.device,
                store.device()
            ),
        ));
    }
    store.link_as(
        link.workspace,
        link.member,
        *link.key.as_bytes(),
        *link.personal_key.as_bytes(),
    )?;
    for t in link.targets {
        store.add_sync_target(t)?;
    }
    Ok((link.member, link.name))
}
