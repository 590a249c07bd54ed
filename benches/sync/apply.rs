//! Core apply (section 1): Carla's comments handed to a store acting as Dan (who
//! follows every thread, so each comment also updates his unread counts
//! and inbox) with `Store::apply_remote`, in batches of [`BATCH`]. The
//! signature checks (`SignedOp::open_batch`) are timed alone on the same
//! batches, so apply is reported with and without them. No NATS here.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{ensure, Result};
use tidings::model::signed::SignedOp;

use crate::setup::{dan_receiver, Carla, Team};
use crate::spans::SpanTimes;

/// Ops per `apply_remote` call.
pub const BATCH: usize = 5_000;

/// What core apply took.
pub struct Apply {
    /// Ops applied.
    pub n: usize,
    /// `open_batch` alone over every batch.
    pub verify: Duration,
    /// `apply_remote` over every batch (includes the signature checks,
    /// the sled transactions, the search feed and one fsync per call).
    pub apply: Duration,
    /// Of `apply`, feeding the search index (tantivy `upsert`).
    pub search: Duration,
    /// Each `apply_remote` call, in order (does apply slow down as the
    /// store grows?).
    pub batches: Vec<Duration>,
}

impl Apply {
    /// Apply without the signature checks.
    pub fn verified(&self) -> Duration {
        self.apply.saturating_sub(self.verify)
    }
}

/// Runs the measurement in a store under `dir`.
pub fn run(team: &Team, carla: &Carla, spans: &SpanTimes, dir: &Path) -> Result<Apply> {
    let store = dan_receiver(team, carla, dir)?;
    let mut verify = Duration::ZERO;
    for chunk in carla.comments.chunks(BATCH) {
        let t = Instant::now();
        let opened = SignedOp::open_batch(chunk);
        verify += t.elapsed();
        ensure!(
            opened.iter().all(|r| r.is_ok()),
            "a generated op failed its signature check"
        );
    }
    spans.reset();
    let mut batches = Vec::new();
    for chunk in carla.comments.chunks(BATCH) {
        let ops = chunk.to_vec();
        let t = Instant::now();
        let r = store.apply_remote(ops)?;
        batches.push(t.elapsed());
        ensure!(
            r.applied.len() == chunk.len() && r.rejected.is_empty() && r.pending == 0,
            "apply: {} of {} applied, {} refused, {} pending",
            r.applied.len(),
            chunk.len(),
            r.rejected.len(),
            r.pending
        );
    }
    Ok(Apply {
        n: carla.comments.len(),
        verify,
        apply: batches.iter().sum(),
        search: spans.get("upsert"),
        batches,
    })
}
