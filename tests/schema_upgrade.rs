//! A data folder written by an older Tidings opens in this one and shows
//! what it showed there: every field of every view the same (fields added
//! since may be there too). Each fixture (`tests/fixtures/schemaN`) was
//! made by an older Tidings with the `make.sh` beside it: its store and,
//! in `expected/`, that Tidings' JSON output of each view at the fixture's
//! clock. The search index is left out, so opening also rebuilds it.
//!
//! - schema3: commit 32a537c, one sled tree per view.
//! - schema4: commit 8af0f1b, one tree with every row under a prefix;
//!   comments keyed by id, one reaction row per person. Schema 5 keeps
//!   comments under their thread and snippets and reaction summaries in
//!   rows, so this fixture has several comments, reactions and a deleted
//!   latest comment.
//! - schema5: commit b1d277c, the same steps; the thread row held the
//!   opening post and participants by op id. Schema 6 keeps the opening
//!   post in a row of its own and participants by the time of their
//!   first op.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The view a file of `expected/` holds: its name split at `_` gives the
/// CLI arguments (`thread_<id>.json` → `thread <id>`).
fn view_args(file: &Path) -> Vec<String> {
    let stem = file.file_stem().unwrap().to_str().unwrap();
    stem.split('_').map(str::to_string).collect()
}

/// A view printed at `clock`, the instant its fixture's views were.
fn show(data: &Path, clock: &str, args: &[String]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--data-dir")
        .arg(data)
        .arg("--json")
        .args(args)
        .env("TIDINGS_TEST_CLOCK", clock)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tidings {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Search hits as a set, without their scores: a rebuilt index holds the
/// same documents, but its statistics (and so its scores and the order of
/// close hits) depend on how it was written — an edit leaves a deleted
/// document counted in an index kept up to date, not in a rebuilt one.
fn hit_set(hits: serde_json::Value) -> serde_json::Value {
    let mut hits: Vec<serde_json::Value> = hits
        .as_array()
        .unwrap()
        .iter()
        .cloned()
        .map(|mut h| {
            h["hit"].as_object_mut().unwrap().remove("score");
            h
        })
        .collect();
    hits.sort_by_key(|h| h.to_string());
    serde_json::Value::Array(hits)
}

/// Whether `got` shows everything `expected` held, the same: fields added
/// to a view since are allowed (the thread view gained a `prev` cursor);
/// anything changed or missing is not. Errs with the path of a difference.
fn shows_all_of(
    got: &serde_json::Value,
    expected: &serde_json::Value,
    at: String,
) -> Result<(), String> {
    use serde_json::Value;
    match (got, expected) {
        (Value::Object(g), Value::Object(e)) => e.iter().try_for_each(|(k, ev)| match g.get(k) {
            Some(gv) => shows_all_of(gv, ev, format!("{at}.{k}")),
            None => Err(format!("{at}.{k} (missing)")),
        }),
        (Value::Array(g), Value::Array(e)) if g.len() == e.len() => g
            .iter()
            .zip(e)
            .enumerate()
            .try_for_each(|(i, (gv, ev))| shows_all_of(gv, ev, format!("{at}[{i}]"))),
        _ if got == expected => Ok(()),
        _ => Err(at),
    }
}

#[test]
fn a_schema_3_data_folder_opens_and_every_view_shows_what_it_showed() {
    let data = opens_and_shows_what_it_showed(&fixture("schema3"), "2026-12-07T10:00:00Z");
    // The old layout is gone: one tree holds every row now.
    let db = sled::open(data.path().join("data/store")).unwrap();
    let names: Vec<String> = db
        .tree_names()
        .iter()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    assert!(names.contains(&"data".to_string()), "{names:?}");
    for old in ["ops", "threads", "comments", "my_inbox", "outbox"] {
        assert!(
            !names.contains(&old.to_string()),
            "{old} is left: {names:?}"
        );
    }
}

#[test]
fn a_schema_4_data_folder_opens_and_every_view_shows_what_it_showed() {
    opens_and_shows_what_it_showed(&fixture("schema4"), "2026-12-08T10:00:00Z");
}

#[test]
fn a_schema_5_data_folder_opens_and_every_view_shows_what_it_showed() {
    opens_and_shows_what_it_showed(&fixture("schema5"), "2026-12-08T10:00:00Z");
}

/// Opens a copy of `fixture`'s store with this Tidings and checks that
/// every view in its `expected/` shows the same at `clock`. Returns the
/// temporary folder holding the copy (its data folder is `data`).
fn opens_and_shows_what_it_showed(fixture: &Path, clock: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&fixture.join("data-store"), &data.join("store"));

    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture.join("expected"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 15, "the fixture's views: {files:?}");
    for file in files {
        let args = view_args(&file);
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let empty = expected.as_array().is_some_and(Vec::is_empty)
            || expected["items"].as_array().is_some_and(Vec::is_empty);
        assert!(
            !empty || args == ["waiting"],
            "{args:?}: the fixture should show something"
        );
        let (got, expected) = if args[0] == "search" {
            (hit_set(show(&data, clock, &args)), hit_set(expected))
        } else {
            (show(&data, clock, &args), expected)
        };
        if let Err(at) = shows_all_of(&got, &expected, String::new()) {
            panic!("tidings {args:?} differs at {at}\nnow: {got:#}\nthen: {expected:#}");
        }
    }
    dir
}
