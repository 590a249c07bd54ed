//! An fsync audit of acknowledged writes. The SIGKILL test (`crash.rs`)
//! cannot see a missing fsync: the page cache outlives a killed process and
//! only a power cut loses what was never synced. So we watch the syscalls
//! instead: the crash test's writer (`tidings stress-write`, which prints
//! each comment id once `add_comment` returned) runs under `strace -f`, and
//! for every id it prints, each store file written since the previous print
//! must have been fsynced (`fsync`/`fdatasync`, on any descriptor of the
//! same file) after one of those writes and before the print. (Not after
//! the last: an op is staged and flushed before it takes effect, and the
//! rows it derives may still be being written when the id is printed;
//! they are recovered from the staged op, `src/store/staged.rs`.) `sync_file_range`, which
//! sled's own flush ends in, does not count: it persists no metadata and
//! does not survive a power cut.
//!
//! Descriptors are resolved to paths by strace itself (`-y`, read from
//! /proc at each call), which also covers descriptors made by `dup` or
//! inherited, where following `openat` results would guess. Needs the
//! `strace` package (`.ci/install-deps` installs it).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use tidings::store::NewThread;
use tidings::{Options, Store};

use crate::util::person;

/// Comments the writer posts under the trace.
const COMMENTS: usize = 25;

/// One finished syscall of the trace, with the positions (line numbers) at
/// which it started and ended: with several threads, another's call can
/// run between the two.
#[derive(Debug, Clone)]
struct Call {
    name: String,
    /// The path strace resolved the first argument to (`-y`), if it is a
    /// descriptor.
    path: Option<String>,
    /// The first argument's text (the descriptor number).
    fd: Option<i64>,
    /// The quoted data of a write, unescaped only as far as `\n`.
    data: Option<String>,
    ret: i64,
    start: usize,
    end: usize,
}

/// Parses `strace -f -y -qq` output into finished calls, joining
/// `<unfinished ...>` and `<... resumed>` halves by thread id.
fn parse(trace: &str) -> Vec<Call> {
    let mut calls = Vec::new();
    // Per thread: the first half of an unfinished call and its position.
    let mut open: BTreeMap<u32, (String, usize)> = BTreeMap::new();
    for (pos, line) in trace.lines().enumerate() {
        let Some((pid, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let rest = rest.trim_start();
        if rest.starts_with("+++") || rest.starts_with("---") {
            continue;
        }
        let (text, start) = if let Some(r) = rest.strip_prefix("<... ") {
            let Some((first, start)) = open.remove(&pid) else {
                continue;
            };
            // "<... fsync resumed>)      = 0": the rest follows "resumed>",
            // its result padded to a column.
            let tail = r.split_once("resumed>").map_or("", |(_, t)| t);
            let tail = match tail.split_once(')') {
                Some((args, ret)) => {
                    format!("{args}) = {}", ret.trim_start().trim_start_matches("= "))
                }
                None => tail.to_string(),
            };
            (format!("{first}{tail}"), start)
        } else if let Some(first) = rest.strip_suffix(" <unfinished ...>") {
            open.insert(pid, (first.to_string(), pos));
            continue;
        } else {
            (rest.to_string(), pos)
        };
        if let Some(call) = parse_call(&text, start, pos) {
            calls.push(call);
        }
    }
    calls
}

/// `name(fd<path>, "data"..., n) = ret`
fn parse_call(text: &str, start: usize, end: usize) -> Option<Call> {
    let (name, args) = text.split_once('(')?;
    let (args, ret) = args.rsplit_once(") = ")?;
    let ret: i64 = ret.split_whitespace().next()?.parse().ok()?;
    let (fd, path) = match args.split_once('<') {
        Some((n, p)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => (
            n.parse().ok(),
            p.split_once('>').map(|(p, _)| p.to_string()),
        ),
        _ => (
            args.split(',').next().and_then(|a| a.trim().parse().ok()),
            None,
        ),
    };
    let data = args
        .split_once('"')
        .and_then(|(_, d)| d.split_once('"'))
        .map(|(d, _)| d.replace("\\n", "\n"));
    Some(Call {
        name: name.to_string(),
        path,
        fd,
        data,
        ret,
        start,
        end,
    })
}

fn is_write(name: &str) -> bool {
    matches!(
        name,
        "write" | "pwrite64" | "writev" | "pwritev" | "pwritev2"
    )
}

/// What the audit found.
#[derive(Debug, Default)]
struct Audit {
    /// Ids printed on stdout, in order.
    acked: Vec<String>,
    /// Store files written before some acknowledgement.
    written: BTreeMap<String, usize>,
    /// Acknowledgements printed before a file written before them was
    /// fsynced: (id, file, the write's line, the print's line).
    unsynced: Vec<(String, String, usize, usize)>,
}

/// Checks every acknowledgement in `calls` against the writes and fsyncs of
/// files under `store`. A write's own data is what the writer wrote since
/// the previous acknowledgement; the store stages an op (flushed) before it
/// takes effect, and the rows it derives are written on after the flush
/// (they are recovered from the staged op), so the rule is: each store file
/// written since the previous print has a write in that window followed by
/// a successful fsync of the file that ends before this print.
fn audit(calls: &[Call], store: &str) -> Audit {
    let mut a = Audit::default();
    let in_store = |c: &Call| c.path.as_deref().is_some_and(|p| p.starts_with(store));
    let mut previous_print = 0;
    for ack in calls
        .iter()
        .filter(|c| is_write(&c.name) && c.fd == Some(1) && c.ret > 0)
    {
        let Some(id) = ack.data.as_deref().map(str::trim) else {
            continue;
        };
        a.acked.push(id.to_string());
        let window = (previous_print, ack.start);
        previous_print = ack.end;
        // This acknowledgement's writes, by file.
        let mut writes: BTreeMap<&str, Vec<&Call>> = BTreeMap::new();
        for w in calls.iter().filter(|c| {
            is_write(&c.name) && in_store(c) && c.start > window.0 && c.start < window.1
        }) {
            writes
                .entry(w.path.as_deref().unwrap())
                .or_default()
                .push(w);
        }
        for (path, ws) in writes {
            *a.written.entry(path.to_string()).or_default() += 1;
            // A successful fsync of the same file that began after one of
            // these writes ended and ended before the print began.
            let synced = ws.iter().any(|w| {
                calls.iter().any(|s| {
                    matches!(s.name.as_str(), "fsync" | "fdatasync")
                        && s.ret == 0
                        && s.path.as_deref() == Some(path)
                        && s.start > w.end
                        && s.end < ack.start
                })
            });
            if !synced {
                let last = ws.iter().map(|w| w.end).max().unwrap_or(0);
                a.unsynced
                    .push((id.to_string(), path.to_string(), last + 1, ack.start + 1));
            }
        }
    }
    a
}

/// A data folder with a thread to comment in.
fn folder_with_a_thread(dir: &Path) -> String {
    let s = Store::open(dir, Options::default()).unwrap();
    s.create_workspace("Audit", person("Ana", "UTC")).unwrap();
    let c = s.create_channel("general", "").unwrap();
    s.create_thread(NewThread {
        channel: c,
        title: "Durable".into(),
        body: "body".into(),
        notify: vec![],
    })
    .unwrap()
    .to_string()
}

#[test]
fn every_acknowledged_comment_was_fsynced_before_it_was_acknowledged() {
    assert!(
        Command::new("strace").arg("-V").output().is_ok(),
        "strace is missing: run .ci/install-deps (Debian package `strace`)"
    );
    // On the real disk, not /dev/shm: the files and calls are what a user's
    // machine sees.
    let dir = tempfile::tempdir().unwrap();
    let thread = folder_with_a_thread(dir.path());
    let trace_file = dir.path().join("strace.txt");
    let mut child = Command::new("strace")
        .args(["-f", "-y", "-qq", "-s", "64", "-o"])
        .arg(&trace_file)
        .args([
            "-e",
            "trace=openat,write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync,sync_file_range",
            "--",
            env!("CARGO_BIN_EXE_tidings"),
            "--data-dir",
        ])
        .arg(dir.path())
        .args(["stress-write", &thread, "--count", &COMMENTS.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let printed: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(Result::unwrap)
        .collect();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the writer under strace failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(printed.len(), COMMENTS, "the writer printed every id");

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let store = dir.path().join("store").display().to_string();
    let a = audit(&parse(&trace), &format!("{store}/"));

    // The trace is read right: it holds each printed id, each after writes
    // to the log file (else the audit below would pass on nothing).
    assert_eq!(a.acked, printed, "the prints found in the trace");
    let log = format!("{store}/db");
    assert!(
        a.written.get(&log).is_some_and(|n| *n >= COMMENTS),
        "every acknowledgement follows a write to the log file {log}: {:?}",
        a.written
    );

    let shown: Vec<String> = a
        .unsynced
        .iter()
        .take(5)
        .map(|(id, path, w, p)| {
            format!("comment {id} printed (trace line {p}) before {path}, written at line {w}, was fsynced")
        })
        .collect();
    assert!(
        a.unsynced.is_empty(),
        "{} acknowledgements came before their data was on disk:\n{}\n(trace kept at {})",
        a.unsynced.len(),
        shown.join("\n"),
        dir.keep().join("strace.txt").display()
    );
}

/// The audit reads strace's split lines and asks for the fsync between the
/// last write and the print, on any descriptor of the file.
#[test]
fn the_audit_flags_a_print_whose_write_was_not_yet_fsynced() {
    let trace = r#"7 openat(AT_FDCWD</w>, "/d/store/db", O_RDWR|O_CREAT|O_CLOEXEC, 0666) = 4</d/store/db>
8 pwrite64(4</d/store/db>, "\1\2", 2, 0 <unfinished ...>
7 openat(AT_FDCWD</w>, "/d/store/db", O_RDONLY|O_CLOEXEC) = 6</d/store/db>
8 <... pwrite64 resumed>)           = 2
8 sync_file_range(4</d/store/db>, 0, 2, SYNC_FILE_RANGE_WRITE) = 0
7 fsync(6</d/store/db> <unfinished ...>
7 <... fsync resumed>)              = 0
7 write(1<pipe:[1]>, "ID1\n", 4) = 4
8 pwrite64(4</d/store/db>, "\3", 1, 2) = 1
8 sync_file_range(4</d/store/db>, 2, 1, SYNC_FILE_RANGE_WRITE) = 0
7 write(1<pipe:[1]>, "ID2\n", 4 <unfinished ...>
7 <... write resumed>)              = 4
"#;
    let a = audit(&parse(trace), "/d/store/");
    assert_eq!(a.acked, ["ID1", "ID2"]);
    assert_eq!(
        a.unsynced,
        [("ID2".to_string(), "/d/store/db".to_string(), 9, 11)],
        "ID1 was fsynced (through another descriptor); ID2 only had sync_file_range"
    );
}
