//! Outbox drain after a long offline stretch (section 4): Erin joins the workspace
//! without any target, writes comments for a while (each a durable local
//! write), then adds the NATS target, which queues everything she wrote.
//! The clock runs from `run_once` until the engine reports the outbox sent
//! (its status leaves `Connecting`: the send step is over and it moves on
//! to reading). Her cursor is set to the stream's end first, so the pass
//! reads back only what she sent; the whole pass is reported too.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use rand::SeedableRng;
use tidings::model::signed::SignedOp;
use tidings::sync::config::TargetConfig;
use tidings::sync::nats::NatsTarget;
use tidings::sync::{SyncEngine, SyncStatus, TargetState};
use tokio::runtime::Runtime;

use crate::setup::{nats_target, open_store, person, sentence, Team};

/// What draining took.
pub struct Drain {
    /// Ops sent (her comments and her join).
    pub sent: usize,
    /// `run_once` start → outbox sent and acknowledged.
    pub drained: Duration,
    /// The whole pass (also reads back what it sent).
    pub pass: Duration,
    /// Writing the comments offline (setup; durable local writes).
    pub writes: Duration,
    /// `add_sync_target` queueing them.
    pub queue: Duration,
    /// Ops still in the outbox afterwards (0 expected).
    pub left: usize,
}

fn sent(s: &SyncStatus) -> bool {
    s.targets
        .iter()
        .any(|t| matches!(t.state, TargetState::CatchingUp { .. } | TargetState::Live))
}

/// Writes `n` comments offline, then drains them to `url`.
pub fn run(rt: &Runtime, url: &str, team: &Team, n: usize) -> Result<Drain> {
    let store = open_store(&team.root.join("erin"))?;
    store.join_workspace(team.workspace, team.workspace_key, person("Erin"))?;
    let history: Vec<SignedOp> = team.ana.ops().collect::<tidings::Result<_>>()?;
    store.apply_remote(history)?;

    let mut rng = rand::rngs::StdRng::seed_from_u64(13);
    let t = Instant::now();
    for i in 0..n {
        store.add_comment(team.threads[i % team.threads.len()], &sentence(&mut rng))?;
    }
    let writes = t.elapsed();
    let t = Instant::now();
    let target = store.add_sync_target(nats_target(url))?;
    let queue = t.elapsed();
    let queued = store.outbox_len(target);
    ensure!(queued == n + 1, "{queued} ops queued, expected {}", n + 1);

    let TargetConfig::Nats(cfg) = nats_target(url) else {
        bail!("not a NATS target");
    };
    let end = rt.block_on(async {
        NatsTarget::connect(&cfg, team.workspace)
            .await?
            .last_sequence()
            .await
    })?;
    store.set_sync_cursor(target, &end.to_be_bytes())?;

    let engine = SyncEngine::new(store.clone())?;
    let mut status = engine.status();
    let watcher = rt.spawn(async move {
        loop {
            if sent(&status.borrow_and_update()) {
                return Some(Instant::now());
            }
            if status.changed().await.is_err() {
                return None;
            }
        }
    });
    let t = Instant::now();
    let mut reports = rt.block_on(engine.run_once())?;
    let pass = t.elapsed();
    let done = rt
        .block_on(watcher)?
        .context("the engine never reported the outbox sent")?;
    let report = reports.pop().context("no pass report")?;
    if let Some(e) = &report.error {
        bail!("Erin's drain failed: {e}");
    }
    Ok(Drain {
        sent: report.sent,
        drained: done.duration_since(t),
        pass,
        writes,
        queue,
        left: store.outbox_len(target),
    })
}
