//! Identifiers: entity ids (random 128-bit ULIDs), device ids (ed25519
//! public keys) and `OpId`, the hybrid-logical-clock stamp that totally
//! orders every op.
//!
//! Changing the byte layout of any type here is a storage and wire format
//! change: op ids are sled keys and are signed inside every op.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorCode};

macro_rules! entity_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u128);

        // Text (ULID) in human-readable formats such as JSON, so the UI and
        // exports see short strings; a plain u128 in binary formats.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if s.is_human_readable() {
                    s.collect_str(self)
                } else {
                    self.0.serialize(s)
                }
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                if d.is_human_readable() {
                    let s = String::deserialize(d)?;
                    s.parse().map_err(|e: Error| serde::de::Error::custom(e.message))
                } else {
                    u128::deserialize(d).map(Self)
                }
            }
        }

        impl $name {
            /// Big-endian bytes, so byte order equals numeric order in sled keys.
            pub fn to_bytes(self) -> [u8; 16] {
                self.0.to_be_bytes()
            }
            /// Inverse of [`Self::to_bytes`].
            pub fn from_bytes(b: [u8; 16]) -> Self {
                Self(u128::from_be_bytes(b))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", ulid::Ulid(self.0))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), ulid::Ulid(self.0))
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                ulid::Ulid::from_string(s.trim()).map(|u| Self(u.0)).map_err(|_| {
                    Error::new(
                        ErrorCode::InvalidId,
                        format!(
                            concat!("'{}' is not a valid ", $what, " id: ids are 26 characters of Crockford base32, as printed by Tidings")
                            , s
                        ),
                    )
                })
            }
        }
    };
}

entity_id!(
    /// A workspace: one team's channels, threads and members.
    WorkspaceId,
    "workspace"
);
entity_id!(
    /// A person in a workspace (one person may use several devices).
    MemberId,
    "member"
);
entity_id!(
    /// A channel groups threads.
    ChannelId,
    "channel"
);
entity_id!(
    /// A thread: a title, a markdown body and its comments.
    ThreadId,
    "thread"
);
entity_id!(
    /// A comment in a thread.
    CommentId,
    "comment"
);
entity_id!(
    /// A recurring check-in ("What did you work on today?") in a channel.
    CheckinId,
    "check-in"
);

/// A device is named by its ed25519 public key, so any replica can verify an
/// op's signature from the op alone, in any order of arrival.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub [u8; 32]);

impl Serialize for DeviceId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.to_hex())
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for DeviceId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            DeviceId::from_hex(&s)
                .ok_or_else(|| serde::de::Error::custom("a device id is 64 hex digits"))
        } else {
            <[u8; 32]>::deserialize(d).map(DeviceId)
        }
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0[..8] {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceId({self})")
    }
}

/// A hybrid logical clock reading: wall-clock milliseconds since the Unix
/// epoch plus a counter that breaks ties within one millisecond.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Debug, Default,
)]
pub struct Hlc {
    /// Physical part: Unix milliseconds (never less than any HLC seen before).
    pub ms: u64,
    /// Logical part: orders events inside one millisecond.
    pub counter: u32,
}

/// Totally orders ops: first by clock, then by device. Two devices never
/// share a key, so two ops never tie.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct OpId {
    /// When, by the issuing device's hybrid logical clock.
    pub hlc: Hlc,
    /// Which device issued (and signed) the op.
    pub device: DeviceId,
}

/// Length of [`OpId::to_key`].
pub const OP_KEY_LEN: usize = 8 + 4 + 32;

impl OpId {
    /// The smallest op id: every real op sorts after it.
    pub const MIN: OpId = OpId {
        hlc: Hlc { ms: 0, counter: 0 },
        device: DeviceId([0; 32]),
    };

    /// Sortable key: big-endian ms, counter, then device.
    pub fn to_key(&self) -> [u8; OP_KEY_LEN] {
        let mut k = [0u8; OP_KEY_LEN];
        k[..8].copy_from_slice(&self.hlc.ms.to_be_bytes());
        k[8..12].copy_from_slice(&self.hlc.counter.to_be_bytes());
        k[12..].copy_from_slice(&self.device.0);
        k
    }

    /// Inverse of [`Self::to_key`].
    pub fn from_key(k: &[u8]) -> Result<Self, Error> {
        if k.len() != OP_KEY_LEN {
            return Err(Error::corrupt("op key has the wrong length"));
        }
        let mut ms = [0u8; 8];
        ms.copy_from_slice(&k[..8]);
        let mut c = [0u8; 4];
        c.copy_from_slice(&k[8..12]);
        let mut d = [0u8; 32];
        d.copy_from_slice(&k[12..]);
        Ok(OpId {
            hlc: Hlc {
                ms: u64::from_be_bytes(ms),
                counter: u32::from_be_bytes(c),
            },
            device: DeviceId(d),
        })
    }

    /// When the op was made, as UTC.
    pub fn time(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(self.hlc.ms as i64).unwrap_or_default()
    }
}

impl fmt::Display for OpId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}@{}", self.hlc.ms, self.hlc.counter, self.device)
    }
}

impl FromStr for OpId {
    type Err = Error;
    /// Parses the full form `ms.counter@<64 hex digits of the device key>`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || {
            Error::new(
                ErrorCode::InvalidId,
                format!("'{s}' is not an op id: expected 'ms.counter@device' with the full 64-digit device key"),
            )
        };
        let (clock, dev) = s.trim().split_once('@').ok_or_else(bad)?;
        let (ms, counter) = clock.split_once('.').ok_or_else(bad)?;
        let device = DeviceId::from_hex(dev).ok_or_else(bad)?;
        Ok(OpId {
            hlc: Hlc {
                ms: ms.parse().map_err(|_| bad())?,
                counter: counter.parse().map_err(|_| bad())?,
            },
            device,
        })
    }
}

impl MemberId {
    /// The id of the person whose first device is `device`: derived from the
    /// device key, so a join can only ever claim a new person, never
    /// someone who exists (their other devices come by `DeviceAdded`).
    pub fn for_device(device: DeviceId) -> MemberId {
        use sha2::{Digest, Sha256};
        let h = Sha256::new()
            .chain_update(b"tidings-member-v1")
            .chain_update(device.0)
            .finalize();
        let mut b = [0u8; 16];
        b.copy_from_slice(&h[..16]);
        MemberId::from_bytes(b)
    }
}

impl DeviceId {
    /// All 64 hex digits of the key (the short `Display` form shows 16).
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Parses the 64-hex-digit form.
    pub fn from_hex(s: &str) -> Option<Self> {
        if s.len() != 64 || !s.is_ascii() {
            return None;
        }
        let mut d = [0u8; 32];
        for (i, b) in d.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(DeviceId(d))
    }
}

impl OpId {
    /// The full text form `ms.counter@<64 hex digits>` (parsed by `FromStr`).
    pub fn to_text(&self) -> String {
        format!(
            "{}.{}@{}",
            self.hlc.ms,
            self.hlc.counter,
            self.device.to_hex()
        )
    }
}

// Text in human-readable formats, the struct in binary ones.
impl Serialize for OpId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.to_text())
        } else {
            (self.hlc, self.device).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for OpId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            s.parse()
                .map_err(|e: Error| serde::de::Error::custom(e.message))
        } else {
            let (hlc, device) = <(Hlc, DeviceId)>::deserialize(d)?;
            Ok(OpId { hlc, device })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_key_order_matches_op_id_order() {
        let a = OpId {
            hlc: Hlc { ms: 5, counter: 9 },
            device: DeviceId([9; 32]),
        };
        let b = OpId {
            hlc: Hlc { ms: 6, counter: 0 },
            device: DeviceId([1; 32]),
        };
        assert!(a < b);
        assert!(a.to_key() < b.to_key());
        assert_eq!(OpId::from_key(&a.to_key()).unwrap(), a);
    }

    #[test]
    fn entity_ids_round_trip_through_text() {
        let t = ThreadId(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
        assert_eq!(t.to_string().parse::<ThreadId>().unwrap(), t);
        assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{t}\""));
        let err = "not-an-id".parse::<ThreadId>().unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidId);
    }

    #[test]
    fn op_ids_round_trip_through_text() {
        let a = OpId {
            hlc: Hlc {
                ms: 1_700_000_000_000,
                counter: 3,
            },
            device: DeviceId([0xab; 32]),
        };
        assert_eq!(a.to_text().parse::<OpId>().unwrap(), a);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<OpId>(&json).unwrap(), a);
        let bin = postcard::to_allocvec(&a).unwrap();
        assert_eq!(postcard::from_bytes::<OpId>(&bin).unwrap(), a);
        assert!("1.2@abc".parse::<OpId>().is_err());
    }
}

/// Ids cross the desktop shell's IPC as strings (see their `Serialize`
/// impls), so their generated TypeScript type is `string`.
#[cfg(feature = "specta")]
macro_rules! specta_as_string {
    ($($t:ty),*) => {$(
        impl specta::Type for $t {
            fn inline(
                types: &mut specta::TypeCollection,
                generics: specta::Generics,
            ) -> specta::DataType {
                <String as specta::Type>::inline(types, generics)
            }
        }
    )*};
}

#[cfg(feature = "specta")]
specta_as_string!(
    WorkspaceId,
    ChannelId,
    MemberId,
    ThreadId,
    CommentId,
    CheckinId,
    DeviceId,
    OpId
);
