//! Section 4: a teammate's post → the app's desktop notification, through
//! NATS on loopback, measured up to the D-Bus `Notify` call reaching the
//! bus (where the notification daemon, dunst, receives it).
//!
//! The benchmark is the teammate: Ben's replica (a `Store` and a
//! `SyncEngine` running live on the same nats-server) starts a new thread
//! naming Ana — the app's user — to notify. t0 is taken just before
//! `create_thread` (Ben's durable local write); t1 is when the D-Bus
//! monitor ([`crate::monitor`]) sees the app's `Notify` carrying that
//! thread's marker. The path: Ben's write → his outbox → NATS publish →
//! Ana's engine receives, opens, checks and applies → the policy decides
//! (Ana works "always": notify now) → notify-rust connects to the session
//! bus and calls `Notify`.
//!
//! Each sample is a new thread, started only after the previous one's
//! notification was seen (plus a short pause), so the policy neither folds
//! a burst on one thread nor turns many threads into a catch-up summary.
//! After each sample the popups are dismissed (`dunstctl close-all`, as a
//! person would; the harness's dunst never times them out), outside the
//! timed part. The first samples are a warm-up and are discarded.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tidings::model::ids::{ChannelId, MemberId};
use tidings::store::NewThread;
use tidings::sync::{SyncEngine, TargetState};
use tidings::Store;
use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::monitor::{self, Monitor};

/// Longest wait for one notification.
const NOTIFY_TIMEOUT: Duration = Duration::from_secs(10);

/// What the samples showed.
#[derive(Default)]
pub struct Latency {
    /// Ben's `create_thread` → `Notify` seen on the bus.
    pub notified: Vec<Duration>,
    /// Of that, Ben's local write.
    pub local: Vec<Duration>,
    /// Samples whose notification never came (within the timeout).
    pub missing: usize,
    /// Other `Notify` calls seen meanwhile (summaries).
    pub others: Vec<String>,
}

/// Runs `warmup + samples` samples, `gap` apart.
#[allow(clippy::too_many_arguments)]
pub fn run(
    rt: &Runtime,
    ben: &Store,
    ana: MemberId,
    channel: ChannelId,
    monitor: &Monitor,
    dismiss: &dyn Fn(),
    warmup: usize,
    samples: usize,
    gap: Duration,
) -> Result<Latency> {
    let (stop, stopped) = watch::channel(false);
    let engine = SyncEngine::new(ben.clone())?;
    let task = {
        let engine = engine.clone();
        rt.spawn(async move { engine.run(stopped).await })
    };
    rt.block_on(async {
        let mut status = engine.status();
        let live = status.wait_for(|s| s.targets.iter().all(|t| t.state == TargetState::Live));
        tokio::time::timeout(Duration::from_secs(30), live)
            .await
            .context("Ben's replica did not go live within 30 s")?
            .context("Ben's engine stopped")?;
        anyhow::Ok(())
    })?;
    monitor.drain();

    let mut out = Latency::default();
    let mut any_seen = false;
    for i in 0..warmup + samples {
        let marker = format!("[bench {i}]");
        let t0 = Instant::now();
        ben.create_thread(NewThread {
            channel,
            title: format!("Latency sample {marker}"),
            body: format!("{marker} Ana, could you look at this before the release?"),
            notify: vec![ana],
        })?;
        let local = t0.elapsed();
        let (seen, others) = monitor.wait_for(&marker, NOTIFY_TIMEOUT);
        out.others.extend(
            others
                .into_iter()
                .map(|s| format!("{}: {}", s.app, s.summary)),
        );
        any_seen |= seen.is_some();
        match seen {
            Some(s) if i >= warmup => {
                out.notified.push(s.at - t0);
                out.local.push(local);
            }
            Some(_) => {}
            None => {
                eprintln!("[4] sample {i}: no notification within {NOTIFY_TIMEOUT:?}");
                if i >= warmup {
                    out.missing += 1;
                }
                if !any_seen && i >= 2 {
                    eprintln!("[4] three samples without a notification: giving up");
                    out.missing += warmup + samples - i - 1;
                    break;
                }
            }
        }
        dismiss();
        std::thread::sleep(gap);
    }
    let _ = stop.send(true);
    rt.block_on(task)??;
    Ok(out)
}

/// The monitor's own overhead: this process calls `Notify` on a
/// connection it keeps open, and the monitor stamps it; same count and
/// pause as the samples.
pub fn monitor_overhead(
    rt: &Runtime,
    address: &str,
    monitor: &Monitor,
    warmup: usize,
    samples: usize,
    gap: Duration,
) -> Result<Vec<Duration>> {
    let sender = rt.block_on(monitor::Sender::connect(address))?;
    monitor.drain();
    let mut out = Vec::with_capacity(samples);
    for i in 0..warmup + samples {
        let marker = format!("[probe {i}]");
        let t0 = rt.block_on(sender.send_notify(&marker))?;
        let (seen, _) = monitor.wait_for(&marker, NOTIFY_TIMEOUT);
        let seen = seen.with_context(|| format!("the monitor did not see probe {i}"))?;
        if i >= warmup {
            out.push(seen.at - t0);
        }
        std::thread::sleep(gap);
    }
    Ok(out)
}
