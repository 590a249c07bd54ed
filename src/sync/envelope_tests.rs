//! Tests of the envelope format: round trips, and refusal of every kind of
//! damage, misdelivery and forgery the module doc promises to catch.

use ed25519_dalek::SigningKey;
use proptest::prelude::*;

use super::*;
use crate::model::ids::{CommentId, Hlc, OpId, ThreadId};
use crate::model::op::{Op, OpKind};

const WS: WorkspaceId = WorkspaceId(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
const ANA: MemberId = MemberId(11);
const BEN: MemberId = MemberId(12);

fn device_key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn device_of(key: &SigningKey) -> DeviceId {
    DeviceId(key.verifying_key().to_bytes())
}

fn ring(member: MemberId) -> KeyRing {
    KeyRing {
        workspace: WS,
        workspace_key: SecretKey::from_bytes([1; 32]),
        member,
        personal_key: SecretKey::from_bytes([member.0 as u8; 32]),
    }
}

fn op(key: &SigningKey, kind: OpKind) -> Op {
    Op {
        id: OpId {
            hlc: Hlc {
                ms: 1_700_000_000_000,
                counter: 0,
            },
            device: device_of(key),
        },
        author: ANA,
        kind,
    }
}

fn comment(key: &SigningKey, body: &str) -> SignedOp {
    let kind = OpKind::CommentAdded {
        comment: CommentId(5),
        thread: ThreadId(4),
        body: body.to_string(),
        mentions: vec![],
    };
    SignedOp::sign(&op(key, kind), key).unwrap()
}

fn done(key: &SigningKey) -> SignedOp {
    let kind = OpKind::ThreadDone {
        thread: ThreadId(4),
        done: true,
    };
    SignedOp::sign(&op(key, kind), key).unwrap()
}

/// A small envelope of each kind, with what it holds.
fn samples() -> Vec<(Vec<u8>, KeyKind, SignedOp)> {
    let key = device_key(3);
    let shared = comment(&key, "hi");
    let personal = done(&key);
    vec![
        (
            seal(&ring(ANA), KeyKind::Workspace, device_of(&key), &shared).unwrap(),
            KeyKind::Workspace,
            shared,
        ),
        (
            seal(
                &ring(ANA),
                KeyKind::Personal(ANA),
                device_of(&key),
                &personal,
            )
            .unwrap(),
            KeyKind::Personal(ANA),
            personal,
        ),
    ]
}

#[test]
fn a_shared_op_round_trips_through_an_envelope() {
    let key = device_key(3);
    let signed = comment(&key, "Looks good to me");
    let sealed = seal(&ring(ANA), KeyKind::Workspace, device_of(&key), &signed).unwrap();
    // Any member can open it: Ben holds the same workspace key.
    for reader in [ring(ANA), ring(BEN)] {
        let opened = open(&reader, &sealed).unwrap();
        assert_eq!(opened.kind, KeyKind::Workspace);
        assert_eq!(opened.sender, device_of(&key));
        assert_eq!(opened.signed, signed);
        assert!(opened.signed.open().is_ok());
    }
}

#[test]
fn a_personal_op_round_trips_through_an_envelope() {
    let key = device_key(3);
    let signed = done(&key);
    let sealed = seal(&ring(ANA), KeyKind::Personal(ANA), device_of(&key), &signed).unwrap();
    let opened = open(&ring(ANA), &sealed).unwrap();
    assert_eq!(opened.kind, KeyKind::Personal(ANA));
    assert_eq!(opened.sender, device_of(&key));
    assert_eq!(opened.signed, signed);
}

#[test]
fn two_seals_of_one_op_differ_because_each_has_a_fresh_nonce() {
    let key = device_key(3);
    let signed = comment(&key, "same");
    let a = seal(&ring(ANA), KeyKind::Workspace, device_of(&key), &signed).unwrap();
    let b = seal(&ring(ANA), KeyKind::Workspace, device_of(&key), &signed).unwrap();
    assert_ne!(a, b);
    assert_eq!(a[..BASE_HEADER_LEN], b[..BASE_HEADER_LEN]);
}

#[test]
fn flipping_any_single_byte_is_refused() {
    for (sealed, _, _) in samples() {
        for i in 0..sealed.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = sealed.clone();
                bad[i] ^= flip;
                let err = open(&ring(ANA), &bad).unwrap_err();
                assert_eq!(err.code, ErrorCode::BadEnvelope, "byte {i} ^ {flip:#x}");
            }
        }
    }
}

#[test]
fn a_wrong_workspace_key_cannot_open_and_the_message_says_so() {
    let (sealed, _, _) = samples().remove(0);
    let mut other = ring(ANA);
    other.workspace_key = SecretKey::from_bytes([2; 32]);
    let err = open(&other, &sealed).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadEnvelope);
    assert_says(&err, "wrong workspace key");
    assert!(!is_for_another_person(&err));
}

#[test]
fn a_wrong_personal_key_cannot_open() {
    let (sealed, _, _) = samples().remove(1);
    let mut other = ring(ANA);
    other.personal_key = SecretKey::from_bytes([2; 32]);
    let err = open(&other, &sealed).unwrap_err();
    assert_says(&err, "wrong personal key");
}

#[test]
fn an_envelope_of_another_workspace_is_refused_even_with_the_right_key() {
    let (sealed, _, _) = samples().remove(0);
    let mut elsewhere = ring(ANA);
    elsewhere.workspace = WorkspaceId(99);
    let err = open(&elsewhere, &sealed).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadEnvelope);
    assert_says(&err, "belongs to workspace");
}

#[test]
fn an_envelope_truncated_at_any_length_is_refused() {
    for (sealed, _, _) in samples() {
        for len in 0..sealed.len() {
            let err = open(&ring(ANA), &sealed[..len]).unwrap_err();
            assert_eq!(err.code, ErrorCode::BadEnvelope, "length {len}");
        }
    }
}

#[test]
fn another_persons_personal_envelope_is_skipped_with_a_distinct_message() {
    let (sealed, _, _) = samples().remove(1);
    let err = open(&ring(BEN), &sealed).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadEnvelope);
    assert!(is_for_another_person(&err), "{}", err.message);
    assert!(err.message.contains(&ANA.to_string()));
}

#[test]
fn an_envelope_whose_sender_did_not_issue_the_op_is_refused() {
    let author = device_key(3);
    let relay = device_key(4);
    let signed = comment(&author, "mine");
    // seal itself refuses to write such an envelope...
    let err = seal(&ring(ANA), KeyKind::Workspace, device_of(&relay), &signed).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadEnvelope);
    // ...and open refuses one written by something else.
    let forged =
        seal_unchecked(&ring(ANA), KeyKind::Workspace, device_of(&relay), &signed).unwrap();
    let err = open(&ring(ANA), &forged).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadEnvelope);
    assert_says(&err, "another device");
}

#[test]
fn seal_keeps_personal_ops_off_the_workspace_key_and_shared_ops_off_the_personal_key() {
    let key = device_key(3);
    let dev = device_of(&key);
    let personal = done(&key);
    let shared = comment(&key, "x");
    assert!(seal(&ring(ANA), KeyKind::Workspace, dev, &personal).is_err());
    assert!(seal(&ring(ANA), KeyKind::Personal(ANA), dev, &shared).is_err());
    let err = seal(&ring(ANA), KeyKind::Personal(BEN), dev, &personal).unwrap_err();
    assert_says(&err, "only holds the personal key");
}

#[test]
fn the_ciphertext_does_not_contain_the_plaintext_body() {
    let marker = b"PLAINTEXT-MARKER-1234";
    let key = device_key(3);
    let signed = comment(&key, "Before PLAINTEXT-MARKER-1234 after");
    // The marker really is in the signed op, so its absence below means
    // something.
    assert!(contains(signed.as_bytes(), marker));
    let sealed = seal(&ring(ANA), KeyKind::Workspace, device_of(&key), &signed).unwrap();
    assert!(!contains(&sealed, marker));
    assert_eq!(open(&ring(ANA), &sealed).unwrap().signed, signed);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn envelope_overhead_is_a_header_nonce_and_tag() {
    for (sealed, kind, signed) in samples() {
        let overhead = sealed.len() - signed.as_bytes().len();
        println!(
            "{kind:?}: op {} bytes, envelope {} bytes, overhead {overhead} bytes",
            signed.as_bytes().len(),
            sealed.len()
        );
        let expected = match kind {
            KeyKind::Workspace => WORKSPACE_OVERHEAD,
            KeyKind::Personal(_) => PERSONAL_OVERHEAD,
        };
        assert_eq!(overhead, expected);
    }
    assert_eq!(WORKSPACE_OVERHEAD, 93);
    assert_eq!(PERSONAL_OVERHEAD, 109);
}

#[test]
fn the_header_layout_matches_the_documented_table() {
    let key = device_key(3);
    let (sealed, _, _) = samples().remove(1);
    assert_eq!(&sealed[0..3], b"TDE");
    assert_eq!(sealed[3], 1);
    assert_eq!(sealed[4], KIND_PERSONAL);
    assert_eq!(sealed[5..21], WS.to_bytes());
    assert_eq!(sealed[21..53], device_of(&key).0);
    assert_eq!(sealed[53..69], ANA.to_bytes());
}

#[test]
fn peek_reads_the_header_without_a_key() {
    let key = device_key(3);
    let mut kinds = vec![];
    for (sealed, _, _) in samples() {
        let (ws, dev, kind) = peek(&sealed).unwrap();
        assert_eq!((ws, dev), (WS, device_of(&key)));
        kinds.push(kind);
    }
    assert_eq!(kinds, vec![KIND_WORKSPACE, KIND_PERSONAL]);
    assert_eq!(peek(b"TD").unwrap_err().code, ErrorCode::BadEnvelope);
}

#[test]
fn foreign_bytes_and_newer_versions_get_messages_that_say_what_happened() {
    let (sealed, _, _) = samples().remove(0);
    let err = open(
        &ring(ANA),
        b"{\"hello\": \"world\"} and more bytes to be long enough",
    )
    .unwrap_err();
    assert_says(&err, "not a Tidings envelope");
    let mut newer = sealed.clone();
    newer[3] = 2;
    let err = open(&ring(ANA), &newer).unwrap_err();
    assert_says(&err, "newer Tidings");
    assert_says(&err, "update");
    let mut odd_kind = sealed;
    odd_kind[4] = 7;
    let err = open(&ring(ANA), &odd_kind).unwrap_err();
    assert_says(&err, "key kind 7");
    let err = open(&ring(ANA), &[]).unwrap_err();
    assert_says(&err, "truncated");
}

#[test]
fn open_leaves_signature_checks_to_the_store() {
    // A keyholder can deliver an op with a broken signature; open lets it
    // through (the store verifies in batches) and SignedOp::open refuses it.
    let key = device_key(3);
    let mut bytes = comment(&key, "x").into_bytes();
    bytes[0] ^= 1; // inside the signature
    let broken = SignedOp::from_bytes(bytes).unwrap();
    let sealed = seal(&ring(ANA), KeyKind::Workspace, device_of(&key), &broken).unwrap();
    let opened = open(&ring(ANA), &sealed).unwrap();
    assert_eq!(
        opened.signed.open().unwrap_err().code,
        ErrorCode::BadSignature
    );
}

#[test]
fn an_authentic_envelope_holding_no_valid_op_is_refused() {
    // What a newer Tidings with an unknown op kind would produce.
    let key = device_key(3);
    let mut junk = vec![0u8; 64];
    junk.extend_from_slice(&[0xff; 20]);
    let signed = SignedOp::from_bytes(junk).unwrap();
    let sealed = seal_unchecked(&ring(ANA), KeyKind::Workspace, device_of(&key), &signed).unwrap();
    let err = open(&ring(ANA), &sealed).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadEnvelope);
    assert_says(&err, "unusable");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_comment_body_round_trips(body in "\\PC{0,300}") {
        let key = device_key(5);
        let signed = comment(&key, &body);
        let sealed = seal(&ring(ANA), KeyKind::Workspace, device_of(&key), &signed).unwrap();
        prop_assert_eq!(open(&ring(ANA), &sealed).unwrap().signed, signed);
    }

    #[test]
    fn arbitrary_bytes_are_refused_without_panicking(
        tail in proptest::collection::vec(any::<u8>(), 0..400),
        personal in any::<bool>(),
    ) {
        // Start with a valid-looking header so the test reaches decryption,
        // not just the magic check.
        let mut bytes = MAGIC.to_vec();
        bytes.push(VERSION);
        bytes.push(if personal { KIND_PERSONAL } else { KIND_WORKSPACE });
        bytes.extend_from_slice(&WS.to_bytes());
        bytes.extend_from_slice(&tail);
        let err = open(&ring(ANA), &bytes).unwrap_err();
        prop_assert_eq!(err.code, ErrorCode::BadEnvelope);
    }
}

/// Asserts that an error's message contains `words`, showing it if not.
fn assert_says(err: &Error, words: &str) {
    assert!(
        err.message.contains(words),
        "expected {words:?} in: {}",
        err.message
    );
}
