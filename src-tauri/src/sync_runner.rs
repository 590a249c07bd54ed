//! Sync as background tokio tasks: the core's engine runs every target;
//! its status goes to the UI as an event and its arrivals to the
//! notification policy. Restarted when targets are added or removed.

use tauri::AppHandle;
use tauri_specta::Event as _;
use tidings::sync::SyncEngine;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::ctx::{lock, Shared};
use crate::events::SyncStatusChanged;
use crate::log_err::LogErr;

/// A running engine and how to stop it.
pub struct Running {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

/// Starts (or restarts) sync for the store's current targets.
pub async fn restart(ctx: Shared, app: AppHandle) {
    let mut slot = ctx.sync.lock().await;
    if let Some(old) = slot.take() {
        stop_running(old).await;
    }
    if ctx.store.me().is_none() {
        return;
    }
    let engine = match SyncEngine::new(ctx.store.clone()) {
        Ok(e) => e,
        Err(e) => {
            warn!("sync cannot start: {e}");
            return;
        }
    };
    let (stop, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();
    // Status → UI.
    let mut status = engine.status();
    tasks.push(tokio::spawn({
        let (ctx, app) = (ctx.clone(), app.clone());
        async move {
            loop {
                let mut now = status.borrow_and_update().clone();
                // Fresh from the store: the scheduler also releases them.
                now.from_future = held(&ctx);
                *lock(&ctx.sync_status) = now.clone();
                SyncStatusChanged(now)
                    .emit(&app)
                    .log_err("sending the sync status");
                if status.changed().await.is_err() {
                    break;
                }
            }
        }
    }));
    // Arrivals → notification policy.
    let mut arrivals = engine.arrivals();
    tasks.push(tokio::spawn({
        let ctx = ctx.clone();
        async move {
            loop {
                match arrivals.recv().await {
                    Ok(ops) => crate::notifier::on_arrivals(&ctx, &ops).await,
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        warn!("{n} arrival batches were not checked for notifications")
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        }
    }));
    tasks.push(tokio::spawn(async move {
        if let Err(e) = engine.run(stop_rx).await {
            warn!("sync stopped: {e}");
        }
    }));
    info!("sync started");
    *slot = Some(Running { stop, tasks });
}

/// Stops sync (at quit).
pub async fn stop(ctx: &Shared) {
    if let Some(old) = ctx.sync.lock().await.take() {
        stop_running(old).await;
    }
}

async fn stop_running(old: Running) {
    // The engine may have ended on its own (an error it logged).
    if old.stop.send(true).is_err() {
        info!("sync had already stopped");
    }
    let mut tasks = old.tasks.into_iter();
    // The engine task (last) ends on the stop signal; the forwarders end
    // when the engine's channels close with it.
    if let Some(engine) = tasks.next_back() {
        engine.await.log_err("waiting for sync to stop");
    }
    for t in tasks {
        t.abort();
    }
}

fn held(ctx: &Shared) -> u32 {
    tidings::sync::engine::held(&ctx.store)
}

/// Ops from the future were released outside a sync batch (their time
/// came): the status shown says how many still wait.
pub fn held_changed(ctx: &Shared, app: &AppHandle) {
    let now = {
        let mut status = lock(&ctx.sync_status);
        let held = held(ctx);
        if status.from_future == held {
            return;
        }
        status.from_future = held;
        status.clone()
    };
    SyncStatusChanged(now)
        .emit(app)
        .log_err("sending the sync status");
}
