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

/// Longest server URL, folder path or credential accepted.
pub const MAX_TARGET_FIELD_CHARS: usize = 1024;
/// Most servers one NATS target may list.
pub const MAX_SERVERS: usize = 16;
/// Most replicas a JetStream stream may have.
pub const MAX_REPLICAS: usize = 5;

impl TargetConfig {
    /// Checks a target before it is stored (and later carried in every
    /// invite code): NATS URLs with a NATS scheme, an existing folder,
    /// every field within [`MAX_TARGET_FIELD_CHARS`].
    pub fn validate(&self) -> crate::Result<()> {
        use crate::{Error, ErrorCode};
        let long = |what: &str, v: &str| -> crate::Result<()> {
            if v.chars().count() > MAX_TARGET_FIELD_CHARS {
                return Err(Error::new(
                    ErrorCode::TooLarge,
                    format!("The {what} is longer than {MAX_TARGET_FIELD_CHARS} characters: check what was pasted"),
                ));
            }
            Ok(())
        };
        match self {
            TargetConfig::Nats(n) => {
                if n.servers.is_empty() || n.servers.len() > MAX_SERVERS {
                    return Err(Error::invalid(format!(
                        "Give between 1 and {MAX_SERVERS} server URLs, like nats://host:4222"
                    )));
                }
                if !(1..=MAX_REPLICAS).contains(&n.replicas) {
                    return Err(Error::invalid(format!(
                        "A stream has 1 to {MAX_REPLICAS} replicas, not {}: use 1 for one server, 3 for a cluster",
                        n.replicas
                    )));
                }
                for u in &n.servers {
                    long("server URL", u)?;
                    let ok = ["nats://", "tls://", "ws://", "wss://"]
                        .iter()
                        .any(|s| u.starts_with(s) && u.len() > s.len());
                    if !ok {
                        return Err(Error::invalid(format!(
                            "'{u}' is not a NATS URL: write it like nats://host:4222"
                        )));
                    }
                }
                match &n.auth {
                    NatsAuth::None => {}
                    NatsAuth::UserPassword { user, password } => {
                        long("user name", user)?;
                        long("password", password)?;
                    }
                    NatsAuth::Token { token } => long("token", token)?,
                    NatsAuth::CredsFile { path } => long("credentials path", path)?,
                }
                Ok(())
            }
            TargetConfig::Folder(f) => {
                long("folder path", &f.path)?;
                if !std::path::Path::new(&f.path).is_dir() {
                    return Err(Error::invalid(format!(
                        "{} is not a folder: choose the folder your sync tool shares",
                        f.path
                    )));
                }
                Ok(())
            }
        }
    }
}
