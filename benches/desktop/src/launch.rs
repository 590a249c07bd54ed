//! Section 1: launch → first interactive view, Tidings (inbox of the
//! seeded store) against the bare window (its static page painted).
//! Launches alternate (Tidings first in even rounds, the bare window first
//! in odd ones) so both see the same background load; the first round is a
//! warm-up (page cache, font cache, WebKit's caches) and is discarded. The
//! clock runs from just before `spawn` to the moment the ready line
//! reaches the benchmark's end of the stdout pipe.

use std::time::Duration;

use anyhow::Result;

use crate::app::{self, Kind, Ready, Spec};
use crate::session::Session;

/// Longest wait for the first view.
pub const READY_TIMEOUT: Duration = Duration::from_secs(90);
/// Left running after the ready line before being stopped, so a launch
/// does not end in the middle of the app's start-up writes.
const LINGER: Duration = Duration::from_secs(2);
/// Pause between launches.
const PAUSE: Duration = Duration::from_secs(1);
/// Grace period between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_secs(5);

/// Launch samples per app.
#[derive(Default)]
pub struct Launches {
    /// Tidings' measured launches.
    pub tidings: Vec<Ready>,
    /// The bare window's.
    pub bare: Vec<Ready>,
    /// Warm-up launches (discarded): Tidings', the bare window's.
    pub warmup: Vec<(Kind, Ready)>,
    /// Launches that never became interactive, with the reason.
    pub failures: Vec<(Kind, String)>,
    /// Lines of Tidings' log that say it rebuilt or reindexed at start.
    pub rebuilds: Vec<String>,
}

/// One launch: start, wait for the ready line, linger, stop.
pub fn once(session: &Session, spec: &Spec) -> Result<Ready> {
    let mut running = spec.spawn(&session.env(0))?;
    let ready = running.wait_ready(READY_TIMEOUT);
    if ready.is_ok() {
        std::thread::sleep(LINGER);
    }
    running.stop(GRACE)?;
    ready
}

/// `warmup + runs` rounds.
pub fn run(
    session: &Session,
    tidings: &Spec,
    bare: &Spec,
    tidings_log: &std::path::Path,
    warmup: usize,
    runs: usize,
) -> Result<Launches> {
    let mut out = Launches::default();
    let mut tidings_on = true;
    for round in 0..warmup + runs {
        let order = if round % 2 == 0 {
            [tidings, bare]
        } else {
            [bare, tidings]
        };
        for spec in order {
            if spec.kind == Kind::Tidings && !tidings_on {
                continue;
            }
            match once(session, spec) {
                Ok(r) => {
                    eprintln!(
                        "[1] round {round} {}: {} ms (app reports {} ms)",
                        spec.kind.name(),
                        r.observed.as_millis(),
                        r.reported_ms
                    );
                    if round < warmup {
                        out.warmup.push((spec.kind, r));
                    } else if spec.kind == Kind::Tidings {
                        out.tidings.push(r);
                    } else {
                        out.bare.push(r);
                    }
                }
                Err(e) => {
                    eprintln!("[1] round {round} {}: {e:#}", spec.kind.name());
                    out.failures.push((spec.kind, format!("{e:#}")));
                    // Two misses in a row: the app does not get there;
                    // stop trying (each miss costs the whole timeout).
                    let misses = out.failures.iter().filter(|(k, _)| *k == spec.kind).count();
                    if spec.kind == Kind::Tidings && misses >= 2 && out.tidings.is_empty() {
                        tidings_on = false;
                    }
                }
            }
            std::thread::sleep(PAUSE);
        }
    }
    for pattern in ["reindexing", "rebuilding"] {
        out.rebuilds.extend(app::grep(tidings_log, pattern));
    }
    Ok(out)
}
