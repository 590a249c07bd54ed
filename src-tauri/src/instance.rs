//! One app per data folder. A second launch on the same folder hands its
//! link (if any) to the first, which comes to the front, and exits.
//!
//! Why not tauri-plugin-single-instance: it keys the instance on the app
//! identifier (one D-Bus name per app on Linux), so two profiles in two
//! data folders could not run side by side. Here the key is the data
//! folder; the store's folder lock still decides who owns it, and a local
//! socket (interprocess: Unix socket or Windows named pipe) carries the
//! hand-over.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use interprocess::local_socket::{prelude::*, GenericNamespaced, ListenerOptions, Name, Stream};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tauri::AppHandle;
use tracing::{info, warn};

use crate::log_err::LogErr;

/// What a second launch tells the first.
#[derive(Debug, Serialize, Deserialize)]
pub struct HandOver {
    /// The `tidings://` link it was started with.
    pub link: Option<String>,
}

fn socket_name(data_dir: &Path) -> std::io::Result<Name<'static>> {
    let canonical = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_path_buf());
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("tidings-{hex}.sock").to_ns_name::<GenericNamespaced>()
}

/// What the running instance said to a hand-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// It took it (and comes to the front): this launch can exit.
    Taken,
    /// It is quitting (saving, compacting the store): wait for it to end,
    /// then open the folder.
    Quitting,
    /// No instance is listening on this folder.
    NoOne,
}

/// The acknowledgement of a quitting instance.
const QUITTING_ACK: &str = "quitting";

/// Set once this instance starts quitting: later launches wait for it.
static QUITTING: AtomicBool = AtomicBool::new(false);

/// This instance is quitting: hand-overs are refused from now on, so a
/// launch in the meantime waits and opens the folder itself.
pub fn quitting() {
    QUITTING.store(true, Ordering::SeqCst);
}

/// Tries to hand over to a running instance.
pub fn hand_over(data_dir: &Path, link: Option<String>) -> Answer {
    let Ok(name) = socket_name(data_dir) else {
        return Answer::NoOne;
    };
    let Ok(mut stream) = Stream::connect(name) else {
        return Answer::NoOne;
    };
    let mut line = serde_json::to_vec(&HandOver { link }).unwrap_or_default();
    line.push(b'\n');
    match stream.write_all(&line).and_then(|()| stream.flush()) {
        Ok(()) => {
            // Wait for the first instance to read it before exiting.
            let mut ack = String::new();
            BufReader::new(stream)
                .read_line(&mut ack)
                .log_err("waiting for the running Tidings to take the hand-over");
            if ack.trim() == QUITTING_ACK {
                Answer::Quitting
            } else {
                Answer::Taken
            }
        }
        Err(e) => {
            warn!("a running Tidings did not take the hand-over: {e}");
            Answer::NoOne
        }
    }
}

/// Listens for later launches on this data folder (in a thread): the
/// window comes to the front, and their link opens.
pub fn listen(data_dir: &Path, app: AppHandle) {
    listen_with(data_dir, move |msg| {
        crate::window::show_main(&app);
        if let Some(link) = msg.link {
            crate::links::open(&app, &link);
        }
    });
}

/// Listens for later launches on this data folder (in a thread), handing
/// what each one says to `taken` (until this instance is quitting).
fn listen_with(data_dir: &Path, taken: impl Fn(HandOver) + Send + 'static) {
    let name = match socket_name(data_dir) {
        Ok(n) => n,
        Err(e) => {
            warn!("single-instance socket unavailable: {e}");
            return;
        }
    };
    // A socket file left by a crash (on platforms that use files) is
    // stale: this process holds the folder lock.
    let listener = match ListenerOptions::new()
        .name(name)
        .reclaim_name(true)
        .try_overwrite(true)
        .create_sync()
    {
        Ok(l) => l,
        Err(e) => {
            warn!("single-instance socket unavailable: {e}");
            return;
        }
    };
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let mut reader = BufReader::new(conn);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            if QUITTING.load(Ordering::SeqCst) {
                writeln!(reader.get_mut(), "{QUITTING_ACK}")
                    .log_err("telling a new launch that this one is quitting");
                info!("another launch asked while quitting: it waits for the folder");
                continue;
            }
            reader
                .get_mut()
                .write_all(b"ok\n")
                .log_err("acknowledging a new launch's hand-over");
            let msg: HandOver = serde_json::from_str(&line).unwrap_or(HandOver { link: None });
            info!(link = ?msg.link, "another launch handed over");
            taken(msg);
        }
    });
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    /// A later launch hands its link over and exits; while this instance
    /// quits, a later launch is told to wait instead (and nothing is
    /// handed over); with no instance, nobody answers.
    #[test]
    fn a_launch_hands_over_unless_the_running_one_is_quitting() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(hand_over(dir.path(), None), Answer::NoOne);

        let (tx, rx) = mpsc::channel();
        listen_with(dir.path(), move |msg| tx.send(msg.link).unwrap());
        let link = Some("tidings://thread/01J".to_string());
        assert_eq!(hand_over(dir.path(), link.clone()), Answer::Taken);
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), link);

        quitting();
        assert_eq!(hand_over(dir.path(), link), Answer::Quitting);
        assert!(rx.try_recv().is_err(), "a quitting instance took a link");
    }
}
