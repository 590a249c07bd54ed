//! Envelopes: how a signed op travels between devices.
//!
//! Sync targets (a NATS server, a shared folder) carry envelopes, never
//! plain ops, so whoever runs a target learns which workspace and device an
//! envelope came from and its size, and nothing else. An envelope is a
//! [`SignedOp`]'s bytes encrypted with XChaCha20-Poly1305 (RustCrypto's
//! `chacha20poly1305`) under the workspace key, or, for personal ops, under
//! the author's personal key (see [`super::keys`]). The 24-byte nonce is
//! random per envelope: at that size random nonces never collide in
//! practice, so no counter has to be kept in step across devices.
//!
//! # Layout, version 1
//!
//! This layout is a wire and storage format (envelopes sit on servers and in
//! shared folders for years): changing any of it is a format change and
//! needs a new version number, with the old version still opened.
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 3 | magic `b"TDE"` (Tidings envelope) |
//! | 3 | 1 | version, `1` |
//! | 4 | 1 | key kind: `0` = workspace key, `1` = personal key |
//! | 5 | 16 | workspace id, big-endian ([`WorkspaceId::to_bytes`]) |
//! | 21 | 32 | sender device (its ed25519 public key) |
//! | 53 | 16 | *personal only:* the member whose personal key seals it, big-endian |
//! | 53 (workspace) / 69 (personal) | 24 | nonce, random |
//! | 77 / 93 | n + 16 | ciphertext of the n signed-op bytes, then the 16-byte Poly1305 tag |
//!
//! The associated data is every byte before the nonce (the header), so
//! changing any header byte (another workspace, another sender, another
//! person, another kind) makes decryption fail, just as changing a
//! ciphertext or tag byte does. The overhead is therefore
//! [`WORKSPACE_OVERHEAD`] (93) bytes per shared op and [`PERSONAL_OVERHEAD`]
//! (109) per personal op.
//!
//! # What opening checks, and what it leaves to the store
//!
//! [`open`] checks the format, that the envelope is for this workspace (and,
//! if personal, for this device's person), that it decrypts and
//! authenticates, and that the op inside was issued by the device the header
//! names. It does **not** verify the op's ed25519 signature: the store does
//! that for every arriving op, in batches (`SignedOp::open_batch`), which is
//! about twice as fast per op. Knowing the workspace key therefore lets
//! someone deliver an envelope but never forge another device's op.

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use rand::rngs::OsRng;
use rand::RngCore;

use super::keys::{KeyKind, KeyRing, SecretKey};
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{DeviceId, MemberId, WorkspaceId};
use crate::model::limits::MAX_OP_BYTES;
use crate::model::signed::SignedOp;

/// The first three bytes of every envelope.
pub const MAGIC: [u8; 3] = *b"TDE";
/// The envelope format version this Tidings writes (and the newest it reads).
pub const VERSION: u8 = 1;
/// Key-kind byte of an envelope sealed with the workspace key.
pub const KIND_WORKSPACE: u8 = 0;
/// Key-kind byte of an envelope sealed with a personal key.
pub const KIND_PERSONAL: u8 = 1;

const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// magic + version + kind + workspace + sender.
const BASE_HEADER_LEN: usize = 3 + 1 + 1 + 16 + 32;
/// Header of a personal envelope: the base plus the member id.
const PERSONAL_HEADER_LEN: usize = BASE_HEADER_LEN + 16;
/// Enough bytes to read the kind byte, which decides the header length.
const PREFIX_LEN: usize = 3 + 1 + 1;

/// Bytes an envelope adds to a shared op: header, nonce and tag.
pub const WORKSPACE_OVERHEAD: usize = BASE_HEADER_LEN + NONCE_LEN + TAG_LEN;
/// Bytes an envelope adds to a personal op: header (with member), nonce, tag.
pub const PERSONAL_OVERHEAD: usize = PERSONAL_HEADER_LEN + NONCE_LEN + TAG_LEN;

// The start of the message `open` gives for another person's personal
// envelope, so `is_for_another_person` can tell it from real failures.
const OTHER_PERSON: &str = "The envelope holds another person's personal op";

/// A successfully opened envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// Which key sealed it.
    pub kind: KeyKind,
    /// The sending device; the op inside was issued by this device.
    pub sender: DeviceId,
    /// The op, **signature not yet verified**: hand it to the store, which
    /// verifies signatures in batches.
    pub signed: SignedOp,
}

/// Seals a signed op for the sync targets.
///
/// `kind` must match the op: [`KeyKind::Personal`] (with `keys.member`, the
/// only personal key this device holds) for personal ops, and
/// [`KeyKind::Workspace`] for shared ones, so a personal op never reaches
/// teammates by mistake. `device` must be the device that issued the op,
/// since [`open`] refuses any other.
pub fn seal(keys: &KeyRing, kind: KeyKind, device: DeviceId, signed: &SignedOp) -> Result<Vec<u8>> {
    if let KeyKind::Personal(m) = kind {
        if m != keys.member {
            return Err(bad(format!(
                "Cannot seal a personal op for member {m}: this device only holds the personal key of member {}",
                keys.member
            )));
        }
    }
    let op = signed.decode_unverified()?;
    if op.id.device != device {
        return Err(bad(format!(
            "Cannot seal op {} as sent by device {device}: only the device that issued an op may send it",
            op.id
        )));
    }
    let personal_op = op.kind.is_personal();
    if personal_op != matches!(kind, KeyKind::Personal(_)) {
        return Err(bad(format!(
            "Cannot seal a {} op with the {} key: personal ops use the personal key, shared ops the workspace key",
            op.kind.name(),
            if personal_op { "workspace" } else { "personal" }
        )));
    }
    seal_unchecked(keys, kind, device, signed)
}

/// Seals without checking the op against the header (tests use it to build
/// envelopes that [`open`] must refuse).
fn seal_unchecked(
    keys: &KeyRing,
    kind: KeyKind,
    device: DeviceId,
    signed: &SignedOp,
) -> Result<Vec<u8>> {
    let key = keys.key_for(kind).ok_or_else(|| {
        bad("Cannot seal a personal op with another person's key: this device does not hold it")
    })?;
    let plain = signed.as_bytes();
    let header_len = match kind {
        KeyKind::Workspace => BASE_HEADER_LEN,
        KeyKind::Personal(_) => PERSONAL_HEADER_LEN,
    };
    let mut out = Vec::with_capacity(header_len + NONCE_LEN + plain.len() + TAG_LEN);
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    match kind {
        KeyKind::Workspace => out.push(KIND_WORKSPACE),
        KeyKind::Personal(_) => out.push(KIND_PERSONAL),
    }
    out.extend_from_slice(&keys.workspace.to_bytes());
    out.extend_from_slice(&device.0);
    if let KeyKind::Personal(m) = kind {
        out.extend_from_slice(&m.to_bytes());
    }
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plain);
    // Encrypt in place behind the header, which is the associated data.
    let (header, rest) = out.split_at_mut(header_len);
    let tag = cipher(key)
        .encrypt_in_place_detached(XNonce::from_slice(&nonce), header, &mut rest[NONCE_LEN..])
        // Only fails for messages of about 256 GiB; ops are capped far lower.
        .map_err(|_| bad("The op could not be encrypted: it is too large"))?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Opens an envelope received from a sync target.
///
/// Every failure has code [`ErrorCode::BadEnvelope`] and a message fit for
/// the log. One is not a fault: an envelope sealed with another person's
/// personal key (targets carry everyone's); the engine should skip it
/// silently, and [`is_for_another_person`] recognises that error.
///
/// The op's signature is **not** verified here (see the module doc).
pub fn open(keys: &KeyRing, bytes: &[u8]) -> Result<Opened> {
    let h = Header::parse(bytes)?;
    if h.workspace != keys.workspace {
        return Err(bad(format!(
            "The envelope belongs to workspace {}, not this one ({}): check the sync target's settings, two workspaces share it",
            h.workspace, keys.workspace
        )));
    }
    let (kind, key) = match h.member {
        None => (KeyKind::Workspace, &keys.workspace_key),
        Some(m) if m == keys.member => (KeyKind::Personal(m), &keys.personal_key),
        Some(m) => {
            return Err(bad(format!(
                "{OTHER_PERSON} (member {m}); this device skips it"
            )))
        }
    };
    let body = &bytes[h.len..];
    let (nonce, sealed) = body.split_at(NONCE_LEN);
    let (ciphertext, tag) = sealed.split_at(sealed.len() - TAG_LEN);
    if ciphertext.len() > MAX_OP_BYTES {
        // Refuse before spending time decrypting something we would refuse.
        return Err(bad(format!(
            "The envelope holds {} bytes, more than any op may have ({MAX_OP_BYTES}): refused",
            ciphertext.len()
        )));
    }
    let mut plain = ciphertext.to_vec();
    cipher(key)
        .decrypt_in_place_detached(
            XNonce::from_slice(nonce),
            &bytes[..h.len],
            &mut plain,
            Tag::from_slice(tag),
        )
        .map_err(|_| match kind {
            KeyKind::Workspace => bad(
                "The envelope could not be decrypted: this device has the wrong workspace key, or the envelope was altered on the way; it was refused",
            ),
            KeyKind::Personal(_) => bad(
                "The personal envelope could not be decrypted: this device has the wrong personal key, or the envelope was altered on the way; it was refused",
            ),
        })?;
    let signed = SignedOp::from_bytes(plain).map_err(|e| inner(&e))?;
    let op = signed.decode_unverified().map_err(|e| inner(&e))?;
    if op.id.device != h.sender {
        return Err(bad(format!(
            "The envelope names device {} as its sender but holds op {} of another device: refused",
            h.sender, op.id
        )));
    }
    Ok(Opened {
        kind,
        sender: h.sender,
        signed,
    })
}

/// The header fields readable without a key, for logging and routing: the
/// workspace, the sending device and the key-kind byte ([`KIND_WORKSPACE`]
/// or [`KIND_PERSONAL`]). Fails with [`ErrorCode::BadEnvelope`] on anything
/// that is not a complete version-1 envelope.
pub fn peek(bytes: &[u8]) -> Result<(WorkspaceId, DeviceId, u8)> {
    let h = Header::parse(bytes)?;
    let kind = match h.member {
        None => KIND_WORKSPACE,
        Some(_) => KIND_PERSONAL,
    };
    Ok((h.workspace, h.sender, kind))
}

/// True when `err` is [`open`]'s refusal of another person's personal
/// envelope: expected on shared targets, so not worth a warning.
pub fn is_for_another_person(err: &Error) -> bool {
    err.code == ErrorCode::BadEnvelope && err.message.starts_with(OTHER_PERSON)
}

/// A parsed version-1 header.
struct Header {
    workspace: WorkspaceId,
    sender: DeviceId,
    /// Set for personal envelopes.
    member: Option<MemberId>,
    /// Header length: where the nonce starts.
    len: usize,
}

impl Header {
    /// Parses the header and checks that a nonce and a tag follow it.
    fn parse(bytes: &[u8]) -> Result<Header> {
        if bytes.len() < MAGIC.len() {
            return Err(truncated(bytes.len()));
        }
        if bytes[..MAGIC.len()] != MAGIC {
            return Err(bad(
                "This is not a Tidings envelope (it does not start with TDE): something else writes to the sync target; it was skipped",
            ));
        }
        if bytes.len() < PREFIX_LEN {
            return Err(truncated(bytes.len()));
        }
        match bytes[3] {
            VERSION => {}
            v if v > VERSION => {
                return Err(bad(format!(
                    "The envelope has format version {v}: it was made by a newer Tidings; update Tidings to read it"
                )))
            }
            v => {
                return Err(bad(format!(
                    "The envelope has unknown format version {v}: it is damaged; it was refused"
                )))
            }
        }
        let len = match bytes[4] {
            KIND_WORKSPACE => BASE_HEADER_LEN,
            KIND_PERSONAL => PERSONAL_HEADER_LEN,
            k => {
                return Err(bad(format!(
                    "The envelope has unknown key kind {k}: it is damaged; it was refused"
                )))
            }
        };
        if bytes.len() < len + NONCE_LEN + TAG_LEN {
            return Err(truncated(bytes.len()));
        }
        let workspace = WorkspaceId::from_bytes(array(&bytes[5..21]));
        let sender = DeviceId(array(&bytes[21..53]));
        let member = (len == PERSONAL_HEADER_LEN)
            .then(|| MemberId::from_bytes(array(&bytes[53..PERSONAL_HEADER_LEN])));
        Ok(Header {
            workspace,
            sender,
            member,
            len,
        })
    }
}

/// Copies a slice whose length the caller has already checked.
fn array<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&s[..N]);
    a
}

fn cipher(key: &SecretKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.as_bytes().into())
}

fn bad(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::BadEnvelope, message)
}

fn truncated(len: usize) -> Error {
    bad(format!(
        "The envelope is truncated ({len} bytes): it was cut short on the way or while being written; it was refused"
    ))
}

/// An envelope that authenticated but holds no usable op: its sender had the
/// key, so this is a bug or a newer Tidings, not noise on the wire.
fn inner(e: &Error) -> Error {
    bad(format!(
        "The envelope opened but its op is unusable ({}); the sender may run a newer Tidings: update",
        e.message
    ))
}

#[cfg(test)]
#[path = "envelope_tests.rs"]
mod tests;
