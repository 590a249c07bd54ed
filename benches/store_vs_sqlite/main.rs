//! Tidings' core against SQLite, on the same realistic workspace, in one
//! run: durable posting, cold open to the first inbox page, page queries,
//! search, applying remote ops, and resident memory. Prints a table of
//! ratios and whether each target is met.
//!
//! `cargo bench --bench store_vs_sqlite` (or `make bench`) runs the full
//! size: 30 people, 50 channels, 20k threads, 1M comments. `BENCH_SCALE`
//! scales threads and comments (`BENCH_SCALE=0.02` is a quick run);
//! `BENCH_DIR` picks where the stores are written (default: the system
//! temp folder); with `BENCH_KEEP` set they are kept afterwards;
//! `BENCH_CACHE_MB` gives every session one sled cache size. See
//! BENCHMARKS.md for results and their analysis.

#[path = "../support/files.rs"]
mod files;
mod gen;
mod report;
mod rss;
mod space;
mod sqlite;
mod summary;
mod tidings_side;
mod words;
mod workload;

use std::time::Instant;

use anyhow::{Context, Result};

use report::duration;

/// Sequential durable posts timed per peer.
const POSTS: usize = 2_000;
/// Concurrent writers in the group-commit variant.
pub const WRITERS: usize = 4;
/// Steady-state remote batches applied to the large store.
const REMOTE_BATCHES: usize = 5;

// The app's allocator (src-tauri/Cargo.toml says why).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
    summary::header(scale, size);

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
    space::print("after the load", &tp.store.space()?);
    space::print_written("in the load", &tp.store.written_by_kind(), load.ops);
    sp.checkpoint()?;
    let s_disk = workload::disk_bytes(&setup.sqlite_dir)?;
    anyhow::ensure!(
        load.not_applied == 0,
        "{} generated ops were not applied",
        load.not_applied
    );

    eprintln!("[2/6] cold opens in fresh processes…");
    let closing = std::time::Instant::now();
    let closed = tp.store.close()?;
    println!(
        "tidings close after the load: {closed:?} in {}",
        duration(closing.elapsed())
    );
    let t_disk_closed = workload::disk_bytes(&setup.tidings_dir)?;
    drop(sp);
    let (t_cold, s_cold) = workload::cold_opens(&setup)?;

    let tp = tidings_side::TidingsPeer::open(&setup.tidings_dir)?;
    space::print("after closing and opening again", &tp.store.space()?);
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

    let run = summary::Run {
        load,
        disk: (t_disk, s_disk),
        disk_closed: t_disk_closed,
        cold: (t_cold, s_cold),
        queries: q,
        remote,
        posts,
        inbox_after_posts: after,
    };
    summary::print_details(&run);
    println!();
    println!("## Results (scale {scale}; 'tidings advantage' > 1 means Tidings is better)");
    println!();
    report::print_table(&summary::lines(&run));
    println!();
    println!("total run time: {}", duration(started.elapsed()));
    println!("load average at the end: {}", summary::loadavg());
    if std::env::var_os("BENCH_KEEP").is_some() {
        // Closed, not dropped: the session's writes (the remote batches,
        // the posts) would otherwise be replayed by the next open, which
        // is the desktop bench's first launch on this store.
        drop(sp);
        let closed = tp.store.close()?;
        println!("tidings close of the kept store: {closed:?}");
        let kept = root.keep();
        println!("stores kept in {}", kept.display());
        println!(
            "  the app on this store: BENCH_LARGE_STORE={} ./target/release/tidings-desktop-bench (BENCHMARKS.md)",
            kept.display()
        );
    }
    Ok(())
}
