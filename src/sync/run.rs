//! Driving the targets: a live loop per target for the app (`run`), and a
//! catch-up-and-exit pass for scripts and tests (`run_once`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tracing::warn;

use super::config::{FolderConfig, NatsConfig, TargetConfig};
use super::engine::{blocking, Shared, SyncEngine, TargetState};
use super::folder::FolderLog;
use super::nats::{Channel, NatsTarget};
use crate::error::Result;
use crate::model::ids::OpId;
use crate::store::Target;

/// Ops sealed and sent per round.
const SEND_BATCH: usize = 500;
/// How often a synced folder is rescanned when no change event came.
const FOLDER_RESCAN: Duration = Duration::from_secs(30);
/// Longest wait between retries after a failure.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Messages applied together at most. The subscription delivers at most
/// 512 at a time; during a catch-up more are already waiting, and every
/// apply has a fixed cost (a flush that makes its ops durable, a write
/// set, a cursor save) while a batch above `store::VERIFY_CHUNK` has its
/// signatures checked on the other core as it applies.
const INGEST_MAX: usize = 8_192;

/// Appends to `batch` the batches already waiting in `sub`, up to
/// [`INGEST_MAX`] messages. An error waiting among them ends the merge and
/// is returned, to be reported after the batch is applied.
fn take_ready(
    sub: &mut tokio::sync::mpsc::Receiver<Result<super::nats::Batch>>,
    batch: &mut super::nats::Batch,
) -> Option<crate::error::Error> {
    while batch.len() < INGEST_MAX {
        match sub.try_recv() {
            Ok(Ok(more)) => batch.extend(more),
            Ok(Err(e)) => return Some(e),
            Err(_) => break,
        }
    }
    None
}

/// What a catch-up pass did for one target.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PassReport {
    /// Target id.
    pub target: u32,
    /// My ops it accepted.
    pub sent: usize,
    /// Ops that took effect here.
    pub applied: usize,
    /// Envelopes or ops refused.
    pub refused: usize,
    /// Ops held back until what they need arrives (see `Ingested::waiting`).
    pub waiting: usize,
    /// Ops held because they are dated in the future (see
    /// `Ingested::from_future`).
    pub from_future: usize,
    /// What went wrong, if it did (sync retries on the next pass).
    pub error: Option<String>,
}

impl SyncEngine {
    /// Catches up with every target and sends my outbox, then returns.
    pub async fn run_once(&self) -> Result<Vec<PassReport>> {
        let mut out = Vec::new();
        for t in self.targets()? {
            let mut report = PassReport {
                target: t.id,
                ..Default::default()
            };
            let r = match &t.config {
                TargetConfig::Nats(cfg) => nats_once(&self.shared, &t, cfg, &mut report).await,
                TargetConfig::Folder(cfg) => folder_once(&self.shared, &t, cfg, &mut report).await,
            };
            if let Err(e) = r {
                self.shared
                    .set_state(t.id, TargetState::Offline, Some(e.message.clone()));
                report.error = Some(e.message);
            }
            out.push(report);
        }
        Ok(out)
    }

    /// Runs every target live until `shutdown` becomes true. Failures are
    /// reported in the status and retried with backoff; this never returns
    /// early because a server is down.
    pub async fn run(&self, shutdown: watch::Receiver<bool>) -> Result<()> {
        let mut tasks = Vec::new();
        for t in self.targets()? {
            let shared = self.shared.clone();
            let stop = shutdown.clone();
            tasks.push(tokio::spawn(async move {
                match t.config.clone() {
                    TargetConfig::Nats(cfg) => nats_live(shared, t, cfg, stop).await,
                    TargetConfig::Folder(cfg) => folder_live(shared, t, cfg, stop).await,
                }
            }));
        }
        for task in tasks {
            if let Err(e) = task.await {
                warn!(error = %e, "a sync task ended unexpectedly");
            }
        }
        Ok(())
    }
}

/// Seals up to a batch of my unsent ops: (op id, personal?, envelope).
async fn next_to_send(shared: &Arc<Shared>, target: u32) -> Result<Vec<(OpId, bool, Vec<u8>)>> {
    let s = shared.clone();
    blocking(move || {
        let mut out = Vec::new();
        for signed in s.store.outbox_peek(target, SEND_BATCH)? {
            let id = signed.decode_unverified()?.id;
            let (personal, env) = s.seal(&signed)?;
            out.push((id, personal, env));
        }
        Ok(out)
    })
    .await
}

async fn ack(shared: &Arc<Shared>, target: u32, ids: Vec<OpId>) -> Result<()> {
    let s = shared.clone();
    blocking(move || s.store.outbox_ack(target, &ids)).await
}

async fn ingest(
    shared: &Arc<Shared>,
    envelopes: Vec<Vec<u8>>,
    report: &mut PassReport,
) -> Result<()> {
    let s = shared.clone();
    let r = blocking(move || s.ingest(envelopes)).await?;
    report.applied += r.applied.len();
    report.refused += r.refused.len();
    report.waiting += r.waiting;
    report.from_future += r.from_future;
    if r.from_future > 0 {
        shared.held_from_future();
    }
    Ok(())
}

async fn save_cursor(shared: &Arc<Shared>, target: u32, cursor: Vec<u8>) -> Result<()> {
    let s = shared.clone();
    blocking(move || s.store.set_sync_cursor(target, &cursor)).await
}

fn nats_cursor(shared: &Shared, target: u32) -> Result<u64> {
    Ok(shared
        .store
        .sync_cursor(target)?
        .and_then(|c| <[u8; 8]>::try_from(c.as_slice()).ok())
        .map(u64::from_be_bytes)
        .unwrap_or(0))
}

/// Sends everything in the outbox to NATS; returns how many were accepted.
async fn nats_send(shared: &Arc<Shared>, t: &Target, nats: &NatsTarget) -> Result<usize> {
    let mut sent = 0;
    loop {
        let batch = next_to_send(shared, t.id).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        let items: Vec<(String, Channel, Vec<u8>)> = batch
            .iter()
            .map(|(id, personal, env)| {
                let ch = if *personal {
                    Channel::Personal(shared.me)
                } else {
                    Channel::Shared
                };
                (id.to_text(), ch, env.clone())
            })
            .collect();
        let (n, err) = nats.publish(&items).await;
        ack(
            shared,
            t.id,
            batch[..n].iter().map(|(id, _, _)| *id).collect(),
        )
        .await?;
        sent += n;
        if let Some(e) = err {
            return Err(e);
        }
    }
}

fn channels(shared: &Shared) -> Vec<Channel> {
    vec![Channel::Shared, Channel::Personal(shared.me)]
}

async fn nats_once(
    shared: &Arc<Shared>,
    t: &Target,
    cfg: &NatsConfig,
    report: &mut PassReport,
) -> Result<()> {
    shared.set_state(t.id, TargetState::Connecting, None);
    let nats = NatsTarget::connect(cfg, shared.keys.workspace).await?;
    report.sent = nats_send(shared, t, &nats).await?;
    let total = nats.last_sequence_of(&channels(shared)).await?;
    let mut cursor = nats_cursor(shared, t.id)?;
    if cursor < total {
        let mut sub = nats.subscribe(cursor, channels(shared));
        while cursor < total {
            shared.set_state(
                t.id,
                TargetState::CatchingUp {
                    done: cursor,
                    total,
                },
                None,
            );
            let Some(batch) = sub.recv().await else { break };
            let mut batch = match batch {
                Ok(b) => b,
                Err(e) => {
                    shared.set_error(t.id, e.message);
                    continue;
                }
            };
            let waiting_error = take_ready(&mut sub, &mut batch);
            if let Some(last) = batch.last().map(|(seq, _)| *seq) {
                ingest(shared, batch.into_iter().map(|(_, p)| p).collect(), report).await?;
                cursor = last;
                save_cursor(shared, t.id, cursor.to_be_bytes().to_vec()).await?;
            }
            if let Some(e) = waiting_error {
                shared.set_error(t.id, e.message);
            }
        }
    }
    shared.set_state(t.id, TargetState::Live, None);
    Ok(())
}

async fn nats_live(
    shared: Arc<Shared>,
    t: Target,
    cfg: NatsConfig,
    mut stop: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_millis(250);
    let nats = loop {
        shared.set_state(t.id, TargetState::Connecting, None);
        match NatsTarget::connect(&cfg, shared.keys.workspace).await {
            Ok(n) => break n,
            Err(e) => {
                shared.set_state(t.id, TargetState::Offline, Some(e.message));
                if wait_or_stop(&mut stop, backoff).await {
                    return;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    };
    let mut outbox = shared.store.outbox_signal();
    let mut link = nats.state();
    let Ok(mut cursor) = nats_cursor(&shared, t.id) else {
        return;
    };
    let mut total = nats.last_sequence_of(&channels(&shared)).await.unwrap_or(0);
    let mut sub = nats.subscribe(cursor, channels(&shared));
    let mut report = PassReport::default();
    let mut retry = tokio::time::interval(Duration::from_secs(5));
    loop {
        if let Err(e) = nats_send(&shared, &t, &nats).await {
            shared.set_error(t.id, e.message);
        }
        let state = if cursor < total {
            TargetState::CatchingUp {
                done: cursor,
                total,
            }
        } else {
            TargetState::Live
        };
        let connected = link.borrow().0 == super::nats::LinkState::Connected;
        if connected {
            shared.set_state(t.id, state, None);
        } else {
            let err = link.borrow().1.clone();
            shared.set_state(t.id, TargetState::Offline, err);
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = outbox.changed() => {}
            _ = link.changed() => {
                if link.borrow().0 == super::nats::LinkState::Connected {
                    total = nats.last_sequence_of(&channels(&shared)).await.unwrap_or(total);
                }
            }
            _ = retry.tick() => {}
            batch = sub.recv() => match batch {
                Some(Ok(mut batch)) => {
                    let waiting_error = take_ready(&mut sub, &mut batch);
                    if let Some(last) = batch.last().map(|(seq, _)| *seq) {
                        match ingest(&shared, batch.into_iter().map(|(_, p)| p).collect(), &mut report).await {
                            Ok(()) => {
                                cursor = last;
                                total = total.max(cursor);
                                if let Err(e) = save_cursor(&shared, t.id, cursor.to_be_bytes().to_vec()).await {
                                    shared.set_error(t.id, e.message);
                                }
                            }
                            Err(e) => shared.set_error(t.id, e.message),
                        }
                    }
                    if let Some(e) = waiting_error {
                        shared.set_error(t.id, e.message);
                    }
                }
                Some(Err(e)) => shared.set_error(t.id, e.message),
                None => {
                    sub = nats.subscribe(cursor, channels(&shared));
                }
            },
        }
    }
}

fn folder_offsets(shared: &Shared, target: u32) -> Result<BTreeMap<String, u64>> {
    Ok(shared
        .store
        .sync_cursor(target)?
        .and_then(|c| postcard::from_bytes(&c).ok())
        .unwrap_or_default())
}

/// One round with a folder: append my outbox, read what is new.
async fn folder_round(
    shared: &Arc<Shared>,
    t: &Target,
    log: &Arc<FolderLog>,
    report: &mut PassReport,
) -> Result<bool> {
    loop {
        let batch = next_to_send(shared, t.id).await?;
        if batch.is_empty() {
            break;
        }
        let l = log.clone();
        let envs: Vec<Vec<u8>> = batch.iter().map(|(_, _, e)| e.clone()).collect();
        blocking(move || l.append(&envs)).await?;
        report.sent += batch.len();
        ack(shared, t.id, batch.iter().map(|(id, _, _)| *id).collect()).await?;
    }
    let mut any = false;
    loop {
        let offsets = folder_offsets(shared, t.id)?;
        let l = log.clone();
        let read = blocking(move || l.read_new(&offsets)).await?;
        for p in &read.problems {
            let msg = format!("{} at byte {}: {}", p.file, p.offset, p.reason);
            warn!(problem = %msg, "skipped part of the synced folder");
            shared.note_problem(t.id, msg);
        }
        let changed = read.offsets != folder_offsets(shared, t.id)?;
        let empty = read.envelopes.is_empty();
        if !empty {
            any = true;
            shared.set_state(
                t.id,
                TargetState::CatchingUp {
                    done: report.applied as u64,
                    total: 0,
                },
                None,
            );
            ingest(
                shared,
                read.envelopes.into_iter().map(|(_, e)| e).collect(),
                report,
            )
            .await?;
        }
        if changed {
            save_cursor(
                shared,
                t.id,
                postcard::to_allocvec(&read.offsets).unwrap_or_default(),
            )
            .await?;
        }
        // A round that only skipped damage still moved on: keep reading.
        if empty && !changed {
            return Ok(any);
        }
    }
}

async fn open_folder(shared: &Arc<Shared>, cfg: &FolderConfig) -> Result<Arc<FolderLog>> {
    let (path, ws, dev) = (cfg.path.clone(), shared.keys.workspace, shared.device);
    blocking(move || FolderLog::open(Path::new(&path), ws, dev).map(Arc::new)).await
}

async fn folder_once(
    shared: &Arc<Shared>,
    t: &Target,
    cfg: &FolderConfig,
    report: &mut PassReport,
) -> Result<()> {
    let log = open_folder(shared, cfg).await?;
    folder_round(shared, t, &log, report).await?;
    shared.set_state(t.id, TargetState::Live, None);
    Ok(())
}

async fn folder_live(
    shared: Arc<Shared>,
    t: Target,
    cfg: FolderConfig,
    mut stop: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_millis(250);
    let log = loop {
        match open_folder(&shared, &cfg).await {
            Ok(l) => break l,
            Err(e) => {
                shared.set_state(t.id, TargetState::Offline, Some(e.message));
                if wait_or_stop(&mut stop, backoff).await {
                    return;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    };
    let (_guard, mut ticks) = match log.watch(FOLDER_RESCAN) {
        Ok(w) => w,
        Err(e) => {
            shared.set_state(t.id, TargetState::Offline, Some(e.message));
            return;
        }
    };
    let mut outbox = shared.store.outbox_signal();
    let mut report = PassReport::default();
    loop {
        match folder_round(&shared, &t, &log, &mut report).await {
            Ok(_) => shared.set_state(t.id, TargetState::Live, None),
            Err(e) => shared.set_state(t.id, TargetState::Offline, Some(e.message)),
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = outbox.changed() => {}
            _ = ticks.recv() => {}
        }
    }
}

/// Waits `d` or until shutdown; returns true when shutting down.
async fn wait_or_stop(stop: &mut watch::Receiver<bool>, d: Duration) -> bool {
    tokio::select! {
        _ = stop.changed() => true,
        _ = tokio::time::sleep(d) => *stop.borrow(),
    }
}
