//! The symmetric keys that keep a workspace private on the wire.
//!
//! Sync targets (a NATS server, a shared folder) are not trusted with
//! content: every op leaves a device sealed in an envelope (see
//! [`super::envelope`]) under one of two 256-bit keys. The *workspace key* is
//! shared by every member and seals shared ops; each person's *personal key*
//! is shared only by that person's own devices and seals their personal ops
//! (read markers, done, snooze, mute, follow, notification settings), so
//! teammates cannot read them even though they travel through the same
//! targets.
//!
//! Keys come from the operating system's random source. They reach other
//! devices only inside invite and device-link codes ([`super::codes`]).
//!
//! The serialized form of [`SecretKey`] (32 raw bytes in binary formats, 64
//! lowercase hex digits in human-readable ones) and of [`KeyRing`] is stored
//! and carried in codes: changing it is a format change.

use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::model::ids::{MemberId, WorkspaceId};

/// Length of a [`SecretKey`] in bytes.
pub const KEY_LEN: usize = 32;

/// A 256-bit symmetric key: a workspace key or a person's personal key.
///
/// `Debug` never prints the bytes, so keys cannot leak into logs by
/// accident. The bytes are wiped when the key is dropped; copies made along
/// the way (serialization buffers, the operating system's swap) are outside
/// its reach, so treat this as hygiene, not a guarantee.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey([u8; KEY_LEN]);

impl SecretKey {
    /// A fresh random key from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = [0u8; KEY_LEN];
        // OsRng only fails when the OS has no entropy source at all, which
        // no platform Tidings runs on lacks.
        OsRng.fill_bytes(&mut bytes);
        SecretKey(bytes)
    }

    /// Wraps existing key bytes (read back from the store or a code).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        SecretKey(bytes)
    }

    /// The raw key, for the cipher.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn from_hex(s: &str) -> Option<Self> {
        if s.len() != 2 * KEY_LEN || !s.is_ascii() {
            return None;
        }
        let mut k = [0u8; KEY_LEN];
        for (i, b) in k.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(SecretKey(k))
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

// Raw bytes in binary formats (postcard: exactly 32 bytes, no length
// prefix); hex in human-readable ones such as JSON.
impl Serialize for SecretKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.to_hex())
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for SecretKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            // The message must not echo the input: it may be a real key.
            SecretKey::from_hex(&s)
                .ok_or_else(|| serde::de::Error::custom("a key is 64 hex digits"))
        } else {
            <[u8; KEY_LEN]>::deserialize(d).map(SecretKey)
        }
    }
}

/// Which key an envelope is sealed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyKind {
    /// The workspace key: every member can open it (shared ops).
    Workspace,
    /// This person's personal key: only their own devices can open it
    /// (personal ops).
    Personal(MemberId),
}

/// The keys a device holds: its workspace's key and its person's personal
/// key. A device belongs to exactly one person, so it holds one personal key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRing {
    /// The workspace these keys belong to.
    pub workspace: WorkspaceId,
    /// Seals and opens shared ops.
    pub workspace_key: SecretKey,
    /// The person this device belongs to.
    pub member: MemberId,
    /// Seals and opens this person's personal ops.
    pub personal_key: SecretKey,
}

impl KeyRing {
    /// A key ring with fresh keys, for the founder of a new workspace (a
    /// person joining by invite keeps the invite's workspace key instead).
    pub fn generate(workspace: WorkspaceId, member: MemberId) -> Self {
        KeyRing {
            workspace,
            workspace_key: SecretKey::generate(),
            member,
            personal_key: SecretKey::generate(),
        }
    }

    /// The key for `kind`, or `None` for another person's personal key
    /// (which this device never holds).
    pub fn key_for(&self, kind: KeyKind) -> Option<&SecretKey> {
        match kind {
            KeyKind::Workspace => Some(&self.workspace_key),
            KeyKind::Personal(m) if m == self.member => Some(&self.personal_key),
            KeyKind::Personal(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_differ() {
        assert_ne!(SecretKey::generate(), SecretKey::generate());
    }

    #[test]
    fn debug_never_prints_key_bytes() {
        let key = SecretKey::from_bytes([0xab; KEY_LEN]);
        let ring = KeyRing {
            workspace: WorkspaceId(1),
            workspace_key: key.clone(),
            member: MemberId(2),
            personal_key: SecretKey::from_bytes([0xcd; KEY_LEN]),
        };
        let printed = format!("{key:?} {ring:?} {ring:#?}");
        assert!(!printed.contains("ab, ab") && !printed.contains("abab"));
        assert!(!printed.contains("171")); // 0xab in decimal
        assert!(!printed.contains("cdcd") && !printed.contains("205"));
        assert!(printed.contains("redacted"));
    }

    #[test]
    fn a_key_is_32_raw_bytes_in_postcard_and_hex_in_json() {
        let key = SecretKey::from_bytes([7; KEY_LEN]);
        let bin = postcard::to_allocvec(&key).unwrap();
        assert_eq!(bin, vec![7; KEY_LEN]);
        assert_eq!(postcard::from_bytes::<SecretKey>(&bin).unwrap(), key);
        let json = serde_json::to_string(&key).unwrap();
        assert_eq!(json, format!("\"{}\"", "07".repeat(KEY_LEN)));
        assert_eq!(serde_json::from_str::<SecretKey>(&json).unwrap(), key);
    }

    #[test]
    fn a_malformed_hex_key_is_refused_without_echoing_it() {
        let err = serde_json::from_str::<SecretKey>("\"zz-secret-ish\"").unwrap_err();
        assert!(!err.to_string().contains("secret-ish"));
        assert!(serde_json::from_str::<SecretKey>("\"0707\"").is_err());
    }

    #[test]
    fn a_key_ring_round_trips_and_hands_out_only_its_own_personal_key() {
        let ring = KeyRing::generate(WorkspaceId(9), MemberId(3));
        let bin = postcard::to_allocvec(&ring).unwrap();
        assert_eq!(postcard::from_bytes::<KeyRing>(&bin).unwrap(), ring);
        let json = serde_json::to_string(&ring).unwrap();
        assert_eq!(serde_json::from_str::<KeyRing>(&json).unwrap(), ring);
        assert_eq!(ring.key_for(KeyKind::Workspace), Some(&ring.workspace_key));
        assert_eq!(
            ring.key_for(KeyKind::Personal(MemberId(3))),
            Some(&ring.personal_key)
        );
        assert_eq!(ring.key_for(KeyKind::Personal(MemberId(4))), None);
    }
}
