//! Desktop benchmark: the Tidings app (release build) against a bare
//! Tauri 2 window built in this repo (benches/bare-window), in one run,
//! under Xvfb with a private D-Bus session and dunst:
//!
//! 1. launch → first interactive view: Tidings' inbox over a store of 10k
//!    threads vs the bare window's painted page (median, p90, ratio);
//! 2. memory of each whole process tree (PSS) after 60 s idle, each app
//!    alone;
//! 3. idle CPU of each tree over 5 minutes, Tidings with sync connected to
//!    a real nats-server on loopback, both apps at once on two displays;
//! 4. a teammate's new thread → the app's D-Bus `Notify` call, through
//!    NATS, against raw NATS publish → receive on the same server;
//! 5. optionally (`BENCH_LARGE_STORE`), sections 1 and 2 again with the app
//!    on a large store: the one the store benchmark leaves with
//!    `BENCH_KEEP=1` (`cargo bench --bench store_vs_sqlite`), opened in
//!    place as the app's data folder (see large.rs).
//!
//! It measures and reports; it asserts nothing. The table (Markdown) is
//! printed and written to `<target>/desktop-bench.md`.
//!
//! Build both apps first (the UI before the app):
//! `npm --prefix ui ci && npm --prefix ui run build`, then
//! `cargo build --release -p tidings-desktop -p tidings-bare-window`; run
//! with `cargo run --release -p tidings-desktop-bench`. Environment:
//! - `TIDINGS_BENCH_THREADS` (10000): threads in the seeded store;
//! - `TIDINGS_BENCH_LAUNCHES` (10): measured launches per app, after one
//!   warm-up launch each;
//! - `TIDINGS_BENCH_MEMORY_SECS` (60): idle time before memory is read;
//! - `TIDINGS_BENCH_IDLE_SECS` (300): the idle CPU window;
//! - `TIDINGS_BENCH_NOTIFY_SAMPLES` (200): notification samples, after 20
//!   warm-up ones;
//! - `TIDINGS_BENCH_SECTIONS` (all): a comma-separated subset of
//!   `launch,memory,idle,notify,large`;
//! - `BENCH_LARGE_STORE`: the folder the store benchmark printed as
//!   "stores kept in …" (or its `tidings` folder): adds section 5;
//! - `TIDINGS_BENCH_APP`, `TIDINGS_BENCH_BARE`: the two binaries (default:
//!   next to this one, i.e. target/release);
//! - `TIDINGS_BENCH_DIR`: where the stores, logs and X/D-Bus folders go
//!   (default: the system temp folder); `TIDINGS_BENCH_KEEP`: keep them;
//! - `NATS_SERVER_BIN`: the nats-server (default: `.tools/nats`).

#[path = "../../../tests/support/nats_server.rs"]
mod nats_server;
#[allow(dead_code)]
#[path = "../../sync/peer.rs"]
mod peer;

mod app;
mod idle;
mod large;
mod launch;
mod monitor;
mod notify;
mod procfs;
mod report;
mod run;
mod seed;
mod session;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};

/// The workspace root (for Cargo.lock, .tools and git).
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
pub(crate) struct Config {
    threads: usize,
    launches: usize,
    memory_secs: u64,
    idle_secs: u64,
    samples: usize,
    sections: String,
    large_store: Option<PathBuf>,
}

impl Config {
    fn from_env() -> Result<Config> {
        Ok(Config {
            threads: env_num("TIDINGS_BENCH_THREADS", 10_000)?.max(10) as usize,
            launches: env_num("TIDINGS_BENCH_LAUNCHES", 10)?.max(1) as usize,
            memory_secs: env_num("TIDINGS_BENCH_MEMORY_SECS", 60)?,
            idle_secs: env_num("TIDINGS_BENCH_IDLE_SECS", 300)?.max(1),
            samples: env_num("TIDINGS_BENCH_NOTIFY_SAMPLES", 200)?.max(1) as usize,
            sections: std::env::var("TIDINGS_BENCH_SECTIONS")
                .unwrap_or_else(|_| "launch,memory,idle,notify,large".into()),
            large_store: std::env::var_os("BENCH_LARGE_STORE").map(PathBuf::from),
        })
    }

    pub(crate) fn on(&self, s: &str) -> bool {
        self.sections.split(',').any(|x| x.trim() == s)
    }
}

fn env_num(name: &str, default: u64) -> Result<u64> {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .with_context(|| format!("{name}={v} is not a whole number")),
        Err(_) => Ok(default),
    }
}

/// A binary named by `var`, else `name` next to this benchmark.
fn binary(var: &str, name: &str) -> Result<PathBuf> {
    let path = match std::env::var_os(var) {
        Some(p) => PathBuf::from(p),
        None => std::env::current_exe()?
            .parent()
            .context("the benchmark's folder")?
            .join(name),
    };
    if !path.is_file() {
        bail!(
            "{} is missing: build the apps first (`npm --prefix ui ci && npm --prefix ui run build`, \
             then `cargo build --release -p tidings-desktop -p tidings-bare-window`), or set {var}",
            path.display()
        );
    }
    Ok(path)
}

/// Where the Markdown report goes: the target folder this binary is in.
fn report_path() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    exe.parent()
        .and_then(Path::parent)
        .map(|t| t.join("desktop-bench.md"))
        .unwrap_or_else(|| PathBuf::from("desktop-bench.md"))
}

/// Output lines collected for both the terminal and the Markdown file.
#[derive(Default)]
pub(crate) struct Out {
    header: Vec<String>,
    notes: Vec<String>,
}

impl Out {
    pub(crate) fn head(&mut self, line: String) {
        println!("{line}");
        self.header.push(line);
    }
}

fn main() -> Result<()> {
    let started = Instant::now();
    let cfg = Config::from_env()?;
    let root_dir = Path::new(ROOT)
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from(ROOT));
    if std::env::var_os("NATS_SERVER_BIN").is_none() {
        let bin = root_dir.join(".tools/nats/bin/nats-server");
        if bin.is_file() {
            std::env::set_var("NATS_SERVER_BIN", bin);
        }
    }
    let tidings_bin = binary("TIDINGS_BENCH_APP", "tidings-desktop")?;
    let bare_bin = binary("TIDINGS_BENCH_BARE", "tidings-bare-window")?;

    let mut out = Out::default();
    let load_start = report::loadavg();
    out.head(format!(
        "Tidings desktop benchmark — {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    ));
    out.head(format!("machine        {}", report::machine()));
    out.head(format!("load average   {load_start} at the start"));
    out.head(format!(
        "tidings        {} (commit {})",
        tidings_bin.display(),
        report::commit(&root_dir)
    ));
    out.head(format!("bare window    {}", bare_bin.display()));
    let nats_bin = nats_server::nats_server_bin();
    out.head(format!(
        "versions       {}; WebKitGTK {} (libwebkit2gtk-4.1-0); {}; {}; Xvfb {}; dbus {}",
        report::locked(
            &root_dir.join("Cargo.lock"),
            &[
                "tauri",
                "wry",
                "tao",
                "webkit2gtk",
                "notify-rust",
                "async-nats"
            ]
        ),
        report::deb_version("libwebkit2gtk-4.1-0"),
        report::version_of(&nats_bin.display().to_string(), &["--version"]),
        report::version_of("dunst", &["--version"]),
        report::deb_version("xvfb"),
        report::deb_version("dbus"),
    ));
    out.head(format!(
        "run            {} threads; {} launches per app after 1 warm-up; memory after {} s idle; idle CPU over {} s; {} notification samples after {} warm-up; sections {}",
        cfg.threads, cfg.launches, cfg.memory_secs, cfg.idle_secs, cfg.samples, run::NOTIFY_WARMUP, cfg.sections
    ));

    let root = match std::env::var_os("TIDINGS_BENCH_DIR") {
        Some(d) => tempfile::Builder::new()
            .prefix("tidings-desktop-bench-")
            .tempdir_in(d)?,
        None => tempfile::Builder::new()
            .prefix("tidings-desktop-bench-")
            .tempdir()?,
    };
    let keep = std::env::var_os("TIDINGS_BENCH_KEEP").is_some();
    let result = run::run(&cfg, root.path(), &tidings_bin, &bare_bin, &mut out);
    if keep || result.is_err() {
        let path = root.keep();
        eprintln!(
            "stores, logs and session folders kept in {}",
            path.display()
        );
    }
    let (rows, table_notes) = result?;

    let table = report::table(&rows);
    println!();
    print!("{table}");
    println!();
    for n in table_notes.iter().chain(&out.notes) {
        println!("- {n}");
    }
    let footer = format!(
        "wall time {:.1} min; load average {load_start} at the start, {} at the end",
        started.elapsed().as_secs_f64() / 60.0,
        report::loadavg()
    );
    println!();
    println!("{footer}");

    let mut md = String::new();
    md.push_str("```\n");
    for h in &out.header {
        md.push_str(h);
        md.push('\n');
    }
    md.push_str("```\n\n");
    md.push_str(&table);
    md.push('\n');
    for n in table_notes.iter().chain(&out.notes) {
        md.push_str(&format!("- {n}\n"));
    }
    md.push_str(&format!("\n{footer}\n"));
    let path = report_path();
    std::fs::write(&path, md).with_context(|| format!("write {}", path.display()))?;
    println!("report written to {}", path.display());
    Ok(())
}
