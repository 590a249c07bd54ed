//! A second process on a data folder another process holds: it is turned
//! away with `already_running`, a message that says what to do and a
//! non-zero exit, and the first process's data is untouched. Real
//! processes (the `tidings` binary), not a second open in one process:
//! the folder lock is per process, so only this proves it.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use tidings::model::ids::CommentId;
use tidings::render::RenderOptions;
use tidings::store::NewThread;
use tidings::views::{PageRequest, MAX_PAGE};
use tidings::{Options, Store};

use crate::util::{all_comment_ids, person, tidings_cli};

#[test]
fn a_second_process_on_a_held_data_folder_gets_already_running_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let thread = {
        let s = Store::open(dir.path(), Options::default()).unwrap();
        s.create_workspace("Acme", person("Ana", "UTC")).unwrap();
        let c = s.create_channel("general", "").unwrap();
        s.create_thread(NewThread {
            channel: c,
            title: "Plans".into(),
            body: "first".into(),
            notify: vec![],
        })
        .unwrap()
    };

    // The first process holds the folder and keeps writing.
    let mut first = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["stress-write", &thread.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    let mut acked: HashSet<CommentId> = HashSet::new();
    // Once it has acknowledged a write, it holds the lock.
    for _ in 0..3 {
        let l = lines.next().expect("the first process writes").unwrap();
        acked.insert(l.trim().parse().expect("it prints comment ids"));
    }

    for args in [
        vec![
            "--json",
            "comment",
            &thread.to_string(),
            "from the second process",
        ],
        vec!["--json", "inbox"],
    ] {
        let out = tidings_cli(dir.path(), &args);
        assert!(!out.status.success(), "{args:?} must exit non-zero");
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
            panic!(
                "{args:?}: stderr is the JSON error ({e}): {}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert_eq!(err["error"]["code"], "already_running", "{args:?}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("already running") && message.contains("quit it first"),
            "says what to do: {message}"
        );
    }
    // Without --json, a person reads the code and the message on stderr.
    let out = tidings_cli(dir.path(), &["inbox"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("error[already_running]") && text.contains("already running"),
        "{text}"
    );
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first process is still running"
    );

    first.kill().unwrap();
    first.wait().unwrap();
    for l in lines.map_while(Result::ok) {
        if let Ok(id) = l.trim().parse() {
            acked.insert(id);
        }
    }

    // The lock went with the first process: the folder opens, with every
    // comment the first acknowledged and nothing from the second.
    let store = Store::open(dir.path(), Options::default()).unwrap();
    let present = all_comment_ids(&store, thread);
    let missing: Vec<_> = acked.difference(&present).collect();
    assert!(
        missing.is_empty(),
        "acknowledged comments lost: {missing:?}"
    );
    let v = store
        .thread(
            thread,
            &PageRequest::first(MAX_PAGE),
            RenderOptions::default(),
        )
        .unwrap();
    assert!(
        v.comments
            .items
            .iter()
            .all(|c| !c.body_markdown.contains("second process")),
        "the refused process wrote nothing"
    );
}
