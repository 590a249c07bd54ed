//! Signed ops: an encoded [`Op`] and its device's ed25519 signature.
//!
//! Layout (a storage and wire format): 64 signature bytes, then the postcard
//! encoding of the op. The device key is inside the op (`OpId::device`), so
//! a signed op verifies on its own, in any order of arrival.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use super::ids::{DeviceId, OpId};
use super::limits::MAX_OP_BYTES;
use super::op::Op;
use crate::error::{Error, ErrorCode, Result};

const SIG_LEN: usize = 64;

/// An op as it is stored and sent: signature + encoded op.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedOp {
    bytes: Vec<u8>,
}

impl std::fmt::Debug for SignedOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SignedOp({} bytes)", self.bytes.len())
    }
}

impl SignedOp {
    /// Encodes and signs `op` with the device key (which must be `op.id.device`).
    pub fn sign(op: &Op, key: &SigningKey) -> Result<Self> {
        if key.verifying_key().to_bytes() != op.id.device.0 {
            return Err(Error::new(
                ErrorCode::MalformedOp,
                "An op must be signed by the device named in its id",
            ));
        }
        let body = postcard::to_allocvec(op)?;
        if body.len() + SIG_LEN > MAX_OP_BYTES {
            return Err(Error::new(
                ErrorCode::TooLarge,
                format!(
                    "The op is larger than {} KiB: shorten the text",
                    MAX_OP_BYTES / 1024
                ),
            ));
        }
        let sig = key.sign(&body);
        let mut bytes = Vec::with_capacity(SIG_LEN + body.len());
        bytes.extend_from_slice(&sig.to_bytes());
        bytes.extend_from_slice(&body);
        Ok(SignedOp { bytes })
    }

    /// Wraps bytes received from elsewhere; checks only the size here.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self> {
        if bytes.len() > MAX_OP_BYTES {
            return Err(Error::new(
                ErrorCode::TooLarge,
                format!(
                    "Refused an op of {} bytes: the limit is {MAX_OP_BYTES}",
                    bytes.len()
                ),
            ));
        }
        if bytes.len() <= SIG_LEN {
            return Err(Error::new(
                ErrorCode::MalformedOp,
                "Refused an op too short to hold a signature",
            ));
        }
        Ok(SignedOp { bytes })
    }

    /// The stored/sent form.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Consumes into the stored/sent form.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Decodes the op without checking the signature (for ops already
    /// verified, e.g. read back from the local log).
    pub fn decode_unverified(&self) -> Result<Op> {
        Ok(postcard::from_bytes(&self.bytes[SIG_LEN..])?)
    }

    fn signature(&self) -> Signature {
        let mut s = [0u8; SIG_LEN];
        s.copy_from_slice(&self.bytes[..SIG_LEN]);
        Signature::from_bytes(&s)
    }

    /// Decodes and verifies against the device key inside the op.
    pub fn open(&self) -> Result<Op> {
        let op = self.decode_unverified()?;
        let key = verifying_key(op.id.device)?;
        key.verify(&self.bytes[SIG_LEN..], &self.signature())
            .map_err(|_| bad_signature(op.id))?;
        Ok(op)
    }

    /// Decodes and verifies many ops at once with ed25519 batch
    /// verification (about twice as fast per op); when the batch fails, each
    /// op is checked alone so only the bad ones are reported.
    pub fn open_batch(ops: &[SignedOp]) -> Vec<Result<Op>> {
        let decoded: Vec<Result<Op>> = ops.iter().map(SignedOp::decode_unverified).collect();
        let mut msgs = Vec::new();
        let mut sigs = Vec::new();
        let mut keys = Vec::new();
        // A batch comes from a handful of devices: decompress each key
        // (an Edwards point decompression, 22% of the check when done per
        // op, BENCHMARKS.md) once.
        let mut by_device = std::collections::HashMap::new();
        for (s, d) in ops.iter().zip(&decoded) {
            if let Ok(op) = d {
                let key = match by_device.get(&op.id.device) {
                    Some(k) => Ok(*k),
                    None => {
                        let k = verifying_key(op.id.device);
                        if let Ok(k) = &k {
                            by_device.insert(op.id.device, *k);
                        }
                        k
                    }
                };
                match key {
                    Ok(k) => {
                        msgs.push(&s.bytes[SIG_LEN..]);
                        sigs.push(s.signature());
                        keys.push(k);
                    }
                    Err(_) => return ops.iter().map(SignedOp::open).collect(),
                }
            }
        }
        if ed25519_dalek::verify_batch(&msgs, &sigs, &keys).is_ok() {
            decoded
        } else {
            ops.iter().map(SignedOp::open).collect()
        }
    }
}

fn verifying_key(d: DeviceId) -> Result<VerifyingKey> {
    VerifyingKey::from_bytes(&d.0).map_err(|_| {
        Error::new(
            ErrorCode::BadSignature,
            format!("Device {d} has an invalid public key; the op was refused"),
        )
    })
}

fn bad_signature(id: OpId) -> Error {
    Error::new(
        ErrorCode::BadSignature,
        format!("Op {id} does not carry a valid signature of its device; it was refused and nothing changed"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::{Hlc, MemberId, ThreadId};
    use crate::model::op::OpKind;

    fn op(key: &SigningKey) -> Op {
        Op {
            id: OpId {
                hlc: Hlc { ms: 1, counter: 0 },
                device: DeviceId(key.verifying_key().to_bytes()),
            },
            author: MemberId(7),
            kind: OpKind::ThreadDone {
                thread: ThreadId(1),
                done: true,
            },
        }
    }

    #[test]
    fn a_signed_op_opens_and_a_flipped_byte_is_refused() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let s = SignedOp::sign(&op(&key), &key).unwrap();
        assert_eq!(s.open().unwrap(), op(&key));
        let mut bytes = s.clone().into_bytes();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let bad = SignedOp::from_bytes(bytes).unwrap();
        assert!(bad.open().is_err());
        let results = SignedOp::open_batch(&[s.clone(), bad, s]);
        assert!(results[0].is_ok() && results[1].is_err() && results[2].is_ok());
    }

    #[test]
    fn signing_with_another_devices_key_is_refused() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let other = SigningKey::from_bytes(&[4; 32]);
        assert_eq!(
            SignedOp::sign(&op(&key), &other).unwrap_err().code,
            ErrorCode::MalformedOp
        );
    }
}
