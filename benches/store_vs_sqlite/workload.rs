//! The phases of the benchmark, each run on both peers with the same data
//! and the same requests: bulk load (= applying batches of remote ops),
//! cold open, page and search queries, a steady-state remote batch on the
//! large store, and durable posting (one writer, then four).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{ensure, Result};
use rand::prelude::*;
use rand::rngs::StdRng;
use tidings::model::ids::{ChannelId, CommentId, ThreadId};
use tidings::model::signed::SignedOp;
use tidings::views::SearchResult;

use crate::gen::{self, Generator, Row, SearchText, Size};
use crate::report::{duration, rate, Samples};
use crate::rss::{self, ColdOpen};
use crate::sqlite::{self, SqlitePeer};
use crate::tidings_side::TidingsPeer;

/// Ops per `apply_remote` call (and rows per SQLite transaction).
pub const BATCH: usize = 5_000;
/// Timed samples per query kind.
pub const QUERY_SAMPLES: usize = 500;
/// Untimed warm-up calls before each timed series.
const WARMUP: usize = 50;
/// Items per page, as the UI asks.
const PAGE: usize = 50;
/// Search hits wanted.
const TOP: usize = 20;

/// Both peers' data folders and what the generator made.
pub struct Setup {
    /// Tidings' data folder.
    pub tidings_dir: PathBuf,
    /// SQLite's folder (the database and its WAL).
    pub sqlite_dir: PathBuf,
    /// The generator, positioned after the workspace.
    pub gen: Generator,
    /// Thread ids by index (SQLite id = index + 1).
    pub threads: Vec<ThreadId>,
    /// Channel ids by index.
    pub channels: Vec<ChannelId>,
}

impl Setup {
    /// The SQLite database file.
    pub fn sqlite_path(&self) -> PathBuf {
        self.sqlite_dir.join("bench.db")
    }
}

/// What the bulk load measured.
#[derive(Debug, Default)]
pub struct Load {
    /// Ops given to `apply_remote`.
    pub ops: usize,
    /// Time inside `apply_remote`.
    pub tidings: Duration,
    /// Time inside SQLite's transactions for the same rows.
    pub sqlite: Duration,
    /// Sampled: `open_batch` (signature check) time…
    pub verify_sampled: Duration,
    /// Ops in the sampled batches.
    pub verify_ops: usize,
    /// …and `apply_remote` time of the same batches.
    pub apply_sampled: Duration,
    /// Signing (sender side; not part of either peer's time).
    pub sign: Duration,
    /// After the load, outside both load times: Tidings' `flush_search`
    /// (commits the search index)…
    pub tidings_flush: Duration,
    /// …and SQLite's FTS5 `optimize` (merges its segments into one).
    pub sqlite_optimize: Duration,
    /// Whole phase.
    pub wall: Duration,
    /// Ops refused or left pending (must be 0).
    pub not_applied: usize,
}

/// Generates the workspace and loads it into both peers.
pub fn load(root: &Path, size: Size) -> Result<(Setup, TidingsPeer, SqlitePeer, Load)> {
    let start = Instant::now();
    let tidings_dir = root.join("tidings");
    let sqlite_dir = root.join("sqlite");
    std::fs::create_dir_all(&sqlite_dir)?;
    let (tp, me) = TidingsPeer::create(&tidings_dir, gen::my_profile())?;
    let mut sp = SqlitePeer::create(&sqlite_dir.join("bench.db"))?;
    let mut gen = Generator::new(size, me);
    // My history is signed by my generated device: this device adds it.
    tp.store.add_my_device(gen.people[0].device())?;
    let mut r = Load::default();
    let mut batches = 0usize;
    let mut last_report = Instant::now();
    loop {
        let batch = gen.next_batch(BATCH);
        if batch.is_empty() {
            break;
        }
        let t = Instant::now();
        let signed = gen::sign(&batch, &gen.people)?;
        r.sign += t.elapsed();
        // Every 8th batch, measure the signature check alone too.
        let sampled = batches.is_multiple_of(8);
        if sampled {
            let t = Instant::now();
            let opened = SignedOp::open_batch(&signed);
            r.verify_sampled += t.elapsed();
            r.verify_ops += signed.len();
            ensure!(
                opened.iter().all(|o| o.is_ok()),
                "a generated op failed verification"
            );
        }
        r.ops += signed.len();
        let t = Instant::now();
        let report = tp.apply(signed)?;
        let d = t.elapsed();
        r.tidings += d;
        if sampled {
            r.apply_sampled += d;
        }
        r.not_applied += report.rejected.len() + report.pending;
        if let Some(e) = report.rejected.first() {
            eprintln!("  warning: Tidings refused an op: {e}");
        }
        let rows: Vec<Row> = batch.into_iter().map(|e| e.row).collect();
        let t = Instant::now();
        sp.load(&rows, &gen.people)?;
        r.sqlite += t.elapsed();
        batches += 1;
        if last_report.elapsed() > Duration::from_secs(15) {
            last_report = Instant::now();
            eprintln!(
                "  … {:>7}/{} comments, {:>5.0} s: tidings {} ops/s, sqlite {} rows/s",
                gen.comment_count(),
                size.comments,
                start.elapsed().as_secs_f64(),
                rate(r.ops as f64 / r.tidings.as_secs_f64()),
                rate(r.ops as f64 / r.sqlite.as_secs_f64()),
            );
        }
    }
    let t = Instant::now();
    tp.store.flush_search()?;
    r.tidings_flush = t.elapsed();
    r.sqlite_optimize = sp.optimize_search()?;
    r.wall = start.elapsed();
    let setup = Setup {
        tidings_dir,
        sqlite_dir,
        threads: gen.thread_ids(),
        channels: gen.channels.clone(),
        gen,
    };
    Ok((setup, tp, sp, r))
}

/// Median latency of a 4 KiB write + `fdatasync` in `dir`: what one
/// durable commit costs this disk at the least.
pub fn fsync_probe(dir: &Path) -> Result<Duration> {
    use std::io::Write;
    let path = dir.join("fsync-probe");
    let mut f = std::fs::File::create(&path)?;
    let block = [7u8; 4096];
    let mut lat = Vec::with_capacity(200);
    for _ in 0..200 {
        let t = Instant::now();
        f.write_all(&block)?;
        f.sync_data()?;
        lat.push(t.elapsed());
    }
    drop(f);
    std::fs::remove_file(&path)?;
    Ok(Samples::new(lat).pct(50.0))
}

pub use crate::files::disk_bytes;

/// Cold opens of one peer: one after evicting the page cache, then three
/// with it warm (the median is kept).
#[derive(Debug, Default)]
pub struct Cold {
    /// After eviction.
    pub evicted: ColdOpen,
    /// Warm page cache, median of three.
    pub warm: ColdOpen,
}

/// Opens each store in fresh processes (both must be closed).
pub fn cold_opens(setup: &Setup) -> Result<(Cold, Cold)> {
    let run = |peer: &str, dir: &Path, path: &Path| -> Result<Cold> {
        rss::evict(dir)?;
        let evicted = rss::cold_open(peer, path)?;
        eprintln!(
            "  {peer}: evicted cache → first inbox page in {}",
            duration(evicted.first_page)
        );
        let mut warm: Vec<ColdOpen> = (0..3)
            .map(|_| rss::cold_open(peer, path))
            .collect::<Result<_>>()?;
        warm.sort_by_key(|c| c.first_page);
        eprintln!(
            "  {peer}: warm cache → first inbox page in {} (median of 3)",
            duration(warm[1].first_page)
        );
        Ok(Cold {
            evicted,
            warm: warm[1],
        })
    };
    let t = run("tidings", &setup.tidings_dir, &setup.tidings_dir)?;
    let s = run("sqlite", &setup.sqlite_dir, &setup.sqlite_path())?;
    Ok((t, s))
}

/// Latencies of one query kind on both peers.
#[derive(Debug, Default)]
pub struct Pair {
    /// Tidings.
    pub tidings: Samples,
    /// SQLite.
    pub sqlite: Samples,
}

/// What the query phase measured.
#[derive(Debug, Default)]
pub struct Queries {
    /// First inbox page.
    pub inbox: Pair,
    /// First page of a channel.
    pub channel: Pair,
    /// A thread with 50 comments (Tidings renders them).
    pub thread: Pair,
    /// SQLite's thread page plus rendering its markdown the same way.
    pub thread_sqlite_render: Samples,
    /// That rendering alone.
    pub render_only: Samples,
    /// Search top-20.
    pub search: Pair,
    /// Search by kind of query.
    pub search_kinds: Vec<(&'static str, Pair)>,
    /// Inbox items (tidings, sqlite) and whether the pages agree.
    pub inbox_items: (usize, usize, bool),
    /// Average comments on a thread page.
    pub thread_comments: f64,
    /// Average search hits (tidings, sqlite).
    pub search_hits: (f64, f64),
    /// Pages whose item counts differ between the peers.
    pub mismatches: usize,
    /// How far the top-20 results agree, by kind of word query.
    pub agreement: Vec<(&'static str, Agreement)>,
}

/// How far the two peers' top-20 results agree over the distinct queries
/// of one kind: per query, the share of hits found by both, as documents
/// (a thread's opening post or one comment: what both indexes hold) and
/// as the threads those documents belong to.
#[derive(Debug, Default)]
pub struct Agreement {
    /// Distinct queries compared.
    pub queries: usize,
    /// Documents in both top-20s over the larger list (20 unless both
    /// found fewer): mean and lowest.
    pub docs: (f64, f64),
    /// The same over the distinct threads of each list.
    pub threads: (f64, f64),
    /// Documents again, but a hit also agrees when the other engine
    /// scores it level with its own 20th hit (a tie the cut at 20 broke
    /// one way or the other): the lower of the two directions, mean and
    /// lowest.
    pub ties: (f64, f64),
}

/// Per-query agreement shares of one kind, before averaging.
#[derive(Default)]
struct Compared {
    docs: Vec<f64>,
    threads: Vec<f64>,
    ties: Vec<f64>,
}

/// Most hits either engine is asked for when looking past the cut.
const RANKED: usize = 200;

/// Share of `top` found in `other`'s ranking at or above `other`'s 20th
/// score (`other` best first, up to [`RANKED`] long; all of it when it
/// holds fewer than 20).
fn within_cut(top: &[DocKey], other: &[(DocKey, f64)]) -> f64 {
    if top.is_empty() {
        return 1.0;
    }
    let cut = other.get(TOP - 1).map_or(f64::NEG_INFINITY, |(_, s)| *s);
    let eps = cut.abs() * 1e-5;
    let level: HashSet<&DocKey> = other
        .iter()
        .filter(|(_, s)| *s >= cut - eps)
        .map(|(d, _)| d)
        .collect();
    top.iter().filter(|d| level.contains(d)).count() as f64 / top.len() as f64
}

/// A search hit as the generator knows it: thread index and, for a
/// comment, comment index (`usize::MAX` for an id the generator never
/// made: it can then match nothing).
type DocKey = (usize, Option<usize>);

/// Share of `a`'s and `b`'s items in both, over the longer list (1 when
/// both are empty).
fn overlap<T: Eq + Hash>(a: &[T], b: &[T]) -> f64 {
    let n = a.len().max(b.len());
    if n == 0 {
        return 1.0;
    }
    let b: HashSet<&T> = b.iter().collect();
    let common = a.iter().collect::<HashSet<_>>().intersection(&b).count();
    common as f64 / n as f64
}

/// The distinct threads of a result list, best first.
fn threads_of(docs: &[DocKey]) -> Vec<usize> {
    let mut seen = HashSet::new();
    docs.iter()
        .map(|d| d.0)
        .filter(|t| seen.insert(*t))
        .collect()
}

fn mean_min(v: &[f64]) -> (f64, f64) {
    let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
    (mean, v.iter().copied().fold(f64::INFINITY, f64::min))
}

fn time<T>(f: impl FnOnce() -> Result<T>) -> Result<(Duration, T)> {
    let t = Instant::now();
    let v = f()?;
    Ok((t.elapsed(), v))
}

/// First inbox page sizes on both peers, and whether they hold the same
/// threads in the same order (the two inbox rules agree).
pub fn inbox_agrees(
    setup: &Setup,
    tp: &TidingsPeer,
    sp: &SqlitePeer,
) -> Result<(usize, usize, bool)> {
    let index: HashMap<ThreadId, i64> = setup
        .threads
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, i as i64 + 1))
        .collect();
    let t_page = tp.inbox(PAGE)?;
    let s_page = sp.inbox(PAGE)?;
    let same = t_page.len() == s_page.len()
        && t_page
            .iter()
            .zip(&s_page)
            .all(|(a, b)| index.get(&a.thread.id) == Some(&b.id));
    Ok((t_page.len(), s_page.len(), same))
}

/// Runs the read-side workload.
pub fn queries(setup: &Setup, tp: &TidingsPeer, sp: &SqlitePeer) -> Result<Queries> {
    let mut q = Queries::default();
    let mut rng = StdRng::seed_from_u64(gen::SEED ^ 0x5155);

    // Inbox.
    for _ in 0..WARMUP {
        tp.inbox(PAGE)?;
        sp.inbox(PAGE)?;
    }
    q.inbox_items = inbox_agrees(setup, tp, sp)?;
    let (mut t_lat, mut s_lat) = (Vec::new(), Vec::new());
    for _ in 0..QUERY_SAMPLES {
        t_lat.push(time(|| tp.inbox(PAGE))?.0);
        s_lat.push(time(|| sp.inbox(PAGE))?.0);
    }
    q.inbox = Pair {
        tidings: Samples::new(t_lat),
        sqlite: Samples::new(s_lat),
    };

    // Channel pages.
    let chans: Vec<usize> = (0..QUERY_SAMPLES + WARMUP)
        .map(|_| rng.gen_range(0..setup.channels.len()))
        .collect();
    let mut t_lat = Vec::new();
    let mut s_lat = Vec::new();
    for (i, c) in chans.iter().enumerate() {
        let (dt, a) = time(|| tp.channel_page(setup.channels[*c], PAGE))?;
        let (ds, b) = time(|| sp.channel_page(*c as i64 + 1, PAGE))?;
        q.mismatches += usize::from(a.len() != b.len());
        if i >= WARMUP {
            t_lat.push(dt);
            s_lat.push(ds);
        }
    }
    q.channel = Pair {
        tidings: Samples::new(t_lat),
        sqlite: Samples::new(s_lat),
    };

    // Thread pages: random threads, first 50 comments.
    let picks: Vec<usize> = (0..QUERY_SAMPLES + WARMUP)
        .map(|_| rng.gen_range(0..setup.threads.len()))
        .collect();
    let (mut t_lat, mut s_lat, mut sr_lat, mut r_lat) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut comments = 0usize;
    for (i, t) in picks.iter().enumerate() {
        let (dt, a) = time(|| tp.thread_page(setup.threads[*t], PAGE))?;
        let (ds, mut b) = time(|| sp.thread_page(*t as i64 + 1, PAGE))?;
        // The same markdown through the same renderer, timed apart.
        let (dx, _) = time(|| {
            sqlite::render(&mut b);
            Ok(())
        })?;
        let dr = ds + dx;
        q.mismatches += usize::from(a.comments.items.len() != b.comments.len());
        if i >= WARMUP {
            comments += a.comments.items.len();
            t_lat.push(dt);
            s_lat.push(ds);
            sr_lat.push(dr);
            r_lat.push(dx);
        }
    }
    q.thread_comments = comments as f64 / QUERY_SAMPLES as f64;
    q.thread = Pair {
        tidings: Samples::new(t_lat),
        sqlite: Samples::new(s_lat),
    };
    q.thread_sqlite_render = Samples::new(sr_lat);
    q.render_only = Samples::new(r_lat);

    // Search. The first time each query comes up, both result lists are
    // also compared, mapped to the generator's indexes.
    let thread_index: HashMap<ThreadId, usize> = setup
        .threads
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, i))
        .collect();
    let comment_index: HashMap<CommentId, usize> = setup
        .gen
        .comment_ids()
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i))
        .collect();
    let tidings_key = |r: &SearchResult| -> DocKey {
        let thread = r.hit.thread.and_then(|t| thread_index.get(&t).copied());
        let comment = r
            .hit
            .comment
            .map(|c| comment_index.get(&c).copied().unwrap_or(usize::MAX));
        (thread.unwrap_or(usize::MAX), comment)
    };
    let sqlite_key = |thread: i64, comment: Option<i64>| -> DocKey {
        (thread as usize - 1, comment.map(|c| c as usize - 1))
    };
    let mut compared: HashMap<&'static str, Compared> = HashMap::new();
    let texts = gen::queries(60);
    let mut by_kind: HashMap<&'static str, (Vec<Duration>, Vec<Duration>)> = HashMap::new();
    let (mut t_all, mut s_all) = (Vec::new(), Vec::new());
    let (mut t_hits, mut s_hits) = (0usize, 0usize);
    for i in 0..QUERY_SAMPLES + WARMUP {
        let text: &SearchText = &texts[i % texts.len()];
        let (dt, a) = time(|| tp.search(text, TOP))?;
        let (ds, b) = time(|| sp.search(text, TOP))?;
        q.mismatches += usize::from(a.len() != b.len());
        // A prefix matches with one constant score in Tidings (no BM25 of
        // its own), so its order among equals is arbitrary: only word
        // queries are compared.
        if i < texts.len() && matches!(text, SearchText::Words(_)) {
            let t_docs: Vec<DocKey> = a.iter().map(tidings_key).collect();
            let s_docs: Vec<DocKey> = b.iter().map(|h| sqlite_key(h.thread, h.comment)).collect();
            // Past the cut, untimed: each engine's longer ranking.
            let t_ranked: Vec<(DocKey, f64)> = tp
                .search(text, RANKED)?
                .iter()
                .map(|r| (tidings_key(r), f64::from(r.hit.score)))
                .collect();
            let s_ranked: Vec<(DocKey, f64)> = sp
                .ranked(text, RANKED)?
                .into_iter()
                .map(|(t, c, score)| (sqlite_key(t, c), score))
                .collect();
            let ties = within_cut(&t_docs, &s_ranked).min(within_cut(&s_docs, &t_ranked));
            let e = compared.entry(text.kind()).or_default();
            e.docs.push(overlap(&t_docs, &s_docs));
            e.threads
                .push(overlap(&threads_of(&t_docs), &threads_of(&s_docs)));
            e.ties.push(ties);
        }
        if i >= WARMUP {
            t_hits += a.len();
            s_hits += b.len();
            t_all.push(dt);
            s_all.push(ds);
            let e = by_kind.entry(text.kind()).or_default();
            e.0.push(dt);
            e.1.push(ds);
        }
    }
    q.search_hits = (
        t_hits as f64 / QUERY_SAMPLES as f64,
        s_hits as f64 / QUERY_SAMPLES as f64,
    );
    q.search = Pair {
        tidings: Samples::new(t_all),
        sqlite: Samples::new(s_all),
    };
    let mut agreement: Vec<_> = compared
        .into_iter()
        .map(|(k, c)| {
            (
                k,
                Agreement {
                    queries: c.docs.len(),
                    docs: mean_min(&c.docs),
                    threads: mean_min(&c.threads),
                    ties: mean_min(&c.ties),
                },
            )
        })
        .collect();
    agreement.sort_by_key(|(k, _)| *k);
    q.agreement = agreement;
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort_by_key(|(k, _)| *k);
    q.search_kinds = kinds
        .into_iter()
        .map(|(k, (t, s))| {
            (
                k,
                Pair {
                    tidings: Samples::new(t),
                    sqlite: Samples::new(s),
                },
            )
        })
        .collect();
    Ok(q)
}

/// Remote batches applied to the large store.
#[derive(Debug, Default)]
pub struct Remote {
    /// Ops/s per batch (Tidings), including verification.
    pub tidings: Vec<f64>,
    /// Rows/s per batch (SQLite, same facts, nothing to verify).
    pub sqlite: Vec<f64>,
    /// Share of Tidings' time spent checking signatures.
    pub verify_share: f64,
}

/// Applies `n` fresh batches of teammates' activity to both large stores.
pub fn remote(
    setup: &mut Setup,
    tp: &TidingsPeer,
    sp: &mut SqlitePeer,
    n: usize,
) -> Result<Remote> {
    let mut r = Remote::default();
    let (mut verify, mut apply) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..n {
        let batch = setup.gen.more(BATCH);
        let signed = gen::sign(&batch, &setup.gen.people)?;
        let count = signed.len() as f64;
        let t = Instant::now();
        std::hint::black_box(SignedOp::open_batch(&signed));
        verify += t.elapsed();
        let t = Instant::now();
        let report = tp.apply(signed)?;
        let d = t.elapsed();
        apply += d;
        ensure!(
            report.rejected.is_empty() && report.pending == 0,
            "remote ops were not applied"
        );
        r.tidings.push(count / d.as_secs_f64());
        let rows: Vec<Row> = batch.into_iter().map(|e| e.row).collect();
        let t = Instant::now();
        sp.load(&rows, &setup.gen.people)?;
        r.sqlite.push(count / t.elapsed().as_secs_f64());
    }
    r.verify_share = verify.as_secs_f64() / apply.as_secs_f64();
    Ok(r)
}

/// Durable posting, one writer and several.
#[derive(Debug, Default)]
pub struct Posts {
    /// One writer: latencies.
    pub seq: Pair,
    /// One writer: posts/s (tidings, sqlite).
    pub seq_rate: (f64, f64),
    /// Concurrent writers: latencies.
    pub conc: Pair,
    /// Concurrent writers: posts/s (tidings, sqlite).
    pub conc_rate: (f64, f64),
    /// One writer: bytes written to storage per post (tidings, sqlite).
    pub seq_bytes: (f64, f64),
}

/// Bytes this process has caused to be written to storage so far.
fn written_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("write_bytes:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// Posts body `i` to thread `i` (indexes into the post bench's picks);
/// one per writer thread, made before the clock starts.
type PostFn = Box<dyn Fn(usize, &str) -> Result<()> + Send>;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Posts in alternating blocks of this many, so both peers see the same
/// background load (other work on the machine comes and goes).
const BLOCK: usize = 100;
/// Alternating rounds of the concurrent variant.
const ROUNDS: usize = 4;

/// Runs `post(i)` for every `i` in `range`, pushing latencies; returns
/// the block's time and the bytes written to storage meanwhile.
fn timed_block(
    range: std::ops::Range<usize>,
    lat: &mut Vec<Duration>,
    post: impl Fn(usize) -> Result<()>,
) -> Result<(Duration, u64)> {
    let w = written_bytes();
    let start = Instant::now();
    for i in range {
        let t = Instant::now();
        post(i)?;
        lat.push(t.elapsed());
    }
    Ok((start.elapsed(), written_bytes().saturating_sub(w)))
}

/// Posts `n` comments one after another on each peer (alternating blocks),
/// then `n` more from `writers` threads at once (alternating rounds).
pub fn posts(
    setup: &Setup,
    tp: &TidingsPeer,
    sp: &SqlitePeer,
    n: usize,
    writers: usize,
) -> Result<Posts> {
    let bodies = setup.gen.post_bodies(n + WARMUP);
    let mut rng = StdRng::seed_from_u64(gen::SEED ^ 0x504f);
    let picks: Vec<usize> = (0..n + WARMUP)
        .map(|_| rng.gen_range(0..setup.threads.len()))
        .collect();
    let t_post = |i: usize| tp.post(setup.threads[picks[i]], &bodies[i]);
    let s_post = |i: usize| sp.post(picks[i] as i64 + 1, &bodies[i], now_ms()).map(drop);
    for i in 0..WARMUP {
        t_post(i)?;
        s_post(i)?;
    }
    let mut p = Posts::default();
    let (mut tl, mut sl) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut tt, mut st) = (Duration::ZERO, Duration::ZERO);
    let (mut tb, mut sb) = (0u64, 0u64);
    for from in (WARMUP..WARMUP + n).step_by(BLOCK) {
        let range = from..(from + BLOCK).min(WARMUP + n);
        let (d, b) = timed_block(range.clone(), &mut tl, t_post)?;
        tt += d;
        tb += b;
        let (d, b) = timed_block(range, &mut sl, s_post)?;
        st += d;
        sb += b;
    }
    p.seq = Pair {
        tidings: Samples::new(tl),
        sqlite: Samples::new(sl),
    };
    p.seq_rate = (n as f64 / tt.as_secs_f64(), n as f64 / st.as_secs_f64());
    p.seq_bytes = (tb as f64 / n as f64, sb as f64 / n as f64);

    // Concurrent writers: in each round, each peer posts n / ROUNDS
    // comments from `writers` threads. Each writer's handle (a clone of
    // the store; a SQLite connection with its PRAGMAs set and the post's
    // statements prepared) is made before the clock starts.
    let per = n / ROUNDS / writers;
    let conc = |base: usize, posters: Vec<PostFn>| -> Result<(Vec<Duration>, Duration)> {
        ensure!(posters.len() == writers, "one poster per writer");
        let start = Instant::now();
        // Each writer hands its handle back with the moment it finished,
        // so closing a connection is not timed either.
        let (lat, done, handles) = std::thread::scope(|s| {
            let running: Vec<_> = posters
                .into_iter()
                .enumerate()
                .map(|(w, post)| {
                    let (bodies, picks) = (&bodies, &picks);
                    s.spawn(move || -> Result<(Vec<Duration>, Instant, PostFn)> {
                        let mut lat = Vec::with_capacity(per);
                        for i in base + w * per..base + (w + 1) * per {
                            let t = Instant::now();
                            post(picks[i], &bodies[i])?;
                            lat.push(t.elapsed());
                        }
                        Ok((lat, Instant::now(), post))
                    })
                })
                .collect();
            let (mut all, mut done, mut handles) = (Vec::new(), start, Vec::new());
            for h in running {
                let (lat, end, post) = h
                    .join()
                    .map_err(|_| anyhow::anyhow!("a writer thread panicked"))??;
                all.extend(lat);
                done = done.max(end);
                handles.push(post);
            }
            Ok::<_, anyhow::Error>((all, done, handles))
        })?;
        drop(handles);
        Ok((lat, done - start))
    };
    let threads = setup.threads.clone();
    let store = tp.store.clone();
    let make_t = || -> Result<PostFn> {
        let (store, threads) = (store.clone(), threads.clone());
        Ok(Box::new(move |i: usize, b: &str| {
            store.add_comment(threads[i], b)?;
            Ok(())
        }))
    };
    let path = setup.sqlite_path();
    let make_s = || -> Result<PostFn> {
        let peer = SqlitePeer::open(&path)?;
        peer.prepare_post()?;
        Ok(Box::new(move |i: usize, b: &str| {
            peer.post(i as i64 + 1, b, now_ms()).map(drop)
        }))
    };
    let (mut tl, mut sl) = (Vec::new(), Vec::new());
    let (mut tt, mut st) = (Duration::ZERO, Duration::ZERO);
    for round in 0..ROUNDS {
        let base = WARMUP + round * per * writers;
        let posters = (0..writers).map(|_| make_t()).collect::<Result<_>>()?;
        let (l, d) = conc(base, posters)?;
        tl.extend(l);
        tt += d;
        let posters = (0..writers).map(|_| make_s()).collect::<Result<_>>()?;
        let (l, d) = conc(base, posters)?;
        sl.extend(l);
        st += d;
    }
    p.conc_rate = (
        tl.len() as f64 / tt.as_secs_f64(),
        sl.len() as f64 / st.as_secs_f64(),
    );
    p.conc = Pair {
        tidings: Samples::new(tl),
        sqlite: Samples::new(sl),
    };
    Ok(p)
}

/// Prints a detail line for a pair.
pub fn detail(name: &str, pair: &Pair) {
    println!("  {name:<28} tidings {}", pair.tidings.summary());
    println!("  {:<28} sqlite  {}", "", pair.sqlite.summary());
}
