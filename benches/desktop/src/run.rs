//! The run itself: the nats-server, the seeded store, the session, then
//! each section in turn, turned into table rows and notes. Sections share
//! one Tidings instance where they can: the one measured for memory stays
//! up for the idle window and the notification samples.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::app::{self, Kind, Running, Spec};
use crate::report::{mib, ms, percentile, ratio, Row};
use crate::{
    idle, large, launch, monitor, nats_server, notify, peer, procfs, seed, session, Config, Out,
};

/// Launch target: Tidings' time over the bare window's.
const LAUNCH_RATIO: f64 = 1.3;
/// Memory targets: over the bare window's, and absolute (MB = 10^6 bytes).
const MEMORY_RATIO: f64 = 1.3;
const MEMORY_MB: f64 = 150.0;
/// Idle CPU target, percent of one core.
const IDLE_PCT: f64 = 0.5;
/// Notification latency targets.
const P50_TARGET: Duration = Duration::from_millis(25);
const P99_TARGET: Duration = Duration::from_millis(100);
/// Notification warm-up samples, and the pause after each sample.
pub(crate) const NOTIFY_WARMUP: usize = 20;
const NOTIFY_GAP: Duration = Duration::from_millis(50);
/// Payload of the raw NATS peer: about a sealed new-thread op.
const PEER_PAYLOAD: usize = 512;
/// Time an app gets after its first view before a measurement starts.
const SETTLE: Duration = Duration::from_secs(10);

/// The nats-server process serving `store_dir`.
fn nats_pid(store_dir: &Path) -> Option<u32> {
    let needle = store_dir.display().to_string();
    procfs::all().into_iter().map(|p| p.pid).find(|pid| {
        std::fs::read(format!("/proc/{pid}/cmdline"))
            .map(|c| {
                String::from_utf8_lossy(&c).contains(&needle)
                    && !String::from_utf8_lossy(&c).starts_with("sh")
            })
            .unwrap_or(false)
    })
}

fn pct(cpu_s: f64, wall: Duration) -> f64 {
    100.0 * cpu_s / wall.as_secs_f64().max(1e-9)
}

fn per_process(parts: &[(String, f64)]) -> String {
    let busy: Vec<String> = parts
        .iter()
        .filter(|(_, s)| *s > 0.0)
        .map(|(n, s)| format!("{n} {s:.2} s"))
        .collect();
    if busy.is_empty() {
        "no process used a clock tick".into()
    } else {
        busy.join(", ")
    }
}

fn pss_parts(parts: &[(String, u64)]) -> String {
    let mut grouped: Vec<(String, u64, usize)> = Vec::new();
    for (n, k) in parts {
        match grouped.iter_mut().find(|(g, _, _)| g == n) {
            Some((_, t, c)) => {
                *t += k;
                *c += 1;
            }
            None => grouped.push((n.clone(), *k, 1)),
        }
    }
    grouped
        .iter()
        .map(|(n, k, c)| {
            let count = if *c > 1 {
                format!(" ×{c}")
            } else {
                String::new()
            };
            format!("{n}{count} {:.1} MiB", *k as f64 / 1024.0)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The launch rows (median, p90) and notes of one series of launches;
/// `what` names Tidings' view, `tag` starts each note.
pub(crate) fn launch_report(
    what: &str,
    tag: &str,
    l: &launch::Launches,
) -> (Vec<Row>, Vec<String>) {
    let (mut rows, mut notes) = (Vec::new(), Vec::new());
    let obs = |v: &[app::Ready]| v.iter().map(|r| r.observed).collect::<Vec<_>>();
    let (t, b) = (obs(&l.tidings), obs(&l.bare));
    for (q, name) in [(0.5, "median"), (0.9, "p90")] {
        let (tq, bq) = (percentile(&t, q), percentile(&b, q));
        let measured = !t.is_empty() && !b.is_empty();
        rows.push(Row {
            metric: format!("Launch → interactive, {name} (Tidings: {what}; bare: page painted)"),
            tidings: if t.is_empty() {
                "not reached".into()
            } else {
                ms(tq)
            },
            baseline: if b.is_empty() {
                "not reached".into()
            } else {
                ms(bq)
            },
            ratio: if measured {
                ratio(tq.as_secs_f64(), bq.as_secs_f64())
            } else {
                "—".into()
            },
            target: format!("≤ {LAUNCH_RATIO}× bare"),
            met: measured.then_some(tq.as_secs_f64() <= LAUNCH_RATIO * bq.as_secs_f64()),
        });
    }
    let reported = |v: &[app::Ready]| {
        let mut r: Vec<u64> = v.iter().map(|r| r.reported_ms).collect();
        r.sort();
        r.get(r.len() / 2).copied().unwrap_or(0)
    };
    notes.push(format!(
        "{tag}: {} + {} measured launches (spawn → ready line on the pipe); Tidings min {} max {}, bare min {} max {}; the apps' own count from main() (median): Tidings {} ms, bare {} ms; warm-up (discarded): {}",
        t.len(),
        b.len(),
        t.iter().min().map_or("—".into(), |d| ms(*d)),
        t.iter().max().map_or("—".into(), |d| ms(*d)),
        b.iter().min().map_or("—".into(), |d| ms(*d)),
        b.iter().max().map_or("—".into(), |d| ms(*d)),
        reported(&l.tidings),
        reported(&l.bare),
        l.warmup
            .iter()
            .map(|(k, r)| format!("{} {}", k.name(), ms(r.observed)))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    for (k, e) in &l.failures {
        notes.push(format!("{tag}: a {} launch failed: {e}", k.name()));
    }
    if !l.rebuilds.is_empty() {
        notes.push(format!(
            "{tag}: Tidings rebuilt or reindexed at start ({} log lines), e.g. `{}`",
            l.rebuilds.len(),
            l.rebuilds[0]
        ));
    }
    (rows, notes)
}

/// The memory row: each whole tree's PSS (KiB) after idling, `when`.
pub(crate) fn memory_row(when: &str, tidings: Option<u64>, bare: Option<u64>) -> Row {
    Row {
        metric: format!("Memory, whole process tree PSS, {when}"),
        tidings: tidings.map_or("not measured".into(), mib),
        baseline: bare.map_or("not measured".into(), mib),
        ratio: match (tidings, bare) {
            (Some(t), Some(b)) => ratio(t as f64, b as f64),
            _ => "—".into(),
        },
        target: format!("≤ {MEMORY_RATIO}× bare and ≤ {MEMORY_MB:.0} MB"),
        met: match (tidings, bare) {
            (Some(t), Some(b)) => {
                Some(t as f64 <= MEMORY_RATIO * b as f64 && t as f64 * 1024.0 <= MEMORY_MB * 1e6)
            }
            _ => None,
        },
    }
}

/// What one app's tree held after idling.
pub(crate) fn memory_note(tag: &str, m: &idle::Idled) -> String {
    format!(
        "{tag} (first view after {}): PSS {} = anon {} + file {} + shmem {}; RSS {}; per process: {}; WebKit processes of other apps on the machine meanwhile: {}",
        ms(m.ready.observed),
        mib(m.total.pss),
        mib(m.total.pss_anon),
        mib(m.total.pss_file),
        mib(m.total.pss_shmem),
        mib(m.total.rss),
        pss_parts(&m.parts),
        m.foreign_webkit,
    )
}

/// Starts Tidings on display 0 if it is not running yet, and lets it
/// settle.
fn ensure_tidings(
    running: &mut Option<Running>,
    session: &session::Session,
    spec: &Spec,
) -> Result<()> {
    if running.is_none() {
        let mut r = spec.spawn(&session.env(0))?;
        if let Err(e) = r.wait_ready(launch::READY_TIMEOUT) {
            let _ = r.stop(launch::GRACE);
            return Err(e);
        }
        std::thread::sleep(SETTLE);
        *running = Some(r);
    }
    Ok(())
}

pub(crate) fn run(
    cfg: &Config,
    root: &Path,
    tidings_bin: &Path,
    bare_bin: &Path,
    out: &mut Out,
) -> Result<(Vec<Row>, Vec<String>)> {
    let mut rows = Vec::new();
    let mut notes = Vec::new();

    // Checked first: a store the app cannot open as a person's data
    // folder fails the run here, not after the other sections.
    let large = match (&cfg.large_store, cfg.on("large")) {
        (Some(path), true) => {
            let l = large::check(path)?;
            out.head(large::describe(&l));
            Some(l)
        }
        _ => None,
    };

    let server = nats_server::NatsServer::start();
    let url = server.url();
    let nats = nats_pid(server.store_dir()).context("find the nats-server process")?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;

    // The seeded store serves sections 1–4; a run of the large store's
    // section alone does without it.
    let ana_dir = root.join("ana");
    let seeded = if ["launch", "memory", "idle", "notify"]
        .iter()
        .any(|s| cfg.on(s))
    {
        eprintln!("[seed] {} threads through {url}", cfg.threads);
        let seeded = seed::seed(&rt, &ana_dir, &root.join("ben"), &url, cfg.threads)?;
        out.head(format!(
            "store          {} threads, {} comments, {} ops in Ana's log, {} threads in her inbox (unread news); seeded in {:.0} s; sync target nats-server at {url}",
            seeded.threads,
            seeded.comments,
            seeded.ops,
            seeded.inbox,
            seeded.took.as_secs_f64()
        ));
        Some(seeded)
    } else {
        None
    };

    let session = session::Session::start(root, 2)?;
    out.head(format!(
        "session        tidings-e2e's harness: Xvfb {} and {} (1280x800x24), a private session bus that activates no services, dunst; private HOME and XDG folders, NO_AT_BRIDGE=1",
        session.displays[0].name(), session.displays[1].name()
    ));
    let tidings = Spec {
        kind: Kind::Tidings,
        bin: tidings_bin.to_path_buf(),
        args: vec!["--data-dir".into(), ana_dir.display().to_string()],
        log: root.join("tidings.stderr.log"),
    };
    let bare = Spec {
        kind: Kind::Bare,
        bin: bare_bin.to_path_buf(),
        args: Vec::new(),
        log: root.join("bare.stderr.log"),
    };
    let monitor = monitor::start(session.bus_address())?;
    let mut tidings_running: Option<Running> = None;
    // The bare window's PSS after idling, once measured (KiB).
    let mut bare_pss: Option<u64> = None;

    // 1. Launch.
    if cfg.on("launch") {
        eprintln!("[1] launch → interactive: {} rounds", cfg.launches + 1);
        let l = launch::run(&session, &tidings, &bare, &tidings.log, 1, cfg.launches)?;
        notes.push(
            "launch: \"interactive\" is, for Tidings, the UI's `ui_ready` call once the inbox list is rendered \
             (ui/HOOKS.md, `body[data-ready]`), printed as `TIDINGS_INTERACTIVE`; for the bare window, its page's \
             `ready` call two animation frames after `load`. Rounds alternate which app starts first."
                .to_string(),
        );
        let (r, n) = launch_report(&format!("inbox, {} threads", cfg.threads), "launch", &l);
        rows.extend(r);
        notes.extend(n);
    }

    // 2. Memory, each app alone.
    if cfg.on("memory") {
        let idle = Duration::from_secs(cfg.memory_secs);
        eprintln!(
            "[2] memory: each app alone, {} s after its first view",
            cfg.memory_secs
        );
        let b = idle::start_and_idle(&session, &bare, 0, idle);
        let b = match b {
            Ok((running, m)) => {
                running.stop(launch::GRACE)?;
                Some(m)
            }
            Err(e) => {
                notes.push(format!(
                    "memory: the bare window did not become interactive: {e:#}"
                ));
                None
            }
        };
        let t = match idle::start_and_idle(&session, &tidings, 0, idle) {
            Ok((running, m)) => {
                tidings_running = Some(running);
                Some(m)
            }
            Err(e) => {
                notes.push(format!("memory: Tidings did not become interactive: {e:#}"));
                None
            }
        };
        let kib = |m: &Option<idle::Idled>| m.as_ref().map(|m| m.total.pss);
        bare_pss = kib(&b);
        rows.push(memory_row(
            &format!("{} s idle after the first view", cfg.memory_secs),
            kib(&t),
            bare_pss,
        ));
        for (name, m) in [("Tidings", &t), ("bare", &b)] {
            if let Some(m) = m {
                notes.push(memory_note(&format!("memory {name}"), m));
            }
        }
    }

    // 3. Idle CPU, both apps at once on two displays.
    if cfg.on("idle") {
        let window = Duration::from_secs(cfg.idle_secs);
        let r = (|| -> Result<idle::IdleCpu> {
            ensure_tidings(&mut tidings_running, &session, &tidings)?;
            let mut bare_running = bare.spawn(&session.env(1))?;
            if let Err(e) = bare_running.wait_ready(launch::READY_TIMEOUT) {
                let _ = bare_running.stop(launch::GRACE);
                return Err(e.context("the bare window"));
            }
            std::thread::sleep(SETTLE);
            eprintln!("[3] idle CPU: {} s, both apps running", cfg.idle_secs);
            let tr = tidings_running.as_ref().context("Tidings runs")?;
            let m = idle::measure(&session, tr, &bare_running, nats, server.port(), window);
            bare_running.stop(launch::GRACE)?;
            m
        })();
        match r {
            Ok(c) => {
                let (tp, bp) = (pct(c.tidings.0, c.wall), pct(c.bare.0, c.wall));
                let connected = c.connections.0 > 0 && c.connections.1 > 0;
                rows.push(Row {
                    metric: format!(
                        "Idle CPU over {} s, whole tree{}",
                        c.wall.as_secs(),
                        if connected {
                            ", sync connected"
                        } else {
                            " (sync NOT connected)"
                        }
                    ),
                    tidings: format!("{tp:.3}% of a core"),
                    baseline: format!("{bp:.3}% of a core"),
                    ratio: ratio(tp, bp),
                    target: format!("≤ {IDLE_PCT}% of a core"),
                    met: connected.then_some(tp <= IDLE_PCT),
                });
                notes.push(format!(
                    "idle CPU: Tidings {:.2} CPU-s ({}), bare {:.2} CPU-s ({}) in {:.0} s; X server of Tidings' display {:.2} s, of the bare window's {:.2} s; nats-server {:.2} s; everything else on the machine {:.1} CPU-s; Tidings' established connections to nats-server at start/end: {}/{}",
                    c.tidings.0,
                    per_process(&c.tidings.1),
                    c.bare.0,
                    per_process(&c.bare.1),
                    c.wall.as_secs_f64(),
                    c.x_servers.0,
                    c.x_servers.1,
                    c.nats,
                    c.others,
                    c.connections.0,
                    c.connections.1,
                ));
            }
            Err(e) => {
                rows.push(Row {
                    metric: format!("Idle CPU over {} s, sync connected", cfg.idle_secs),
                    tidings: "not measured".into(),
                    baseline: "—".into(),
                    ratio: "—".into(),
                    target: format!("≤ {IDLE_PCT}% of a core"),
                    met: None,
                });
                notes.push(format!("idle CPU: not measured: {e:#}"));
            }
        }
    }

    // 4. Teammate's new thread → Notify on the bus.
    if cfg.on("notify") {
        let r = (|| -> Result<notify::Latency> {
            let seeded = seeded.as_ref().context("the seeded store")?;
            ensure_tidings(&mut tidings_running, &session, &tidings)?;
            eprintln!(
                "[4] notifications: {} samples after {NOTIFY_WARMUP} warm-up",
                cfg.samples
            );
            notify::run(
                &rt,
                &seeded.ben,
                seeded.ana_id,
                seeded.channel,
                &monitor,
                &|| {
                    session.dunst.close_all_and_read();
                },
                NOTIFY_WARMUP,
                cfg.samples,
                NOTIFY_GAP,
            )
        })();
        eprintln!("[4] peers: raw NATS and the monitor's own overhead");
        let (client, js) = rt.block_on(peer::connect(&url))?;
        let core = rt.block_on(peer::core_latency(
            &client,
            PEER_PAYLOAD,
            NOTIFY_WARMUP,
            cfg.samples,
            NOTIFY_GAP,
        ))?;
        let jsl = rt.block_on(peer::js_latency(
            &js,
            PEER_PAYLOAD,
            NOTIFY_WARMUP,
            cfg.samples,
            NOTIFY_GAP,
        ))?;
        let probe = notify::monitor_overhead(
            &rt,
            session.bus_address(),
            &monitor,
            NOTIFY_WARMUP,
            cfg.samples,
            NOTIFY_GAP,
        )?;
        let lat = match r {
            Ok(l) => Some(l),
            Err(e) => {
                notes.push(format!("notifications: not measured: {e:#}"));
                None
            }
        };
        for (q, name, target) in [(0.5, "p50", P50_TARGET), (0.99, "p99", P99_TARGET)] {
            let p = percentile(&core, q);
            let t = lat
                .as_ref()
                .filter(|l| !l.notified.is_empty())
                .map(|l| percentile(&l.notified, q));
            rows.push(Row {
                metric: format!("Teammate's new thread → Notify on D-Bus (NATS loopback), {name}"),
                tidings: t.map_or("not measured".into(), ms),
                baseline: format!("{} (core NATS pub→sub)", ms(p)),
                ratio: t.map_or("—".into(), |t| ratio(t.as_secs_f64(), p.as_secs_f64())),
                target: format!("≤ {}", ms(target)),
                met: t.map(|t| t <= target),
            });
        }
        if let Some(l) = &lat {
            notes.push(format!(
                "notifications: {} samples, {} without a notification within 10 s; max {}; Ben's create_thread (durable local write) p50 {} p99 {}; other Notify calls seen meanwhile: {}",
                l.notified.len(),
                l.missing,
                l.notified.iter().max().map_or("—".into(), |d| ms(*d)),
                ms(percentile(&l.local, 0.5)),
                ms(percentile(&l.local, 0.99)),
                if l.others.is_empty() { "none".into() } else { l.others.join("; ") },
            ));
        }
        notes.push(format!(
            "notifications, peers in the same run ({} samples each, {} ms apart, {PEER_PAYLOAD}-byte payloads): core NATS pub→sub p50 {} p99 {} max {}; JetStream publish→pull-consumer receive p50 {} p99 {}; D-Bus monitor overhead (this process calls Notify on an open connection → the monitor stamps it) p50 {} p99 {}",
            cfg.samples,
            NOTIFY_GAP.as_millis(),
            ms(percentile(&core, 0.5)),
            ms(percentile(&core, 0.99)),
            core.iter().max().map_or("—".into(), |d| ms(*d)),
            ms(percentile(&jsl, 0.5)),
            ms(percentile(&jsl, 0.99)),
            ms(percentile(&probe, 0.5)),
            ms(percentile(&probe, 0.99)),
        ));
    }

    if let Some(r) = tidings_running.take() {
        r.stop(launch::GRACE)?;
    }

    // 5. The large store (BENCH_LARGE_STORE), each app alone again.
    if let Some(l) = &large {
        let (r, n) = large::run(cfg, &session, l, &tidings, &bare, root, bare_pss)?;
        rows.extend(r);
        notes.extend(n);
    }
    let rebuilt = app::grep(&tidings.log, "reindexing");
    if !rebuilt.is_empty() && !cfg.on("launch") {
        notes.push(format!(
            "Tidings reindexed search at a start: `{}`",
            rebuilt[0]
        ));
    }
    drop(monitor);
    drop(session);
    drop(seeded);
    drop(rt);
    drop(server);
    Ok((rows, notes))
}
