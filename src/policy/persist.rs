//! Saving the [`NotificationQueue`] to a file, so what is held for the
//! morning (outside my hours, during a pause) survives a quit and relaunch.
//!
//! The queue is small (bounded digests, a few KiB however much is held), so
//! it is rewritten whole after each change: JSON into a temporary file in
//! the same folder, fsynced, renamed over the target, the folder fsynced. A
//! crash leaves the old file or the new one, never a mix. JSON rather than
//! postcard because a person debugging "why did this not notify?" can read
//! it.
//!
//! The file only ever costs notifications, never data (every comment is in
//! the store), so a file that cannot be read or decoded must not stop the
//! app: it is moved aside (`<name>.corrupt`, for a bug report) with a
//! warning and the queue starts empty.
//!
//! The file is [`Saved`] around the queue's serde form: renaming or
//! reshaping a field of the queue, its digests or its summary is a format
//! change. Bump [`VERSION`] for one; a file of another version is set aside
//! like a damaged one (held notifications are lost, not misread).

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tracing::warn;

use super::NotificationQueue;
use crate::error::{Error, ErrorCode, Result};

/// The queue's file name in the data folder.
pub const FILE_NAME: &str = "notifications.json";

/// The version of the file's layout (see the module doc).
pub const VERSION: u32 = 1;

/// What the file holds. Changing it is a format change.
#[derive(Serialize, Deserialize)]
struct Saved<Q> {
    version: u32,
    queue: Q,
}

/// Writes `queue` to `path` atomically (see the module doc). One writer per
/// path at a time: the temporary file's name is fixed (`<name>.tmp`), which
/// is safe because one process holds a data folder and the shell saves
/// under its queue lock.
pub fn save(path: &Path, queue: &NotificationQueue) -> Result<()> {
    let bytes = serde_json::to_vec(&Saved {
        version: VERSION,
        queue,
    })
    .map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("Held notifications could not be encoded: {e}"),
        )
    })?;
    let tmp = sibling(path, "tmp");
    let write = || -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    };
    if let Err(e) = write() {
        if let Err(rm) = fs::remove_file(&tmp) {
            if rm.kind() != ErrorKind::NotFound {
                warn!(tmp = %tmp.display(), "cannot remove a temporary file: {rm}");
            }
        }
        return Err(io_error(path, e));
    }
    // Without this the rename itself may not survive a power cut.
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error(path, e))?;
    }
    Ok(())
}

/// Reads the queue saved at `path`. No file gives an empty queue; a file
/// that cannot be read or decoded is moved to `<path>.corrupt` with a
/// warning and also gives an empty queue (see the module doc).
pub fn load(path: &Path) -> NotificationQueue {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == ErrorKind::NotFound => return NotificationQueue::new(),
        Err(e) => {
            set_aside(path, &format!("it cannot be read: {e}"));
            return NotificationQueue::new();
        }
    };
    match decode(&bytes) {
        Ok(queue) => queue,
        Err(why) => {
            set_aside(path, &why);
            NotificationQueue::new()
        }
    }
}

/// The queue's file, remembering what is on disk so that an unchanged
/// queue is not rewritten (the scheduler looks at the queue every minute;
/// most looks change nothing).
#[derive(Debug)]
pub struct QueueFile {
    path: PathBuf,
    on_disk: NotificationQueue,
}

impl QueueFile {
    /// Loads the queue saved at `path` (see [`load`]) and returns it with
    /// the handle that saves it there.
    pub fn open(path: impl Into<PathBuf>) -> (QueueFile, NotificationQueue) {
        let path = path.into();
        let queue = load(&path);
        let file = QueueFile {
            path,
            on_disk: queue.clone(),
        };
        (file, queue)
    }

    /// Writes `queue` if it differs from what was last written or loaded;
    /// returns whether it wrote. After a failure the next call tries again.
    pub fn save(&mut self, queue: &NotificationQueue) -> Result<bool> {
        if *queue == self.on_disk {
            return Ok(false);
        }
        save(&self.path, queue)?;
        self.on_disk = queue.clone();
        Ok(true)
    }

    /// Where the queue is saved.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn decode(bytes: &[u8]) -> std::result::Result<NotificationQueue, String> {
    let saved: Saved<serde_json::Value> =
        serde_json::from_slice(bytes).map_err(|e| format!("it is not valid: {e}"))?;
    if saved.version != VERSION {
        return Err(format!(
            "it has version {}, this Tidings reads version {VERSION}",
            saved.version
        ));
    }
    serde_json::from_value(saved.queue).map_err(|e| format!("it is not valid: {e}"))
}

/// Moves an unusable file out of the way, so the next save starts clean
/// and the bad one is still there to look at.
fn set_aside(path: &Path, why: &str) {
    let aside = sibling(path, "corrupt");
    match fs::rename(path, &aside) {
        Ok(()) => warn!(
            path = %path.display(),
            aside = %aside.display(),
            "held notifications are lost: {why}; the file was moved aside",
        ),
        Err(e) => warn!(
            path = %path.display(),
            "held notifications are lost: {why}; moving the file aside failed too: {e}",
        ),
    }
}

/// `<path>.<ext>`, e.g. `notifications.json.tmp`.
fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    let base = Error::from(e);
    Error::new(
        base.code,
        format!(
            "Held notifications could not be saved to {} ({})",
            path.display(),
            base.message
        ),
    )
}

#[cfg(test)]
mod tests {
    //! With files in temp folders and fixed instants, never the system clock.

    use chrono::TimeDelta;

    use super::*;
    use crate::model::ids::ThreadId;
    use crate::policy::tests::{ev, mins, utc, NOON};
    use crate::policy::Decision;

    /// Thread 7 shown at `now`, thread 8 held until `at`.
    fn busy_queue(
        now: chrono::DateTime<chrono::Utc>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> NotificationQueue {
        let mut q = NotificationQueue::new();
        let shown = q.offer(
            vec![(ev(7, 2, "Ana", now, "live"), Decision::NotifyNow)],
            now,
        );
        assert_eq!(shown.len(), 1);
        let held = q.offer(
            vec![
                (
                    ev(8, 2, "Ana", now, "late thought"),
                    Decision::HoldUntil(at),
                ),
                (
                    ev(8, 3, "Ben", now + mins(1), "the footer"),
                    Decision::HoldUntil(at),
                ),
            ],
            now,
        );
        assert!(held.is_empty());
        q
    }

    #[test]
    fn a_queue_with_held_items_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let now = utc(NOON);
        let q = busy_queue(now, now + TimeDelta::hours(11));
        save(&path, &q).unwrap();
        let back = load(&path);
        assert_eq!(back, q);
        assert_eq!(back.held_count(), 2);
        assert_eq!(back.last_shown(ThreadId(7)), Some(now));
        // Saving again replaces the file and leaves no temporary behind.
        save(&path, &NotificationQueue::new()).unwrap();
        assert_eq!(load(&path), NotificationQueue::new());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![FILE_NAME]);
    }

    #[test]
    fn a_missing_file_is_an_empty_queue_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        assert_eq!(load(&path), NotificationQueue::new());
        assert!(fs::read_dir(dir.path()).unwrap().next().is_none());
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_and_the_queue_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, b"{\"version\":1,\"queue\":{\"held\":").unwrap();
        assert_eq!(load(&path), NotificationQueue::new());
        assert!(!path.exists());
        let aside = dir.path().join(format!("{FILE_NAME}.corrupt"));
        assert_eq!(
            fs::read(&aside).unwrap(),
            b"{\"version\":1,\"queue\":{\"held\":"
        );
        // The next save starts a good file again.
        let now = utc(NOON);
        let q = busy_queue(now, now + mins(30));
        save(&path, &q).unwrap();
        assert_eq!(load(&path), q);
    }

    #[test]
    fn an_unreadable_file_is_moved_aside_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        // A folder where the file should be: reading it fails.
        fs::create_dir(&path).unwrap();
        assert_eq!(load(&path), NotificationQueue::new());
        assert!(!path.exists());
        assert!(dir.path().join(format!("{FILE_NAME}.corrupt")).is_dir());
    }

    #[test]
    fn a_file_of_another_version_is_set_aside_not_misread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(
            &path,
            br#"{"version":2,"queue":{"shown":{},"held":{},"summary":null}}"#,
        )
        .unwrap();
        assert_eq!(load(&path), NotificationQueue::new());
        assert!(!path.exists());
        assert!(dir.path().join(format!("{FILE_NAME}.corrupt")).exists());
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_an_io_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join(FILE_NAME);
        let err = save(&path, &NotificationQueue::new()).unwrap_err();
        assert_eq!(err.code, ErrorCode::Io);
        assert!(err.message.contains(FILE_NAME), "{}", err.message);
    }

    #[test]
    fn a_held_comment_is_still_released_at_its_time_after_a_save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        // Held at 22:00 UTC until 09:00 the next morning.
        let evening = utc("2026-11-25T22:00:00Z");
        let morning = utc("2026-11-26T09:00:00Z");
        let mut q = NotificationQueue::new();
        q.offer(
            vec![(
                ev(8, 2, "Ana", evening, "late thought"),
                Decision::HoldUntil(morning),
            )],
            evening,
        );
        save(&path, &q).unwrap();
        drop(q);

        // Relaunched at 08:00: nothing yet, and the scheduler knows when.
        let mut back = load(&path);
        assert_eq!(back.next_due(), Some(morning));
        assert!(back.due(morning - TimeDelta::hours(1)).is_empty());
        let out = back.due(morning);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].thread, Some(ThreadId(8)));
        assert_eq!(out[0].body, "Ana: late thought");
        assert_eq!((back.held_count(), back.next_due()), (0, None));
    }

    #[test]
    fn the_queue_file_writes_only_when_the_queue_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let (mut file, mut q) = QueueFile::open(&path);
        assert_eq!(file.path(), path);
        // Empty and unchanged: nothing to write, no file appears.
        assert!(!file.save(&q).unwrap());
        assert!(!path.exists());

        let now = utc(NOON);
        let at = now + TimeDelta::hours(3);
        q.offer(
            vec![(ev(8, 2, "Ana", now, "x"), Decision::HoldUntil(at))],
            now,
        );
        assert!(file.save(&q).unwrap());
        assert!(!file.save(&q).unwrap());

        // A relaunch sees the held comment and has nothing new to write.
        let (mut again, loaded) = QueueFile::open(&path);
        assert_eq!(loaded, q);
        assert!(!again.save(&loaded).unwrap());
    }
}
