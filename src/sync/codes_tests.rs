//! Tests of invite and device-link codes: round trips, typo detection,
//! pasting habits and the messages people see.

use super::*;

const B58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn small_invite() -> Invite {
    Invite {
        workspace: WorkspaceId(0x0123_4567_89ab_cdef_0011_2233_4455_6677),
        name: "Acme".to_string(),
        key: SecretKey::from_bytes([0x5a; 32]),
        targets: vec![],
    }
}

fn two_targets() -> Vec<TargetConfig> {
    vec![
        TargetConfig::Nats(NatsConfig {
            servers: vec!["nats://nats.acme-example.com:4222".to_string()],
            auth: NatsAuth::UserPassword {
                user: "tidings".to_string(),
                password: "correct-horse-battery-staple".to_string(),
            },
            tls: true,
            replicas: 1,
        }),
        TargetConfig::Folder(FolderConfig {
            path: "/home/ana/Sync/acme-team".to_string(),
        }),
    ]
}

fn invite() -> Invite {
    Invite {
        name: "Acme product team".to_string(),
        targets: two_targets(),
        ..small_invite()
    }
}

fn link() -> DeviceLink {
    DeviceLink {
        workspace: WorkspaceId(0x0123_4567_89ab_cdef_0011_2233_4455_6677),
        name: "Acme product team".to_string(),
        key: SecretKey::from_bytes([0x5a; 32]),
        member: MemberId(0x0fed_cba9_8765_4321_0000_1111_2222_3333),
        device: crate::model::ids::DeviceId([0x42; 32]),
        personal_key: SecretKey::from_bytes([0xa5; 32]),
        targets: two_targets(),
    }
}

/// The base58 part of a code.
fn body(code: &str) -> &str {
    code.split_once(':').unwrap().1
}

#[test]
fn an_invite_round_trips_through_its_code() {
    for inv in [small_invite(), invite()] {
        let code = inv.to_code();
        assert!(code.starts_with(INVITE_PREFIX));
        assert_eq!(Invite::from_code(&code).unwrap(), inv);
    }
}

#[test]
fn a_device_link_round_trips_through_its_code() {
    let l = link();
    let code = l.to_code();
    assert!(code.starts_with(LINK_PREFIX));
    assert_eq!(DeviceLink::from_code(&code).unwrap(), l);
    let ring = l.key_ring();
    assert_eq!((ring.workspace, ring.member), (l.workspace, l.member));
    assert_eq!(ring.personal_key, l.personal_key);
}

#[test]
fn every_nats_auth_variant_round_trips() {
    for auth in [
        NatsAuth::None,
        NatsAuth::Token {
            token: "t0k3n".to_string(),
        },
        NatsAuth::CredsFile {
            path: "/etc/nats/acme.creds".to_string(),
        },
    ] {
        let inv = Invite {
            targets: vec![TargetConfig::Nats(NatsConfig {
                servers: vec!["nats://a:4222".to_string(), "nats://b:4222".to_string()],
                auth,
                tls: false,
                replicas: 3,
            })],
            ..small_invite()
        };
        assert_eq!(Invite::from_code(&inv.to_code()).unwrap(), inv);
    }
}

#[test]
fn a_two_target_invite_is_one_short_line() {
    let code = invite().to_code();
    println!("two-target invite: {} chars: {code}", code.len());
    println!("device link:       {} chars", link().to_code().len());
    assert!(code.len() < 600, "{} chars", code.len());
    assert!(!code.chars().any(char::is_whitespace));
}

#[test]
fn every_single_character_substitution_is_caught() {
    // Every position, every other base58 character, on a small code (base58
    // decoding is quadratic, so the full sweep stays on the short one).
    let code = small_invite().to_code();
    let b58: Vec<char> = body(&code).chars().collect();
    let mut tried = 0;
    for i in 0..b58.len() {
        for c in B58.chars().filter(|&c| c != b58[i]) {
            let mut typo = b58.clone();
            typo[i] = c;
            let typo = format!("{INVITE_PREFIX}{}", typo.iter().collect::<String>());
            let err = Invite::from_code(&typo).unwrap_err();
            assert_eq!(err.code, ErrorCode::BadCode, "position {i} -> {c}");
            tried += 1;
        }
    }
    // And one substitution per position on the full two-target code.
    let code = invite().to_code();
    let b58: Vec<char> = body(&code).chars().collect();
    for i in 0..b58.len() {
        let mut typo = b58.clone();
        typo[i] = if b58[i] == 'x' { 'y' } else { 'x' };
        let typo = format!("{INVITE_PREFIX}{}", typo.iter().collect::<String>());
        assert!(Invite::from_code(&typo).is_err(), "position {i}");
        tried += 1;
    }
    println!("{tried} single-character typos, all caught");
}

#[test]
fn a_checksum_failure_says_the_code_has_a_typo() {
    let code = small_invite().to_code();
    let mut b58: Vec<char> = body(&code).chars().collect();
    let mid = b58.len() / 2;
    b58[mid] = if b58[mid] == 'x' { 'y' } else { 'x' };
    let typo = format!("{INVITE_PREFIX}{}", b58.iter().collect::<String>());
    let err = Invite::from_code(&typo).unwrap_err();
    assert_says(&err, "typo");
    assert_says(&err, "copy it again");
}

#[test]
fn every_swap_of_adjacent_characters_is_caught() {
    for code in [small_invite().to_code(), invite().to_code()] {
        let b58: Vec<char> = body(&code).chars().collect();
        for i in 0..b58.len() - 1 {
            if b58[i] == b58[i + 1] {
                continue;
            }
            let mut typo = b58.clone();
            typo.swap(i, i + 1);
            let typo = format!("{INVITE_PREFIX}{}", typo.iter().collect::<String>());
            assert_eq!(
                Invite::from_code(&typo).unwrap_err().code,
                ErrorCode::BadCode,
                "swap at {i}"
            );
        }
    }
}

#[test]
fn a_dropped_or_doubled_character_is_caught() {
    let code = small_invite().to_code();
    let b58 = body(&code);
    for i in 0..b58.len() {
        let dropped = format!("{INVITE_PREFIX}{}{}", &b58[..i], &b58[i + 1..]);
        assert!(Invite::from_code(&dropped).is_err(), "dropped {i}");
        let doubled = format!("{INVITE_PREFIX}{}{}", &b58[..=i], &b58[i..]);
        assert!(Invite::from_code(&doubled).is_err(), "doubled {i}");
    }
}

#[test]
fn a_code_pasted_with_spaces_and_line_breaks_still_works() {
    let inv = invite();
    let code = inv.to_code();
    // Wrapped at 40 columns with CRLF, indented, with spaces around the
    // colon and the prefix in capitals, as mail clients and chats mangle it.
    let b58: Vec<char> = body(&code).chars().collect();
    let wrapped: Vec<String> = b58.chunks(40).map(|c| c.iter().collect()).collect();
    let pasted = format!("  TIDINGS-INVITE : \r\n  {}\n\t", wrapped.join("\r\n  "));
    assert_eq!(Invite::from_code(&pasted).unwrap(), inv);
}

#[test]
fn a_device_link_code_given_as_an_invite_says_which_it_is() {
    let err = Invite::from_code(&link().to_code()).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadCode);
    assert_says(&err, "device-link code, not an invite");
    let err = DeviceLink::from_code(&invite().to_code()).unwrap_err();
    assert_says(&err, "invite code, not a device-link code");
}

#[test]
fn a_code_whose_prefix_was_edited_is_still_recognised_by_its_payload() {
    let code = link().to_code();
    let relabelled = format!("{INVITE_PREFIX}{}", body(&code));
    let err = Invite::from_code(&relabelled).unwrap_err();
    assert_says(&err, "device-link code");
}

#[test]
fn text_that_is_not_a_tidings_code_says_so() {
    for text in [
        "",
        "hello",
        "https://example.com/invite/abc",
        "tidings-invit:abc",
    ] {
        let err = Invite::from_code(text).unwrap_err();
        assert_eq!(err.code, ErrorCode::BadCode);
        assert!(
            err.message.contains("not a Tidings code"),
            "{text}: {}",
            err.message
        );
    }
    let huge = format!("{INVITE_PREFIX}{}", "2".repeat(100_000));
    assert_eq!(
        Invite::from_code(&huge).unwrap_err().code,
        ErrorCode::BadCode
    );
    let long = format!("{INVITE_PREFIX}{}", "2".repeat(10_000));
    assert_eq!(
        Invite::from_code(&long).unwrap_err().code,
        ErrorCode::BadCode
    );
}

#[test]
fn a_cut_off_code_says_it_is_incomplete() {
    for text in [INVITE_PREFIX.to_string(), format!("{INVITE_PREFIX}2Nq")] {
        let err = Invite::from_code(&text).unwrap_err();
        assert_says(&err, "incomplete");
    }
}

#[test]
fn a_character_outside_base58_is_named() {
    let code = small_invite().to_code();
    let typo = format!("{}0{}", &code[..20], &code[21..]);
    let err = Invite::from_code(&typo).unwrap_err();
    assert_says(&err, "'0'");
}

/// A code with a valid checksum around an arbitrary payload.
fn code_of(payload: &[u8]) -> String {
    format!(
        "{INVITE_PREFIX}{}",
        bs58::encode(payload).with_check().into_string()
    )
}

#[test]
fn a_code_from_a_newer_tidings_asks_for_an_update() {
    let err = Invite::from_code(&code_of(&[KIND_INVITE, VERSION + 1, 0, 0])).unwrap_err();
    assert_eq!(err.code, ErrorCode::BadCode);
    assert_says(&err, "newer Tidings");
    assert_says(&err, "update");
}

#[test]
fn a_code_with_a_good_checksum_but_an_unreadable_payload_is_refused() {
    for payload in [
        vec![KIND_INVITE, VERSION],
        vec![KIND_INVITE, VERSION, 0xff, 0xff],
        vec![KIND_INVITE, 0],
        vec![9, VERSION],
    ] {
        let err = Invite::from_code(&code_of(&payload)).unwrap_err();
        assert_eq!(err.code, ErrorCode::BadCode);
        assert!(
            err.message.contains("cannot be read"),
            "{payload:?}: {}",
            err.message
        );
    }
    // A valid invite with a byte appended.
    let mut payload = vec![KIND_INVITE, VERSION];
    payload.extend(
        postcard::to_allocvec(&InviteV1 {
            workspace: WorkspaceId(1),
            name: "x".to_string(),
            key: SecretKey::from_bytes([1; 32]),
            targets: vec![],
        })
        .unwrap(),
    );
    assert!(Invite::from_code(&code_of(&payload)).is_ok());
    payload.push(0);
    assert!(Invite::from_code(&code_of(&payload)).is_err());
}

#[test]
fn debug_prints_neither_keys_nor_passwords() {
    let printed = format!("{:?} {:#?} {:?}", invite(), link(), small_invite());
    for secret in ["5a5a", "90, 90", "a5a5", "165", "correct-horse"] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
    assert!(printed.contains("user_password"));
    assert!(printed.contains("/home/ana/Sync/acme-team"));
}

#[test]
fn an_invite_gives_the_joiner_the_workspace_key_and_a_fresh_personal_key() {
    let inv = invite();
    let a = inv.key_ring(MemberId(7));
    let b = inv.key_ring(MemberId(7));
    assert_eq!(a.workspace_key, inv.key);
    assert_eq!(a.member, MemberId(7));
    assert_ne!(a.personal_key, b.personal_key);
}

/// Asserts that an error's message contains `words`, showing it if not.
fn assert_says(err: &Error, words: &str) {
    assert!(
        err.message.contains(words),
        "expected {words:?} in: {}",
        err.message
    );
}
