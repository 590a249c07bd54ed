//! Where a workspace syncs: its targets. Stored in the store and carried
//! inside invite and device-link codes; changing these types is a format
//! change for both.

use serde::{Deserialize, Serialize};

/// How to log in to a NATS server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum NatsAuth {
    /// No credentials.
    #[default]
    None,
    /// User and password.
    UserPassword {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
    /// A token.
    Token {
        /// The token.
        token: String,
    },
    /// A `.creds` file (JWT + NKey seed), by path on this machine.
    CredsFile {
        /// Path of the file.
        path: String,
    },
}

/// A NATS JetStream server or cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NatsConfig {
    /// Server URLs, e.g. `nats://127.0.0.1:4222` (several for a cluster).
    pub servers: Vec<String>,
    /// Credentials.
    #[serde(default)]
    pub auth: NatsAuth,
    /// Require TLS.
    #[serde(default)]
    pub tls: bool,
    /// Stream replicas: 1 for a single server, 3 for a cluster.
    #[serde(default = "one")]
    pub replicas: usize,
}

fn one() -> usize {
    1
}

/// A folder kept in sync by something else (Syncthing, Dropbox, a share).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FolderConfig {
    /// The shared folder (Tidings writes under `<path>/tidings/<workspace>/`).
    pub path: String,
}

/// One sync target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum TargetConfig {
    /// A NATS JetStream server.
    Nats(NatsConfig),
    /// A synced folder.
    Folder(FolderConfig),
}
