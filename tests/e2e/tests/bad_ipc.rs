//! Every IPC command, called from the page the way a compromised or
//! outdated UI could: with an argument missing, of the wrong type, or of
//! 1 MiB. Each must answer with a coded error object (`{code, message}`),
//! never a bare string or a crash, and change nothing: after every refused
//! call, what the read commands show (channels, threads, comments, inbox,
//! settings, sync targets, people, check-ins, Later) is what it was.
//! `open_external` gets hostile links on top (`file:`, `javascript:` in
//! disguise, `data:`, `tidings:`, `vbscript:`, an overlong one): each is
//! refused, and the system opener receives only the one web link allowed.
//!
//! The command list is read from src-tauri/src/commands/mod.rs, so a new
//! command without an entry in [`ARGS`] fails this test until one is added.

use serde_json::{json, Value};
use tidings_e2e::paths::repo_root;
use tidings_e2e::{App, IpcError, World};

use crate::support::{row, thread_view};

/// What an argument holds, to make valid, wrong and oversized values.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Text,
    Url,
    Thread,
    OptThread,
    Channel,
    Comment,
    OptOp,
    Bool,
    U32,
    Time,
    OptTime,
    Page,
    /// Where a thread opens (`ThreadAt`): a comment, context and a limit.
    At,
    Profile,
    NewThread,
    Query,
    Target,
    Settings,
    Urgent,
    Edit,
    Pause,
    Servers,
    Auth,
    Options,
    Post,
    Draft,
    OptWhen,
    Date,
    Remind,
    Section,
    CheckinK,
    OptChannel,
    OptPeople,
    U8,
    /// A date that may be left out, but whose absence can still be refused
    /// (answering a check-in that has not asked me yet).
    OptDate,
}
use Kind::*;

/// Each command's arguments, by their IPC names (camelCase).
const ARGS: &[(&str, &[(&str, Kind)])] = &[
    ("app_info", &[]),
    ("ui_ready", &[]),
    ("time_zones", &[]),
    ("set_open_thread", &[("thread", OptThread)]),
    ("open_external", &[("url", Url)]),
    ("set_test_clock", &[("at", Time)]),
    ("create_workspace", &[("name", Text), ("profile", Profile)]),
    ("join_workspace", &[("code", Text), ("profile", Profile)]),
    ("list_channels", &[]),
    ("create_channel", &[("name", Text), ("topic", Text)]),
    (
        "rename_channel",
        &[("channel", Channel), ("name", Text), ("topic", Text)],
    ),
    (
        "archive_channel",
        &[("channel", Channel), ("archived", Bool)],
    ),
    ("channel_threads", &[("channel", Channel), ("page", Page)]),
    ("get_thread", &[("thread", Thread), ("page", Page)]),
    ("get_thread_at", &[("thread", Thread), ("at", At)]),
    ("get_thread_before", &[("thread", Thread), ("page", Page)]),
    ("create_thread", &[("draft", NewThread)]),
    ("retitle_thread", &[("thread", Thread), ("title", Text)]),
    ("set_thread_closed", &[("thread", Thread), ("closed", Bool)]),
    ("add_comment", &[("thread", Thread), ("body", Text)]),
    ("edit_comment", &[("comment", Comment), ("body", Text)]),
    ("delete_comment", &[("comment", Comment)]),
    (
        "react",
        &[("target", Target), ("emoji", Text), ("on", Bool)],
    ),
    ("preview_markdown", &[("body", Text)]),
    ("post_thread", &[("draft", NewThread), ("options", Options)]),
    (
        "post_comment",
        &[("thread", Thread), ("body", Text), ("options", Options)],
    ),
    ("scheduled_list", &[]),
    ("cancel_scheduled", &[("post", Post)]),
    ("send_scheduled_now", &[("post", Post)]),
    ("edit_scheduled", &[("post", Post), ("edit", Edit)]),
    ("recipients_day", &[("draft", Draft), ("when", OptWhen)]),
    ("waiting_on_me", &[]),
    ("waiting_on_others", &[]),
    ("mark_answered", &[("thread", Thread)]),
    // An ask is an op id, written like a comment id.
    ("withdraw_reply", &[("thread", Thread), ("ask", Comment)]),
    ("set_away", &[("backOn", Date), ("note", Text)]),
    ("clear_away", &[]),
    ("my_away", &[]),
    (
        "remind",
        &[("thread", Thread), ("when", Remind), ("onReply", Bool)],
    ),
    ("reminder_preview", &[("when", Remind)]),
    ("catch_up", &[]),
    ("checkins", &[("channel", OptChannel)]),
    (
        "create_checkin",
        &[
            ("channel", Channel),
            ("question", Text),
            ("people", OptPeople),
            ("days", U8),
        ],
    ),
    (
        "edit_checkin",
        &[
            ("checkin", CheckinK),
            ("question", Text),
            ("people", OptPeople),
            ("days", U8),
        ],
    ),
    ("pause_checkin", &[("checkin", CheckinK), ("paused", Bool)]),
    ("stop_checkin", &[("checkin", CheckinK)]),
    (
        "answer_checkin",
        &[("checkin", CheckinK), ("date", OptDate), ("body", Text)],
    ),
    ("checkin_board", &[("checkin", CheckinK), ("days", U32)]),
    ("checkin_asks", &[]),
    ("catch_up_seen", &[("section", Section)]),
    ("later_list", &[]),
    ("later_done", &[("thread", Thread), ("done", Bool)]),
    ("later_remove", &[("thread", Thread)]),
    ("mark_read", &[("thread", Thread), ("upTo", OptOp)]),
    ("set_done", &[("thread", Thread), ("done", Bool)]),
    ("snooze", &[("thread", Thread), ("until", OptTime)]),
    ("mute", &[("thread", Thread), ("muted", Bool)]),
    ("follow", &[("thread", Thread), ("followed", Bool)]),
    ("inbox", &[("page", Page)]),
    ("done_list", &[("page", Page)]),
    ("unread_counts", &[]),
    ("members", &[]),
    ("update_profile", &[("profile", Profile)]),
    ("search", &[("query", Query)]),
    ("notification_settings", &[]),
    ("set_notification_settings", &[("settings", Settings)]),
    ("pause_notifications", &[("pause", Pause)]),
    ("urgent_settings", &[]),
    ("set_urgent_settings", &[("settings", Urgent)]),
    ("sync_status", &[]),
    (
        "add_nats_target",
        &[("servers", Servers), ("auth", Auth), ("tls", Bool)],
    ),
    ("add_folder_target", &[("path", Text)]),
    ("remove_sync_target", &[("id", U32)]),
    ("invite_code", &[]),
    ("export_workspace", &[]),
    ("reindex_search", &[]),
];

/// Every code the core defines (tidings::ErrorCode::as_str).
const CODES: &[&str] = &[
    "invalid_input",
    "invalid_id",
    "not_found",
    "not_author",
    "bad_signature",
    "malformed_op",
    "too_large",
    "invalid_time_zone",
    "no_workspace",
    "workspace_exists",
    "wrong_member",
    "already_running",
    "io",
    "corrupt",
    "search",
    "unsupported_version",
    "bad_envelope",
    "bad_code",
    "sync_failed",
    "internal",
    "time_in_past",
    "invalid_time",
    "too_late",
    "no_recipients",
];

fn mib() -> String {
    "x".repeat(1 << 20)
}

/// Ids that exist in Ana's store.
struct Fixture {
    channel: String,
    thread: String,
    comment: String,
    checkin: String,
}

fn profile(name: &str) -> Value {
    json!({ "display_name": name, "time_zone": "Europe/Lisbon",
            "working_hours": { "start_min": 540, "end_min": 1020, "days": 31 } })
}

impl Kind {
    fn optional(self) -> bool {
        matches!(
            self,
            OptThread | OptOp | OptTime | OptWhen | OptChannel | OptPeople
        )
    }

    fn valid(self, f: &Fixture) -> Value {
        match self {
            Text => json!("hello"),
            Url => json!("https://example.com/ipc-check"),
            Thread | OptThread => json!(f.thread),
            Channel => json!(f.channel),
            Comment => json!(f.comment),
            OptOp => Value::Null,
            Bool => json!(true),
            U32 => json!(1),
            Time | OptTime => json!("2030-01-02T09:00:00Z"),
            Page => json!({ "cursor": null, "limit": 20 }),
            At => json!({ "comment": f.comment, "before": 2, "limit": 20 }),
            Profile => profile("Ana"),
            NewThread => json!({ "channel": f.channel, "title": "t", "body": "b", "notify": [] }),
            Query => json!({ "text": "hello", "channel": null, "author": null, "thread": null,
                             "order": "relevance", "limit": 10 }),
            Target => json!({ "Thread": f.thread }),
            Settings => {
                json!({ "level": "all", "pause_until": null, "respect_working_hours": true })
            }
            Urgent => json!({ "off_for_everyone": false, "off_from": [] }),
            Edit => json!({ "title": null, "body": "b", "when": null }),
            Pause => json!("resume"),
            Servers => json!(["nats://127.0.0.1:1"]),
            Auth => json!({ "kind": "none" }),
            Options => json!({}),
            Post => json!({ "comment": f.comment }),
            Draft => json!({ "thread": f.thread, "channel": null, "body": "hi" }),
            OptWhen => Value::Null,
            Date => json!("2030-01-03"),
            Remind => json!({ "kind": "later_today" }),
            Section => json!("news"),
            CheckinK => json!(f.checkin),
            OptChannel | OptPeople | OptDate => Value::Null,
            U8 => json!(31),
        }
    }

    /// Values of the wrong type (and, for ids, a malformed id).
    fn wrong(self) -> Vec<Value> {
        match self {
            Text | Url => vec![json!(42), json!({ "text": "hi" })],
            Thread | OptThread | Channel | Comment | OptOp | CheckinK | OptChannel => {
                vec![json!(42), json!("not-an-id")]
            }
            U8 => vec![json!("one"), json!(-1), json!(300)],
            OptPeople => vec![json!("a string"), json!(42), json!(["not-an-id"])],
            OptDate => vec![json!(12345), json!("yesterday")],
            Bool => vec![json!("yes")],
            U32 => vec![json!("one"), json!(-1)],
            Time | OptTime | Date => vec![json!(12345), json!("yesterday")],
            Servers => vec![json!("nats://127.0.0.1:1")],
            Page | Profile | NewThread | Query | Target | Settings | Urgent | Edit | Pause
            | Auth | Options | Post | Draft | OptWhen | Remind => {
                vec![json!("a string"), json!(42)]
            }
            Section => {
                vec![json!("a string"), json!(42)]
            }
            // A malformed comment id, and no room left for the comment
            // the window opens at.
            At => vec![
                json!("a string"),
                json!(42),
                json!({ "comment": "not-an-id", "before": 0, "limit": 20 }),
                json!({ "comment": null, "before": 20, "limit": 20 }),
                json!({ "comment": null, "before": 0, "limit": 201 }),
            ],
        }
    }

    /// The same argument with 1 MiB where text goes, if it holds text.
    fn oversized(self, f: &Fixture) -> Option<Value> {
        let big = mib();
        Some(match self {
            Text | Url | Thread | OptThread | Channel | Comment | OptOp | Time | OptTime | Date => {
                json!(big)
            }
            Profile => profile(&big),
            NewThread => json!({ "channel": f.channel, "title": "t", "body": big, "notify": [] }),
            Query => json!({ "text": big, "channel": null, "author": null, "thread": null,
                             "order": "relevance", "limit": 10 }),
            Target => json!({ "Thread": big }),
            Servers => json!([big]),
            Post => json!({ "comment": big }),
            At => json!({ "comment": big, "before": 0, "limit": 20 }),
            Urgent => json!({ "off_for_everyone": false, "off_from": [big] }),
            Edit => json!({ "title": null, "body": big, "when": null }),
            // A draft is only read (who it notifies), never stored.
            Remind => json!({ "kind": "my_local", "value": big }),
            CheckinK | OptChannel | OptDate => json!(big),
            OptPeople => json!([big]),
            U8 => return None,
            Bool | U32 | Page | Settings | Pause | Auth | Options | Draft | OptWhen | Section => {
                return None
            }
        })
    }
}

/// The commands registered in src-tauri/src/commands/mod.rs.
fn registered_commands() -> Vec<String> {
    let path = repo_root().join("src-tauri/src/commands/mod.rs");
    let src =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let start = src
        .find("collect_commands![")
        .expect("collect_commands! in commands/mod.rs");
    let end = start
        + src[start..]
            .find(']')
            .expect("the end of collect_commands!");
    src[start + "collect_commands![".len()..end]
        .split(',')
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| s.rsplit("::").next().unwrap_or(s).to_string())
        .collect()
}

/// Checks one answer; returns a problem in words, if any.
fn check(what: &str, answer: Result<Result<Value, IpcError>, String>) -> Option<String> {
    match answer {
        Err(hang) => Some(format!("{what}: {hang}")),
        Ok(Ok(v)) => Some(format!("{what}: succeeded ({})", short(&v))),
        Ok(Err(IpcError(e))) => {
            let code = e.get("code").and_then(Value::as_str);
            let message = e.get("message").and_then(Value::as_str).unwrap_or("");
            match code {
                _ if !e.is_object() => Some(format!(
                    "{what}: a bare {} instead of {{code, message}}",
                    short(&e)
                )),
                None => Some(format!("{what}: no string code in {}", short(&e))),
                Some(c) if !CODES.contains(&c) => Some(format!("{what}: unknown code {c:?}")),
                Some(_) if message.trim().is_empty() => {
                    Some(format!("{what}: empty message in {}", short(&e)))
                }
                Some(_) => None,
            }
        }
    }
}

/// After a refused call: what the read commands show is what it was.
async fn unchanged(app: &App<'_>, f: &Fixture, seen: &mut Value, what: &str) -> Option<String> {
    let now = snapshot(app, f).await;
    let diff = changed(seen, &now);
    *seen = now;
    (!diff.is_empty()).then(|| format!("{what}: changed what shows: {}", diff.join("; ")))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s
    }
}

/// Calls several read commands in one round trip; their answers in order.
const SNAPSHOT: &str = r#"
const [calls, done] = arguments;
const internals = window.__TAURI_INTERNALS__;
if (!internals) { done({ harness: "window.__TAURI_INTERNALS__ is missing" }); return; }
Promise.all(calls.map(([cmd, args]) =>
  internals.invoke(cmd, args).then((v) => ({ ok: v === undefined ? null : v }), (e) => ({ err: e }))
)).then((answers) => done({ answers }), (e) => done({ harness: String(e) }));
"#;

/// What a person sees in the app, from its read commands.
async fn snapshot(app: &App<'_>, f: &Fixture) -> Value {
    let page = json!({ "cursor": null, "limit": 200 });
    let calls = json!([
        ["list_channels", {}],
        ["channel_threads", { "channel": f.channel, "page": page }],
        ["get_thread", { "thread": f.thread, "page": page }],
        ["inbox", { "page": page }],
        ["done_list", { "page": page }],
        ["unread_counts", {}],
        ["members", {}],
        ["my_away", {}],
        ["notification_settings", {}],
        ["urgent_settings", {}],
        ["sync_status", {}],
        ["scheduled_list", {}],
        ["waiting_on_me", {}],
        ["waiting_on_others", {}],
        ["later_list", {}],
        ["checkins", { "channel": null }],
        ["checkin_board", { "checkin": f.checkin, "days": 7 }],
    ]);
    let reply = app
        .client()
        .execute_async(SNAPSHOT, vec![calls])
        .await
        .unwrap_or_else(|e| panic!("the snapshot got no answer: {e}"));
    match reply.get("answers") {
        Some(a) => a.clone(),
        None => panic!("the snapshot failed: {reply}"),
    }
}

/// Which read commands answer differently in `after`.
fn changed(before: &Value, after: &Value) -> Vec<String> {
    let names = [
        "list_channels",
        "channel_threads",
        "get_thread",
        "inbox",
        "done_list",
        "unread_counts",
        "members",
        "my_away",
        "notification_settings",
        "urgent_settings",
        "sync_status",
        "scheduled_list",
        "waiting_on_me",
        "waiting_on_others",
        "later_list",
        "checkins",
        "checkin_board",
    ];
    names
        .iter()
        .enumerate()
        .filter(|(i, _)| before.get(*i) != after.get(*i))
        .map(|(i, n)| {
            format!(
                "{n}: {} → {}",
                short(before.get(i).unwrap_or(&Value::Null)),
                short(after.get(i).unwrap_or(&Value::Null))
            )
        })
        .collect()
}

/// Links `open_external` must refuse, with the code it must give.
fn hostile_links() -> Vec<(String, &'static str)> {
    let mut links: Vec<(String, &str)> = [
        "file:///etc/passwd",
        "FILE:///root/.ssh/id_ed25519",
        "javascript:alert(document.cookie)",
        "  JaVaScRiPt:alert(1)",
        "\u{1}javascript:alert(1)",
        "\tjavascript:alert(1)",
        "java\nscript:alert(1)",
        "\u{0}https://example.com/nul",
        "https://exam\u{7f}ple.com/",
        "data:text/html,<script>alert(1)</script>",
        "DaTa:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "tidings://thread/01KBZ9V2T2B7Y1Q6W2N5H0J3QX",
        "vbscript:msgbox(1)",
        " VBScript:msgbox(1)",
        "smb://server/share",
        "example.com",
        "",
    ]
    .iter()
    .map(|l| (l.to_string(), "invalid_input"))
    .collect();
    links.push((
        format!("https://example.com/{}", "a".repeat(64 * 1024)),
        "too_large",
    ));
    links
}

async fn call(
    app: &App<'_>,
    cmd: &str,
    args: serde_json::Map<String, Value>,
) -> Result<Result<Value, IpcError>, String> {
    app.try_invoke(cmd, Value::Object(args)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_ipc_input_returns_coded_errors() {
    let world = World::start("bad_ipc").await;
    let ana = world.device("ana");
    ana.create_workspace("Acme", "Ana", "Europe/Lisbon", "09:00-17:00");
    let channel = ana.channel("design");
    let thread = ana.post("design", "Launch checklist", "What is left?");
    let comment = ana.comment(&thread, "The docs.");
    let checkin = ana.run(&[
        "checkin",
        "create",
        "--channel",
        "design",
        "--question",
        "What did you ship?",
    ]);
    let f = Fixture {
        channel,
        thread: thread.clone(),
        comment,
        checkin,
    };

    let registered = registered_commands();
    let missing: Vec<&String> = registered
        .iter()
        .filter(|c| !ARGS.iter().any(|(name, _)| name == c))
        .collect();
    assert!(
        missing.is_empty(),
        "commands without an entry in ARGS: {missing:?}"
    );
    let stale: Vec<&str> = ARGS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !registered.iter().any(|c| c == n))
        .collect();
    assert!(
        stale.is_empty(),
        "ARGS names commands that no longer exist: {stale:?}"
    );

    // Started without --test-clock: the clock cannot be moved.
    let app = world.launch(ana.dir(), &[]).await;
    let refused = app
        .invoke("set_test_clock", json!({ "at": "2030-01-02T09:00:00Z" }))
        .await;
    match &refused {
        Err(e)
            if e.code() == Some("invalid_input")
                && e.message().is_some_and(|m| m.contains("--test-clock")) => {}
        other => {
            panic!("set_test_clock without --test-clock must refuse, naming the flag: {other:?}")
        }
    }

    let mut problems = Vec::new();
    let mut calls = 0;
    let mut seen = snapshot(&app, &f).await;
    for (cmd, args) in ARGS {
        let valid = |except: usize| {
            args.iter()
                .enumerate()
                .filter(|(i, _)| *i != except)
                .map(|(_, (n, k))| (n.to_string(), k.valid(&f)))
                .collect::<serde_json::Map<_, _>>()
        };
        if args.is_empty() {
            calls += 1;
            match call(&app, cmd, valid(usize::MAX)).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => problems.push(format!("{cmd}(): failed with {}", short(&e.0))),
                Err(hang) => problems.push(format!("{cmd}(): {hang}")),
            }
            // A valid call may change what shows (ui_ready, catch_up).
            seen = snapshot(&app, &f).await;
            continue;
        }
        for (i, (name, kind)) in args.iter().enumerate() {
            calls += 1;
            let answer = call(&app, cmd, valid(i)).await;
            if kind.optional() {
                // Absent means None: the call is valid, and may change
                // what shows (creating a check-in for everyone).
                match answer {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => problems.push(format!(
                        "{cmd} without optional {name}: failed with {}",
                        short(&e.0)
                    )),
                    Err(hang) => problems.push(format!("{cmd} without optional {name}: {hang}")),
                }
                seen = snapshot(&app, &f).await;
            } else {
                let what = format!("{cmd} without {name}");
                problems.extend(check(&what, answer));
                problems.extend(unchanged(&app, &f, &mut seen, &what).await);
            }
            for wrong in kind.wrong() {
                calls += 1;
                let mut a = valid(i);
                a.insert(name.to_string(), wrong.clone());
                let what = format!("{cmd} with {name} = {wrong}");
                problems.extend(check(&what, call(&app, cmd, a).await));
                problems.extend(unchanged(&app, &f, &mut seen, &what).await);
            }
            if let Some(big) = kind.oversized(&f) {
                calls += 1;
                let mut a = valid(i);
                a.insert(name.to_string(), big);
                let what = format!("{cmd} with 1 MiB in {name}");
                problems.extend(check(&what, call(&app, cmd, a).await));
                problems.extend(unchanged(&app, &f, &mut seen, &what).await);
            }
        }
    }

    // Hostile links: each refused with its code, nothing changes, and the
    // system opener (a recorder here, see World) receives none of them.
    for (link, code) in hostile_links() {
        calls += 1;
        let what = format!("open_external({})", short(&json!(link)));
        match call(
            &app,
            "open_external",
            json!({ "url": link }).as_object().unwrap().clone(),
        )
        .await
        {
            Ok(Err(e)) if e.code() == Some(code) => {
                if e.message().is_none_or(|m| m.len() > 500) {
                    problems.push(format!(
                        "{what}: a missing or overlong message {}",
                        short(&e.0)
                    ));
                }
            }
            other => problems.push(format!("{what}: expected {code}, got {other:?}")),
        }
        problems.extend(unchanged(&app, &f, &mut seen, &what).await);
    }
    // The web link that is allowed goes out, and is the only one that did.
    const ALLOWED: &str = "https://example.com/allowed-after-hostile-links";
    app.call("open_external", json!({ "url": ALLOWED })).await;
    tidings_e2e::poll::until(
        "the allowed link reaches the opener",
        tidings_e2e::DEADLINE,
        || async {
            world
                .opened_links()
                .iter()
                .any(|l| l == ALLOWED)
                .then_some(())
        },
    )
    .await;
    assert_eq!(
        world.opened_links(),
        vec![ALLOWED.to_string()],
        "only the allowed link may leave the app"
    );
    for p in &problems {
        eprintln!("bad IPC answer: {p}");
    }

    // The app still works: its channels are there, and a reply posts.
    let channels = app.call("list_channels", json!({})).await;
    assert!(channels.to_string().contains("design"), "{channels}");
    app.click("[data-testid=channel-link]").await;
    app.click(&row(&thread)).await;
    app.wait_for(&thread_view(&thread)).await;
    app.fill("#reply-body", "Still here after the abuse.").await;
    app.click("[data-testid=reply-send]").await;
    app.wait_any_text("[data-testid=comment-body]", "the new reply", |t| {
        t.contains("Still here after the abuse.")
    })
    .await;
    assert!(
        problems.is_empty(),
        "{} of {calls} bad calls were not answered with a coded error:\n{}",
        problems.len(),
        problems.join("\n")
    );

    app.quit().await;
}
