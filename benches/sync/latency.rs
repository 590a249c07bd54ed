//! Latency (section 3): Ana's and Ben's replicas both run `SyncEngine::run` live on
//! the server. Ana posts a comment (`Store::add_comment`, a durable local
//! write) in a thread that names Ben; the clock stops when Ben's engine
//! has applied it (its `arrivals()` broadcast yields the op) and his
//! notification policy has decided about it (`Arrivals::on_applied`).
//! Samples are taken one at a time with a pause between them, as people
//! type; the peer (core NATS and JetStream) uses the same pause.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::Utc;
use rand::SeedableRng;
use tidings::arrivals::Arrivals;
use tidings::model::op::OpKind;
use tidings::policy::Focus;
use tidings::sync::{SyncEngine, TargetState};
use tokio::runtime::Runtime;
use tokio::sync::{broadcast, watch};

use crate::setup::{sentence, Team};

/// Longest wait for one comment to arrive.
const ARRIVAL_TIMEOUT: Duration = Duration::from_secs(10);

/// What the samples showed.
pub struct Latency {
    /// Post on Ana's replica → applied and decided on Ben's.
    pub decided: Vec<Duration>,
    /// Of that, Ana's `add_comment` (local durable write).
    pub local: Vec<Duration>,
    /// The rest: after `add_comment` returned until Ben decided (outbox →
    /// NATS → Ben's engine → apply → policy).
    pub remote: Vec<Duration>,
    /// Samples for which the policy returned a notification to show (a new
    /// one, or an update of the thread's recent one).
    pub shown: usize,
}

/// Waits until every target of `engine` is live.
async fn live(engine: &SyncEngine) -> Result<()> {
    let mut status = engine.status();
    let wait = status.wait_for(|s| s.targets.iter().all(|t| t.state == TargetState::Live));
    tokio::time::timeout(Duration::from_secs(30), wait)
        .await
        .context("a replica did not go live within 30 s")??;
    Ok(())
}

/// Takes `warmup + samples` samples, `gap` apart.
pub fn run(
    rt: &Runtime,
    team: &Team,
    warmup: usize,
    samples: usize,
    gap: Duration,
) -> Result<Latency> {
    let (stop, stopped) = watch::channel(false);
    let ana = SyncEngine::new(team.ana.clone())?;
    let ben = SyncEngine::new(team.ben.clone())?;
    let mut arrivals = ben.arrivals();
    let tasks: Vec<_> = [ana.clone(), ben.clone()]
        .into_iter()
        .map(|e| {
            let stopped = stopped.clone();
            rt.spawn(async move { e.run(stopped).await })
        })
        .collect();
    rt.block_on(async {
        live(&ana).await?;
        live(&ben).await
    })?;

    let thread = team.threads[0];
    let mut policy = Arrivals::new();
    let focus = Focus::default();
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let mut out = Latency {
        decided: Vec::with_capacity(samples),
        local: Vec::with_capacity(samples),
        remote: Vec::with_capacity(samples),
        shown: 0,
    };
    for i in 0..warmup + samples {
        let body = sentence(&mut rng);
        let t = Instant::now();
        let comment = team.ana.add_comment(thread, &body)?;
        let local = t.elapsed();
        let shown = rt.block_on(async {
            loop {
                let ops = match tokio::time::timeout(ARRIVAL_TIMEOUT, arrivals.recv()).await {
                    Err(_) => bail!("comment {i} did not reach Ben within {ARRIVAL_TIMEOUT:?}"),
                    Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
                    Ok(Err(broadcast::error::RecvError::Closed)) => bail!("Ben's engine stopped"),
                    Ok(Ok(ops)) => ops,
                };
                let ours = ops.iter().any(
                    |o| matches!(&o.kind, OpKind::CommentAdded { comment: c, .. } if *c == comment),
                );
                if ours {
                    return Ok(policy.on_applied(&team.ben, &ops, &focus, Utc::now())?);
                }
            }
        })?;
        let decided = t.elapsed();
        if i >= warmup {
            out.decided.push(decided);
            out.local.push(local);
            out.remote.push(decided.saturating_sub(local));
            out.shown += usize::from(!shown.is_empty());
        }
        std::thread::sleep(gap);
    }

    let _ = stop.send(true);
    for task in tasks {
        rt.block_on(task)??;
    }
    Ok(out)
}
