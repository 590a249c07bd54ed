//! A D-Bus monitor on the private session bus that timestamps every
//! `org.freedesktop.Notifications.Notify` call as it passes: zbus in this
//! process, `BecomeMonitor` with one match rule, on its own OS thread and
//! single-threaded Tokio runtime so that nothing else the benchmark does
//! delays the timestamp. The bus daemon copies a call to its monitors when
//! it routes it to the destination (dunst), so the stamp is the moment the
//! call reaches the daemon's side of the bus, plus the monitor's own
//! wake-up; [`send_notify`] measures that overhead in the same run.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures_util::StreamExt;
use zbus::message::Type;
use zbus::zvariant::OwnedValue;
use zbus::{Connection, MatchRule, MessageStream};

/// One `Notify` call seen on the bus.
#[derive(Clone, Debug)]
pub struct Seen {
    /// When the monitor received it.
    pub at: Instant,
    /// `app_name`.
    pub app: String,
    /// `summary` (the title).
    pub summary: String,
    /// `body`.
    pub body: String,
}

/// The running monitor: read what it saw from [`Monitor::seen`].
pub struct Monitor {
    /// Every `Notify` call, in order.
    pub seen: Receiver<Seen>,
}

type NotifyArgs = (
    String,
    u32,
    String,
    String,
    String,
    Vec<String>,
    HashMap<String, OwnedValue>,
    i32,
);

/// Starts monitoring `Notify` calls on the bus at `address`.
pub fn start(address: &str) -> Result<Monitor> {
    let (tx, seen) = mpsc::channel();
    let (ready_tx, ready) = mpsc::channel::<Result<()>>();
    let address = address.to_string();
    std::thread::Builder::new()
        .name("dbus-monitor".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e.into()));
                    return;
                }
            };
            rt.block_on(async move {
                let stream = match become_monitor(&address).await {
                    Ok(s) => {
                        let _ = ready_tx.send(Ok(()));
                        s
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let mut stream = stream;
                while let Some(msg) = stream.next().await {
                    let at = Instant::now();
                    let Ok(msg) = msg else { continue };
                    let header = msg.header();
                    if msg.message_type() != Type::MethodCall
                        || header.member().map(|m| m.as_str()) != Some("Notify")
                    {
                        continue;
                    }
                    let Ok((app, _, _, summary, body, ..)) = msg.body().deserialize::<NotifyArgs>()
                    else {
                        continue;
                    };
                    if tx
                        .send(Seen {
                            at,
                            app,
                            summary,
                            body,
                        })
                        .is_err()
                    {
                        break;
                    }
                }
            });
        })?;
    ready
        .recv_timeout(Duration::from_secs(10))
        .context("the D-Bus monitor did not start within 10 s")??;
    Ok(Monitor { seen })
}

async fn become_monitor(address: &str) -> Result<MessageStream> {
    let conn = zbus::connection::Builder::address(address)?.build().await?;
    let rule = MatchRule::builder()
        .msg_type(Type::MethodCall)
        .interface("org.freedesktop.Notifications")?
        .member("Notify")?
        .build();
    let stream = MessageStream::from(&conn);
    zbus::fdo::MonitoringProxy::new(&conn)
        .await?
        .become_monitor(&[rule], 0)
        .await
        .context("BecomeMonitor")?;
    Ok(stream)
}

impl Monitor {
    /// Waits for the next `Notify` whose summary or body contains `marker`;
    /// others seen meanwhile are returned too (for the report).
    pub fn wait_for(&self, marker: &str, timeout: Duration) -> (Option<Seen>, Vec<Seen>) {
        let deadline = Instant::now() + timeout;
        let mut others = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.seen.recv_timeout(left) {
                Ok(s) if s.summary.contains(marker) || s.body.contains(marker) => {
                    return (Some(s), others)
                }
                Ok(s) => others.push(s),
                Err(_) => return (None, others),
            }
        }
    }

    /// Drops what was seen so far.
    pub fn drain(&self) -> Vec<Seen> {
        self.seen.try_iter().collect()
    }
}

/// A client of the same bus that sends `Notify` itself: the floor of the
/// path "a process calls Notify → the monitor stamps it".
pub struct Sender {
    conn: Connection,
}

impl Sender {
    /// Connects to the bus.
    pub async fn connect(address: &str) -> Result<Sender> {
        Ok(Sender {
            conn: zbus::connection::Builder::address(address)?.build().await?,
        })
    }

    /// Calls `Notify` with `summary` (not waiting for the reply); returns
    /// the instant just before the call was written.
    pub async fn send_notify(&self, summary: &str) -> Result<Instant> {
        let msg = zbus::Message::method_call("/org/freedesktop/Notifications", "Notify")?
            .destination("org.freedesktop.Notifications")?
            .interface("org.freedesktop.Notifications")?
            .build(&(
                "tidings-desktop-bench",
                0u32,
                "",
                summary,
                "monitor overhead probe",
                Vec::<&str>::new(),
                HashMap::<&str, zbus::zvariant::Value<'_>>::new(),
                500i32,
            ))?;
        let t = Instant::now();
        self.conn.send(&msg).await?;
        Ok(t)
    }
}
