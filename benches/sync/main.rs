//! Sync through a real nats-server on loopback, against raw NATS doing the
//! same transport work in the same run:
//!
//! 1. core apply of remote ops already opened (`Store::apply_remote`), with
//!    and without the signature checks;
//! 2. end-to-end catch-up of a fresh replica from the stream
//!    (`SyncEngine::run_once`: decrypt, signature checks, apply, cursor),
//!    with the share of each part;
//! 3. a comment posted on one replica → applied and decided by the
//!    notification policy on another, both running `SyncEngine::run` live;
//! 4. draining an outbox of 10k ops written offline;
//! 5. a new member joining the store benchmark's whole generated workspace
//!    (1.93M ops at scale 1.0) from the stream, to the first inbox page;
//!    then closing the store and its first open in a fresh process.
//!
//! `cargo bench --bench sync` runs it. Environment:
//! - `SYNC_BENCH_OPS` (default 100000): ops in 1) and 2);
//! - `SYNC_BENCH_DRAIN` (default 10000): ops in 4);
//! - `SYNC_BENCH_SAMPLES` (default 500): latency samples in 3);
//! - `SYNC_BENCH_JOIN_SCALE` (default 1.0): the generator's scale in 5)
//!   (`BENCH_SCALE` of the store benchmark: 20k threads and 1M comments
//!   at 1.0);
//! - `SYNC_BENCH_SECTIONS` (default all): a comma-separated subset of
//!   `latency,apply,catchup,drain,join`;
//! - `SYNC_BENCH_DIR`: where the stores go (default: the system temp
//!   folder); `NATS_SERVER_BIN`: the nats-server to start;
//! - `SYNC_BENCH_CACHE_MB`: sled's cache per store (default: the app's
//!   8 MiB), for experiments.
//!
//! Results and their analysis: BENCHMARKS.md, "Sync (make bench)".

#[path = "../support/files.rs"]
mod files;
#[path = "../../tests/support/nats_server.rs"]
mod nats_server;

// The store benchmark's workspace generator, shared as is; the parts only
// that benchmark uses are dead code here.
#[allow(dead_code)]
#[path = "../store_vs_sqlite/gen.rs"]
mod gen;
#[allow(dead_code)]
#[path = "../store_vs_sqlite/words.rs"]
mod words;

mod apply;
mod catchup;
mod cpu;
mod drain;
mod firstopen;
mod join;
mod latency;
mod peer;
mod report;
mod setup;
mod spans;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tokio::runtime::Runtime;

use report::{ms, per_sec, percentile, rate, ratio, secs, share, Row};

/// Latency samples discarded first.
const WARMUP: usize = 20;
/// Pause between latency samples.
const GAP: Duration = Duration::from_millis(10);
/// Core apply target, ops/s.
const APPLY_TARGET: f64 = 100_000.0;
/// Catch-up target: seconds per 100k ops.
const CATCHUP_TARGET_S: f64 = 5.0;
/// Latency targets.
const P50_TARGET: Duration = Duration::from_millis(10);
const P99_TARGET: Duration = Duration::from_millis(50);

fn env_usize(name: &str, default: usize) -> Result<usize> {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .with_context(|| format!("{name}={v} is not a whole number")),
        Err(_) => Ok(default),
    }
}

/// The 1, 5 and 15 minute load averages.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn env_scale(name: &str, default: f64) -> Result<f64> {
    let scale = match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .with_context(|| format!("{name}={v} is not a number"))?,
        Err(_) => default,
    };
    anyhow::ensure!(scale > 0.0 && scale <= 10.0, "{name} must be in (0, 10]");
    Ok(scale)
}

// The app's allocator (src-tauri/Cargo.toml says why).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == firstopen::ARG) {
        return firstopen::child_main(&args[i + 1..]);
    }
    let n = env_usize("SYNC_BENCH_OPS", 100_000)?.max(1);
    let join_scale = env_scale("SYNC_BENCH_JOIN_SCALE", 1.0)?;
    let drain_n = env_usize("SYNC_BENCH_DRAIN", 10_000)?.max(1);
    let samples = env_usize("SYNC_BENCH_SAMPLES", 500)?.max(1);
    let sections = std::env::var("SYNC_BENCH_SECTIONS")
        .unwrap_or_else(|_| "latency,apply,catchup,drain,join".into());
    let on = |s: &str| sections.split(',').any(|x| x.trim() == s);
    let started = Instant::now();
    let spans = spans::install()?;

    let root = match std::env::var_os("SYNC_BENCH_DIR") {
        Some(d) => tempfile::Builder::new()
            .prefix("tidings-sync-bench-")
            .tempdir_in(d)?,
        None => tempfile::Builder::new()
            .prefix("tidings-sync-bench-")
            .tempdir()?,
    };
    let server = nats_server::NatsServer::start();
    let url = server.url();
    let marker = server.store_dir().display().to_string();
    let cpu_start = cpu::Snapshot::take(&marker);
    let version = std::process::Command::new(nats_server::nats_server_bin())
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!(
        "Tidings sync benchmark — {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!("machine        {}", report::machine());
    println!("ops            {n} (catch-up, apply), drain {drain_n}, latency samples {samples}, join scale {join_scale}");
    println!("stores in      {}", root.path().display());
    println!(
        "load average   {} (at start; other work on the machine skews every number)",
        loadavg()
    );
    println!(
        "disk           4 KiB write + fdatasync p50 {}",
        ms(report::fsync_probe(root.path())?)
    );
    println!(
        "nats-server    {version} at {url}, JetStream store {}",
        server.store_dir().display()
    );

    let rt = setup::runtime()?;
    let mut out = Results::default();
    if ["latency", "apply", "catchup", "drain"]
        .iter()
        .any(|s| on(s))
    {
        let c = Counts {
            n,
            drain_n,
            samples,
        };
        team_sections(&rt, &url, root.path(), &spans, &c, &on, &mut out)?;
    }
    if on("join") {
        eprintln!("[5] join: generating and publishing the workspace at scale {join_scale}");
        let j = join::run(&rt, &url, root.path(), &spans, join_scale)?;
        join::report(&j, &mut out.rows, &mut out.notes);
    }

    report::print_table(&out.rows);
    println!("ratio = Tidings' time (or 1/rate) over raw NATS's: how many times the transport alone Tidings takes.");
    for n in &out.notes {
        println!("- {n}");
    }
    println!();
    println!(
        "wall time {}; load average at the end {}",
        secs(started.elapsed()),
        loadavg()
    );
    if let Some(cpu) = cpu_start.and_then(|c| c.report(&marker)) {
        println!("CPU during the run: {cpu}");
    }
    drop(rt);
    drop(server);
    Ok(())
}

/// How many ops and samples the team's sections use.
struct Counts {
    /// Ops in apply and catch-up.
    n: usize,
    /// Ops in the drain.
    drain_n: usize,
    /// Latency samples.
    samples: usize,
}

/// The results table's rows and the notes under it.
#[derive(Default)]
struct Results {
    rows: Vec<Row>,
    notes: Vec<String>,
}

/// Sections 1–4, on the team's workspace (see `setup`).
fn team_sections(
    rt: &Runtime,
    url: &str,
    root: &Path,
    spans: &spans::SpanTimes,
    counts: &Counts,
    on: &dyn Fn(&str) -> bool,
    out: &mut Results,
) -> Result<()> {
    let (n, drain_n, samples) = (counts.n, counts.drain_n, counts.samples);
    eprintln!(
        "[setup] Ana founds the workspace, Ben and Dan join, {} threads",
        setup::THREADS
    );
    let team = setup::team(rt, root, url)?;
    eprintln!("[setup] signing and sealing {n} ops of Carla's");
    let t = Instant::now();
    let carla = setup::carla(&team, n)?;
    let env_bytes = carla.envelope_bytes();
    println!(
        "envelopes      {} bytes on average (a signed comment op + {} bytes of envelope); built in {}",
        env_bytes,
        tidings::sync::envelope::WORKSPACE_OVERHEAD,
        secs(t.elapsed())
    );
    let (client, js) = rt.block_on(peer::connect(url))?;

    let mut peer_rate = None;

    if on("latency") {
        eprintln!("[3] latency: {samples} comments Ana → Ben, both live");
        let lat = latency::run(rt, &team, WARMUP, samples, GAP)?;
        let core = rt.block_on(peer::core_latency(&client, env_bytes, WARMUP, samples, GAP))?;
        let jsl = rt.block_on(peer::js_latency(&js, env_bytes, WARMUP, samples, GAP))?;
        for (q, name, target) in [(0.5, "p50", P50_TARGET), (0.99, "p99", P99_TARGET)] {
            let t = percentile(&lat.decided, q);
            let p = percentile(&core, q);
            out.rows.push(Row {
                metric: format!("Comment on A → applied and decided on B, {name}"),
                tidings: ms(t),
                peer: format!("{} (core pub→sub)", ms(p)),
                ratio: ratio(t.as_secs_f64(), p.as_secs_f64()),
                target: format!("≤ {}", ms(target)),
                met: Some(t <= target),
            });
        }
        out.notes.push(format!(
            "latency: Ana's add_comment (durable local write) p50 {} p99 {}; after it returned until Ben decided p50 {} p99 {}; JetStream publish→pull-consumer receive p50 {} p99 {}; the policy returned a notification (new or updated) for {} of {samples}",
            ms(percentile(&lat.local, 0.5)),
            ms(percentile(&lat.local, 0.99)),
            ms(percentile(&lat.remote, 0.5)),
            ms(percentile(&lat.remote, 0.99)),
            ms(percentile(&jsl, 0.5)),
            ms(percentile(&jsl, 0.99)),
            lat.shown,
        ));
    }

    let mut apply_result = None;
    if on("apply") {
        eprintln!("[1] core apply: {n} ops in batches of {}", apply::BATCH);
        apply_result = Some(apply::run(&team, &carla, spans, &root.join("apply"))?);
    }

    if on("catchup") {
        eprintln!(
            "[2] catch-up: publishing {} envelopes, then Dan reads from 0",
            carla.envelopes.len()
        );
        let c = catchup::run(rt, url, &team, &carla, spans)?;
        let r = per_sec(c.peer_msgs, c.peer);
        peer_rate = Some(r);
        let target = CATCHUP_TARGET_S * n as f64 / 100_000.0;
        out.rows.push(Row {
            metric: format!("Catch-up of {} ops from the stream (run_once)", c.n),
            tidings: format!(
                "{} ({})",
                secs(c.total),
                rate(per_sec(c.report.applied, c.total), "ops")
            ),
            peer: format!("{} ({})", secs(c.peer), rate(r, "msg")),
            ratio: ratio(c.total.as_secs_f64(), c.peer.as_secs_f64()),
            target: format!("≤ 5 s per 100k (≤ {target:.2} s here)"),
            met: Some(c.total.as_secs_f64() <= target),
        });
        out.notes.push(format!(
            "catch-up: {} applied in {}: decrypt {} ({}), signature checks {} ({}), store apply without them {} ({}; search feed {} of it), NATS + envelope handling + cursor saves {} ({}); peer read {} msgs / {:.1} MB",
            c.report.applied,
            secs(c.total),
            secs(c.decrypt),
            share(c.decrypt, c.total),
            secs(c.verify),
            share(c.verify, c.total),
            secs(c.store()),
            share(c.store(), c.total),
            secs(c.search),
            secs(c.rest()),
            share(c.rest(), c.total),
            c.peer_msgs,
            c.peer_bytes as f64 / 1e6,
        ));
        out.notes.push(format!(
            "catch-up: crypto share {} (decrypt {:.1} µs/op, signature check {:.1} µs/op); filling the stream with NatsTarget::publish took {} ({})",
            share(c.decrypt + c.verify, c.total),
            c.decrypt.as_secs_f64() * 1e6 / c.n as f64,
            c.verify.as_secs_f64() * 1e6 / c.n as f64,
            secs(c.publish),
            rate(per_sec(c.n, c.publish), "ops"),
        ));
    }

    if let Some(a) = apply_result {
        let verified = per_sec(a.n, a.verified());
        let whole = per_sec(a.n, a.apply);
        let (peer, r1, r2) = match peer_rate {
            Some(p) => (
                format!("{} (consume)", rate(p, "msg")),
                ratio(p, verified),
                ratio(p, whole),
            ),
            None => ("—".into(), "—".into(), "—".into()),
        };
        out.rows.insert(
            0,
            Row {
                metric: "Core apply, signatures already checked".into(),
                tidings: rate(verified, "ops"),
                peer: peer.clone(),
                ratio: r1,
                target: format!("≥ {}", rate(APPLY_TARGET, "ops")),
                met: Some(verified >= APPLY_TARGET),
            },
        );
        out.rows.insert(
            1,
            Row {
                metric: "Core apply incl. batch signature checks (apply_remote)".into(),
                tidings: rate(whole, "ops"),
                peer,
                ratio: r2,
                target: "—".into(),
                met: None,
            },
        );
        out.notes.insert(
            0,
            format!(
                "apply: {} ops; apply_remote {} of which signature checks (open_batch, timed alone) {} = {} and search feed {}; signature checks alone {}",
                a.n,
                secs(a.apply),
                secs(a.verify),
                share(a.verify, a.apply),
                share(a.search, a.apply),
                rate(per_sec(a.n, a.verify), "ops"),
            ),
        );
        if let (Some(first), Some(last)) = (a.batches.first(), a.batches.last()) {
            out.notes.insert(
                1,
                format!(
                    "apply: first batch of {} {} ({}), last batch {} ({})",
                    apply::BATCH.min(a.n),
                    secs(*first),
                    rate(per_sec(apply::BATCH.min(a.n), *first), "ops"),
                    secs(*last),
                    rate(
                        per_sec(a.n - (a.batches.len() - 1) * apply::BATCH, *last),
                        "ops"
                    ),
                ),
            );
        }
    }

    if on("drain") {
        eprintln!("[4] drain: {drain_n} comments written offline, then sent");
        let d = drain::run(rt, url, &team, drain_n)?;
        let p = rt.block_on(peer::publish_pipelined(&js, "drain", env_bytes, d.sent))?;
        out.rows.push(Row {
            metric: format!("Outbox drain, {} ops written offline", d.sent),
            tidings: format!(
                "{} ({})",
                secs(d.drained),
                rate(per_sec(d.sent, d.drained), "ops")
            ),
            peer: format!(
                "{} ({}, pipelined + acks)",
                secs(p),
                rate(per_sec(d.sent, p), "msg")
            ),
            ratio: ratio(d.drained.as_secs_f64(), p.as_secs_f64()),
            target: "—".into(),
            met: None,
        });
        out.notes.push(format!(
            "drain: {} left in the outbox; whole pass {} (reads back its own {}); writing them offline took {} ({}); add_sync_target queued them in {}",
            d.left,
            secs(d.pass),
            d.sent,
            secs(d.writes),
            rate(per_sec(drain_n, d.writes), "writes"),
            secs(d.queue),
        ));
    }
    Ok(())
}
