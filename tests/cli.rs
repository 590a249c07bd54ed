//! The `tidings` command as a script or a bot uses it: two devices of a
//! team, syncing through a shared folder, with JSON output and coded errors.

use std::process::{Command, Output};

fn tidings(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &std::path::Path, args: &[&str]) -> String {
    let out = tidings(dir, args);
    assert!(
        out.status.success(),
        "tidings {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn a_bot_posts_a_status_update_that_a_teammate_receives_through_a_folder() {
    let root = tempfile::tempdir().unwrap();
    let (ana, bot, shared) = (
        root.path().join("ana"),
        root.path().join("bot"),
        root.path().join("shared"),
    );
    std::fs::create_dir_all(&shared).unwrap();
    let shared = shared.to_str().unwrap();

    ok(
        &ana,
        &[
            "workspace",
            "create",
            "Acme",
            "--as",
            "Ana Souza",
            "--tz",
            "Europe/Lisbon",
            "--hours",
            "08:00-16:00",
            "--days",
            "mon-fri",
        ],
    );
    ok(
        &ana,
        &["channel", "create", "status", "--topic", "Daily reports"],
    );
    ok(&ana, &["sync", "add-folder", shared]);
    ok(&ana, &["sync", "run", "--once"]);
    let code = ok(&ana, &["workspace", "invite"]);
    assert!(code.starts_with("tidings-invite:"));

    ok(&bot, &["workspace", "join", &code, "--as", "CI Bot"]);
    ok(&bot, &["sync", "run", "--once"]);
    let thread = ok(
        &bot,
        &[
            "post",
            "--channel",
            "status",
            "--title",
            "Nightly build",
            "--body",
            "All green, @anasouza",
        ],
    );
    ok(&bot, &["sync", "run", "--once"]);
    ok(&ana, &["sync", "run", "--once"]);

    let inbox: serde_json::Value = serde_json::from_str(&ok(&ana, &["--json", "inbox"])).unwrap();
    assert_eq!(inbox["items"][0]["thread"]["id"], thread.as_str());
    assert_eq!(inbox["items"][0]["thread"]["title"], "Nightly build");
    ok(&ana, &["comment", &thread, "Thanks!"]);
    let hits: serde_json::Value =
        serde_json::from_str(&ok(&ana, &["--json", "search", "nigh"])).unwrap();
    assert_eq!(hits[0]["hit"]["thread"], thread.as_str());
    let status: serde_json::Value =
        serde_json::from_str(&ok(&ana, &["--json", "sync", "status"])).unwrap();
    assert_eq!(
        status["targets"][0]["outbox"], 1,
        "the comment waits for the next sync"
    );

    let export = root.path().join("export");
    ok(&ana, &["export", "--markdown", export.to_str().unwrap()]);
    assert!(std::fs::read_to_string(export.join("README.md"))
        .unwrap()
        .contains("Nightly build"));
}

#[test]
fn errors_carry_a_stable_code_and_exit_non_zero() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path();
    let out = tidings(d, &["--json", "inbox"]);
    assert!(!out.status.success());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "no_workspace");
    ok(d, &["workspace", "create", "Acme", "--as", "Ana"]);
    for (args, code) in [
        (vec!["comment", "not-an-id", "hi"], "invalid_id"),
        (
            vec!["post", "--channel", "nope", "--title", "t", "--body", "b"],
            "not_found",
        ),
        (
            vec!["workspace", "join", "tidings-invite:abc", "--as", "X"],
            "bad_code",
        ),
        (
            vec!["profile", "--as", "Ana", "--tz", "Mars/Base"],
            "invalid_time_zone",
        ),
        (vec!["sync", "add-nats", "http://example"], "invalid_input"),
    ] {
        let mut full = vec!["--json"];
        full.extend(args.iter().copied());
        let out = tidings(d, &full);
        assert!(!out.status.success(), "{args:?} should fail");
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"]["code"], code, "{args:?}");
    }
}
