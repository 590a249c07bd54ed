//! The `tidings` command as a script or a bot uses it: two devices of a
//! team, syncing through a shared folder, with JSON output and coded errors.

use crate::util::tidings_cli;

fn ok(dir: &std::path::Path, args: &[&str]) -> String {
    let out = tidings_cli(dir, args);
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
    let out = tidings_cli(d, &["--json", "inbox"]);
    assert!(!out.status.success());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "no_workspace");
    ok(d, &["workspace", "create", "Acme", "--as", "Ana"]);
    for (args, code) in [
        (vec!["comment", "not-an-id", "hi"], "invalid_id"),
        (vec!["edit", "not-an-id", "hi"], "invalid_id"),
        (
            vec!["edit", "01KBZ9V2T2B7Y1Q6W2N5H0J3QX", "hi"],
            "not_found",
        ),
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
        let out = tidings_cli(d, &full);
        assert!(!out.status.success(), "{args:?} should fail");
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"]["code"], code, "{args:?}");
    }
}

fn fails_with(dir: &std::path::Path, args: &[&str], code: &str) {
    let mut full = vec!["--json"];
    full.extend(args.iter().copied());
    let out = tidings_cli(dir, &full);
    assert!(!out.status.success(), "{args:?} should fail");
    // With --json, stderr is the error object and nothing else.
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "{args:?}: stderr is not one JSON error ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(err["error"]["code"], code, "{args:?}");
}

#[test]
fn a_comment_scheduled_from_the_command_line_can_be_listed_edited_and_cancelled() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path();
    ok(
        d,
        &[
            "workspace",
            "create",
            "Acme",
            "--as",
            "Ana",
            "--tz",
            "Asia/Kolkata",
        ],
    );
    ok(d, &["channel", "create", "general"]);
    let thread = ok(
        d,
        &[
            "post",
            "--channel",
            "general",
            "--title",
            "Plan",
            "--body",
            "Draft",
        ],
    );
    let posted: serde_json::Value = serde_json::from_str(&ok(
        d,
        &["--json", "comment", &thread, "Later, please", "--at", "1h"],
    ))
    .unwrap();
    let post = posted["post"]["comment"].as_str().unwrap().to_string();
    assert!(posted["reveal"]["at"].is_string());

    let list: serde_json::Value = serde_json::from_str(&ok(d, &["--json", "scheduled"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["excerpt"], "Later, please");
    // Not in the thread yet.
    let t: serde_json::Value =
        serde_json::from_str(&ok(d, &["--json", "thread", &thread])).unwrap();
    assert_eq!(t["comments"]["items"].as_array().unwrap().len(), 0);

    let edited: serde_json::Value = serde_json::from_str(&ok(
        d,
        &[
            "--json",
            "scheduled",
            "edit",
            &format!("comment:{post}"),
            "--body",
            "Later, edited",
            "--at",
            "tomorrow",
        ],
    ))
    .unwrap();
    let edited = format!("comment:{}", edited["comment"].as_str().unwrap());
    let list: serde_json::Value = serde_json::from_str(&ok(d, &["--json", "scheduled"])).unwrap();
    assert_eq!(list[0]["excerpt"], "Later, edited");
    ok(d, &["scheduled", "cancel", &edited]);
    assert_eq!(ok(d, &["scheduled"]), "Nothing scheduled.");

    // Send now puts it in the thread at once.
    let posted: serde_json::Value = serde_json::from_str(&ok(
        d,
        &["--json", "comment", &thread, "Right away", "--at", "monday"],
    ))
    .unwrap();
    let post = format!("comment:{}", posted["post"]["comment"].as_str().unwrap());
    ok(d, &["scheduled", "send-now", &post]);
    let t: serde_json::Value =
        serde_json::from_str(&ok(d, &["--json", "thread", &thread])).unwrap();
    assert_eq!(t["comments"]["items"][0]["body_markdown"], "Right away");

    assert_eq!(ok(d, &["waiting"]), "Nobody is waiting.");
    fails_with(
        d,
        &["comment", &thread, "x", "--at", "someday"],
        "invalid_time",
    );
    fails_with(
        d,
        &["comment", &thread, "x", "--at-their-start"],
        "no_recipients",
    );
    fails_with(
        d,
        &["comment", &thread, "x", "--at", "2001-01-01T00:00:00Z"],
        "time_in_past",
    );
    fails_with(d, &["scheduled", "cancel", "comment:nope"], "invalid_id");
    fails_with(d, &["scheduled", "cancel", &edited], "not_found");
    fails_with(d, &["away", "until", "2001-01-01"], "time_in_past");
    fails_with(d, &["away", "until", "soon"], "invalid_time");
    fails_with(
        d,
        &[
            "comment",
            &thread,
            "x",
            "--ask",
            "ana",
            "--reply-by",
            "2-working-days",
        ],
        "invalid_input",
    );
    fails_with(
        d,
        &[
            "comment",
            &thread,
            "x",
            "--ask",
            "nobody",
            "--reply-by",
            "next-working-day",
        ],
        "not_found",
    );
    fails_with(d, &["answered", &thread], "not_found");
    // Nothing above reached the thread.
    let t: serde_json::Value =
        serde_json::from_str(&ok(d, &["--json", "thread", &thread])).unwrap();
    assert_eq!(t["comments"]["items"].as_array().unwrap().len(), 1);
}

#[test]
fn a_reminder_set_from_the_command_line_lands_in_my_hours_and_lists_in_later() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path();
    // Friday 14:00 in Lisbon.
    let at = |args: &[&str]| {
        let mut full = vec!["--test-clock", "2026-11-27T14:00:00Z"];
        full.extend(args.iter().copied());
        full.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run = |args: &[&str]| {
        let a = at(args);
        ok(d, &a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    run(&[
        "workspace",
        "create",
        "Acme",
        "--as",
        "Ana",
        "--tz",
        "Europe/Lisbon",
    ]);
    run(&["channel", "create", "general"]);
    let thread = run(&[
        "post",
        "--channel",
        "general",
        "--title",
        "Plan",
        "--body",
        "Draft",
    ]);
    // 17:00 is the end of Ana's day: Monday 09:00.
    assert_eq!(
        run(&["remind", &thread, "later"]),
        "I'll remind you on Mon 30 Nov 09:00.\n(The time you picked is outside your working hours, so it moved to when they start.)"
    );
    let list: serde_json::Value = serde_json::from_str(&run(&["--json", "later"])).unwrap();
    assert_eq!(list["items"][0]["state"], "upcoming");
    assert_eq!(list["items"][0]["remind_at"]["utc"], "2026-11-30T09:00:00Z");
    assert_eq!(
        run(&["remind", &thread, "tomorrow", "--on-reply"]),
        "I'll remind you when someone replies, or on Mon 30 Nov 09:00, whichever comes first."
    );
    assert!(run(&["later"]).contains("on reply or 30 Nov 09:00"));
    run(&["later", "done", &thread]);
    assert!(run(&["later"]).contains("done"));
    run(&["later", "remove", &thread]);
    assert_eq!(run(&["later"]), "Nothing in Later.");

    // Bad input: a coded error, and the list is unchanged.
    let fails = |args: &[&str], code: &str| {
        let a = at(args);
        fails_with(d, &a.iter().map(String::as_str).collect::<Vec<_>>(), code)
    };
    fails(&["remind", &thread, "whenever"], "invalid_time");
    fails(&["remind", &thread, "2001-01-01T00:00:00Z"], "time_in_past");
    fails(&["remind", &thread], "invalid_input");
    fails(&["remind", "not-an-id", "later"], "invalid_id");
    fails(&["later", "done", &thread], "not_found");
    fails(&["catchup", "seen", "everything"], "invalid_input");
    assert_eq!(run(&["catchup"]), "You are all caught up.");
    fails(&["later", "remove", &thread], "not_found");
    assert_eq!(run(&["later"]), "Nothing in Later.");
}

#[test]
fn a_checkin_is_run_from_the_command_line_and_bad_input_changes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path();
    // Friday 27 Nov 14:00 in Lisbon, then Monday 30 Nov 10:00.
    let with_clock = |clock: &str, args: &[&str]| {
        let mut full = vec!["--test-clock".to_string(), clock.to_string()];
        full.extend(args.iter().map(|s| s.to_string()));
        full
    };
    let run_at = |clock: &str, args: &[&str]| {
        let a = with_clock(clock, args);
        ok(d, &a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let fails_at = |clock: &str, args: &[&str], code: &str| {
        let a = with_clock(clock, args);
        fails_with(d, &a.iter().map(String::as_str).collect::<Vec<_>>(), code)
    };
    let friday = "2026-11-27T14:00:00Z";
    let monday = "2026-11-30T10:00:00Z";
    run_at(
        friday,
        &[
            "workspace",
            "create",
            "Acme",
            "--as",
            "Ana",
            "--tz",
            "Europe/Lisbon",
        ],
    );
    run_at(friday, &["channel", "create", "general"]);
    let id = run_at(
        friday,
        &[
            "checkin",
            "create",
            "--channel",
            "general",
            "--question",
            "What did you ship?",
            "--days",
            "weekdays",
        ],
    );
    let list: serde_json::Value =
        serde_json::from_str(&run_at(friday, &["--json", "checkin", "list"])).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["days_label"], "Weekdays");
    assert_eq!(list[0]["next_ask"]["utc"], "2026-11-30T09:00:00Z");
    assert!(run_at(friday, &["checkin", "list"]).contains("(Weekdays; next asks you 30 Nov 09:00)"));

    // Monday: answer (the latest date that asked me), then change it.
    assert_eq!(
        run_at(monday, &["checkin", "answer", &id, "Search *index*"]),
        "Answered for 2026-11-30."
    );
    run_at(
        monday,
        &[
            "checkin",
            "answer",
            &id,
            "Search index, tested",
            "--date",
            "2026-11-30",
        ],
    );
    let board = run_at(monday, &["--json", "checkin", "board", &id]);
    let b: serde_json::Value = serde_json::from_str(&board).unwrap();
    assert_eq!(b["days"][0]["date"], "2026-11-30");
    assert_eq!(
        b["days"][0]["answers"][0]["body_markdown"],
        "Search index, tested"
    );
    assert_eq!(b["days"][0]["answers"][0]["edited"], true);
    assert!(run_at(monday, &["checkin", "board", &id])
        .contains("Mon 30 Nov\n  Ana · 10:00 · edited\n    Search index, tested"));

    run_at(monday, &["checkin", "edit", &id, "--days", "mon,wed"]);
    run_at(monday, &["checkin", "pause", &id]);
    assert!(run_at(monday, &["checkin", "list"]).contains("What did you ship?  (Mon, Wed; paused)"));
    run_at(monday, &["checkin", "resume", &id]);

    // Bad input: a coded error each, and nothing changes.
    let before = run_at(monday, &["--json", "checkin", "board", &id]);
    let list_before = run_at(monday, &["--json", "checkin", "list"]);
    let q = ["checkin", "create", "--channel", "general", "--question"];
    fails_at(monday, &[&q[..], &["  "]].concat(), "invalid_input");
    fails_at(
        monday,
        &[&q[..], &["Q", "--days", "someday"]].concat(),
        "invalid_input",
    );
    fails_at(
        monday,
        &[&q[..], &["Q", "--people", "@nobody"]].concat(),
        "not_found",
    );
    fails_at(
        monday,
        &["checkin", "create", "--channel", "nope", "--question", "Q"],
        "not_found",
    );
    fails_at(
        monday,
        &["checkin", "answer", "not-an-id", "Hi"],
        "invalid_id",
    );
    fails_at(
        monday,
        &["checkin", "answer", &id, "Hi", "--date", "2026-11-28"],
        "invalid_input",
    );
    fails_at(
        monday,
        &["checkin", "answer", &id, "Hi", "--date", "tomorrow"],
        "invalid_time",
    );
    fails_at(
        monday,
        &["checkin", "answer", &id, "Hi", "--date", "2026-12-02"],
        "invalid_time",
    );
    fails_at(monday, &["checkin", "answer", &id, " "], "invalid_input");
    fails_at(
        monday,
        &["checkin", "edit", &id, "--question", ""],
        "invalid_input",
    );
    fails_at(
        monday,
        &["checkin", "board", "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
        "not_found",
    );
    assert_eq!(run_at(monday, &["--json", "checkin", "board", &id]), before);
    assert_eq!(run_at(monday, &["--json", "checkin", "list"]), list_before);

    // Stopped: final.
    run_at(monday, &["checkin", "stop", &id]);
    fails_at(monday, &["checkin", "stop", &id], "too_late");
    fails_at(monday, &["checkin", "answer", &id, "More"], "too_late");
    fails_at(monday, &["checkin", "resume", &id], "too_late");
    assert!(run_at(monday, &["checkin", "list"]).contains("stopped"));
    // Its answers stay, and search finds them.
    assert!(run_at(monday, &["search", "tested"]).contains(&format!("check-in {id} 2026-11-30")));
}

#[test]
fn bad_sync_targets_devices_and_joins_from_the_command_line_change_nothing() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path();
    let init = ok(d, &["init"]);
    let me = init.rsplit(' ').next().unwrap().to_string();
    ok(d, &["workspace", "create", "Acme", "--as", "Ana"]);
    let folder = root.path().join("shared");
    std::fs::create_dir(&folder).unwrap();
    let folder = folder.display().to_string();
    ok(d, &["sync", "add-folder", &folder]);
    let invite = ok(d, &["workspace", "invite"]);
    // What a person sees of their setup: who they are, the team, the sync
    // targets with what waits for each, and the op count behind them.
    let state = || {
        [
            ok(d, &["--json", "workspace", "show"]),
            ok(d, &["--json", "members"]),
            ok(d, &["--json", "sync", "status"]),
            ok(d, &["--json", "channel", "list"]),
        ]
        .join("\n")
    };
    let before = state();
    let long = format!("nats://{}:4222", "h".repeat(2000));
    for (args, code) in [
        (
            vec!["sync", "add-nats", "nats://n1:4222", "--replicas", "0"],
            "invalid_input",
        ),
        (
            vec!["sync", "add-nats", "nats://n1:4222", "--replicas", "9"],
            "invalid_input",
        ),
        (
            vec!["sync", "add-nats", "JaVaScRiPt:alert(1)"],
            "invalid_input",
        ),
        (vec!["sync", "add-nats", &long], "too_large"),
        (
            vec!["sync", "add-folder", "/no/such/folder"],
            "invalid_input",
        ),
        (vec!["sync", "remove", "77"], "not_found"),
        (vec!["device", "link", "not-a-device"], "invalid_input"),
        (vec!["device", "link", &me], "invalid_input"),
        (vec!["device", "add", "tidings-link:abc"], "bad_code"),
        (
            vec!["workspace", "join", &invite, "--as", "Ana again"],
            "workspace_exists",
        ),
        (
            vec!["workspace", "create", "Again", "--as", "Ana"],
            "workspace_exists",
        ),
    ] {
        fails_with(d, &args, code);
        assert_eq!(state(), before, "{args:?} changed something");
    }
}

/// The first steps the demo suggests: marking the teammate's unread thread
/// it leaves in my inbox (it mentions me) done moves it to `done`.
#[test]
fn marking_the_demos_unread_thread_done_moves_it_from_the_inbox_to_done() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("demo");
    ok(&dir, &["demo"]);
    let ids = |view: &str| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(&ok(&dir, &["--json", view])).unwrap();
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                i.get("thread").unwrap_or(i)["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let inbox = ids("inbox");
    assert_eq!(inbox.len(), 2, "the demo leaves two threads in my inbox");
    let deploy = &inbox[0];
    ok(&dir, &["mark", deploy, "done"]);
    assert_eq!(ids("done"), vec![deploy.clone()], "done lists it");
    assert!(!ids("inbox").contains(deploy), "the inbox no longer does");
}

/// `tidings inbox | head -1`: the reader goes away after one line. The
/// command ends quietly, as `ls | head` does, instead of panicking with
/// "failed printing to stdout: Broken pipe" and a backtrace.
#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    use std::process::{Command, Stdio};
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("demo");
    ok(&dir, &["demo"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--data-dir")
        .arg(&dir)
        .args(["channel", "list"])
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The read end closes before the command writes its first line.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
