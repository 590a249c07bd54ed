//! `tidings workspace invite|join`, `device link|add` and `sync …`.

use tidings::sync::config::{FolderConfig, NatsAuth, NatsConfig, TargetConfig};
use tidings::sync::{invites, SyncEngine, TargetState};
use tidings::{Error, ErrorCode, Result, Store};

use crate::cli::{DeviceCmd, SyncCmd};
use crate::print::out;

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            Error::new(
                ErrorCode::Io,
                format!("Could not start the sync runtime: {e}"),
            )
        })
}

pub fn device(store: &Store, json: bool, cmd: DeviceCmd) -> Result<()> {
    match cmd {
        DeviceCmd::Link { device } => {
            let device = tidings::model::ids::DeviceId::from_hex(device.trim()).ok_or_else(|| {
                Error::invalid("A device id is 64 hex digits, as `tidings init` prints it on the new computer")
            })?;
            let code = invites::link_code(store, device)?;
            out(json, &code, |c| {
                println!("{c}");
                eprintln!("On your other computer: tidings device add <this code>. Keep it private: it carries your personal key.");
            });
        }
        DeviceCmd::Add { code } => {
            let (member, name) = invites::add_device_with_code(store, &code)?;
            out(json, &member, |m| {
                println!("This device now belongs to member {m} of {name}. Run `tidings sync run --once` to fetch.")
            });
        }
    }
    Ok(())
}

pub fn sync(store: &Store, json: bool, cmd: SyncCmd) -> Result<()> {
    match cmd {
        SyncCmd::AddNats {
            urls,
            user,
            password,
            token,
            creds,
            tls,
            replicas,
        } => {
            if !(1..=5).contains(&replicas) {
                return Err(Error::invalid(
                    "Stream replicas must be between 1 and 5 (3 for a 3-node cluster)",
                ));
            }
            let auth = match (user, password, token, creds) {
                (Some(user), Some(password), None, None) => {
                    NatsAuth::UserPassword { user, password }
                }
                (None, None, Some(token), None) => NatsAuth::Token { token },
                (None, None, None, Some(path)) => NatsAuth::CredsFile { path },
                _ => NatsAuth::None,
            };
            for u in &urls {
                if !(u.starts_with("nats://")
                    || u.starts_with("tls://")
                    || u.starts_with("ws://")
                    || u.starts_with("wss://"))
                {
                    return Err(Error::invalid(format!(
                        "'{u}' is not a NATS URL: write it like nats://host:4222"
                    )));
                }
            }
            let id = store.add_sync_target(TargetConfig::Nats(NatsConfig {
                servers: urls,
                auth,
                tls,
                replicas,
            }))?;
            out(json, &id, |id| {
                println!("Added sync target {id}. `tidings sync run` starts syncing.")
            });
        }
        SyncCmd::AddFolder { path } => {
            let p = std::path::Path::new(&path);
            if !p.is_dir() {
                return Err(Error::invalid(format!(
                    "{path} is not a folder: choose the folder your sync tool shares"
                )));
            }
            let abs = std::fs::canonicalize(p)?.to_string_lossy().into_owned();
            let id = store.add_sync_target(TargetConfig::Folder(FolderConfig { path: abs }))?;
            out(json, &id, |id| println!("Added sync target {id}."));
        }
        SyncCmd::Remove { id } => store.remove_sync_target(id)?,
        SyncCmd::Status => {
            let engine = SyncEngine::new(store.clone())?;
            let status = engine.status().borrow().clone();
            out(json, &status, |s| {
                if s.targets.is_empty() {
                    println!("No sync targets: add one with `tidings sync add-nats URL` or `tidings sync add-folder PATH`.");
                }
                let held = s.from_future;
                if held > 0 {
                    println!("waiting: {held} ops from the future (their device's clock is ahead; they apply when this clock reaches them)");
                }
                for t in &s.targets {
                    println!(
                        "{}  {}  {} unsent{}",
                        t.id,
                        t.label,
                        t.outbox,
                        t.last_error
                            .as_ref()
                            .map(|e| format!("  last problem: {e}"))
                            .unwrap_or_default()
                    );
                    for p in &t.problems {
                        println!("   skipped: {p}");
                    }
                }
            });
        }
        SyncCmd::Run { once } => {
            let engine = SyncEngine::new(store.clone())?;
            let rt = runtime()?;
            if once {
                let reports = rt.block_on(engine.run_once())?;
                let failed = reports.iter().find_map(|r| r.error.clone());
                out(json, &reports, |rs| {
                    for r in rs {
                        println!(
                            "target {}: sent {}, applied {}, refused {}{}",
                            r.target,
                            r.sent,
                            r.applied,
                            r.refused,
                            r.error
                                .as_ref()
                                .map(|e| format!(", failed: {e}"))
                                .unwrap_or_default()
                        );
                    }
                });
                if let Some(e) = failed {
                    return Err(Error::new(ErrorCode::SyncFailed, e));
                }
            } else {
                rt.block_on(live(engine))?;
            }
        }
    }
    Ok(())
}

async fn live(engine: SyncEngine) -> Result<()> {
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let mut status = engine.status();
    let mut arrivals = engine.arrivals();
    let runner = tokio::spawn({
        let e = engine.clone();
        async move { e.run(stop).await }
    });
    eprintln!("Syncing; Ctrl+C to stop.");
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            Ok(()) = status.changed() => {
                for t in &status.borrow().targets {
                    let state = match &t.state {
                        TargetState::Offline => "offline".to_string(),
                        TargetState::Connecting => "connecting".to_string(),
                        TargetState::CatchingUp { done, total } => format!("catching up {done} of {total}"),
                        TargetState::Live => "live".to_string(),
                    };
                    eprintln!("[{}] {state}{}", t.label, t.last_error.as_ref().map(|e| format!(" ({e})")).unwrap_or_default());
                }
            }
            Ok(ops) = arrivals.recv() => println!("received {} ops", ops.len()),
        }
    }
    let _ = stop_tx.send(true);
    runner
        .await
        .map_err(|e| Error::new(ErrorCode::SyncFailed, e.to_string()))?
}
