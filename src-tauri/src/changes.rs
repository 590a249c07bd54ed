//! Core change events → the UI (typed events, no polling), the tray's
//! counts, and the notification queue when my settings or hours change.

use std::collections::BTreeSet;

use tauri::{AppHandle, Manager};
use tauri_specta::Event as _;
use tidings::events::Change;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tracing::warn;

use crate::ctx::{lock, Shared};
use crate::events::{StoreChanged, UnreadChanged};
use crate::log_err::LogErr;
use crate::tray::Tray;

/// Forwards change batches until the store closes. Batches that arrive
/// together (a sync catch-up) are merged into one event.
pub async fn forward(ctx: Shared, app: AppHandle) {
    let mut rx = ctx.store.subscribe();
    refresh_counts(&ctx, &app).await;
    loop {
        let mut changes = BTreeSet::new();
        match rx.recv().await {
            Ok(batch) => changes.extend(batch.iter().copied()),
            Err(RecvError::Lagged(_)) => {
                changes.insert(Change::All);
            }
            Err(RecvError::Closed) => break,
        }
        loop {
            match rx.try_recv() {
                Ok(batch) => changes.extend(batch.iter().copied()),
                Err(TryRecvError::Lagged(_)) => {
                    changes.insert(Change::All);
                }
                Err(_) => break,
            }
        }
        let all = changes.contains(&Change::All);
        if all || changes.contains(&Change::Settings) || changes.contains(&Change::Members) {
            // A pause, a resume or new working hours move held notifications.
            crate::notifier::settings_changed(&ctx).await;
        }
        if all || changes.contains(&Change::Scheduled) || changes.contains(&Change::Later) {
            // A post scheduled, sent now or cancelled, or a Later reminder
            // set or made due by a reply (mine, or arriving): the
            // scheduler re-reads when the next one is due, at once.
            ctx.rescheduled.notify_one();
        }
        let counts_may_change = all
            || changes
                .iter()
                .any(|c| matches!(c, Change::Inbox | Change::Channels | Change::Thread(_)));
        StoreChanged {
            changes: changes.into_iter().collect(),
        }
        .emit(&app)
        .log_err("telling the window what changed");
        if counts_may_change {
            refresh_counts(&ctx, &app).await;
        }
    }
}

/// My inbox and unread-thread counts (zero before a workspace exists).
pub fn counts(s: &tidings::Store) -> Result<UnreadChanged, tidings::Error> {
    if s.me().is_none() {
        return Ok(UnreadChanged {
            inbox: 0,
            unread_threads: 0,
        });
    }
    let (inbox, unread_threads) = s.unread_summary()?;
    Ok(UnreadChanged {
        inbox: u32::try_from(inbox).unwrap_or(u32::MAX),
        unread_threads,
    })
}

/// Recounts the inbox and unread threads; tells the UI and the tray when
/// they changed.
pub async fn refresh_counts(ctx: &Shared, app: &AppHandle) {
    let counts = ctx.run(counts).await;
    let counts = match counts {
        Ok(c) => c,
        Err(e) => {
            warn!("cannot count unread threads: {e}");
            return;
        }
    };
    {
        let mut last = lock(&ctx.unread);
        if *last == Some(counts) {
            return;
        }
        *last = Some(counts);
    }
    counts.emit(app).log_err("sending the unread counts");
    if let Some(tray) = app.try_state::<Tray>() {
        tray.show(counts);
    }
}
