//! Section 5 (optional): launch → interactive inbox and memory after
//! idling, with the app on a large store, against the bare window.
//!
//! The large store is the one the store benchmark leaves behind with
//! `BENCH_KEEP=1` (20k threads and 1M comments at full scale). Its
//! `tidings` folder is a person's data folder as the app expects one: the
//! store bench's store joined the workspace from its own device (its key
//! and "me" live in the store), so the app opens it with `--data-dir` in
//! place, without a copy (5 GB at full scale). The app writes into it
//! what it writes into any data folder: its `logs` folder, the
//! notification icon and queue (`notifications.json`), and whatever the
//! store records while it runs.
//!
//! Before any window opens, the benchmark opens the store itself once
//! (then closes it) to check that it holds a workspace and me, so the
//! app's first interactive view is the inbox and not the first-run form
//! (both end with the same ready line).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tidings::{Options, Store};

use crate::app::{Kind, Spec};
use crate::report::Row;
use crate::run::{launch_report, memory_note, memory_row};
use crate::session::Session;
use crate::{idle, launch, seed, Config};

/// The large store, as checked.
pub struct Large {
    /// The data folder the app opens.
    pub dir: PathBuf,
    /// The workspace's name.
    pub workspace: String,
    /// Ops in its log.
    pub ops: usize,
    /// Threads in my inbox.
    pub inbox: usize,
    /// Bytes on disk.
    pub bytes: u64,
    /// How long the check's own open took (the first open after the store
    /// bench: a cold page cache, unless the store bench ran just before).
    pub opened_in: Duration,
}

/// The data folder in `path`: its `tidings` folder when it is the store
/// bench's kept folder, else `path` itself.
fn data_dir(path: &Path) -> PathBuf {
    let inner = path.join("tidings");
    if inner.is_dir() {
        inner
    } else {
        path.to_path_buf()
    }
}

fn disk_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => disk_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Opens the store at `path` once to check that the app will show its
/// inbox there, and closes it.
pub fn check(path: &Path) -> Result<Large> {
    let dir = data_dir(path);
    anyhow::ensure!(
        dir.is_dir(),
        "BENCH_LARGE_STORE={}: no such folder. Keep the store benchmark's stores with \
         `BENCH_KEEP=1 cargo bench --bench store_vs_sqlite` and give the folder it prints \
         after \"stores kept in\"",
        path.display()
    );
    eprintln!("[5] checking the large store in {}", dir.display());
    let t = Instant::now();
    let store = Store::open(&dir, Options::default()).with_context(|| {
        format!(
            "BENCH_LARGE_STORE: open {} as a Tidings store (is it the `tidings` folder of a \
             store bench run of this commit, and is no app running on it?)",
            dir.display()
        )
    })?;
    let opened_in = t.elapsed();
    let workspace = store.workspace()?.with_context(|| {
        format!(
            "BENCH_LARGE_STORE: {} holds no workspace joined on this device: the app would show \
             its first-run form, not the inbox",
            dir.display()
        )
    })?;
    let inbox = seed::count_inbox(&store)?;
    let ops = store.op_count()?;
    store
        .close()
        .context("BENCH_LARGE_STORE: close the store after the check")?;
    Ok(Large {
        bytes: disk_bytes(&dir),
        dir,
        workspace: workspace.name,
        ops,
        inbox,
        opened_in,
    })
}

/// The header line for the large store.
pub fn describe(l: &Large) -> String {
    format!(
        "large store    {} (used in place as the data folder): workspace \"{}\", {} ops, {} threads in my inbox, {:.0} MiB on disk; the check's own open took {:.1} s",
        l.dir.display(),
        l.workspace,
        l.ops,
        l.inbox,
        l.bytes as f64 / 1048576.0,
        l.opened_in.as_secs_f64()
    )
}

/// Launches (alternating with the bare window, after one warm-up round
/// each), then Tidings alone idling for memory; the bare window's memory
/// is `bare_pss` from section 2 when that ran, else measured here.
pub fn run(
    cfg: &Config,
    session: &Session,
    l: &Large,
    tidings: &Spec,
    bare: &Spec,
    root: &Path,
    bare_pss: Option<u64>,
) -> Result<(Vec<Row>, Vec<String>)> {
    let spec = Spec {
        kind: Kind::Tidings,
        bin: tidings.bin.clone(),
        args: vec!["--data-dir".into(), l.dir.display().to_string()],
        log: root.join("tidings-large.stderr.log"),
    };
    let what = format!("inbox, large store of {} ops", l.ops);
    let (mut rows, mut notes) = (Vec::new(), Vec::new());
    notes.push(format!(
        "large store: the app ran on {} in place; \"interactive\" as in section 1 (the UI's `ui_ready` once its first view is painted), \
         and the store holds a workspace and me (checked before launching), so that view is the inbox, not the first-run form",
        l.dir.display()
    ));
    eprintln!(
        "[5] large store: launch → interactive, {} rounds",
        cfg.launches + 1
    );
    let launches = launch::run(session, &spec, bare, &spec.log, 1, cfg.launches)?;
    let (r, n) = launch_report(&what, "large store, launch", &launches);
    rows.extend(r);
    notes.extend(n);
    let idle = Duration::from_secs(cfg.memory_secs);
    eprintln!(
        "[5] large store: memory, {} s after the first view",
        cfg.memory_secs
    );
    let bare_pss = match bare_pss {
        Some(k) => Some(k),
        None => match idle::start_and_idle(session, bare, 0, idle) {
            Ok((running, m)) => {
                running.stop(launch::GRACE)?;
                notes.push(memory_note("large store, memory bare", &m));
                Some(m.total.pss)
            }
            Err(e) => {
                notes.push(format!(
                    "large store, memory: the bare window did not become interactive: {e:#}"
                ));
                None
            }
        },
    };
    let t = match idle::start_and_idle(session, &spec, 0, idle) {
        Ok((running, m)) => {
            running.stop(launch::GRACE)?;
            notes.push(memory_note("large store, memory Tidings", &m));
            Some(m.total.pss)
        }
        Err(e) => {
            notes.push(format!(
                "large store, memory: Tidings did not become interactive: {e:#}"
            ));
            None
        }
    };
    rows.push(memory_row(
        &format!(
            "{} s idle after the first view, large store of {} ops",
            cfg.memory_secs, l.ops
        ),
        t,
        bare_pss,
    ));
    Ok((rows, notes))
}
