//! Crash safety: a child process posts comments and prints each id once the
//! store acknowledged it; we SIGKILL it at a random moment, reopen the
//! store, and every acknowledged comment must be there. 50 cycles here;
//! `make soak` sets TIDINGS_CRASH_CYCLES=1000.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use rand::{Rng, SeedableRng};
use tidings::model::ids::CommentId;
use tidings::render::RenderOptions;
use tidings::store::NewThread;
use tidings::views::PageRequest;
use tidings::{Options, Store};

use crate::util::{all_comment_ids, person};

#[test]
fn every_acknowledged_comment_survives_sigkill() {
    let cycles: usize = std::env::var("TIDINGS_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().unwrap();
    let thread = {
        let s = Store::open(dir.path(), Options::default()).unwrap();
        s.create_workspace("Crash", person("Ana", "UTC")).unwrap();
        let c = s.create_channel("general", "").unwrap();
        s.create_thread(NewThread {
            channel: c,
            title: "Crash target".into(),
            body: "body".into(),
            notify: vec![],
        })
        .unwrap()
    };
    let seed: u64 = rand::random();
    println!("crash test seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut acked: HashSet<CommentId> = HashSet::new();

    for cycle in 0..cycles {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tidings"))
            .args(["--data-dir"])
            .arg(dir.path())
            .args(["stress-write", &thread.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        // Kill after a random number of acknowledgements, while the child
        // is in the middle of its next write.
        let wanted = rng.gen_range(1..40);
        for _ in 0..wanted {
            match lines.next() {
                Some(Ok(l)) => {
                    acked.insert(l.trim().parse().expect("the child prints comment ids"));
                }
                _ => panic!("the writer stopped on its own in cycle {cycle}"),
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Lines printed before the kill but not read yet were acknowledged too.
        for l in lines.map_while(Result::ok) {
            if let Ok(id) = l.trim().parse() {
                acked.insert(id);
            }
        }

        let store = Store::open(dir.path(), Options::default())
            .unwrap_or_else(|e| panic!("the store did not reopen after kill {cycle}: {e}"));
        let present = all_comment_ids(&store, thread);
        let missing: Vec<_> = acked.difference(&present).collect();
        assert!(
            missing.is_empty(),
            "cycle {cycle}: acknowledged comments lost: {missing:?}"
        );
        assert_eq!(
            store
                .thread(thread, &PageRequest::first(1), RenderOptions::default())
                .unwrap()
                .summary
                .comments as usize,
            present.len(),
            "cycle {cycle}: the thread's count disagrees with its comments"
        );
    }
    assert!(acked.len() >= cycles);
}

/// Comment ids a search for `text` finds.
fn found(store: &Store, text: &str) -> Vec<CommentId> {
    let q = tidings::search::SearchQuery {
        text: text.into(),
        ..Default::default()
    };
    store
        .search(&q)
        .unwrap()
        .into_iter()
        .filter_map(|r| r.hit.comment)
        .collect()
}

#[test]
fn an_edit_made_just_before_a_crash_is_searchable_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let comment = {
        let s = Store::open(dir.path(), Options::default()).unwrap();
        s.create_workspace("Crash", person("Ana", "UTC")).unwrap();
        let c = s.create_channel("general", "").unwrap();
        let t = s
            .create_thread(NewThread {
                channel: c,
                title: "Lunch".into(),
                body: "Where do we go?".into(),
                notify: vec![],
            })
            .unwrap();
        let comment = s.add_comment(t, "The apple orchard on Friday").unwrap();
        s.flush_search().unwrap();
        comment
    };
    // The edit is acknowledged, then the process dies (abort: no closing
    // commit of the search index, as after SIGKILL or a power cut).
    let out = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["edit", &comment.to_string(), "The pear market on Saturday"])
        .env("TIDINGS_TEST_CRASH_AFTER_WRITE", "1")
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the CLI was to crash after the edit: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Edited"),
        "the edit returned before the crash: {out:?}"
    );

    let s = Store::open(dir.path(), Options::default()).unwrap();
    assert_eq!(found(&s, "pear"), [comment], "the new text is found");
    assert!(found(&s, "apple").is_empty(), "the old text is gone");
}

#[test]
fn a_rebuild_cut_off_by_sigkill_is_done_again_at_the_next_open() {
    let cycles: usize = std::env::var("TIDINGS_REBUILD_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    {
        let s = Store::open(dir.path(), Options::default()).unwrap();
        s.create_workspace("Crash", person("Ana", "UTC")).unwrap();
        let c = s.create_channel("general", "").unwrap();
        for t in 0..20 {
            let t = s
                .create_thread(NewThread {
                    channel: c,
                    title: format!("Thread {t}"),
                    body: "body".into(),
                    notify: vec![],
                })
                .unwrap();
            for i in 0..40 {
                s.add_comment(t, &format!("comment {i} of a long thread"))
                    .unwrap();
            }
        }
    }
    // What every view reads after a rebuild that ran to its end, and how
    // long the command takes to run one.
    let rebuild = || {
        Command::new(env!("CARGO_BIN_EXE_tidings"))
            .arg("--data-dir")
            .arg(dir.path())
            .arg("rebuild")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let started = std::time::Instant::now();
    assert!(rebuild().wait().unwrap().success());
    let full = started.elapsed();
    let clean = Store::open(dir.path(), Options::default())
        .unwrap()
        .view_digest()
        .unwrap();

    let seed: u64 = rand::random();
    println!("rebuild crash test seed {seed}, a full rebuild takes {full:?}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut cut_off = 0;
    for cycle in 0..cycles {
        let mut child = rebuild();
        // The fault: SIGKILL at a random moment of the command's run (a
        // crash point, not a wait for anything).
        let at = rng.gen_range(0..full.as_micros().max(1) as u64);
        std::thread::sleep(std::time::Duration::from_micros(at));
        child.kill().unwrap();
        child.wait().unwrap();
        // Whether a rebuild was cut off: its mark is still in the store.
        {
            let db = sled::open(dir.path().join("store")).unwrap();
            if db
                .open_tree("meta")
                .unwrap()
                .contains_key(b"rebuilding")
                .unwrap()
            {
                cut_off += 1;
            }
        }
        let store = Store::open(dir.path(), Options::default())
            .unwrap_or_else(|e| panic!("the store did not reopen after kill {cycle}: {e}"));
        assert_eq!(
            store.view_digest().unwrap(),
            clean,
            "cycle {cycle}: the views differ from a clean rebuild's"
        );
    }
    println!("{cut_off} of {cycles} kills cut a rebuild off");
    assert!(
        cut_off * 4 >= cycles,
        "only {cut_off} of {cycles} kills landed in a rebuild: the test proves little"
    );
}
