//! Tidings' core against SQLite, on the same realistic workspace, in one
//! run: durable posting, cold open to the first inbox page, page queries,
//! search, applying remote ops, and resident memory. Prints a table of
//! ratios and whether each target is met.
//!
//! `cargo bench --bench store_vs_sqlite` (or `make bench`) runs the full
//! size: 30 people, 50 channels, 20k threads, 1M comments. `BENCH_SCALE`
//! scales threads and comments (`BENCH_SCALE=0.02` is a quick run);
//! `BENCH_DIR` picks where the stores are written (default: the system
//! temp folder); with `BENCH_KEEP` set they are kept afterwards. See
//! BENCHMARKS.md for results and their analysis.

mod gen;
mod report;
mod rss;
mod sqlite;
mod tidings_side;
mod words;
mod workload;

use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use report::duration;
use report::{rate, ratio, Line, Met};
use workload::detail;

/// Sequential durable posts timed per peer.
const POSTS: usize = 2_000;
/// Concurrent writers in the group-commit variant.
const WRITERS: usize = 4;
/// Steady-state remote batches applied to the large store.
const REMOTE_BATCHES: usize = 5;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--cold-open") {
        return rss::child_main(&args[i + 1..]);
    }
    let scale: f64 = match std::env::var("BENCH_SCALE") {
        Ok(v) => v
            .trim()
            .parse()
            .with_context(|| format!("BENCH_SCALE={v} is not a number"))?,
        Err(_) => 1.0,
    };
    anyhow::ensure!(
        scale > 0.0 && scale <= 10.0,
        "BENCH_SCALE must be in (0, 10]"
    );
    let size = gen::Size::at_scale(scale);
    let started = Instant::now();
    header(scale, size)?;

    let root = match std::env::var_os("BENCH_DIR") {
        Some(d) => tempfile::Builder::new()
            .prefix("tidings-bench-")
            .tempdir_in(d)?,
        None => tempfile::Builder::new()
            .prefix("tidings-bench-")
            .tempdir()?,
    };
    println!("stores in      {}", root.path().display());
    println!(
        "disk           4 KiB write + fdatasync: p50 {} ms",
        report::ms(workload::fsync_probe(root.path())?)
    );

    eprintln!(
        "[1/6] generating and loading (apply_remote in batches of {})…",
        workload::BATCH
    );
    let (mut setup, tp, sp, load) = workload::load(root.path(), size)?;
    let t_disk = workload::disk_bytes(&setup.tidings_dir)?;
    sp.checkpoint()?;
    let s_disk = workload::disk_bytes(&setup.sqlite_dir)?;
    anyhow::ensure!(
        load.not_applied == 0,
        "{} generated ops were not applied",
        load.not_applied
    );

    eprintln!("[2/6] cold opens in fresh processes…");
    drop(tp);
    drop(sp);
    let (t_cold, s_cold) = workload::cold_opens(&setup)?;

    let tp = tidings_side::TidingsPeer::open(&setup.tidings_dir)?;
    let mut sp = sqlite::SqlitePeer::open(&setup.sqlite_path())?;
    eprintln!(
        "[3/6] page and search queries ({} samples each)…",
        workload::QUERY_SAMPLES
    );
    let q = workload::queries(&setup, &tp, &sp)?;
    eprintln!("[4/6] remote batches on the large store…");
    let remote = workload::remote(&mut setup, &tp, &mut sp, REMOTE_BATCHES)?;
    eprintln!("[5/6] durable posts: {POSTS} sequential, then {WRITERS} writers…");
    let posts = workload::posts(&setup, &tp, &sp, POSTS, WRITERS)?;
    let after = workload::inbox_agrees(&setup, &tp, &sp)?;
    eprintln!("[6/6] report");

    println!();
    println!("## Details");
    println!(
        "load: {} ops in {} (tidings apply_remote {}, sqlite {}, signing {} not counted)",
        load.ops,
        duration(load.wall),
        duration(load.tidings),
        duration(load.sqlite),
        duration(load.sign)
    );
    println!(
        "  signature check share of apply_remote during load: {:.0}% (sampled every 8th batch)",
        100.0 * load.verify_sampled.as_secs_f64() / load.apply_sampled.as_secs_f64().max(1e-9)
    );
    println!(
        "  signature check alone: {} ops/s on one core",
        rate(load.verify_ops as f64 / load.verify_sampled.as_secs_f64().max(1e-9))
    );
    println!(
        "  on disk: tidings {:.0} MiB, sqlite {:.0} MiB",
        t_disk as f64 / 1048576.0,
        s_disk as f64 / 1048576.0
    );
    for (name, c) in [("tidings", &t_cold), ("sqlite", &s_cold)] {
        println!(
            "cold open {name:<8} evicted cache: open {} → first page {} ({} items), RSS {} MiB",
            duration(c.evicted.open),
            duration(c.evicted.first_page),
            c.evicted.items,
            c.evicted.rss_kb / 1024,
        );
        println!(
            "          {:<8} warm cache: open {} → first page {}, RSS {} MiB (anon {}, file-backed {}; \
             peak {}), after a session {} MiB",
            "",
            duration(c.warm.open),
            duration(c.warm.first_page),
            c.warm.rss_kb / 1024,
            c.warm.anon_kb / 1024,
            c.warm.file_kb / 1024,
            c.warm.hwm_kb / 1024,
            c.warm.rss_session_kb / 1024
        );
    }
    detail("inbox page (50)", &q.inbox);
    detail("channel page (50)", &q.channel);
    detail("thread page (≤50 comments)", &q.thread);
    println!(
        "  {:<28} sqlite + render {}",
        "",
        q.thread_sqlite_render.summary()
    );
    println!("  {:<28} render only     {}", "", q.render_only.summary());
    println!(
        "  thread pages hold {:.1} comments on average; inbox first page: {} vs {} items, same threads in same order: {}",
        q.thread_comments, q.inbox_items.0, q.inbox_items.1, q.inbox_items.2
    );
    detail("search top-20 (all)", &q.search);
    for (kind, pair) in &q.search_kinds {
        detail(&format!("search: {kind}"), pair);
    }
    println!(
        "  hits per search: tidings {:.1}, sqlite {:.1}; pages/searches with differing item counts: {}",
        q.search_hits.0, q.search_hits.1, q.mismatches
    );
    println!(
        "remote batches of {}: tidings {} ops/s (per batch: {}), signature check {:.0}% of it; sqlite {} rows/s",
        workload::BATCH,
        rate(median(&remote.tidings)),
        remote.tidings.iter().map(|r| rate(*r)).collect::<Vec<_>>().join(", "),
        100.0 * remote.verify_share,
        rate(median(&remote.sqlite)),
    );
    detail("post, 1 writer", &posts.seq);
    println!(
        "  {:<28} written to storage per post: tidings {:.1} KiB, sqlite {:.1} KiB",
        "",
        posts.seq_bytes.0 / 1024.0,
        posts.seq_bytes.1 / 1024.0
    );
    detail(&format!("post, {WRITERS} writers"), &posts.conc);
    println!(
        "  inbox first page after the posts: {} vs {} items, same threads in same order: {}",
        after.0, after.1, after.2
    );

    println!();
    println!("## Results (scale {scale}; 'tidings advantage' > 1 means Tidings is better)");
    println!();
    report::print_table(&lines(&load, &t_cold, &s_cold, &q, &remote, &posts));
    println!();
    println!("total run time: {}", duration(started.elapsed()));
    println!("load average at the end: {}", loadavg());
    if std::env::var_os("BENCH_KEEP").is_some() {
        drop((tp, sp));
        println!("stores kept in {}", root.keep().display());
    }
    Ok(())
}

/// The 1/5/15-minute load averages: other work on the machine skews results.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn header(scale: f64, size: gen::Size) -> Result<()> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown".to_string(), |(_, m)| m.trim().to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<u64>().ok())
        })
        .unwrap_or(0);
    println!("# Tidings core vs SQLite");
    println!(
        "date           {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!("load average   {} (before the run)", loadavg());
    println!(
        "machine        {model}, {cores} cores, {:.1} GiB RAM",
        mem as f64 / 1048576.0
    );
    println!(
        "sqlite         {} (bundled), WAL, synchronous=FULL, FTS5",
        rusqlite::version()
    );
    println!(
        "scale          {scale} → {} people, {} channels, {} threads, {} comments (+ reactions, read markers)",
        gen::PEOPLE,
        gen::CHANNELS,
        size.threads,
        size.comments
    );
    Ok(())
}

fn lines(
    load: &workload::Load,
    t_cold: &workload::Cold,
    s_cold: &workload::Cold,
    q: &workload::Queries,
    remote: &workload::Remote,
    posts: &workload::Posts,
) -> Vec<Line> {
    let p99 = posts.seq.tidings.pct(99.0);
    let fast = |d: Duration, limit_ms: u64| Met::of(d <= Duration::from_millis(limit_ms));
    let post_ratio = posts.seq_rate.0 / posts.seq_rate.1;
    let mut v = vec![
        Line::latency(
            "post comment, durable, p50",
            posts.seq.tidings.pct(50.0),
            Some(posts.seq.sqlite.pct(50.0)),
            "",
            Met::None,
        ),
        Line::latency(
            "post comment, durable, p99",
            p99,
            Some(posts.seq.sqlite.pct(99.0)),
            "≤ 5 ms",
            fast(p99, 5),
        ),
        Line::throughput(
            "post comment, 1 writer",
            posts.seq_rate.0,
            Some(posts.seq_rate.1),
            "/s",
            "≥ 1.5× sqlite",
            Met::of(post_ratio >= 1.5),
        ),
        Line::latency(
            &format!("post comment, {WRITERS} writers, p99"),
            posts.conc.tidings.pct(99.0),
            Some(posts.conc.sqlite.pct(99.0)),
            "",
            Met::None,
        ),
        Line::throughput(
            &format!("post comment, {WRITERS} writers"),
            posts.conc_rate.0,
            Some(posts.conc_rate.1),
            "/s",
            "≥ 1.5× sqlite",
            Met::of(posts.conc_rate.0 >= 1.5 * posts.conc_rate.1),
        ),
        Line::latency(
            "cold open → first inbox page (evicted cache)",
            t_cold.evicted.first_page,
            Some(s_cold.evicted.first_page),
            "≤ 1 s",
            fast(t_cold.evicted.first_page, 1000),
        ),
        Line::latency(
            "cold open → first inbox page (warm cache)",
            t_cold.warm.first_page,
            Some(s_cold.warm.first_page),
            "≤ 1 s",
            fast(t_cold.warm.first_page, 1000),
        ),
    ];
    for (name, pair) in [
        ("inbox page (50), p95", &q.inbox),
        ("channel page (50), p95", &q.channel),
        ("thread page (50, rendered), p95", &q.thread),
    ] {
        let t = pair.tidings.pct(95.0);
        v.push(Line::latency(
            name,
            t,
            Some(pair.sqlite.pct(95.0)),
            "≤ 2 ms",
            fast(t, 2),
        ));
    }
    let tr = q.thread.tidings.pct(95.0);
    v.push(Line::latency(
        "thread page vs sqlite + same render, p95",
        tr,
        Some(q.thread_sqlite_render.pct(95.0)),
        "",
        Met::None,
    ));
    let ts = q.search.tidings.pct(95.0);
    let ss = q.search.sqlite.pct(95.0);
    v.push(Line::latency(
        "search top-20, p95",
        ts,
        Some(ss),
        "≤ 20 ms, < FTS5",
        fast(ts, 20).and(Met::of(ts < ss)),
    ));
    let bulk_t = load.ops as f64 / load.tidings.as_secs_f64();
    let bulk_s = load.ops as f64 / load.sqlite.as_secs_f64();
    v.push(Line::throughput(
        "apply remote ops, bulk load (verified)",
        bulk_t,
        Some(bulk_s),
        "ops/s",
        "≥ 100k ops/s",
        Met::of(bulk_t >= 100_000.0),
    ));
    let rt = median(&remote.tidings);
    v.push(Line::throughput(
        "apply remote batch on large store",
        rt,
        Some(median(&remote.sqlite)),
        "ops/s",
        "≥ 100k ops/s",
        Met::of(rt >= 100_000.0),
    ));
    v.push(Line::plain(
        "resident memory after open + first page",
        format!("{} MiB", t_cold.warm.rss_kb / 1024),
        format!("{} MiB", s_cold.warm.rss_kb / 1024),
        ratio(s_cold.warm.rss_kb as f64, t_cold.warm.rss_kb as f64),
        "",
        Met::None,
    ));
    v.push(Line::plain(
        "resident memory after a short session",
        format!("{} MiB", t_cold.warm.rss_session_kb / 1024),
        format!("{} MiB", s_cold.warm.rss_session_kb / 1024),
        ratio(
            s_cold.warm.rss_session_kb as f64,
            t_cold.warm.rss_session_kb as f64,
        ),
        "",
        Met::None,
    ));
    v
}
