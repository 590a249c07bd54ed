//! Opening the NATS connection: options from [`NatsConfig`], the event
//! callback that feeds [`LinkState`], and error messages for people.

use std::time::Duration;

use async_nats::jetstream::context::{CreateStreamError, CreateStreamErrorKind};
use async_nats::jetstream::ErrorCode as JsCode;
use async_nats::{ClientError, ConnectOptions, Event, ServerAddr};
use tokio::sync::watch;

use super::{sync_error, LinkState, StreamError};
use crate::error::Result;
use crate::sync::config::{NatsAuth, NatsConfig};

/// A connecting client and the channels its events feed.
pub(super) struct Link {
    pub client: async_nats::Client,
    pub servers: String,
    pub state: watch::Receiver<(LinkState, Option<String>)>,
    pub connects: watch::Receiver<u64>,
}

/// The message for "no server answers".
pub(super) fn unreachable_message(servers: &str, detail: Option<&str>) -> String {
    let detail = detail.map(|d| format!(" ({d})")).unwrap_or_default();
    format!(
        "Cannot reach the sync server at {servers}{detail}: check the address, \
         or keep working offline — changes wait in the outbox"
    )
}

/// Parses the configured addresses (several for a cluster: the client needs
/// them as a list, not one comma-separated string).
fn parse_servers(cfg: &NatsConfig) -> Result<Vec<ServerAddr>> {
    let list: Vec<&str> = cfg
        .servers
        .iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if list.is_empty() {
        return Err(sync_error(
            "No sync server address is set: add one such as nats://sync.example.com:4222",
        ));
    }
    list.iter()
        .map(|s| {
            s.parse::<ServerAddr>().map_err(|e| {
                sync_error(format!(
                    "'{s}' is not a valid sync server address ({e}): \
                     write it as nats://host:port or tls://host:port"
                ))
            })
        })
        .collect()
}

/// Applies one client event to the state channels.
fn on_event(
    event: Event,
    servers: &str,
    tls: bool,
    state: &watch::Sender<(LinkState, Option<String>)>,
    connects: &watch::Sender<u64>,
) {
    let current = state.borrow().0;
    match event {
        Event::Connected => {
            // Count first: whoever sees Connected also sees the new count.
            connects.send_modify(|n| *n += 1);
            state.send_replace((LinkState::Connected, None));
        }
        Event::Disconnected => {
            state.send_replace((
                LinkState::Connecting,
                Some(format!(
                    "Lost the connection to the sync server at {servers}: reconnecting"
                )),
            ));
        }
        Event::ClientError(err) => {
            let mut detail = match &err {
                ClientError::Other(s) => s.clone(),
                other => other.to_string(),
            };
            if tls {
                detail.push_str("; TLS is required: the server must offer TLS");
            }
            let next = if current == LinkState::Connected {
                LinkState::Connected
            } else {
                LinkState::Offline
            };
            state.send_replace((next, Some(unreachable_message(servers, Some(&detail)))));
        }
        Event::ServerError(err) => {
            let message = match err {
                async_nats::ServerError::AuthorizationViolation => format!(
                    "The sync server at {servers} refused the credentials: check the user, \
                     password, token or credentials file in the sync settings"
                ),
                other => format!("The sync server at {servers} reported an error: {other}"),
            };
            state.send_modify(|s| s.1 = Some(message));
        }
        Event::LameDuckMode => {
            state.send_modify(|s| {
                s.1 = Some(format!(
                    "The sync server at {servers} is shutting down: moving to another one"
                ))
            });
        }
        Event::Closed => {
            state.send_replace((
                LinkState::Offline,
                Some(format!("The connection to {servers} was closed")),
            ));
        }
        Event::Draining | Event::SlowConsumer(_) => {
            tracing::debug!("NATS event: {event}");
        }
    }
}

/// Builds the options and starts connecting; returns at once (the first
/// connection is retried in the background, so starting offline works).
pub(super) async fn open(cfg: &NatsConfig) -> Result<Link> {
    let addrs = parse_servers(cfg)?;
    let servers = addrs
        .iter()
        .map(|a| format!("{}:{}", a.host(), a.port()))
        .collect::<Vec<_>>()
        .join(", ");

    let (state_tx, state_rx) = watch::channel((LinkState::Connecting, None));
    let (connects_tx, connects_rx) = watch::channel(0u64);
    let names = servers.clone();
    let tls = cfg.tls;
    let mut options = ConnectOptions::new()
        .name("tidings")
        .retry_on_initial_connect()
        .connection_timeout(Duration::from_secs(5))
        .max_reconnects(None)
        .event_callback(move |event| {
            on_event(event, &names, tls, &state_tx, &connects_tx);
            std::future::ready(())
        });
    options = match &cfg.auth {
        NatsAuth::None => options,
        NatsAuth::UserPassword { user, password } => {
            options.user_and_password(user.clone(), password.clone())
        }
        NatsAuth::Token { token } => options.token(token.clone()),
        NatsAuth::CredsFile { path } => options.credentials_file(path).await.map_err(|e| {
            sync_error(format!(
                "Cannot read the NATS credentials file {path} ({e}): \
                 check its path in the sync settings"
            ))
        })?,
    };
    if cfg.tls {
        // Pick the crypto provider explicitly: if another dependency turns on
        // a second rustls provider, rustls would otherwise refuse to choose.
        let _ = async_nats::rustls::crypto::ring::default_provider().install_default();
        options = options.require_tls(true);
    }
    let client = options
        .connect(addrs)
        .await
        .map_err(|e| sync_error(unreachable_message(&servers, Some(&e.to_string()))))?;
    Ok(Link {
        client,
        servers,
        state: state_rx,
        connects: connects_rx,
    })
}

/// Classifies a stream creation failure.
pub(super) fn stream_error(servers: &str, stream: &str, e: &CreateStreamError) -> StreamError {
    let (transient, message) = match e.kind() {
        CreateStreamErrorKind::TimedOut => (
            true,
            format!("The sync server at {servers} did not answer in time (a cluster may be electing a leader): sync retries by itself"),
        ),
        CreateStreamErrorKind::JetStreamUnavailable => (
            true,
            format!("The sync server at {servers} offers no JetStream: start nats-server with -js (JetStream enabled), or wait while a cluster elects a leader"),
        ),
        CreateStreamErrorKind::JetStream(err) => {
            let code = err.error_code();
            let transient = [
                JsCode::CLUSTER_NOT_AVAILABLE,
                JsCode::CLUSTER_NOT_ACTIVE,
                JsCode::CLUSTER_NO_PEERS,
                JsCode::CLUSTER_INCOMPLETE,
                JsCode::CLUSTER_NOT_LEADER,
                JsCode::CLUSTER_NOT_ASSIGNED,
                JsCode::INSUFFICIENT_RESOURCES,
                JsCode::RAFT_GENERAL,
            ]
            .contains(&code);
            let hint = if code == JsCode::JETSTREAM_NOT_ENABLED
                || code == JsCode::JETSTREAM_NOT_ENABLED_FOR_ACCOUNT
            {
                "enable JetStream on the server (nats-server -js) or for this account"
            } else if code == JsCode::STREAM_REPLICAS_NOT_SUPPORTED {
                "this server is not a cluster: set replicas to 1 in the sync settings"
            } else if code == JsCode::STREAM_SUBJECT_OVERLAP || code == JsCode::STREAM_NAME_EXIST
            {
                "another stream on the server uses these subjects or this name with other settings: ask its admin"
            } else if transient {
                "sync retries by itself"
            } else {
                "check the server's JetStream limits, or ask its admin"
            };
            (
                transient,
                format!("The sync server at {servers} cannot create the stream {stream} ({err}): {hint}"),
            )
        }
        _ => (
            true,
            format!("The sync server at {servers} failed to set up the stream {stream} ({e}): sync retries by itself"),
        ),
    };
    StreamError {
        transient,
        error: sync_error(message),
    }
}
