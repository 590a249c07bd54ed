//! Invite and device-link codes: how keys and sync settings reach a new
//! person or a new device.
//!
//! A code is one line of text that people copy from one app and paste into
//! another (chat, email, a password manager), so it must survive being
//! wrapped and must catch typos instead of joining the wrong workspace:
//!
//! ```text
//! tidings-invite:<base58check>     an invite: join a workspace as a new person
//! tidings-link:<base58check>       a device link: add a device of your own
//! ```
//!
//! The part after the prefix is Base58Check (the `bs58` crate: base58 with
//! a 4-byte double-SHA-256 checksum, no look-alike characters `0 O I l`), so
//! a mistyped, dropped or swapped character is reported as a typo. Spaces
//! and line breaks anywhere in a pasted code are ignored, and the prefix may
//! be in any letter case.
//!
//! # Payload, version 1
//!
//! The checksummed bytes are: a kind byte ([`KIND_INVITE`] or
//! [`KIND_LINK`], so a code whose prefix was edited is still recognised),
//! a format version byte ([`VERSION`]), then the postcard encoding of the
//! private `InviteV1` / `LinkV1` structs below. These are mirrors of the
//! public types, so that a change to [`TargetConfig`] does not silently
//! change the code format (the conversions name every field: a new field
//! fails to compile here until the format is decided). Changing any of this
//! is a format change: codes sit in inboxes and password managers, so a new
//! layout needs a new version, and old versions must still be read.
//!
//! A code holds the workspace key (and a device link also the person's
//! personal key): whoever has it can read the workspace. `Debug` prints
//! neither keys nor target passwords or tokens.

use serde::{Deserialize, Serialize};

use super::config::{FolderConfig, NatsAuth, NatsConfig, TargetConfig};
use super::keys::{KeyRing, SecretKey};
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{DeviceId, MemberId, WorkspaceId};

/// The prefix of an invite code.
pub const INVITE_PREFIX: &str = "tidings-invite:";
/// The prefix of a device-link code.
pub const LINK_PREFIX: &str = "tidings-link:";
/// First payload byte of an invite.
pub const KIND_INVITE: u8 = 1;
/// First payload byte of a device link.
pub const KIND_LINK: u8 = 2;
/// The payload format version this Tidings writes (and the newest it reads).
pub const VERSION: u8 = 1;

/// Longest pasted text considered, whitespace included. Real codes are a
/// few hundred characters; the cap keeps base58 decoding (quadratic in the
/// length) cheap whatever is pasted.
const MAX_PASTE_CHARS: usize = 64 * 1024;
/// Longest base58 part of a code after whitespace is removed.
const MAX_CODE_CHARS: usize = 8 * 1024;

/// An invitation to join a workspace as a new person: its id, name, key
/// and where it syncs. The joining device makes its own personal key.
#[derive(Clone, PartialEq, Eq)]
pub struct Invite {
    /// The workspace to join.
    pub workspace: WorkspaceId,
    /// Its name, to show before joining.
    pub name: String,
    /// The workspace key.
    pub key: SecretKey,
    /// Where the workspace syncs.
    pub targets: Vec<TargetConfig>,
}

/// Everything a person's new device needs to act as them: the workspace,
/// its key, who they are, their personal key and the sync targets.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceLink {
    /// The workspace.
    pub workspace: WorkspaceId,
    /// Its name, to show before linking.
    pub name: String,
    /// The workspace key.
    pub key: SecretKey,
    /// The person the new device will belong to.
    pub member: MemberId,
    /// The new device the code is for (added by a `DeviceAdded` op).
    pub device: DeviceId,
    /// That person's personal key.
    pub personal_key: SecretKey,
    /// Where the workspace syncs.
    pub targets: Vec<TargetConfig>,
}

impl Invite {
    /// The one-line `tidings-invite:` code.
    pub fn to_code(&self) -> String {
        let wire = InviteV1 {
            workspace: self.workspace,
            name: self.name.clone(),
            key: self.key.clone(),
            targets: self.targets.iter().map(TargetV1::from).collect(),
        };
        encode(INVITE_PREFIX, KIND_INVITE, &wire)
    }

    /// Reads a pasted invite code; errors have code [`ErrorCode::BadCode`]
    /// and say what to do.
    pub fn from_code(s: &str) -> Result<Self> {
        let payload = decode(s, KIND_INVITE)?;
        let wire: InviteV1 = from_postcard(&payload)?;
        Ok(Invite {
            workspace: wire.workspace,
            name: wire.name,
            key: wire.key,
            targets: targets_from_wire(wire.targets)?,
        })
    }

    /// The key ring of a person joining with this invite: the invite's
    /// workspace key and a fresh personal key of their own.
    pub fn key_ring(&self, member: MemberId) -> KeyRing {
        KeyRing {
            workspace: self.workspace,
            workspace_key: self.key.clone(),
            member,
            personal_key: SecretKey::generate(),
        }
    }
}

impl DeviceLink {
    /// The one-line `tidings-link:` code.
    pub fn to_code(&self) -> String {
        let wire = LinkV1 {
            workspace: self.workspace,
            name: self.name.clone(),
            key: self.key.clone(),
            member: self.member,
            device: self.device,
            personal_key: self.personal_key.clone(),
            targets: self.targets.iter().map(TargetV1::from).collect(),
        };
        encode(LINK_PREFIX, KIND_LINK, &wire)
    }

    /// Reads a pasted device-link code; errors have code
    /// [`ErrorCode::BadCode`] and say what to do.
    pub fn from_code(s: &str) -> Result<Self> {
        let payload = decode(s, KIND_LINK)?;
        let wire: LinkV1 = from_postcard(&payload)?;
        Ok(DeviceLink {
            workspace: wire.workspace,
            name: wire.name,
            key: wire.key,
            member: wire.member,
            device: wire.device,
            personal_key: wire.personal_key,
            targets: targets_from_wire(wire.targets)?,
        })
    }

    /// The key ring the linked device holds: the same keys as the person's
    /// other devices.
    pub fn key_ring(&self) -> KeyRing {
        KeyRing {
            workspace: self.workspace,
            workspace_key: self.key.clone(),
            member: self.member,
            personal_key: self.personal_key.clone(),
        }
    }
}

impl std::fmt::Debug for Invite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invite")
            .field("workspace", &self.workspace)
            .field("name", &self.name)
            .field("key", &self.key)
            .field("targets", &Targets(&self.targets))
            .finish()
    }
}

impl std::fmt::Debug for DeviceLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceLink")
            .field("workspace", &self.workspace)
            .field("name", &self.name)
            .field("key", &self.key)
            .field("member", &self.member)
            .field("personal_key", &self.personal_key)
            .field("targets", &Targets(&self.targets))
            .finish()
    }
}

/// Prints targets without passwords or tokens (`TargetConfig`'s own
/// `Debug` shows them).
struct Targets<'a>(&'a [TargetConfig]);

impl std::fmt::Debug for Targets<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut list = f.debug_list();
        for t in self.0 {
            match t {
                TargetConfig::Nats(n) => {
                    let auth = match &n.auth {
                        NatsAuth::None => "none",
                        NatsAuth::UserPassword { .. } => "user_password",
                        NatsAuth::Token { .. } => "token",
                        NatsAuth::CredsFile { .. } => "creds_file",
                    };
                    list.entry(&format_args!(
                        "Nats {{ servers: {:?}, auth: {auth}, tls: {}, replicas: {} }}",
                        n.servers, n.tls, n.replicas
                    ));
                }
                TargetConfig::Folder(d) => {
                    list.entry(&format_args!("Folder {{ path: {:?} }}", d.path));
                }
            }
        }
        list.finish()
    }
}

// ---- wire format, version 1 (see the module doc: a format) ----

#[derive(Serialize, Deserialize)]
struct InviteV1 {
    workspace: WorkspaceId,
    name: String,
    key: SecretKey,
    targets: Vec<TargetV1>,
}

#[derive(Serialize, Deserialize)]
struct LinkV1 {
    workspace: WorkspaceId,
    name: String,
    key: SecretKey,
    member: MemberId,
    device: DeviceId,
    personal_key: SecretKey,
    targets: Vec<TargetV1>,
}

#[derive(Serialize, Deserialize)]
enum TargetV1 {
    Nats {
        servers: Vec<String>,
        auth: AuthV1,
        tls: bool,
        replicas: u64,
    },
    Folder {
        path: String,
    },
}

#[derive(Serialize, Deserialize)]
enum AuthV1 {
    None,
    UserPassword { user: String, password: String },
    Token { token: String },
    CredsFile { path: String },
}

impl From<&TargetConfig> for TargetV1 {
    fn from(t: &TargetConfig) -> Self {
        match t {
            TargetConfig::Nats(NatsConfig {
                servers,
                auth,
                tls,
                replicas,
            }) => TargetV1::Nats {
                servers: servers.clone(),
                auth: match auth {
                    NatsAuth::None => AuthV1::None,
                    NatsAuth::UserPassword { user, password } => AuthV1::UserPassword {
                        user: user.clone(),
                        password: password.clone(),
                    },
                    NatsAuth::Token { token } => AuthV1::Token {
                        token: token.clone(),
                    },
                    NatsAuth::CredsFile { path } => AuthV1::CredsFile { path: path.clone() },
                },
                tls: *tls,
                // usize is at most 64 bits on every platform Rust supports.
                replicas: *replicas as u64,
            },
            TargetConfig::Folder(FolderConfig { path }) => TargetV1::Folder { path: path.clone() },
        }
    }
}

fn targets_from_wire(wire: Vec<TargetV1>) -> Result<Vec<TargetConfig>> {
    wire.into_iter()
        .map(|t| {
            Ok(match t {
                TargetV1::Nats {
                    servers,
                    auth,
                    tls,
                    replicas,
                } => TargetConfig::Nats(NatsConfig {
                    servers,
                    auth: match auth {
                        AuthV1::None => NatsAuth::None,
                        AuthV1::UserPassword { user, password } => {
                            NatsAuth::UserPassword { user, password }
                        }
                        AuthV1::Token { token } => NatsAuth::Token { token },
                        AuthV1::CredsFile { path } => NatsAuth::CredsFile { path },
                    },
                    tls,
                    replicas: usize::try_from(replicas)
                        .map_err(|_| damaged("a NATS target asks for more replicas than exist"))?,
                }),
                TargetV1::Folder { path } => TargetConfig::Folder(FolderConfig { path }),
            })
        })
        .collect()
}

// ---- encoding and decoding ----

fn encode<T: Serialize>(prefix: &str, kind: u8, wire: &T) -> String {
    let mut payload = vec![kind, VERSION];
    // postcard cannot fail on these plain structs (no maps, no sequences of
    // unknown length). Were it ever to, the truncated payload makes the
    // code refuse to parse with "damaged", which beats crashing the app.
    if let Ok(body) = postcard::to_allocvec(wire) {
        payload.extend_from_slice(&body);
    }
    format!(
        "{prefix}{}",
        bs58::encode(&payload).with_check().into_string()
    )
}

/// Strips whitespace, checks the prefix and checksum, and returns the
/// payload after the kind and version bytes.
fn decode(s: &str, want: u8) -> Result<Vec<u8>> {
    if s.len() > MAX_PASTE_CHARS {
        return Err(too_long());
    }
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let b58 = if let Some(rest) = strip_prefix(&compact, prefix_of(want)) {
        rest
    } else if strip_prefix(&compact, prefix_of(other(want))).is_some() {
        return Err(wrong_kind(want));
    } else {
        return Err(not_a_code(want));
    };
    if b58.is_empty() {
        return Err(incomplete());
    }
    if b58.len() > MAX_CODE_CHARS {
        return Err(too_long());
    }
    let payload = bs58::decode(b58).with_check(None).into_vec().map_err(|e| match e {
        bs58::decode::Error::InvalidChecksum { .. } => {
            bad("The code has a typo (its checksum does not match): copy it again, whole")
        }
        bs58::decode::Error::InvalidCharacter { character, .. } => bad(format!(
            "The code contains '{character}', which never appears in a Tidings code: it has a typo; copy it again"
        )),
        bs58::decode::Error::NonAsciiCharacter { .. } => bad(
            "The code contains a character that never appears in a Tidings code: it has a typo; copy it again",
        ),
        // Fewer than the 4 checksum bytes: most of the code is missing.
        _ => incomplete(),
    })?;
    match payload.as_slice() {
        [kind, ..] if *kind == other(want) => Err(wrong_kind(want)),
        [kind, version, body @ ..] if *kind == want => match *version {
            VERSION => Ok(body.to_vec()),
            v if v > VERSION => Err(bad(format!(
                "The code was made by a newer Tidings (code format {v}): update Tidings to use it"
            ))),
            v => Err(damaged(&format!("unknown code format {v}"))),
        },
        _ => Err(damaged("it is not an invite or a device link")),
    }
}

fn from_postcard<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T> {
    match postcard::take_from_bytes(body) {
        Ok((value, [])) => Ok(value),
        Ok(_) => Err(damaged("it has extra bytes at the end")),
        Err(e) => Err(damaged(&e.to_string())),
    }
}

fn strip_prefix<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn prefix_of(kind: u8) -> &'static str {
    if kind == KIND_INVITE {
        INVITE_PREFIX
    } else {
        LINK_PREFIX
    }
}

fn other(kind: u8) -> u8 {
    if kind == KIND_INVITE {
        KIND_LINK
    } else {
        KIND_INVITE
    }
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::BadCode, message)
}

fn wrong_kind(want: u8) -> Error {
    if want == KIND_INVITE {
        bad("This is a device-link code, not an invite: it adds a device to a person who already has the workspace. To join, ask a member for an invite code")
    } else {
        bad("This is an invite code, not a device-link code: use it to join the workspace. To add a device of your own, make a device-link code on a device you already use")
    }
}

fn not_a_code(want: u8) -> Error {
    bad(format!(
        "This is not a Tidings code: {} starts with `{}`; copy the whole code",
        if want == KIND_INVITE {
            "an invite code"
        } else {
            "a device-link code"
        },
        prefix_of(want)
    ))
}

fn too_long() -> Error {
    bad("The text is far longer than any Tidings code: copy just the code, on its own")
}

fn incomplete() -> Error {
    bad("The code is incomplete: copy all of it again")
}

fn damaged(why: &str) -> Error {
    bad(format!(
        "The code passed its checksum but cannot be read ({why}): ask for a new code"
    ))
}

#[cfg(test)]
#[path = "codes_tests.rs"]
mod tests;
