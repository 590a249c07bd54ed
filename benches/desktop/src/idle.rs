//! Sections 2 and 3: memory after a minute of idling, and idle CPU.
//!
//! Memory is each app's whole process tree summed as PSS (proportional
//! set size: private pages plus each shared page divided by the number of
//! processes mapping it), measured with each app running **alone**: two
//! WebKit apps running together share library pages, which would lower
//! both PSS figures. For the same reason a WebKit app of someone else's on
//! the machine lowers them too; the report counts those processes.
//!
//! Idle CPU is utime + stime of each whole tree over the window, divided
//! by the wall time: the two apps run together, each on its own X
//! display, Tidings with its NATS connection live and nothing arriving.
//! The X servers' CPU (drawing for each app) is reported beside it, and
//! what the rest of the machine used in the same window.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::app::{Ready, Running, Spec};
use crate::launch::{GRACE, READY_TIMEOUT};
use crate::procfs::{self, Memory, Ticks};
use crate::session::Session;

/// An app's tree measured after idling.
pub struct Idled {
    /// The first view came after this.
    pub ready: Ready,
    /// Sum over the tree.
    pub total: Memory,
    /// Per process: name and PSS in KiB.
    pub parts: Vec<(String, u64)>,
    /// WebKit processes of other apps on the machine at that moment: they
    /// share library pages with ours and so lower our PSS.
    pub foreign_webkit: usize,
}

/// Starts `spec` on `display`, waits for its first view, idles `secs`,
/// sums its tree's memory; returns it still running.
pub fn start_and_idle(
    session: &Session,
    spec: &Spec,
    display: usize,
    idle: Duration,
) -> Result<(Running, Idled)> {
    let mut running = spec.spawn(&session.env(display))?;
    let ready = match running.wait_ready(READY_TIMEOUT) {
        Ok(r) => r,
        Err(e) => {
            let _ = running.stop(GRACE);
            return Err(e);
        }
    };
    eprintln!(
        "[2] {} interactive after {} ms; idling {} s",
        spec.kind.name(),
        ready.observed.as_millis(),
        idle.as_secs()
    );
    std::thread::sleep(idle);
    let (total, parts) = tree_memory(&running);
    let ours: Vec<u32> = running.tree().iter().map(|p| p.pid).collect();
    let foreign_webkit = procfs::all()
        .iter()
        .filter(|p| p.comm.starts_with("WebKit") && !ours.contains(&p.pid))
        .count();
    Ok((
        running,
        Idled {
            ready,
            total,
            parts,
            foreign_webkit,
        },
    ))
}

/// PSS of the app's tree, in all and per process.
pub fn tree_memory(running: &Running) -> (Memory, Vec<(String, u64)>) {
    let mut total = Memory::default();
    let mut parts = Vec::new();
    for p in running.tree() {
        let m = procfs::memory(p.pid);
        total += m;
        parts.push((p.comm.clone(), m.pss));
    }
    (total, parts)
}

/// What the idle window measured.
pub struct IdleCpu {
    /// Wall time of the window.
    pub wall: Duration,
    /// Tidings' tree, CPU seconds, and per process name.
    pub tidings: (f64, Vec<(String, f64)>),
    /// The bare window's tree.
    pub bare: (f64, Vec<(String, f64)>),
    /// The X server of Tidings' display, and of the bare window's.
    pub x_servers: (f64, f64),
    /// nats-server.
    pub nats: f64,
    /// Everything else on the machine (other sessions, builds).
    pub others: f64,
    /// Established connections from Tidings to nats-server at start and end.
    pub connections: (usize, usize),
}

/// Measures both running apps over `window`, with the X servers,
/// nats-server, and what the rest of the machine used meanwhile.
pub fn measure(
    session: &Session,
    tidings: &Running,
    bare: &Running,
    nats_pid: u32,
    nats_port: u16,
    window: Duration,
) -> Result<IdleCpu> {
    let hz = procfs::ticks_per_sec();
    let pids = |r: &Running| r.tree().iter().map(|p| p.pid).collect::<Vec<_>>();
    let conn_start = procfs::connections_to(&pids(tidings), nats_port);
    let x = |d: usize| {
        session
            .x_server(d)
            .map(|p| procfs::tree(p.pid))
            .unwrap_or_default()
    };
    let (x0, x1) = (x(0), x(1));
    let snapshot = || {
        let again = |procs: &[procfs::Proc]| {
            procs
                .iter()
                .filter_map(|p| procfs::stat(p.pid))
                .filter(|q| procs.iter().any(|p| p.pid == q.pid && p.start == q.start))
                .collect::<Vec<_>>()
        };
        (
            Ticks::of(&tidings.tree()),
            Ticks::of(&bare.tree()),
            Ticks::of(&again(&x0)),
            Ticks::of(&again(&x1)),
            Ticks::of(&procfs::tree(nats_pid)),
            // Everything this benchmark started, and itself.
            Ticks::of(&procfs::tree(std::process::id())),
            procfs::machine_busy().unwrap_or(0),
        )
    };
    let start = snapshot();
    let t0 = Instant::now();
    let mut left = window;
    while !left.is_zero() {
        let step = left.min(Duration::from_secs(60));
        std::thread::sleep(step);
        left -= step;
        if !left.is_zero() {
            eprintln!("[3] idle: {} s to go", left.as_secs());
        }
    }
    let end = snapshot();
    let wall = t0.elapsed();
    let conn_end = procfs::connections_to(&pids(tidings), nats_port);
    if !tidings.tree().first().is_some_and(procfs::alive) {
        bail!("Tidings exited during the idle window");
    }
    let secs = |t: u64| t as f64 / hz;
    let split = |(total, parts): (u64, Vec<(String, u64)>)| {
        (
            secs(total),
            parts
                .into_iter()
                .map(|(n, t)| (n, secs(t)))
                .collect::<Vec<_>>(),
        )
    };
    let t = split(end.0.since(&start.0));
    let b = split(end.1.since(&start.1));
    let x0 = secs(end.2.since(&start.2).0);
    let x1 = secs(end.3.since(&start.3).0);
    let nats = secs(end.4.since(&start.4).0);
    let ours = secs(end.5.since(&start.5).0);
    let machine = secs(end.6.saturating_sub(start.6));
    Ok(IdleCpu {
        wall,
        tidings: t,
        bare: b,
        x_servers: (x0, x1),
        nats,
        others: (machine - ours).max(0.0),
        connections: (conn_start, conn_end),
    })
}
