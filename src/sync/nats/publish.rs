//! Pipelined, de-duplicated publishing with retries.

use std::collections::VecDeque;
use std::future::IntoFuture;
use std::time::Duration;

use async_nats::jetstream::context::{PublishAckFuture, PublishErrorKind};
use async_nats::jetstream::message::PublishMessage;
use futures_util::future::join_all;
use tokio::sync::watch;

use super::{sync_error, Channel, LinkState, NatsTarget, REQUEST_TIMEOUT, STREAM_WAIT};
use crate::error::Error;

/// Publishes in flight (sent, ack not yet awaited) at most.
pub(super) const WINDOW: usize = 256;
/// How long a publish waits for a (re)connection before it gives up.
pub(super) const CONNECT_WAIT: Duration = Duration::from_secs(3);
/// Attempts in a row without progress before a publish gives up.
const ATTEMPTS: u32 = 5;

/// One failed run: the error, and whether another attempt may succeed.
struct Failure {
    transient: bool,
    stream_missing: bool,
    error: Error,
}

impl NatsTarget {
    /// Publishes `items` (message id, channel, payload) in order, pipelined,
    /// each with `Nats-Msg-Id` = its message id so that retries are stored
    /// once, and awaits every ack.
    ///
    /// Returns how many items, from the first, were acknowledged before the
    /// first failure (the caller removes exactly those from its outbox), and
    /// that failure. Transient failures (timeouts, a cluster electing a
    /// leader, a dropped connection) are retried a few times with backoff;
    /// when no server answers it fails within seconds. Calls are serialized.
    pub async fn publish(&self, items: &[(String, Channel, Vec<u8>)]) -> (usize, Option<Error>) {
        if items.is_empty() {
            return (0, None);
        }
        let _guard = self.inner.publish_lock.lock().await;
        let mut done = 0;
        let mut failures = 0;
        loop {
            if !self.wait_connected(CONNECT_WAIT).await {
                // The state's message says why when a round of attempts failed.
                let detail = self.inner.state.borrow().1.clone();
                let error = match detail {
                    Some(d) if d.starts_with("Cannot reach") => sync_error(d),
                    _ => self.unreachable(None),
                };
                return (done, Some(error));
            }
            let failure = match self.ensure_stream(STREAM_WAIT).await {
                Err(e) => Failure {
                    transient: e.transient,
                    stream_missing: false,
                    error: e.error,
                },
                Ok(()) => {
                    let (n, failure) = self.publish_run(&items[done..]).await;
                    done += n;
                    if n > 0 {
                        failures = 0;
                    }
                    match failure {
                        None => return (done, None),
                        Some(f) => f,
                    }
                }
            };
            failures += 1;
            if failure.stream_missing {
                self.stream_lost();
            }
            if !failure.transient || failures >= ATTEMPTS {
                return (done, Some(failure.error));
            }
            tracing::debug!("publish attempt {failures} failed: {}", failure.error);
            tokio::time::sleep(Duration::from_millis(150 << failures)).await;
        }
    }

    /// One pass: sends with at most [`WINDOW`] acks outstanding and awaits
    /// them in order; stops at the first failure or a lost connection.
    async fn publish_run(&self, items: &[(String, Channel, Vec<u8>)]) -> (usize, Option<Failure>) {
        let js = &self.inner.js;
        let mut state = self.inner.state.clone();
        // A new connection since the start (a drop and reconnect too quick
        // for the state to show) also means unacknowledged sends may be lost.
        let mut connects = self.inner.connects.clone();
        connects.borrow_and_update();
        let mut inflight: VecDeque<PublishAckFuture> = VecDeque::with_capacity(WINDOW);
        let mut send_failure = None;
        let mut acked = 0;
        let mut next = 0;
        let failure = loop {
            // Fill the window.
            while send_failure.is_none() && next < items.len() && inflight.len() < WINDOW {
                let (id, channel, payload) = &items[next];
                let message = PublishMessage::build()
                    .payload(payload.clone().into())
                    .message_id(id)
                    .expected_stream(&self.inner.stream);
                let sent = tokio::time::timeout(
                    REQUEST_TIMEOUT,
                    js.send_publish(channel.subject(self.inner.workspace), message),
                )
                .await;
                match sent {
                    Ok(Ok(ack)) => {
                        inflight.push_back(ack);
                        next += 1;
                    }
                    Ok(Err(e)) => {
                        send_failure = Some(self.failure(e.kind(), &e.to_string(), payload.len()))
                    }
                    Err(_) => {
                        send_failure = Some(self.failure(
                            PublishErrorKind::TimedOut,
                            "sending timed out",
                            payload.len(),
                        ))
                    }
                }
            }
            // Await the oldest ack; with none left, the run is over.
            let Some(front) = inflight.pop_front() else {
                break send_failure;
            };
            let size = items[acked].2.len();
            tokio::select! {
                ack = front.into_future() => match ack {
                    Ok(_) => acked += 1,
                    Err(e) => break Some(self.failure(e.kind(), &e.to_string(), size)),
                },
                _ = dropped(&mut state, &mut connects) => {
                    break Some(Failure {
                        transient: true,
                        stream_missing: false,
                        error: self.unreachable(Some("the connection dropped while sending")),
                    });
                }
            }
        };
        if failure.is_some() && !inflight.is_empty() && self.is_connected() {
            // Let the rest settle (concurrently: an ack's timeout starts when
            // it is first polled) so that a retry does not overtake them.
            // Not after a dropped connection: what was written to the dead
            // socket never gets an ack, and what was still queued is sent
            // after the reconnect, before the retry, whatever we do.
            let rest = join_all(inflight.into_iter().map(IntoFuture::into_future));
            let _ = tokio::time::timeout(REQUEST_TIMEOUT, rest).await;
        }
        (acked, failure)
    }

    /// What a publish error means for the caller and for a retry.
    fn failure(&self, kind: PublishErrorKind, detail: &str, size: usize) -> Failure {
        let servers = &self.inner.servers;
        let (transient, stream_missing, message) = match kind {
            PublishErrorKind::TimedOut | PublishErrorKind::BrokenPipe => (
                true,
                false,
                format!(
                    "The sync server at {servers} did not confirm a change in time ({detail}): \
                     changes wait in the outbox and are sent again automatically"
                ),
            ),
            PublishErrorKind::StreamNotFound => (
                true,
                true,
                format!(
                    "The sync server at {servers} has no stream for this workspace right now \
                     (a cluster may be electing a leader): changes wait in the outbox"
                ),
            ),
            PublishErrorKind::MaxPayloadExceeded => (
                false,
                false,
                format!(
                    "A change of {size} bytes is larger than the sync server at {servers} \
                     accepts ({detail}): raise max_payload on the server"
                ),
            ),
            _ => (
                !matches!(
                    kind,
                    PublishErrorKind::WrongLastMessageId | PublishErrorKind::WrongLastSequence
                ),
                false,
                format!(
                    "The sync server at {servers} did not store a change ({detail}): \
                     changes wait in the outbox and are sent again automatically"
                ),
            ),
        };
        Failure {
            transient,
            stream_missing,
            error: sync_error(message),
        }
    }
}

/// Resolves when the connection dropped or was replaced.
async fn dropped(
    state: &mut watch::Receiver<(LinkState, Option<String>)>,
    connects: &mut watch::Receiver<u64>,
) {
    tokio::select! {
        _ = state.wait_for(|(s, _)| *s != LinkState::Connected) => {}
        _ = connects.changed() => {}
    }
}
