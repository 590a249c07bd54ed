//! The sync engine: for every target, drain the outbox (seal → send → ack)
//! and take in what others wrote (open → check → apply → save cursor),
//! reporting each target's state for the UI and each applied batch for the
//! notification policy.
//!
//! It plans and applies in that order on purpose: an incoming batch is
//! opened and checked completely before the store applies it, and a cursor
//! is saved only after the ops it covers are durable, so a crash re-reads
//! and never skips.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch};
use tracing::warn;

use super::envelope::{self, is_for_another_person};
use super::keys::{KeyKind, KeyRing, SecretKey};
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{DeviceId, MemberId};
use crate::model::op::Op;
use crate::model::signed::SignedOp;
use crate::store::{Store, Target};

/// What a target is doing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum TargetState {
    /// Not reachable (or not started).
    Offline,
    /// Trying to reach it.
    Connecting,
    /// Reading what arrived while away.
    CatchingUp {
        /// Read so far.
        done: u64,
        /// To read in all.
        total: u64,
    },
    /// Up to date and receiving as it happens.
    Live,
}

/// One target's status, for the UI and `tidings sync status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TargetStatus {
    /// Target id in the store.
    pub id: u32,
    /// "nats://host:4222" or the folder path.
    pub label: String,
    /// What it is doing.
    pub state: TargetState,
    /// The latest problem, if any, in words.
    pub last_error: Option<String>,
    /// My ops it has not acknowledged yet.
    pub outbox: usize,
    /// Recent damage it skipped (a corrupt frame, a foreign file), newest
    /// last; kept until restart so a person can see what happened.
    pub problems: Vec<String>,
}

/// Most problems kept per target.
const MAX_PROBLEMS: usize = 20;

/// Every target's status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncStatus {
    /// One entry per target.
    pub targets: Vec<TargetStatus>,
    /// Teammates' ops dated further ahead of this device's clock than the
    /// store trusts, held until this clock reaches them ("waiting: from
    /// the future").
    pub from_future: u32,
}

/// What one incoming batch did.
#[derive(Clone, Debug, Default)]
pub struct Ingested {
    /// Ops that took effect (for the notification policy).
    pub applied: Vec<Op>,
    /// Envelopes or ops refused, with the reason (already logged).
    pub refused: Vec<Error>,
    /// Already known.
    pub duplicates: usize,
    /// Held back: from a device no member op introduced (yet), or about
    /// something not received yet. They take effect only once what they
    /// wait for arrives; from a stranger's device, never.
    pub waiting: usize,
    /// Dated further ahead of this device's clock than the store trusts
    /// (the sender's clock is wrong): held until local time reaches them.
    pub from_future: usize,
}

/// Shared by the per-target tasks.
pub(crate) struct Shared {
    pub store: Store,
    pub keys: KeyRing,
    pub me: MemberId,
    pub device: DeviceId,
    status: watch::Sender<SyncStatus>,
    arrivals: broadcast::Sender<Arc<Vec<Op>>>,
}

/// Runs sync for one store.
#[derive(Clone)]
pub struct SyncEngine {
    pub(crate) shared: Arc<Shared>,
}

impl SyncEngine {
    /// Prepares sync for a store that has a workspace, a person and secrets.
    pub fn new(store: Store) -> Result<SyncEngine> {
        let me = store.require_me()?;
        let secrets = store.sync_secrets()?.ok_or_else(|| {
            Error::new(
                ErrorCode::NoWorkspace,
                "This data folder has no workspace keys: create a workspace, or join one with an invite code",
            )
        })?;
        let workspace = store.workspace_id()?.ok_or_else(|| {
            Error::new(
                ErrorCode::NoWorkspace,
                "No workspace yet: create one or join one with an invite code",
            )
        })?;
        let keys = KeyRing {
            workspace,
            workspace_key: SecretKey::from_bytes(secrets.workspace_key),
            member: me,
            personal_key: SecretKey::from_bytes(secrets.personal_key),
        };
        let targets = store
            .sync_targets()?
            .into_iter()
            .map(|t| TargetStatus {
                id: t.id,
                label: super::label(&t.config),
                state: TargetState::Offline,
                last_error: None,
                outbox: store.outbox_len(t.id),
                problems: Vec::new(),
            })
            .collect();
        let (status, _) = watch::channel(SyncStatus {
            targets,
            from_future: held(&store),
        });
        let (arrivals, _) = broadcast::channel(64);
        Ok(SyncEngine {
            shared: Arc::new(Shared {
                device: store.device(),
                store,
                keys,
                me,
                status,
                arrivals,
            }),
        })
    }

    /// Status of every target, updated as it changes.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.shared.status.subscribe()
    }

    /// Ops applied from elsewhere, one message per batch.
    pub fn arrivals(&self) -> broadcast::Receiver<Arc<Vec<Op>>> {
        self.shared.arrivals.subscribe()
    }

    /// The configured targets.
    pub fn targets(&self) -> Result<Vec<Target>> {
        self.shared.store.sync_targets()
    }
}

impl Shared {
    /// Updates one target's status.
    pub fn set_state(&self, id: u32, state: TargetState, error: Option<String>) {
        let outbox = self.store.outbox_len(id);
        // Loops restate their state on every retry tick: tell watchers
        // (the window) only when something changed.
        self.status.send_if_modified(|s| {
            let Some(t) = s.targets.iter_mut().find(|t| t.id == id) else {
                return false;
            };
            let before = (t.state.clone(), t.last_error.clone(), t.outbox);
            t.state = state;
            if error.is_some() || t.state == TargetState::Live {
                t.last_error = error;
            }
            t.outbox = outbox;
            before != (t.state.clone(), t.last_error.clone(), t.outbox)
        });
    }

    /// Ops from the future were held: they live in the store, not in this
    /// status, so wake its watchers to count them again (the desktop shows
    /// "waiting: from the future").
    pub fn held_from_future(&self) {
        self.status.send_modify(|_| {});
    }

    /// Records damage that was skipped (kept apart from connection errors).
    pub fn note_problem(&self, id: u32, problem: String) {
        self.status.send_modify(|s| {
            if let Some(t) = s.targets.iter_mut().find(|t| t.id == id) {
                if t.problems.len() == MAX_PROBLEMS {
                    t.problems.remove(0);
                }
                t.problems.push(problem);
            }
        });
    }

    /// Records a problem without changing the state.
    pub fn set_error(&self, id: u32, error: String) {
        self.status
            .send_if_modified(|s| match s.targets.iter_mut().find(|t| t.id == id) {
                Some(t) if t.last_error.as_ref() != Some(&error) => {
                    t.last_error = Some(error);
                    true
                }
                _ => false,
            });
    }

    /// Seals one of my ops for sending: personal ops under my personal key.
    pub fn seal(&self, signed: &SignedOp) -> Result<(bool, Vec<u8>)> {
        let op = signed.decode_unverified()?;
        let personal = op.kind.is_personal();
        let kind = if personal {
            KeyKind::Personal(self.me)
        } else {
            KeyKind::Workspace
        };
        Ok((
            personal,
            envelope::seal(&self.keys, kind, self.device, signed)?,
        ))
    }

    /// Opens, checks and applies a batch of envelopes from a target.
    pub fn ingest(&self, envelopes: Vec<Vec<u8>>) -> Result<Ingested> {
        let mut out = Ingested::default();
        let mut ops = Vec::with_capacity(envelopes.len());
        for bytes in envelopes {
            match envelope::open(&self.keys, &bytes) {
                Ok(opened) => {
                    let Ok(op) = opened.signed.decode_unverified() else {
                        out.refused.push(Error::new(
                            ErrorCode::MalformedOp,
                            "An op could not be decoded",
                        ));
                        continue;
                    };
                    if op.id.device == self.device {
                        out.duplicates += 1;
                        continue;
                    }
                    ops.push(opened.signed);
                }
                Err(e) if is_for_another_person(&e) => {}
                Err(e) => {
                    warn!(error = %e, "refused an arriving envelope");
                    out.refused.push(e);
                }
            }
        }
        if ops.is_empty() {
            return Ok(out);
        }
        let report = self.store.apply_remote(ops)?;
        out.duplicates += report.duplicates;
        out.waiting += report.pending;
        out.from_future += report.from_future;
        out.refused.extend(report.rejected);
        out.applied = report.applied;
        // Ops held earlier may have come due meanwhile.
        out.applied.extend(self.store.release_due()?.applied);
        let from_future = held(&self.store);
        self.status.send_if_modified(|s| {
            let changed = s.from_future != from_future;
            s.from_future = from_future;
            changed
        });
        if !out.applied.is_empty() {
            // Nobody listening is fine: the CLI has no notifier.
            let _ = self.arrivals.send(Arc::new(out.applied.clone()));
        }
        Ok(out)
    }
}

/// How many ops from the future the store holds, for the status (0, and
/// a warning, when the store cannot be read: the status is a hint).
pub fn held(store: &Store) -> u32 {
    match store.held_from_future() {
        Ok(n) => u32::try_from(n).unwrap_or(u32::MAX),
        Err(e) => {
            tracing::warn!(error = %e, "could not count the ops held from the future");
            0
        }
    }
}

/// Runs `f` on the blocking pool (store calls fsync).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::new(ErrorCode::SyncFailed, format!("A sync task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::{Profile, WorkingHours};
    use crate::sync::config::{FolderConfig, TargetConfig};
    use crate::Options;

    /// Each target loop restates its state on every retry tick (5 s): the
    /// status must announce only what changed, or the window re-renders
    /// its sync indicator twelve times a minute on an idle laptop.
    #[test]
    fn restating_the_same_status_announces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let share = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Options::default()).unwrap();
        let ana = Profile {
            display_name: "Ana".into(),
            time_zone: "UTC".into(),
            working_hours: WorkingHours::default(),
        };
        store.create_workspace("Acme", ana).unwrap();
        store
            .add_sync_target(TargetConfig::Folder(FolderConfig {
                path: share.path().to_string_lossy().into_owned(),
            }))
            .unwrap();
        let engine = SyncEngine::new(store).unwrap();
        let id = engine.targets().unwrap()[0].id;
        let mut status = engine.status();
        status.borrow_and_update();

        engine.shared.set_state(id, TargetState::Live, None);
        assert!(status.has_changed().unwrap(), "going live is news");
        status.borrow_and_update();
        engine.shared.set_state(id, TargetState::Live, None);
        assert!(!status.has_changed().unwrap(), "still live is not");

        engine.shared.set_error(id, "disk gone".into());
        assert!(status.has_changed().unwrap(), "a new error is news");
        status.borrow_and_update();
        engine.shared.set_error(id, "disk gone".into());
        assert!(
            !status.has_changed().unwrap(),
            "the same error again is not"
        );
    }
}
