//! What a run prints: the header (scale, machine, load), the details of
//! every measurement, and the rows of the result table with their targets.

use std::time::Duration;

use crate::gen;
use crate::report::{duration, rate, ratio, Line, Met};
use crate::workload::{self, detail, Cold, Load, Posts, Queries, Remote};
use crate::WRITERS;

/// Everything one run measured.
pub struct Run {
    /// Bulk load.
    pub load: Load,
    /// Bytes on disk right after the load (tidings, sqlite).
    pub disk: (u64, u64),
    /// Tidings' bytes on disk once closed after the load (what stays).
    pub disk_closed: u64,
    /// Cold opens (tidings, sqlite).
    pub cold: (Cold, Cold),
    /// Page and search queries.
    pub queries: Queries,
    /// Remote batches on the large store.
    pub remote: Remote,
    /// Durable posts.
    pub posts: Posts,
    /// Inbox agreement after the posts (items, items, same).
    pub inbox_after_posts: (usize, usize, bool),
}

/// Prints the details of every measurement.
pub fn print_details(r: &Run) {
    println!();
    println!("## Details");
    println!(
        "load: {} ops in {} (tidings apply_remote {}, sqlite {}, signing {} not counted)",
        r.load.ops,
        duration(r.load.wall),
        duration(r.load.tidings),
        duration(r.load.sqlite),
        duration(r.load.sign)
    );
    println!(
        "  after the load (in neither load rate): tidings flush_search {}, sqlite FTS5 optimize {}",
        duration(r.load.tidings_flush),
        duration(r.load.sqlite_optimize)
    );
    println!(
        "  signature check share of apply_remote during load: {:.0}% (sampled every 8th batch)",
        100.0 * r.load.verify_sampled.as_secs_f64() / r.load.apply_sampled.as_secs_f64().max(1e-9)
    );
    println!(
        "  signature check alone: {} ops/s on one core",
        rate(r.load.verify_ops as f64 / r.load.verify_sampled.as_secs_f64().max(1e-9))
    );
    println!(
        "  on disk: tidings {:.0} MiB right after the load, {:.0} MiB once closed; sqlite {:.0} MiB",
        r.disk.0 as f64 / 1048576.0,
        r.disk_closed as f64 / 1048576.0,
        r.disk.1 as f64 / 1048576.0
    );
    for (name, c) in [("tidings", &r.cold.0), ("sqlite", &r.cold.1)] {
        println!(
            "cold open {name:<8} evicted cache: open {} → first page {} ({} items), RSS {} MiB",
            duration(c.evicted.open),
            duration(c.evicted.first_page),
            c.evicted.items,
            c.evicted.rss_kb / 1024,
        );
        println!(
            "          {:<8} warm cache: open {} → first page {}, RSS {} MiB (anon {}, file-backed {}; \
             peak {}), after a session {} MiB (anon {}, file-backed {})",
            "",
            duration(c.warm.open),
            duration(c.warm.first_page),
            c.warm.rss_kb / 1024,
            c.warm.anon_kb / 1024,
            c.warm.file_kb / 1024,
            c.warm.hwm_kb / 1024,
            c.warm.rss_session_kb / 1024,
            c.warm.session_anon_kb / 1024,
            c.warm.session_file_kb / 1024
        );
    }
    detail("inbox page (50)", &r.queries.inbox);
    detail("channel page (50)", &r.queries.channel);
    detail("thread page (≤50 comments)", &r.queries.thread);
    println!(
        "  {:<28} sqlite + render {}",
        "",
        r.queries.thread_sqlite_render.summary()
    );
    println!(
        "  {:<28} render only     {}",
        "",
        r.queries.render_only.summary()
    );
    println!(
        "  thread pages hold {:.1} comments on average; inbox first page: {} vs {} items, same threads in same order: {}",
        r.queries.thread_comments, r.queries.inbox_items.0, r.queries.inbox_items.1, r.queries.inbox_items.2
    );
    detail("search top-20 (all)", &r.queries.search);
    for (kind, pair) in &r.queries.search_kinds {
        detail(&format!("search: {kind}"), pair);
    }
    println!(
        "  hits per search: tidings {:.1}, sqlite {:.1}; pages/searches with differing item counts: {}",
        r.queries.search_hits.0, r.queries.search_hits.1, r.queries.mismatches
    );
    for (kind, a) in &r.queries.agreement {
        println!(
            "  same top-20 as FTS5, {kind:<8} documents: mean {:.2}, min {:.2}; counting ties at the 20th score: mean {:.2}, min {:.2}; their threads: mean {:.2}, min {:.2} ({} queries)",
            a.docs.0, a.docs.1, a.ties.0, a.ties.1, a.threads.0, a.threads.1, a.queries
        );
    }
    println!(
        "remote batches of {}: tidings {} ops/s (per batch: {}), signature check {:.0}% of it; sqlite {} rows/s",
        workload::BATCH,
        rate(median(&r.remote.tidings)),
        r.remote.tidings.iter().map(|r| rate(*r)).collect::<Vec<_>>().join(", "),
        100.0 * r.remote.verify_share,
        rate(median(&r.remote.sqlite)),
    );
    detail("post, 1 writer", &r.posts.seq);
    println!(
        "  {:<28} written to storage per post: tidings {:.1} KiB, sqlite {:.1} KiB",
        "",
        r.posts.seq_bytes.0 / 1024.0,
        r.posts.seq_bytes.1 / 1024.0
    );
    detail(&format!("post, {WRITERS} writers"), &r.posts.conc);
    println!(
        "  inbox first page after the posts: {} vs {} items, same threads in same order: {}",
        r.inbox_after_posts.0, r.inbox_after_posts.1, r.inbox_after_posts.2
    );
}

/// The 1/5/15-minute load averages: other work on the machine skews results.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Median of rates.
pub fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Prints the scale and the machine.
pub fn header(scale: f64, size: gen::Size) {
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
}

/// The rows of the result table.
pub fn lines(r: &Run) -> Vec<Line> {
    let (load, t_cold, s_cold, q, remote, posts) = (
        &r.load, &r.cold.0, &r.cold.1, &r.queries, &r.remote, &r.posts,
    );
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
            "≥ 1.0× sqlite",
            Met::of(post_ratio >= 1.0),
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
        let s = pair.sqlite.pct(95.0);
        // The thread page's peer is SQLite + the same renderer (below).
        let (target, met) = if name.starts_with("thread") {
            ("≤ 2 ms", fast(t, 2))
        } else {
            ("≤ 2 ms, ≤ 1× sqlite", fast(t, 2).and(Met::of(t <= s)))
        };
        v.push(Line::latency(name, t, Some(s), target, met));
    }
    let tr = q.thread.tidings.pct(95.0);
    let tsr = q.thread_sqlite_render.pct(95.0);
    v.push(Line::latency(
        "thread page vs sqlite + same render, p95",
        tr,
        Some(tsr),
        "≤ 1× sqlite + render",
        Met::of(tr <= tsr),
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
    for (kind, a) in &q.agreement {
        v.push(Line::plain(
            &format!("search top-20 in FTS5's top-20, {kind} (mean / min; ties counted)"),
            format!(
                "{:.2} / {:.2}; {:.2} / {:.2}",
                a.docs.0, a.docs.1, a.ties.0, a.ties.1
            ),
            "(reference)".into(),
            "—".into(),
            "",
            Met::None,
        ));
    }
    let bulk_t = load.ops as f64 / load.tidings.as_secs_f64();
    let bulk_s = load.ops as f64 / load.sqlite.as_secs_f64();
    v.push(Line::throughput(
        "apply remote ops, bulk load (verified)",
        bulk_t,
        Some(bulk_s),
        "ops/s",
        "≥ 30k ops/s",
        Met::of(bulk_t >= 30_000.0),
    ));
    let rt = median(&remote.tidings);
    v.push(Line::throughput(
        "apply remote batch on large store",
        rt,
        Some(median(&remote.sqlite)),
        "ops/s",
        "≥ 30k ops/s",
        Met::of(rt >= 30_000.0),
    ));
    v.push(Line::plain(
        "resident memory after open + first page",
        format!("{} MiB", t_cold.warm.rss_kb / 1024),
        format!("{} MiB", s_cold.warm.rss_kb / 1024),
        ratio(s_cold.warm.rss_kb as f64, t_cold.warm.rss_kb as f64),
        "≤ 100 MiB",
        Met::of(t_cold.warm.rss_kb <= 100 * 1024),
    ));
    v.push(Line::plain(
        "resident memory after a short session",
        format!("{} MiB", t_cold.warm.rss_session_kb / 1024),
        format!("{} MiB", s_cold.warm.rss_session_kb / 1024),
        ratio(
            s_cold.warm.rss_session_kb as f64,
            t_cold.warm.rss_session_kb as f64,
        ),
        "≤ 160 MiB",
        Met::of(t_cold.warm.rss_session_kb <= 160 * 1024),
    ));
    let mib = |b: u64| format!("{:.0} MiB", b as f64 / 1048576.0);
    let (t_disk, s_disk) = r.disk;
    for (name, t) in [
        ("store on disk, right after the load", t_disk),
        ("store on disk, closed after the load", r.disk_closed),
    ] {
        v.push(Line::plain(
            name,
            mib(t),
            mib(s_disk),
            ratio(s_disk as f64, t as f64),
            "≤ 3× sqlite",
            Met::of(t <= 3 * s_disk),
        ));
    }
    v
}
