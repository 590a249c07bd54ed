//! The data folder the app opens, built with the core library the way
//! two people build it: Ana (the app's user) founds the workspace with the
//! benchmark's NATS server as its sync target; Ben joins by invite and
//! syncs. Ana opens most threads and answers in half of them; Ben opens
//! the rest naming Ana and comments in every third of hers, so Ana's inbox
//! holds news; she then reads half of what Ben wrote in her threads. Both
//! replicas sync through NATS until each has the other's writes, and Ana's
//! search index is committed, so the app starts on a settled store with
//! sync connected and nothing to catch up.
//!
//! Ana works "always" (WorkingHours::ALWAYS), so notifications are never
//! held for working hours. Ben's store stays open in the benchmark: he is
//! the teammate of the notification measurement.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use rand::{Rng, SeedableRng};
use tidings::model::ids::{ChannelId, MemberId, ThreadId};
use tidings::model::profile::{Profile, WorkingHours};
use tidings::store::NewThread;
use tidings::sync::config::{NatsAuth, NatsConfig, TargetConfig};
use tidings::sync::{invites, SyncEngine};
use tidings::{Options, Store};
use tokio::runtime::Runtime;

/// Channels in the workspace.
const CHANNELS: usize = 12;

/// What seeding made.
pub struct Seeded {
    /// Ben's replica, open (Ana's is closed for the app to open).
    pub ben: Store,
    /// Ana's member id.
    pub ana_id: MemberId,
    /// A channel for new threads.
    pub channel: ChannelId,
    /// Counts for the report.
    pub threads: usize,
    /// Comments in all.
    pub comments: usize,
    /// Threads in Ana's inbox (news since she read).
    pub inbox: usize,
    /// Ops in Ana's log.
    pub ops: usize,
    /// How long seeding took.
    pub took: Duration,
}

/// A person who works "always", so nothing waits for working hours.
pub fn person(name: &str) -> Profile {
    Profile {
        display_name: name.into(),
        time_zone: "Europe/Lisbon".into(),
        working_hours: WorkingHours::ALWAYS,
    }
}

/// The benchmark server as a sync target.
pub fn nats_target(url: &str) -> TargetConfig {
    TargetConfig::Nats(NatsConfig {
        servers: vec![url.to_string()],
        auth: NatsAuth::None,
        tls: false,
        replicas: 1,
    })
}

fn open(dir: &Path) -> Result<Store> {
    Store::open(dir, Options::default())
        .with_context(|| format!("open a store in {}", dir.display()))
}

/// One catch-up-and-send pass; fails on a sync error.
fn sync_once(rt: &Runtime, store: &Store) -> Result<()> {
    let engine = SyncEngine::new(store.clone())?;
    for r in rt.block_on(engine.run_once())? {
        if let Some(e) = r.error {
            anyhow::bail!("sync failed: {e}");
        }
    }
    Ok(())
}

fn words(rng: &mut impl Rng, n: usize) -> String {
    const W: &[&str] = &[
        "ship", "the", "sync", "today", "review", "branch", "tests", "pass", "on", "my", "machine",
        "latency", "looks", "fine", "but", "we", "should", "measure", "again", "after", "merge",
        "design", "doc", "is", "ready", "for", "feedback", "please", "check", "numbers", "in",
        "staging", "release", "notes", "need", "one", "more", "agree", "with", "plan", "pair",
        "tomorrow", "customer", "asked", "about", "export", "search", "**soon**", "`cargo`",
    ];
    (0..n)
        .map(|_| W[rng.gen_range(0..W.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn progress(what: &str, i: usize, n: usize, t: Instant) {
    if i > 0 && i.is_multiple_of(2000) {
        eprintln!("[seed] {what} {i}/{n} ({:.0} s)", t.elapsed().as_secs_f64());
    }
}

/// Builds Ana's folder in `ana_dir` and Ben's in `ben_dir` with `threads`
/// threads, syncing through `url`.
pub fn seed(
    rt: &Runtime,
    ana_dir: &Path,
    ben_dir: &Path,
    url: &str,
    threads: usize,
) -> Result<Seeded> {
    let t0 = Instant::now();
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let ana = open(ana_dir)?;
    ana.create_workspace("Acme", person("Ana"))?;
    let ana_id = ana.require_me()?;
    let mut channels = Vec::with_capacity(CHANNELS);
    for i in 0..CHANNELS {
        channels.push(ana.create_channel(&format!("team-{i}"), "Plans, reviews and releases")?);
    }
    ana.add_sync_target(nats_target(url))?;
    sync_once(rt, &ana)?;
    let ben = open(ben_dir)?;
    invites::join_with_code(&ben, &invites::invite_code(&ana)?, person("Ben"))?;
    sync_once(rt, &ben)?;
    sync_once(rt, &ana)?;

    // Ana's threads, and her answer in every second one.
    let ben_threads = threads / 10;
    let ana_threads = threads - ben_threads;
    let mut comments = 0;
    let mut hers: Vec<ThreadId> = Vec::with_capacity(ana_threads);
    for i in 0..ana_threads {
        let n = rng.gen_range(3..9);
        let t = ana.create_thread(NewThread {
            channel: channels[i % CHANNELS],
            title: format!("{} #{i}", words(&mut rng, n)),
            body: words(&mut rng, 40),
            notify: Vec::new(),
        })?;
        if i % 2 == 0 {
            let n = rng.gen_range(8..40);
            ana.add_comment(t, &words(&mut rng, n))?;
            comments += 1;
        }
        hers.push(t);
        progress("Ana's threads", i, ana_threads, t0);
    }
    sync_once(rt, &ana)?;
    sync_once(rt, &ben)?;

    // Ben: threads naming Ana, each with a comment of his, and 1–3
    // comments in every third of Ana's threads.
    let mut bens_in_hers = Vec::new();
    for i in 0..ben_threads {
        let n = rng.gen_range(3..9);
        let t = ben.create_thread(NewThread {
            channel: channels[i % CHANNELS],
            title: format!("{} (Ben #{i})", words(&mut rng, n)),
            body: words(&mut rng, 40),
            notify: vec![ana_id],
        })?;
        let n = rng.gen_range(8..40);
        ben.add_comment(t, &words(&mut rng, n))?;
        comments += 1;
        progress("Ben's threads", i, ben_threads, t0);
    }
    for (i, t) in hers.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        for _ in 0..rng.gen_range(1..=3) {
            let n = rng.gen_range(8..40);
            ben.add_comment(*t, &words(&mut rng, n))?;
            comments += 1;
        }
        bens_in_hers.push(*t);
        progress("Ben's comments in Ana's threads", i, ana_threads, t0);
    }
    sync_once(rt, &ben)?;
    sync_once(rt, &ana)?;

    // Ana reads half of the threads Ben wrote in.
    for t in bens_in_hers.iter().step_by(2) {
        ana.mark_read(*t, None)?;
    }
    sync_once(rt, &ana)?;
    sync_once(rt, &ben)?;

    ana.flush_search()?;
    ensure!(
        ana.wait_searchable(Duration::from_secs(60)),
        "Ana's search index did not catch up within 60 s"
    );
    let inbox = count_inbox(&ana)?;
    let ops = ana.op_count()?;
    ensure!(
        ana.sync_targets()?.len() == 1,
        "Ana's store should have exactly the NATS target"
    );
    drop(ana);
    Ok(Seeded {
        ben,
        ana_id,
        channel: channels[0],
        threads,
        comments,
        inbox,
        ops,
        took: t0.elapsed(),
    })
}

/// Threads in `store`'s inbox (every page).
pub(crate) fn count_inbox(store: &Store) -> Result<usize> {
    use tidings::views::PageRequest;
    let mut n = 0;
    let mut cursor = None;
    loop {
        let page = store.inbox(&PageRequest {
            cursor: cursor.clone(),
            limit: 200,
        })?;
        n += page.items.len();
        match page.next {
            Some(c) if !page.items.is_empty() => cursor = Some(c),
            _ => return Ok(n),
        }
    }
}
