//! Sync between teammates and devices: ops travel signed and end-to-end
//! encrypted through NATS JetStream or a synced folder. There is no
//! authoritative server: every replica merges what it receives.
//!
//! - [`keys`], [`envelope`]: the workspace and personal keys; each op sealed
//!   with XChaCha20-Poly1305, workspace and sender bound as associated data.
//! - [`codes`]: invite and device-link codes (one line, checksummed).
//! - [`nats`], [`folder`] (with [`framing`]): the two transports, which move
//!   opaque envelopes.
//! - [`engine`], [`run`]: outboxes drained in order, arrivals opened,
//!   checked and applied, cursors saved after apply, status for the UI.

pub mod codes;
pub mod config;
pub mod engine;
pub mod envelope;
pub mod folder;
pub mod framing;
pub mod invites;
pub mod keys;
pub mod nats;
pub mod run;

pub use engine::{SyncEngine, SyncStatus, TargetState, TargetStatus};

use config::TargetConfig;

/// How a target is named in status lines.
pub fn label(config: &TargetConfig) -> String {
    match config {
        TargetConfig::Nats(n) => n.servers.join(","),
        TargetConfig::Folder(f) => f.path.clone(),
    }
}
