//! Making writes durable, and owning the data folder.
//!
//! sled's `flush()` ends in `sync_file_range` on Linux, which does not
//! persist file metadata and does not survive power loss (sled issue
//! #1452), and sled never fsyncs its blob files. So after each flush we
//! `fsync` the log file and any new blob files ourselves.
//!
//! Group commit: a writer that needs durability joins the flush in
//! progress or starts the next one; every writer whose transaction
//! committed before a flush started is covered by it, so concurrent writers
//! share one flush instead of queueing one each.
//!
//! A full disk (or a quota) is mostly caught before anything is written
//! (`room`). When a flush fails anyway (ENOSPC), the writer gets
//! `disk_full` and its ops are not acknowledged; sled (0.34) keeps the
//! failed log write as a sticky error, so every later write of this open
//! store fails too, even once space is freed, until the store is opened
//! again: this remembers the failure and every later write gets it back,
//! saying to restart. Ops are flushed before they take effect (`staged`),
//! so a refused op never shows. A search commit that fails the same way
//! is retried by the committer and redone from the search log on the
//! next open.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use fs4::fs_std::FileExt;

use crate::error::{Error, ErrorCode, Result};

/// Holds the data folder's lock for as long as the store is open.
pub struct FolderLock {
    _file: File,
}

impl FolderLock {
    /// Takes the exclusive lock, or explains that another Tidings has it.
    pub fn acquire(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join("tidings.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        match file.try_lock_exclusive() {
            Ok(true) => Ok(FolderLock { _file: file }),
            Ok(false) => Err(already_running(dir)),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Err(already_running(dir)),
            Err(e) => Err(e.into()),
        }
    }
}

fn already_running(dir: &Path) -> Error {
    Error::new(
        ErrorCode::AlreadyRunning,
        format!(
            "Tidings is already running with this data folder ({}): switch to that window, or quit it first",
            dir.display()
        ),
    )
}

#[derive(Default)]
struct Group {
    /// Writers that asked for durability so far.
    requested: u64,
    /// Every request up to this number is on disk.
    flushed: u64,
    /// A flush is under way.
    flushing: bool,
}

/// Group-committed, fsynced flushes of one sled database.
pub struct Durability {
    db: sled::Db,
    dir: PathBuf,
    log: File,
    synced_blobs: Mutex<HashSet<std::ffi::OsString>>,
    group: Mutex<Group>,
    done: Condvar,
    /// The first failed flush: sled refuses every write after it.
    failed: Mutex<Option<Error>>,
}

impl Durability {
    /// The sled database it makes durable.
    pub fn db(&self) -> &sled::Db {
        &self.db
    }

    /// Prepares durability for the database in `dir` (already opened).
    pub fn new(db: sled::Db, dir: &Path) -> Result<Self> {
        let log = File::open(dir.join("db"))?;
        Ok(Durability {
            db,
            dir: dir.to_path_buf(),
            log,
            synced_blobs: Mutex::new(HashSet::new()),
            group: Mutex::new(Group::default()),
            done: Condvar::new(),
            failed: Mutex::new(None),
        })
    }

    /// The failed flush that stopped this store from writing, if one did.
    pub fn failure(&self) -> Option<Error> {
        self.failed.lock().ok().and_then(|f| f.clone())
    }

    /// Returns once everything committed before the call is on disk.
    pub fn sync(&self) -> Result<()> {
        let mut g = self.group.lock().map_err(|_| poisoned())?;
        g.requested += 1;
        let mine = g.requested;
        loop {
            if g.flushed >= mine {
                return Ok(());
            }
            if g.flushing {
                g = self.done.wait(g).map_err(|_| poisoned())?;
                continue;
            }
            g.flushing = true;
            let covers = g.requested;
            drop(g);
            let result = self.flush_now();
            g = self.group.lock().map_err(|_| poisoned())?;
            g.flushing = false;
            match &result {
                Ok(()) => g.flushed = g.flushed.max(covers),
                Err(e) => {
                    if let Ok(mut f) = self.failed.lock() {
                        f.get_or_insert_with(|| e.clone());
                    }
                }
            }
            self.done.notify_all();
            result?;
        }
    }

    fn flush_now(&self) -> Result<()> {
        self.db.flush()?;
        self.log.sync_all()?;
        self.sync_new_blobs()
    }

    fn sync_new_blobs(&self) -> Result<()> {
        let blobs = self.dir.join("blobs");
        let Ok(entries) = std::fs::read_dir(&blobs) else {
            return Ok(());
        };
        let mut seen = self.synced_blobs.lock().map_err(|_| poisoned())?;
        let mut any = false;
        for e in entries.flatten() {
            if !seen.contains(&e.file_name()) {
                File::open(e.path())?.sync_all()?;
                seen.insert(e.file_name());
                any = true;
            }
        }
        if any {
            sync_dir(&blobs)?;
        }
        Ok(())
    }
}

/// fsyncs a directory so entries created in it survive power loss.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn poisoned() -> Error {
    Error::new(
        ErrorCode::Io,
        "A writer crashed while flushing; restart Tidings",
    )
}
