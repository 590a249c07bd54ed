//! Folder sync: a workspace synced through any folder that something else
//! keeps in sync (Syncthing, Dropbox, OneDrive, iCloud Drive, a network
//! share), for teams without a server.
//!
//! # Layout on disk
//!
//! Each device appends only to its own log file, so no file is ever written
//! by two devices and the sync tool never has to merge anything:
//!
//! ```text
//! <folder>/tidings/<workspace ULID>/<device key, 64 lowercase hex>.log
//! ```
//!
//! A log file is a sequence of frames ([`super::framing`]) whose payloads
//! are sealed sync envelopes, opaque here. The directory names, the file
//! name pattern and the frame format are a storage format shared by every
//! device on the folder: changing any of them is a format change.
//!
//! # What a reader tolerates
//!
//! Sync tools deliver files late, in pieces, renamed, duplicated or rolled
//! back. [`FolderLog::read_new`] therefore never fails on file contents: a
//! tail still arriving is waited for, damage is skipped to the next valid
//! frame (with a [`FolderProblem`] for the status), a file that became
//! shorter than what was already read (a restored older version) is read
//! again from the start (the store drops duplicate ops), and names that are
//! not a device log (conflict copies, notes, temp files) are ignored.
//! Only I/O failures on the folder itself are errors.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode, Watcher};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::framing::{self, Chunk, Reader, HEADER_LEN, MAGIC, MAX_FRAME_LEN, MAX_PAYLOAD, VERSION};
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{DeviceId, WorkspaceId};

/// The folder Tidings creates inside the shared folder. A format constant.
pub const TOP_DIR: &str = "tidings";

/// The extension of device log files. A format constant.
pub const LOG_EXTENSION: &str = "log";

/// Default bound on the bytes one [`FolderLog::read_new`] call consumes, so
/// catching up on a long history streams in batches instead of loading it
/// all into memory.
pub const DEFAULT_READ_BUDGET: usize = 8 << 20;

/// A sensible fallback rescan period for [`FolderLog::watch`]: network
/// shares and some sync tools change files without any file-system event.
pub const DEFAULT_RESCAN_EVERY: Duration = Duration::from_secs(30);

/// Shortest rescan period [`FolderLog::watch`] accepts (shorter is raised to
/// this), so a zero never turns the timer into a busy loop.
pub const MIN_RESCAN_EVERY: Duration = Duration::from_millis(100);

/// Smallest window read from a file that has more bytes than the budget
/// allows. Two maximal frames: any frame that starts in the first half is
/// wholly inside the window, which is what lets a long damaged region be
/// skipped safely (see `read_file`).
const MIN_WINDOW: usize = 2 * MAX_FRAME_LEN;

/// A skipped damaged frame or an unreadable or foreign file, for the sync
/// status and the log. Problems never stop sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderProblem {
    /// The file name inside the workspace folder.
    pub file: String,
    /// Byte offset in the file where the problem is (0 for whole-file ones).
    pub offset: u64,
    /// What is wrong, for a person.
    pub reason: String,
}

/// What one [`FolderLog::read_new`] call found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadBatch {
    /// New envelopes, each with the name of the file it came from, in file
    /// order within each file.
    pub envelopes: Vec<(String, Vec<u8>)>,
    /// The complete offset map to persist (the one passed in, updated):
    /// replace the stored map with it once the envelopes are applied.
    pub offsets: BTreeMap<String, u64>,
    /// Damage and oddities met on the way; the envelopes are still good.
    pub problems: Vec<FolderProblem>,
}

/// One device's view of a workspace's sync folder: appends to its own log,
/// reads everyone else's.
#[derive(Debug)]
pub struct FolderLog {
    /// The shared folder the user chose.
    root: PathBuf,
    /// `<root>/tidings/<workspace>`.
    dir: PathBuf,
    /// This device, whose log is never read back.
    device: DeviceId,
    /// `<device hex>.log`.
    own_name: String,
    /// Bytes one `read_new` call may consume.
    read_budget: usize,
    /// Serialises appends: one `write_all` may be split into several writes,
    /// and two interleaved batches would tear each other's frames.
    append: Mutex<AppendState>,
    /// Keys of problems already reported, so a foreign file or a damaged
    /// tail is mentioned once, not on every read.
    noted: Mutex<HashSet<String>>,
}

#[derive(Debug, Default)]
struct AppendState {
    /// Whether our own file's tail has been checked for a torn frame since
    /// this process started (or since the last failed write).
    tail_checked: bool,
}

/// Keeps a [`FolderLog::watch`] running; dropping it stops the watcher and
/// the rescan timer, after which the receiver yields `None`.
pub struct FolderWatch {
    watcher: Option<notify::RecommendedWatcher>,
    stop: Option<std::sync::mpsc::Sender<()>>,
    timer: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FolderWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FolderWatch")
            .field("watching_events", &self.watching_events())
            .finish()
    }
}

impl FolderWatch {
    /// Whether file-system events are being watched. `false` when the
    /// platform watcher could not start (e.g. the inotify watch limit is
    /// reached): changes are then seen at the periodic rescan only.
    pub fn watching_events(&self) -> bool {
        self.watcher.is_some()
    }
}

impl Drop for FolderWatch {
    fn drop(&mut self) {
        // The watcher's own thread drops its sender when it shuts down;
        // closing `stop` wakes the timer thread, which then exits.
        self.watcher.take();
        self.stop.take();
        if let Some(timer) = self.timer.take() {
            let _ = timer.join();
        }
    }
}

impl FolderLog {
    /// Opens (creating `<folder>/tidings/<workspace>/` and this device's
    /// empty log file) the sync folder `folder`.
    ///
    /// `folder` itself must already exist: creating it could silently sync
    /// into a local directory where an unmounted drive or share should be.
    /// Fails with [`ErrorCode::SyncFailed`] when it is missing, not a folder
    /// or not writable.
    pub fn open(folder: &Path, workspace: WorkspaceId, device: DeviceId) -> Result<Self> {
        match fs::metadata(folder) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Error::new(
                    ErrorCode::SyncFailed,
                    format!(
                        "The sync folder {} is a file, not a folder: choose a folder that exists and that you can write",
                        folder.display()
                    ),
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(Error::new(
                    ErrorCode::SyncFailed,
                    format!(
                        "The sync folder {} does not exist: choose a folder that exists and that you can write \
                         (if it is on a drive or share, check that it is connected)",
                        folder.display()
                    ),
                ))
            }
            Err(e) => return Err(folder_error(folder, "open", &e)),
        }
        let own_name = format!("{}.{LOG_EXTENSION}", device.to_hex());
        let log = FolderLog {
            root: folder.to_path_buf(),
            dir: folder.join(TOP_DIR).join(workspace.to_string()),
            device,
            own_name,
            read_budget: DEFAULT_READ_BUDGET,
            append: Mutex::new(AppendState::default()),
            noted: Mutex::new(HashSet::new()),
        };
        log.ensure_dir()?;
        // Creating our (empty) log now proves the folder is writable at the
        // moment the user chooses it, not at the first message.
        log.open_own()?;
        Ok(log)
    }

    /// Changes how many bytes one [`Self::read_new`] call consumes (at least
    /// one frame is always returned when one is ready). For tests and
    /// memory-tight hosts; the default is [`DEFAULT_READ_BUDGET`].
    pub fn with_read_budget(mut self, bytes: usize) -> Self {
        self.read_budget = bytes.max(1);
        self
    }

    /// This device's log file.
    pub fn own_file(&self) -> PathBuf {
        self.dir.join(&self.own_name)
    }

    /// The workspace folder, `<folder>/tidings/<workspace>`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Appends envelopes to this device's log as frames in one write, then
    /// flushes the file (and the folder, when the file was created) to disk.
    /// Returns once the envelopes are durable.
    ///
    /// Fails with [`ErrorCode::TooLarge`] (writing nothing) when an envelope
    /// is over [`MAX_PAYLOAD`], and with [`ErrorCode::SyncFailed`] when the
    /// folder cannot be written; the caller retries later.
    pub fn append(&self, envelopes: &[Vec<u8>]) -> Result<()> {
        if envelopes.is_empty() {
            return Ok(());
        }
        let mut buf = Vec::with_capacity(
            envelopes
                .iter()
                .map(|e| e.len() + HEADER_LEN)
                .sum::<usize>(),
        );
        for envelope in envelopes {
            framing::encode_into(&mut buf, envelope)?;
        }
        let mut state = lock(&self.append);
        self.ensure_dir()?;
        // `open_own` flushes the folder when it creates the file.
        let (mut file, created) = self.open_own()?;
        let path = self.own_file();
        if !state.tail_checked && !created {
            repair_torn_tail(&path).map_err(|e| folder_error(&path, "check the end of", &e))?;
        }
        state.tail_checked = true;
        let written = file.write_all(&buf).and_then(|()| file.sync_data());
        if let Err(e) = written {
            // A partial write may have left a torn frame: check again next time.
            state.tail_checked = false;
            return Err(folder_error(&path, "write", &e));
        }
        Ok(())
    }

    /// Reads what is new in the other devices' logs (never this device's
    /// own), from `offsets` (file name → byte offset already read; a missing
    /// name means 0).
    ///
    /// Consumes at most about the read budget ([`DEFAULT_READ_BUDGET`]) per
    /// call, so call again while envelopes keep coming. Files with the least
    /// to read go first, so live messages are not stuck behind another
    /// device's long catch-up. Bad contents never fail the call: see the
    /// module doc. Fails with [`ErrorCode::SyncFailed`] only when the folder
    /// itself cannot be listed.
    pub fn read_new(&self, offsets: &BTreeMap<String, u64>) -> Result<ReadBatch> {
        let mut batch = ReadBatch {
            offsets: offsets.clone(),
            ..ReadBatch::default()
        };
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            // Removed by someone (or a sync tool) while the shared folder is
            // still there: nothing to read; `append` recreates it.
            Err(e) if e.kind() == io::ErrorKind::NotFound && self.root.is_dir() => {
                return Ok(batch)
            }
            Err(e) => return Err(folder_error(&self.dir, "list", &e)),
        };
        let mut todo = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| folder_error(&self.dir, "list", &e))?;
            let name = match entry.file_name().into_string() {
                Ok(name) => name,
                Err(raw) => {
                    let name = raw.to_string_lossy().into_owned();
                    self.note_once(&mut batch, format!("foreign:{name}"), &name, 0, FOREIGN);
                    continue;
                }
            };
            match classify(&name) {
                Name::Device(d) if d == self.device => continue,
                Name::Device(_) => {}
                Name::Transient => continue,
                Name::Foreign => {
                    self.note_once(&mut batch, format!("foreign:{name}"), &name, 0, FOREIGN);
                    continue;
                }
            }
            let path = entry.path();
            // `fs::metadata` rather than the listing's: on Windows a
            // directory entry's size lags behind a file being appended to.
            let len = match fs::metadata(&path) {
                Ok(m) if m.is_file() => m.len(),
                Ok(_) => {
                    self.note_once(&mut batch, format!("foreign:{name}"), &name, 0, FOREIGN);
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => {
                    self.note_unreadable(&mut batch, &name, &e);
                    continue;
                }
            };
            let off = offsets.get(&name).copied().unwrap_or(0);
            if len != off {
                todo.push((len.abs_diff(off), name, len));
            }
        }
        todo.sort();
        let mut used = 0usize;
        for (_, name, len) in todo {
            if used >= self.read_budget {
                break;
            }
            self.read_file(&name, len, &mut used, &mut batch);
        }
        Ok(batch)
    }

    /// Reads one device log from its stored offset into `batch`.
    fn read_file(&self, name: &str, len: u64, used: &mut usize, batch: &mut ReadBatch) {
        let mut off = batch.offsets.get(name).copied().unwrap_or(0);
        if len < off {
            batch.problems.push(FolderProblem {
                file: name.to_string(),
                offset: off,
                reason: format!(
                    "the file is now {len} bytes, shorter than the {off} already read \
                     (the sync tool restored or replaced it): reading it again from the start"
                ),
            });
            off = 0;
            batch.offsets.insert(name.to_string(), 0);
        }
        let budget_left = self.read_budget.saturating_sub(*used);
        let want = (len - off).min(budget_left.max(MIN_WINDOW) as u64);
        let path = self.dir.join(name);
        let buf = match read_window(&path, off, want) {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return,
            Err(e) => {
                self.note_unreadable(batch, name, &e);
                return;
            }
        };
        lock(&self.noted).remove(&format!("unreadable:{name}"));
        // Whether the window reaches the end of the file as it was listed.
        let at_eof = (buf.len() as u64) < want || want == len - off;
        let mut next = off;
        for chunk in Reader::new(&buf, off) {
            match chunk {
                Chunk::Frame {
                    offset,
                    next_offset,
                    payload,
                } => {
                    let size = (next_offset - offset) as usize;
                    // Always take one frame per call, so a budget smaller
                    // than a frame still makes progress.
                    if *used > 0 && used.saturating_add(size) > self.read_budget {
                        break;
                    }
                    *used += size;
                    batch.envelopes.push((name.to_string(), payload.to_vec()));
                    next = next_offset;
                }
                Chunk::Corrupt {
                    offset,
                    resume_at,
                    reason,
                } => {
                    *used = used.saturating_add((resume_at - offset) as usize);
                    batch.problems.push(FolderProblem {
                        file: name.to_string(),
                        offset,
                        reason: format!("damaged frame skipped: {reason}"),
                    });
                    next = resume_at;
                }
                Chunk::Partial { offset, damaged } => {
                    if !at_eof && offset == off && buf.len() > MAX_FRAME_LEN {
                        // The window is wider than two frames and holds no
                        // valid frame: none can start in its first part (it
                        // would fit wholly inside), so skip that part
                        // instead of stopping here forever.
                        let skip_to = off + (buf.len() - MAX_FRAME_LEN) as u64;
                        *used = used.saturating_add((skip_to - off) as usize);
                        batch.problems.push(FolderProblem {
                            file: name.to_string(),
                            offset,
                            reason: format!(
                                "damaged region skipped: no valid frame in {} bytes",
                                skip_to - off
                            ),
                        });
                        next = skip_to;
                    } else if let (Some(reason), true) = (damaged, at_eof) {
                        self.note_once(
                            batch,
                            format!("tail:{name}:{offset}"),
                            name,
                            offset,
                            &format!(
                                "the end of the file is damaged ({reason}); it is skipped \
                                 once that device writes again"
                            ),
                        );
                    }
                    break;
                }
            }
        }
        if next != off {
            batch.offsets.insert(name.to_string(), next);
        }
    }

    /// Starts watching the workspace folder. The receiver ticks (coalesced:
    /// at most one tick waits) when another device's file may have changed,
    /// and every `rescan_every` (at least [`MIN_RESCAN_EVERY`]) regardless,
    /// because network shares and some sync tools change files without any
    /// file-system event. On a tick, call [`Self::read_new`].
    ///
    /// There is no tick at start: read once after calling `watch`, so that
    /// nothing written in between is missed. Changes to this device's own
    /// log and reads of any file do not tick.
    ///
    /// Runs the platform watcher's thread (inotify on Linux, FSEvents on
    /// macOS, ReadDirectoryChangesW on Windows) and one timer thread. If the
    /// platform watcher cannot start, the periodic rescan still runs (see
    /// [`FolderWatch::watching_events`]). Dropping the [`FolderWatch`] stops
    /// both; the receiver then yields `None`. Needs no tokio runtime.
    pub fn watch(&self, rescan_every: Duration) -> Result<(FolderWatch, mpsc::Receiver<()>)> {
        let (tx, rx) = mpsc::channel(1);
        let watcher = match self.start_watcher(tx.clone()) {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::warn!(
                    dir = %self.dir.display(), error = %e,
                    "cannot watch the sync folder for changes; rescanning it periodically only"
                );
                None
            }
        };
        let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
        let every = rescan_every.max(MIN_RESCAN_EVERY);
        let timer = std::thread::Builder::new()
            .name("tidings-folder-rescan".into())
            .spawn(move || {
                // `recv_timeout` is the timer: it returns early (disconnected)
                // the moment the guard drops its sender.
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stop_rx.recv_timeout(every)
                {
                    if let Err(mpsc::error::TrySendError::Closed(())) = tx.try_send(()) {
                        break;
                    }
                }
            })
            .map_err(|e| {
                Error::new(
                    ErrorCode::SyncFailed,
                    format!("Could not start the folder sync timer: {e}"),
                )
            })?;
        Ok((
            FolderWatch {
                watcher,
                stop: Some(stop_tx),
                timer: Some(timer),
            },
            rx,
        ))
    }

    fn start_watcher(&self, tx: mpsc::Sender<()>) -> notify::Result<notify::RecommendedWatcher> {
        let own = self.own_name.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let tick = match &event {
                    Ok(event) => worth_a_tick(event, &own),
                    // Events may have been lost (queue overflow): look.
                    Err(_) => true,
                };
                if tick {
                    let _ = tx.try_send(());
                }
            })?;
        watcher.watch(&self.dir, RecursiveMode::Recursive)?;
        Ok(watcher)
    }

    /// Creates `<root>/tidings/<workspace>` if missing (never `root` itself),
    /// flushing each parent that gained an entry.
    fn ensure_dir(&self) -> Result<()> {
        if self.dir.is_dir() {
            return Ok(());
        }
        if !self.root.is_dir() {
            return Err(Error::new(
                ErrorCode::SyncFailed,
                format!(
                    "The sync folder {} is gone: if it is on a drive or share, check that it is connected; \
                     otherwise choose a folder that exists and that you can write",
                    self.root.display()
                ),
            ));
        }
        let top = self.root.join(TOP_DIR);
        for (dir, parent) in [(&top, &self.root), (&self.dir, &top)] {
            match fs::create_dir(dir) {
                Ok(()) => sync_dir(parent),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(e) => return Err(folder_error(dir, "create", &e)),
            }
        }
        Ok(())
    }

    /// Opens our log for appending; `true` when this call created it (the
    /// folder is then flushed so the new name survives a crash).
    fn open_own(&self) -> Result<(File, bool)> {
        let path = self.own_file();
        let created = match OpenOptions::new().append(true).create_new(true).open(&path) {
            Ok(file) => Ok((file, true)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => OpenOptions::new()
                .append(true)
                .open(&path)
                .map(|file| (file, false)),
            Err(e) => Err(e),
        };
        let (file, created) = created.map_err(|e| folder_error(&path, "write", &e))?;
        if created {
            sync_dir(&self.dir);
        }
        Ok((file, created))
    }

    fn note_once(&self, batch: &mut ReadBatch, key: String, file: &str, offset: u64, reason: &str) {
        if lock(&self.noted).insert(key) {
            batch.problems.push(FolderProblem {
                file: file.to_string(),
                offset,
                reason: reason.to_string(),
            });
        }
    }

    fn note_unreadable(&self, batch: &mut ReadBatch, name: &str, e: &io::Error) {
        self.note_once(
            batch,
            format!("unreadable:{name}"),
            name,
            0,
            &format!("the file cannot be read ({e}); it is tried again at each sync"),
        );
    }
}

const FOREIGN: &str =
    "not a Tidings device log (a conflict copy, a note or another program's file): ignored";

/// What a directory entry's name says it is.
#[derive(Debug, PartialEq, Eq)]
enum Name {
    /// `<64 lowercase hex>.log`: a device's log.
    Device(DeviceId),
    /// A sync tool's temporary or hidden file (`.syncthing.x.tmp`,
    /// `~syncthing~x.tmp`, `.DS_Store`, `~$x`): ignored without a note,
    /// since they come and go all the time.
    Transient,
    /// Anything else, including conflict copies such as
    /// `<hex>.sync-conflict-20240101-120000-ABCDEFG.log` or `<hex> (1).log`:
    /// ignored with a note, because only the device may write its log.
    Foreign,
}

fn classify(name: &str) -> Name {
    if name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || name.ends_with(".tmp")
        || name.ends_with(".partial")
    {
        return Name::Transient;
    }
    let device = name
        .strip_suffix(LOG_EXTENSION)
        .and_then(|stem| stem.strip_suffix('.'))
        .filter(|hex| hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .and_then(DeviceId::from_hex);
    match device {
        Some(d) => Name::Device(d),
        None => Name::Foreign,
    }
}

/// Whether a file-system event may mean another device's log changed.
/// Opens and reads (including our own reads, which would otherwise tick
/// forever) and changes to our own log do not.
fn worth_a_tick(event: &notify::Event, own_name: &str) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
        EventKind::Access(_) => return false,
        _ => {}
    }
    let only_own = !event.paths.is_empty()
        && event
            .paths
            .iter()
            .all(|p| p.file_name().is_some_and(|n| n == own_name));
    !only_own
}

/// Reads up to `want` bytes of `path` from `off`; fewer at the end of file.
fn read_window(path: &Path, off: u64, want: u64) -> io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(off))?;
    let mut buf = Vec::with_capacity(want.min(MIN_WINDOW as u64 * 4) as usize);
    file.take(want).read_to_end(&mut buf)?;
    Ok(buf)
}

/// After a crash mid-append (or a power loss that left zeros where the last
/// write should be), our own log may end in bytes that are not a frame.
/// Appending after them would make every reader report damage, so cut them
/// off first. This is safe: readers never move past a tail with no valid
/// frame after it, so none has read beyond the cut.
///
/// Walks frame headers from the start (cheap: a buffered skip per frame),
/// then checks the last frame and whatever follows it. Damage in the middle
/// of the file is left alone: readers skip it.
fn repair_torn_tail(path: &Path) -> io::Result<()> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut reader = BufReader::with_capacity(256 << 10, file);
    let mut pos = 0u64;
    let mut last_start = 0u64;
    while pos < len {
        let mut header = [0u8; HEADER_LEN];
        if read_up_to(&mut reader, &mut header)? < HEADER_LEN
            || header[..4] != MAGIC
            || header[4] != VERSION
        {
            break;
        }
        let payload = u64::from(u32::from_le_bytes([
            header[5], header[6], header[7], header[8],
        ]));
        let end = pos + HEADER_LEN as u64 + payload;
        if payload > MAX_PAYLOAD as u64 || end > len {
            break;
        }
        last_start = pos;
        pos = end;
        reader.seek_relative(payload as i64)?;
    }
    // The last frame whose header looked right, and everything after it.
    let check_from = last_start;
    if len - check_from > MIN_WINDOW as u64 {
        return Ok(());
    }
    let tail = read_window(path, check_from, len - check_from)?;
    if let Some(Chunk::Partial { offset, damaged }) = Reader::new(&tail, check_from).last() {
        tracing::warn!(
            file = %path.display(), offset, cut = len - offset, damaged = ?damaged,
            "own sync log ends in a torn or damaged write; cutting it off before appending"
        );
        // A handle of its own: an append-only handle may not truncate (on
        // Windows it lacks the write-data right).
        let file = OpenOptions::new().write(true).open(path)?;
        file.set_len(offset)?;
        file.sync_data()?;
    }
    Ok(())
}

/// Fills `buf` as far as the reader allows; returns the count.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Flushes a directory so a new entry in it survives a crash. Best effort:
/// Windows cannot open a directory as a file, and some network file systems
/// refuse to flush one; the data itself is flushed with the file.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(e) = File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(dir = %dir.display(), error = %e, "could not flush the sync folder");
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn folder_error(path: &Path, action: &str, e: &io::Error) -> Error {
    let hint = match e.kind() {
        io::ErrorKind::NotFound => {
            "; choose a folder that exists and that you can write (if it is on a drive or share, check that it is connected)"
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            "; choose a folder that exists and that you can write"
        }
        io::ErrorKind::StorageFull => "; the disk is full: free some space (sync retries by itself)",
        _ => "; sync retries by itself",
    };
    Error::new(
        ErrorCode::SyncFailed,
        format!("Could not {action} {}: {e}{hint}", path.display()),
    )
}

/// Locks a mutex, shrugging off poisoning: the guarded state stays valid
/// whatever a panicking holder was doing.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
#[path = "folder_tests.rs"]
mod tests;
