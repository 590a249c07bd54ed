//! Joining a big workspace (section 5): the store benchmark's generated
//! workspace (`benches/store_vs_sqlite/gen.rs`: 30 people, 50 channels,
//! 20k threads, 1M comments, 1.93M signed ops at scale 1.0) is published
//! sealed into the workspace stream with Tidings' own publisher; then a new
//! member joins from an invite code on a fresh store, the way the app does
//! (`invites::join_with_code`), and the clock runs from
//! `SyncEngine::run_once` until the joiner's first inbox page returns.
//!
//! The joiner takes the place of the generator's "me" (person 0), so the
//! joined store holds the same workspace the store benchmark bulk-loads and
//! its inbox is a real one (threads that name or mention me, threads I
//! wrote in): teammates mention the new member as Carla mentions Dan in
//! the other sections. My own history was written on my generated device,
//! which the joiner adds (`add_my_device`, as the store benchmark does)
//! before the first sync; my read markers are personal ops, sealed with
//! my personal key on my personal subject, everything else with the
//! workspace key on the shared subject. The invite is made from the parts
//! the founder's store would put in it (the generated workspace's id and
//! name, a workspace key, the benchmark's NATS target).
//!
//! After the join: `Store::close` (timed, not part of the join), the store
//! size on disk, and the first open + first inbox page in a fresh process
//! with the page cache evicted and warm ([`crate::firstopen`]). The peer
//! reads the same messages with a raw consumer after the join.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use tidings::model::ids::{DeviceId, MemberId, WorkspaceId};
use tidings::model::op::OpKind;
use tidings::model::signed::SignedOp;
use tidings::store::Closed;
use tidings::sync::codes::Invite;
use tidings::sync::config::TargetConfig;
use tidings::sync::envelope;
use tidings::sync::keys::{KeyKind, KeyRing, SecretKey};
use tidings::sync::nats::{stream_name, Channel, NatsTarget};
use tidings::sync::run::PassReport;
use tidings::sync::{invites, SyncEngine};
use tidings::views::PageRequest;
use tokio::runtime::Runtime;

use crate::firstopen::{self, FirstOpen};
use crate::gen::{self, Generator, Size};
use crate::peer;
use crate::report::{per_sec, rate, ratio, secs, share, Row};
use crate::setup::{self, nats_target};
use crate::spans::SpanTimes;

/// Generated ops signed, sealed and published per round.
const CHUNK: usize = 10_000;
/// Items on the first inbox page, as the UI asks.
const PAGE: usize = 50;
/// Join target at full scale (1.93M ops), seconds.
const JOIN_TARGET_S: f64 = 90.0;
/// First open + first inbox page target, seconds.
const FIRST_OPEN_TARGET_S: f64 = 1.0;

/// What the join measured.
pub struct Join {
    /// The generator's scale.
    pub scale: f64,
    /// Threads and comments generated.
    pub size: Size,
    /// Ops published (all of the workspace's history).
    pub ops: usize,
    /// Of them, my personal ops (read markers) on my personal subject.
    pub personal: usize,
    /// Generating, signing and sealing them (setup, not timed).
    pub prepare: Duration,
    /// Inside `NatsTarget::publish`.
    pub publish: Duration,
    /// The pass, as the engine reported it.
    pub report: PassReport,
    /// `run_once` from start to return.
    pub run_once: Duration,
    /// The first inbox page after it.
    pub inbox: Duration,
    /// Items on that page.
    pub items: usize,
    /// Inside `apply_remote` during the pass.
    pub apply_span: Duration,
    /// Inside the search index's `upsert` during the pass.
    pub search: Duration,
    /// `Store::close` after the join.
    pub close: Duration,
    /// What closing did.
    pub closed: Closed,
    /// Bytes of the store's files after closing.
    pub disk: u64,
    /// First open in a fresh process, page cache evicted.
    pub evicted: FirstOpen,
    /// The same, warm page cache (median of three).
    pub warm: FirstOpen,
    /// The peer's read of the same messages: count, bytes, time.
    pub peer: (usize, usize, Duration),
}

impl Join {
    /// From `run_once` start to the first inbox page.
    pub fn total(&self) -> Duration {
        self.run_once + self.inbox
    }
}

/// The generated workspace's id and name, from its founding op (the
/// generator's ids do not depend on who "me" is).
fn workspace_of(size: Size) -> Result<(WorkspaceId, String)> {
    let placeholder = MemberId::for_device(DeviceId([0; 32]));
    let first = Generator::new(size, placeholder).next_batch(1);
    match first.first().map(|e| &e.op.kind) {
        Some(OpKind::WorkspaceCreated {
            workspace, name, ..
        }) => Ok((*workspace, name.clone())),
        _ => bail!("the generated workspace does not start with its founding op"),
    }
}

/// Seals `signed` (from `events`): my personal ops under my personal key
/// for my personal subject, the rest under the workspace key.
fn seal(
    keys: &KeyRing,
    events: &[gen::Event],
    signed: &[SignedOp],
    people: &[gen::Person],
) -> Result<Vec<(String, Channel, Vec<u8>)>> {
    events
        .iter()
        .zip(signed)
        .map(|(e, s)| {
            let (kind, channel) = if e.op.kind.is_personal() {
                (
                    KeyKind::Personal(keys.member),
                    Channel::Personal(keys.member),
                )
            } else {
                (KeyKind::Workspace, Channel::Shared)
            };
            let env = envelope::seal(keys, kind, people[e.signer].device(), s)?;
            Ok((e.op.id.to_text(), channel, env))
        })
        .collect()
}

/// Publishes the workspace, joins it from a fresh store and measures.
pub fn run(rt: &Runtime, url: &str, root: &Path, spans: &SpanTimes, scale: f64) -> Result<Join> {
    let size = Size::at_scale(scale);
    let (workspace, name) = workspace_of(size)?;
    let workspace_key = SecretKey::generate();
    let code = Invite {
        workspace,
        name,
        key: workspace_key.clone(),
        targets: vec![nats_target(url)],
    }
    .to_code();

    let dir = root.join("joiner");
    let store = setup::open_store(&dir)?;
    let (me, _) = invites::join_with_code(&store, &code, gen::my_profile())?;
    let mut generator = Generator::new(size, me);
    store.add_my_device(generator.people[0].device())?;
    let secrets = store.sync_secrets()?.context("the joiner has no secrets")?;
    let keys = KeyRing {
        workspace,
        workspace_key,
        member: me,
        personal_key: SecretKey::from_bytes(secrets.personal_key),
    };

    let TargetConfig::Nats(cfg) = nats_target(url) else {
        bail!("not a NATS target");
    };
    let target = rt.block_on(NatsTarget::connect(&cfg, workspace))?;
    let (mut ops, mut personal) = (0, 0);
    let (mut prepare, mut publish) = (Duration::ZERO, Duration::ZERO);
    let mut last_note = Instant::now();
    loop {
        let t = Instant::now();
        let events = generator.next_batch(CHUNK);
        if events.is_empty() {
            break;
        }
        let signed = gen::sign(&events, &generator.people)?;
        let items = seal(&keys, &events, &signed, &generator.people)?;
        prepare += t.elapsed();
        personal += events.iter().filter(|e| e.op.kind.is_personal()).count();
        let t = Instant::now();
        let (sent, err) = rt.block_on(target.publish(&items));
        publish += t.elapsed();
        if let Some(e) = err {
            bail!(
                "publishing the workspace failed after {} ops: {e}",
                ops + sent
            );
        }
        ensure!(
            sent == items.len(),
            "only {sent} of {} published",
            items.len()
        );
        ops += sent;
        if last_note.elapsed() > Duration::from_secs(15) {
            last_note = Instant::now();
            eprintln!(
                "  … {ops} ops published ({}/{} comments)",
                generator.comment_count(),
                size.comments
            );
        }
    }
    let last = rt.block_on(target.last_sequence())?;
    drop(target);

    eprintln!("[5] join: {ops} ops in the stream; the new member syncs");
    spans.reset();
    let engine = SyncEngine::new(store.clone())?;
    let t = Instant::now();
    let mut reports = rt.block_on(engine.run_once())?;
    let run_once = t.elapsed();
    let page = store.inbox(&PageRequest::first(PAGE))?;
    let total = t.elapsed();
    let apply_span = spans.get("apply_remote");
    let search = spans.get("upsert");
    let report = reports.pop().context("no pass report")?;
    if let Some(e) = &report.error {
        bail!("the join failed: {e}");
    }
    ensure!(
        report.refused == 0 && report.waiting == 0 && report.from_future == 0,
        "the join left ops out: {} refused, {} waiting, {} from the future",
        report.refused,
        report.waiting,
        report.from_future
    );
    ensure!(
        report.applied >= ops,
        "the join applied {} of the {ops} ops published",
        report.applied
    );
    ensure!(
        !page.items.is_empty(),
        "the joiner's first inbox page is empty"
    );

    drop(engine);
    let t = Instant::now();
    let closed = store.close()?;
    let close = t.elapsed();
    ensure!(
        closed != Closed::StillShared,
        "the store was still shared at close"
    );
    let disk = firstopen::disk_bytes(&dir)?;
    eprintln!("[5] join: first open in a fresh process, evicted then warm");
    let (evicted, warm) = firstopen::evicted_and_warm(&dir)?;

    let (_, js) = rt.block_on(peer::connect(url))?;
    let subject = format!("tidings.{workspace}.>");
    let peer = rt.block_on(peer::consume(&js, &stream_name(workspace), &subject, last))?;
    ensure!(peer.0 >= ops, "the peer read {} of {ops} messages", peer.0);

    Ok(Join {
        scale,
        size,
        ops,
        personal,
        prepare,
        publish,
        report,
        run_once,
        inbox: total - run_once,
        items: page.items.len(),
        apply_span,
        search,
        close,
        closed,
        disk,
        evicted,
        warm,
        peer,
    })
}

/// The join's rows of the results table and its notes.
pub fn report(j: &Join, rows: &mut Vec<Row>, notes: &mut Vec<String>) {
    let total = j.total();
    let target = JOIN_TARGET_S * j.ops as f64 / 1.93e6;
    rows.push(Row {
        metric: format!(
            "Join the generated workspace ({} ops, scale {}) from the stream to the first inbox page",
            j.ops, j.scale
        ),
        tidings: format!("{} ({})", secs(total), rate(per_sec(j.ops, total), "ops")),
        peer: format!(
            "{} ({})",
            secs(j.peer.2),
            rate(per_sec(j.peer.0, j.peer.2), "msg")
        ),
        ratio: ratio(total.as_secs_f64(), j.peer.2.as_secs_f64()),
        target: format!("≤ 90 s for 1.93M ops (≤ {target:.1} s here)"),
        met: Some(total.as_secs_f64() <= target),
    });
    for (what, f) in [("page cache evicted", j.evicted), ("warm", j.warm)] {
        let evicted = what.starts_with("page");
        rows.push(Row {
            metric: format!("First open + inbox page after the join, {what}"),
            tidings: secs(f.first_page),
            peer: "—".into(),
            ratio: "—".into(),
            target: if evicted {
                format!("≤ {FIRST_OPEN_TARGET_S} s")
            } else {
                "—".into()
            },
            met: evicted.then_some(f.first_page.as_secs_f64() <= FIRST_OPEN_TARGET_S),
        });
    }
    notes.push(format!(
        "join: {} threads, {} comments, {} ops ({} of them my read markers on my personal subject); generating, signing and sealing them {} (setup); publishing them with NatsTarget::publish {} ({})",
        j.size.threads,
        j.size.comments,
        j.ops,
        j.personal,
        secs(j.prepare),
        secs(j.publish),
        rate(per_sec(j.ops, j.publish), "ops"),
    ));
    notes.push(format!(
        "join: run_once {} ({} applied, {}), then the first inbox page {} ({} items); inside apply_remote {} ({} of the join; search feed {} of it); the rest (decrypt, NATS, envelopes, cursor saves) {} ({})",
        secs(j.run_once),
        j.report.applied,
        rate(per_sec(j.report.applied, j.run_once), "ops"),
        secs(j.inbox),
        j.items,
        secs(j.apply_span),
        share(j.apply_span, total),
        secs(j.search),
        secs(total.saturating_sub(j.apply_span)),
        share(total.saturating_sub(j.apply_span), total),
    ));
    notes.push(format!(
        "join: Store::close afterwards {} ({:?}); store on disk {:.1} MiB; peer read {} msgs / {:.1} MB",
        secs(j.close),
        j.closed,
        j.disk as f64 / (1024.0 * 1024.0),
        j.peer.0,
        j.peer.1 as f64 / 1e6,
    ));
    notes.push(format!(
        "join: first open in a fresh process — evicted: open {} + inbox page = {} ({} items, RSS {} MiB); warm (median of 3): open {} + inbox page = {} (RSS {} MiB)",
        secs(j.evicted.open),
        secs(j.evicted.first_page),
        j.evicted.items,
        j.evicted.rss_kb / 1024,
        secs(j.warm.open),
        secs(j.warm.first_page),
        j.warm.rss_kb / 1024,
    ));
}
