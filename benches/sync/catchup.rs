//! End-to-end catch-up (section 2): Carla's sealed ops are published into the
//! workspace stream with Tidings' own publisher, then Dan — a fresh
//! replica, cursor 0 — runs `SyncEngine::run_once`: it sends his join,
//! then reads the whole stream, opens every envelope (XChaCha20-Poly1305),
//! checks signatures in batches, applies, and saves its cursor after each
//! delivered batch.
//!
//! The parts: decrypting every envelope and checking every signature are
//! re-timed alone afterwards on the same data (single thread, as the engine
//! does them); the store's share is the time inside `apply_remote` (a
//! tracing span) minus the signature checks; the rest is transport,
//! envelope bookkeeping and cursor saves. The peer reads the same messages
//! with a raw consumer, once before and once after Tidings; the faster run
//! counts.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use tidings::model::signed::SignedOp;
use tidings::sync::config::TargetConfig;
use tidings::sync::envelope;
use tidings::sync::keys::{KeyRing, SecretKey};
use tidings::sync::nats::{stream_name, Channel, NatsTarget};
use tidings::sync::run::PassReport;
use tidings::sync::SyncEngine;
use tokio::runtime::Runtime;

use crate::peer;
use crate::setup::{nats_target, Carla, Team};
use crate::spans::SpanTimes;

/// Envelopes per `NatsTarget::publish` call while filling the stream.
const PUBLISH_CHUNK: usize = 10_000;
/// Signature checks are re-timed in batches of this size: the most the
/// NATS subscription delivers at once.
const DELIVERY_BATCH: usize = 512;

/// What catching up took.
pub struct CatchUp {
    /// Carla's ops in the stream (her join and comments).
    pub n: usize,
    /// The pass, as the engine reported it.
    pub report: PassReport,
    /// `run_once` from start to return.
    pub total: Duration,
    /// Inside `apply_remote` during the pass.
    pub apply_span: Duration,
    /// Inside the search index's `upsert` during the pass.
    pub search: Duration,
    /// Opening every envelope, timed alone.
    pub decrypt: Duration,
    /// Checking every signature (`open_batch`), timed alone.
    pub verify: Duration,
    /// Publishing the envelopes with `NatsTarget::publish` (setup).
    pub publish: Duration,
    /// The peer's read of the same messages.
    pub peer: Duration,
    /// Messages and payload bytes the peer read.
    pub peer_msgs: usize,
    /// Payload bytes the peer read.
    pub peer_bytes: usize,
}

impl CatchUp {
    /// Store work without the signature checks.
    pub fn store(&self) -> Duration {
        self.apply_span.saturating_sub(self.verify)
    }

    /// Everything but decrypting and `apply_remote`: NATS, envelope
    /// bookkeeping, cursor saves.
    pub fn rest(&self) -> Duration {
        self.total
            .saturating_sub(self.decrypt)
            .saturating_sub(self.apply_span)
    }
}

/// Fills the stream and times Dan's catch-up and the peer.
pub fn run(
    rt: &Runtime,
    url: &str,
    team: &Team,
    carla: &Carla,
    spans: &SpanTimes,
) -> Result<CatchUp> {
    let TargetConfig::Nats(cfg) = nats_target(url) else {
        bail!("not a NATS target");
    };
    let target = rt.block_on(NatsTarget::connect(&cfg, team.workspace))?;
    let t = Instant::now();
    for chunk in carla.envelopes.chunks(PUBLISH_CHUNK) {
        let items: Vec<(String, Channel, Vec<u8>)> = chunk
            .iter()
            .map(|(id, env)| (id.clone(), Channel::Shared, env.clone()))
            .collect();
        let (sent, err) = rt.block_on(target.publish(&items));
        if let Some(e) = err {
            bail!("publishing Carla's ops failed after {sent}: {e}");
        }
        ensure!(
            sent == items.len(),
            "only {sent} of {} published",
            items.len()
        );
    }
    let publish = t.elapsed();
    let last = rt.block_on(target.last_sequence())?;
    drop(target);

    let stream = stream_name(team.workspace);
    let subject = Channel::Shared.subject(team.workspace);
    let (_, js) = rt.block_on(peer::connect(url))?;
    let before = rt.block_on(peer::consume(&js, &stream, &subject, last))?;

    spans.reset();
    let engine = SyncEngine::new(team.dan.clone())?;
    let t = Instant::now();
    let mut reports = rt.block_on(engine.run_once())?;
    let total = t.elapsed();
    let apply_span = spans.get("apply_remote");
    let search = spans.get("upsert");
    let report = reports.pop().context("no pass report")?;
    if let Some(e) = &report.error {
        bail!("Dan's catch-up failed: {e}");
    }
    ensure!(
        report.refused == 0 && report.applied > carla.envelopes.len(),
        "Dan's catch-up: {} applied, {} refused (expected more than {})",
        report.applied,
        report.refused,
        carla.envelopes.len()
    );

    let after = rt.block_on(peer::consume(&js, &stream, &subject, last))?;
    ensure!(
        before.0 == after.0,
        "the peer read {} then {} messages",
        before.0,
        after.0
    );
    let peer = before.2.min(after.2);

    let secrets = team.dan.sync_secrets()?.context("Dan has no secrets")?;
    let keys = KeyRing {
        workspace: team.workspace,
        workspace_key: SecretKey::from_bytes(secrets.workspace_key),
        member: team.dan_id,
        personal_key: SecretKey::from_bytes(secrets.personal_key),
    };
    let t = Instant::now();
    let mut opened = Vec::with_capacity(carla.envelopes.len());
    for (_, env) in &carla.envelopes {
        opened.push(envelope::open(&keys, env)?.signed);
    }
    let decrypt = t.elapsed();
    let t = Instant::now();
    for chunk in opened.chunks(DELIVERY_BATCH) {
        for r in SignedOp::open_batch(chunk) {
            r?;
        }
    }
    let verify = t.elapsed();

    Ok(CatchUp {
        n: carla.envelopes.len(),
        report,
        total,
        apply_span,
        search,
        decrypt,
        verify,
        publish,
        peer,
        peer_msgs: after.0,
        peer_bytes: after.1,
    })
}
