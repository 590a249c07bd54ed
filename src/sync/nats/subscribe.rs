//! Catch-up and live delivery from a cursor, across reconnects.

use std::time::Duration;

use async_nats::jetstream::consumer::pull::{self, MessagesErrorKind, Stream as Messages};
use async_nats::jetstream::consumer::{AckPolicy, Consumer, DeliverPolicy};
use futures_util::{FutureExt, StreamExt};
use tokio::sync::{mpsc, watch};

use super::{sync_error, Channel, NatsTarget, STREAM_WAIT};
use crate::error::{Error, Result};

/// Messages per delivered batch at most.
const MAX_BATCH: usize = 512;
/// Batches buffered for a slow receiver.
const QUEUE: usize = 16;
/// Longest pull request.
const EXPIRES: Duration = Duration::from_secs(10);
/// The server's idle heartbeat while a pull waits: two missed ones mean the
/// consumer is gone (e.g. the cluster node holding it died while this client
/// stayed connected), and it is recreated.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// Messages asked for per pull.
const PULL_BATCH: usize = 500;
/// Longest pause between attempts to recreate a consumer.
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// The server deletes an abandoned consumer after this long.
const INACTIVE: Duration = Duration::from_secs(30);

/// A batch of `(stream sequence, payload)` in increasing sequence order.
pub type Batch = Vec<(u64, Vec<u8>)>;

impl NatsTarget {
    /// Delivers the messages of `channels` with stream sequence above
    /// `after`, in order and each once, as batches: the backlog first, then
    /// live messages, until the receiver is dropped. Survives reconnects and
    /// server restarts by recreating its consumer after the last delivered
    /// sequence. Non-fatal errors arrive as `Err` items (logged too); the
    /// subscription goes on after them. Must be called inside a Tokio runtime.
    pub fn subscribe(&self, after: u64, channels: Vec<Channel>) -> mpsc::Receiver<Result<Batch>> {
        let (tx, rx) = mpsc::channel(QUEUE);
        let this = self.clone();
        tokio::spawn(async move { this.run_subscription(after, channels, tx).await });
        rx
    }

    async fn run_subscription(
        &self,
        after: u64,
        channels: Vec<Channel>,
        tx: mpsc::Sender<Result<Batch>>,
    ) {
        let mut subjects: Vec<String> = channels
            .iter()
            .map(|c| c.subject(self.inner.workspace))
            .collect();
        subjects.sort();
        subjects.dedup();
        if subjects.is_empty() {
            let _ = tx
                .send(Err(Error::invalid("Subscribe to at least one channel")))
                .await;
            return;
        }
        let mut connects = self.inner.connects.clone();
        let mut last = after;
        let mut failures: u32 = 0;
        loop {
            if failures > 0 {
                // Back off after failures in a row: 0.2 s, 0.4 s, … 5 s.
                let backoff = Duration::from_millis(100 << failures.min(6)).min(BACKOFF_MAX);
                tokio::select! {
                    _ = tx.closed() => return,
                    _ = tokio::time::sleep(backoff) => {}
                }
            }
            // Wait for a connection (or for the receiver to go away).
            tokio::select! {
                _ = tx.closed() => return,
                connected = self.wait_connected(Duration::from_secs(3600)) => {
                    if !connected { continue; }
                }
            }
            let generation = *connects.borrow_and_update();
            let (name, messages) = match self.open_consumer(&subjects, last).await {
                Ok(m) => m,
                Err(e) => {
                    failures += 1;
                    report(&tx, e);
                    continue;
                }
            };
            let before = last;
            let end = self
                .pump(messages, &mut last, &tx, &mut connects, generation)
                .await;
            self.drop_consumer(name);
            match end {
                Pump::ReceiverGone => return,
                Pump::Recreate if last > before => failures = 0,
                Pump::Recreate => failures += 1,
            }
        }
    }

    /// An ephemeral, unacknowledged, in-memory pull consumer on the workspace
    /// stream from `last + 1`: what an ordered consumer is, with recovery
    /// left to [`Self::pump`] (the library's own ordered consumer restarts
    /// from the stream's first message when it recovers before delivering).
    async fn open_consumer(&self, subjects: &[String], last: u64) -> Result<(String, Messages)> {
        self.ensure_stream(STREAM_WAIT).await.map_err(|e| e.error)?;
        let (filter_subject, filter_subjects) = if subjects.len() == 1 {
            (subjects[0].clone(), Vec::new())
        } else {
            (String::new(), subjects.to_vec())
        };
        let config = pull::Config {
            filter_subject,
            filter_subjects,
            deliver_policy: DeliverPolicy::ByStartSequence {
                start_sequence: last + 1,
            },
            ack_policy: AckPolicy::None,
            max_deliver: 1,
            inactive_threshold: INACTIVE,
            num_replicas: 1,
            memory_storage: true,
            ..Default::default()
        };
        let cannot = |e: &dyn std::fmt::Display| {
            sync_error(format!(
                "Cannot start reading from the sync server at {} ({e}): retrying",
                self.inner.servers
            ))
        };
        let consumer: Consumer<pull::Config> = self
            .inner
            .js
            .create_consumer_on_stream(config, &self.inner.stream)
            .await
            .map_err(|e| cannot(&e))?;
        let name = consumer.cached_info().name.clone();
        let messages = consumer
            .stream()
            .max_messages_per_batch(PULL_BATCH)
            .expires(EXPIRES)
            .heartbeat(HEARTBEAT)
            .messages()
            .await
            .map_err(|e| cannot(&e))?;
        Ok((name, messages))
    }

    /// Best-effort removal of a consumer this subscription no longer reads
    /// (the server drops it after [`INACTIVE`] anyway).
    fn drop_consumer(&self, name: String) {
        if !self.is_connected() {
            return;
        }
        let js = self.inner.js.clone();
        let stream = self.inner.stream.clone();
        tokio::spawn(async move {
            let _ = js.delete_consumer_from_stream(&name, &stream).await;
        });
    }

    /// Forwards messages in batches until the receiver goes away, or the
    /// consumer must be recreated: the client reconnected (the consumer may
    /// be gone with the server), heartbeats stopped, or a message was missed.
    async fn pump(
        &self,
        mut messages: Messages,
        last: &mut u64,
        tx: &mpsc::Sender<Result<Batch>>,
        connects: &mut watch::Receiver<u64>,
        generation: u64,
    ) -> Pump {
        // Consumer sequences run 1, 2, 3…: a jump means a lost delivery.
        let mut consumer_seq = 0;
        loop {
            let first = tokio::select! {
                _ = tx.closed() => return Pump::ReceiverGone,
                changed = connects.changed() => {
                    if changed.is_err() || *connects.borrow_and_update() != generation {
                        tracing::debug!("reconnected: recreating the NATS consumer after {last}");
                        return Pump::Recreate;
                    }
                    continue;
                }
                m = messages.next() => m,
            };
            let mut batch = Batch::new();
            let mut next = first;
            let mut end = None;
            loop {
                match next {
                    None => end = Some(Pump::Recreate),
                    Some(Err(e)) => {
                        match e.kind() {
                            MessagesErrorKind::MissingHeartbeat
                            | MessagesErrorKind::ConsumerDeleted
                            | MessagesErrorKind::NoResponders => {
                                tracing::debug!("NATS consumer lost ({e}): recreating after {last}")
                            }
                            _ => report(
                                tx,
                                sync_error(format!(
                                    "Reading from the sync server at {} hit a problem ({e}): \
                                     resuming after message {last}",
                                    self.inner.servers
                                )),
                            ),
                        }
                        end = Some(Pump::Recreate);
                    }
                    Some(Ok(msg)) => match msg.info() {
                        Ok(info) if info.consumer_sequence != consumer_seq + 1 => {
                            tracing::debug!(
                                "NATS consumer skipped from {consumer_seq} to {}: recreating",
                                info.consumer_sequence
                            );
                            end = Some(Pump::Recreate);
                        }
                        Ok(info) => {
                            consumer_seq = info.consumer_sequence;
                            // Anything at or below the cursor was delivered already.
                            if info.stream_sequence > *last {
                                *last = info.stream_sequence;
                                batch.push((info.stream_sequence, msg.payload.to_vec()));
                            }
                        }
                        Err(e) => {
                            tracing::warn!("NATS message without stream info ({e}): recreating");
                            end = Some(Pump::Recreate);
                        }
                    },
                }
                if end.is_some() || batch.len() >= MAX_BATCH {
                    break;
                }
                match messages.next().now_or_never() {
                    Some(m) => next = m,
                    None => break,
                }
            }
            if !send(tx, batch).await {
                return Pump::ReceiverGone;
            }
            if let Some(end) = end {
                return end;
            }
        }
    }
}

enum Pump {
    ReceiverGone,
    Recreate,
}

/// Sends a non-empty batch; false when the receiver is gone.
async fn send(tx: &mpsc::Sender<Result<Batch>>, batch: Batch) -> bool {
    batch.is_empty() || tx.send(Ok(batch)).await.is_ok()
}

/// Passes a non-fatal error on without blocking (dropped when the queue is
/// full: the receiver is behind anyway).
fn report(tx: &mpsc::Sender<Result<Batch>>, error: Error) {
    tracing::warn!("{}", error.message);
    let _ = tx.try_send(Err(error));
}
