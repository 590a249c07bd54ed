//! The NATS JetStream sync target: a transport for opaque envelope bytes.
//!
//! One stream per workspace, `TIDINGS_<workspace>`, holds every envelope on
//! the subjects `tidings.<workspace>.ops` (what every member reads) and
//! `tidings.<workspace>.personal.<member>` (what one member's devices read,
//! e.g. their read marks). The stream's sequence number is the cursor a
//! replica keeps to resume where it left off.
//!
//! This module knows nothing of ops or crypto. Its guarantees:
//! - [`NatsTarget::publish`] sends items in order, pipelined, each with its
//!   `Nats-Msg-Id`, and reports how many were acknowledged before the first
//!   failure, so the caller drops exactly those from its outbox. A retry with
//!   the same ids stores nothing twice inside the stream's duplicate window
//!   (2 minutes); later duplicates are possible, so applying must be
//!   idempotent (it is: ops are keyed by id).
//! - [`NatsTarget::subscribe`] delivers each stream sequence above the cursor
//!   once, in increasing order, across reconnects and server restarts.
//! - Starting offline works: [`NatsTarget::connect`] returns at once when no
//!   server answers, and the client keeps trying in the background.

mod link;
mod publish;
mod subscribe;

pub use subscribe::Batch;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_nats::jetstream;
use async_nats::jetstream::stream::{LastRawMessageErrorKind, StorageType};
use serde::{Deserialize, Serialize};
use tokio::sync::{watch, Mutex};

use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{MemberId, WorkspaceId};
use crate::sync::config::NatsConfig;

/// Timeout of one JetStream API request or publish ack.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long [`NatsTarget::connect`] waits for a first connection before it
/// returns a target that keeps connecting in the background.
const FIRST_CONNECT_WAIT: Duration = Duration::from_secs(3);
/// How long stream creation is retried while a cluster elects a leader.
const STREAM_WAIT: Duration = Duration::from_secs(20);
/// The stream's de-duplication window for `Nats-Msg-Id`.
const DUPLICATE_WINDOW: Duration = Duration::from_secs(120);

/// Which subject of the workspace stream an envelope travels on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    /// `tidings.<ws>.ops`: every member's devices read it.
    Shared,
    /// `tidings.<ws>.personal.<member>`: only that member's devices read it.
    Personal(MemberId),
}

impl Channel {
    /// The NATS subject of this channel in `workspace`.
    pub fn subject(&self, workspace: WorkspaceId) -> String {
        match self {
            Channel::Shared => format!("tidings.{workspace}.ops"),
            Channel::Personal(m) => format!("tidings.{workspace}.personal.{m}"),
        }
    }
}

/// The JetStream stream that holds a workspace: `TIDINGS_<workspace>`.
pub fn stream_name(workspace: WorkspaceId) -> String {
    format!("TIDINGS_{workspace}")
}

/// Connection status, for a sync indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// No server answered the last round of attempts; retrying in the
    /// background (the error says why).
    Offline,
    /// Connecting for the first time, or reconnecting after a drop.
    Connecting,
    /// Connected to a server.
    Connected,
}

/// A connection to a NATS JetStream server or cluster for one workspace.
/// Cheap to clone; all clones share the connection.
#[derive(Clone)]
pub struct NatsTarget {
    inner: Arc<Inner>,
}

struct Inner {
    client: async_nats::Client,
    js: jetstream::Context,
    workspace: WorkspaceId,
    stream: String,
    replicas: usize,
    /// The configured servers, for messages.
    servers: String,
    state: watch::Receiver<(LinkState, Option<String>)>,
    /// Counts successful connects, so a subscription sees a reconnect even
    /// when the state went Connected → Connecting → Connected unobserved.
    connects: watch::Receiver<u64>,
    stream_ready: AtomicBool,
    stream_lock: Mutex<()>,
    publish_lock: Mutex<()>,
}

impl std::fmt::Debug for NatsTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsTarget")
            .field("servers", &self.inner.servers)
            .field("stream", &self.inner.stream)
            .field("state", &self.inner.state.borrow().0)
            .finish()
    }
}

/// A sync failure with a message for a person.
fn sync_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::SyncFailed, message)
}

/// Why ensuring the stream failed: worth retrying later, or not.
struct StreamError {
    transient: bool,
    error: Error,
}

impl NatsTarget {
    /// Connects to the servers of `cfg` and makes sure the workspace stream
    /// exists (file storage, `cfg.replicas` replicas, 2-minute duplicate
    /// window), retrying its creation while a cluster elects a leader.
    ///
    /// When no server answers, returns a target in state
    /// [`LinkState::Offline`] or [`LinkState::Connecting`] that keeps trying
    /// in the background; the stream is then created on first use. Fails for
    /// a malformed address, an unreadable credentials file, or a server that
    /// refuses the stream (no JetStream, conflicting stream). Must run inside
    /// a Tokio runtime.
    pub async fn connect(cfg: &NatsConfig, workspace: WorkspaceId) -> Result<NatsTarget> {
        let link = link::open(cfg).await?;
        let js = jetstream::ContextBuilder::new()
            .timeout(REQUEST_TIMEOUT)
            .ack_timeout(REQUEST_TIMEOUT)
            // Above publish's window, so a publish never waits for a permit
            // held by an abandoned ack (the default 5,000 waits forever).
            .max_ack_inflight(4 * publish::WINDOW + 1024)
            .build(link.client.clone());
        let target = NatsTarget {
            inner: Arc::new(Inner {
                client: link.client,
                js,
                workspace,
                stream: stream_name(workspace),
                replicas: cfg.replicas.max(1),
                servers: link.servers,
                state: link.state,
                connects: link.connects,
                stream_ready: AtomicBool::new(false),
                stream_lock: Mutex::new(()),
                publish_lock: Mutex::new(()),
            }),
        };
        if target.wait_first_connect(FIRST_CONNECT_WAIT).await {
            if let Err(e) = target.ensure_stream(STREAM_WAIT).await {
                if !e.transient {
                    return Err(e.error);
                }
                tracing::warn!("NATS stream not ready yet: {}", e.error);
            }
        }
        Ok(target)
    }

    /// The connection state and the last error, updated as it changes.
    pub fn state(&self) -> watch::Receiver<(LinkState, Option<String>)> {
        self.inner.state.clone()
    }

    /// The workspace this target syncs.
    pub fn workspace(&self) -> WorkspaceId {
        self.inner.workspace
    }

    /// The last sequence in the workspace stream (0 when empty): with a
    /// cursor, tells how far behind a replica is.
    pub async fn last_sequence(&self) -> Result<u64> {
        if !self.wait_connected(publish::CONNECT_WAIT).await {
            return Err(self.unreachable(None));
        }
        self.ensure_stream(STREAM_WAIT).await.map_err(|e| e.error)?;
        let stream = self
            .inner
            .js
            .get_stream(&self.inner.stream)
            .await
            .map_err(|e| self.read_error(&e))?;
        Ok(stream.cached_info().state.last_sequence)
    }

    /// The sequence of the last message on any of `channels` (0 when none):
    /// the point a subscription to those channels has caught up at. Unlike
    /// [`Self::last_sequence`] it ignores other members' personal messages,
    /// which such a subscription never receives.
    pub async fn last_sequence_of(&self, channels: &[Channel]) -> Result<u64> {
        if !self.wait_connected(publish::CONNECT_WAIT).await {
            return Err(self.unreachable(None));
        }
        self.ensure_stream(STREAM_WAIT).await.map_err(|e| e.error)?;
        let stream = self
            .inner
            .js
            .get_stream_no_info(&self.inner.stream)
            .await
            .map_err(|e| self.read_error(&e))?;
        let mut last = 0;
        for channel in channels {
            let subject = channel.subject(self.inner.workspace);
            match stream.get_last_raw_message_by_subject(&subject).await {
                Ok(m) => last = last.max(m.sequence),
                Err(e) if e.kind() == LastRawMessageErrorKind::NoMessageFound => {}
                Err(e) => return Err(self.read_error(&e)),
            }
        }
        Ok(last)
    }

    fn read_error(&self, e: &dyn std::fmt::Display) -> Error {
        sync_error(format!(
            "Cannot read the sync stream {} on {} ({e}): sync retries by itself",
            self.inner.stream, self.inner.servers
        ))
    }

    fn is_connected(&self) -> bool {
        self.inner.client.connection_state() == async_nats::connection::State::Connected
    }

    /// Waits up to `limit` for a connection; true when connected (and the
    /// state channel says so: it lags the client by an event).
    async fn wait_connected(&self, limit: Duration) -> bool {
        let mut state = self.inner.state.clone();
        let connected =
            tokio::time::timeout(limit, state.wait_for(|(s, _)| *s == LinkState::Connected))
                .await
                .is_ok_and(|r| r.is_ok());
        connected && self.is_connected()
    }

    /// Waits for the first connection, but gives up as soon as a whole round
    /// of attempts failed (state Offline): starting offline must be quick.
    async fn wait_first_connect(&self, limit: Duration) -> bool {
        let mut state = self.inner.state.clone();
        let settled =
            tokio::time::timeout(limit, state.wait_for(|(s, _)| *s != LinkState::Connecting))
                .await
                .is_ok_and(|r| r.is_ok());
        settled && self.is_connected()
    }

    /// The error for "no server answers".
    fn unreachable(&self, detail: Option<&str>) -> Error {
        sync_error(link::unreachable_message(&self.inner.servers, detail))
    }

    /// Creates the workspace stream when missing. Retries transient failures
    /// (a cluster without a leader yet) until `limit` has passed.
    async fn ensure_stream(&self, limit: Duration) -> std::result::Result<(), StreamError> {
        if self.inner.stream_ready.load(Ordering::Acquire) {
            return Ok(());
        }
        let _guard = self.inner.stream_lock.lock().await;
        if self.inner.stream_ready.load(Ordering::Acquire) {
            return Ok(());
        }
        let config = jetstream::stream::Config {
            name: self.inner.stream.clone(),
            subjects: vec![format!("tidings.{}.>", self.inner.workspace)],
            num_replicas: self.inner.replicas,
            duplicate_window: DUPLICATE_WINDOW,
            storage: StorageType::File,
            ..Default::default()
        };
        let deadline = Instant::now() + limit;
        let mut delay = Duration::from_millis(100);
        loop {
            let err = match self.inner.js.get_or_create_stream(config.clone()).await {
                Ok(_) => {
                    self.inner.stream_ready.store(true, Ordering::Release);
                    return Ok(());
                }
                Err(e) if self.is_connected() && !self.inner.client.server_info().jetstream => {
                    StreamError {
                        transient: false,
                        error: sync_error(format!(
                            "The sync server at {} does not have JetStream enabled ({e}): \
                             start nats-server with -js, or ask its admin to enable JetStream",
                            self.inner.servers
                        )),
                    }
                }
                Err(e) => link::stream_error(&self.inner.servers, &self.inner.stream, &e),
            };
            if !err.transient || Instant::now() + delay > deadline {
                return Err(err);
            }
            tracing::debug!("retrying stream creation: {}", err.error);
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(1));
        }
    }

    /// Forget that the stream exists (after "no stream" answers), so the
    /// next attempt checks and re-creates it.
    fn stream_lost(&self) {
        self.inner.stream_ready.store(false, Ordering::Release);
    }
}
