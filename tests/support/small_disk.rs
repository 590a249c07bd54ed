//! A small file system of its own for tests about running out of disk or
//! a read-only data folder: a size-limited tmpfs mounted in a temp dir.
//!
//! Mounting needs root (CI runs as root). Elsewhere [`SmallDisk::mount`]
//! returns `None` after printing why, and the test says it was skipped;
//! CI never takes that path.

use std::fs::File;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// A mounted tmpfs; unmounted when dropped.
pub struct SmallDisk {
    dir: TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `bytes` bytes, or explains (on stderr) why not.
    pub fn mount(test: &str, bytes: u64) -> Option<SmallDisk> {
        if !is_root() {
            eprintln!("SKIPPED {test}: mounting a small file system needs root (CI runs as root)");
            return None;
        }
        let dir = tempfile::tempdir().expect("a mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
            .arg("tidings-test")
            .arg(dir.path())
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "mount a tmpfs as root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(SmallDisk { dir })
    }

    /// Where it is mounted.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn filler(&self) -> PathBuf {
        self.path().join("filler")
    }

    /// Takes every free byte with a filler file; how many it took.
    pub fn fill(&self) -> u64 {
        let mut f = File::create(self.filler()).expect("create the filler");
        let chunk = vec![0xa5u8; 4096];
        let mut taken = 0u64;
        loop {
            match f.write(&chunk) {
                Ok(0) => break,
                Ok(n) => taken += n as u64,
                Err(e) if e.kind() == ErrorKind::StorageFull => break,
                Err(e) => panic!("fill the disk: {e}"),
            }
        }
        // Partial pages: take the last bytes one at a time.
        while let Ok(1) = f.write(&[0]) {
            taken += 1;
        }
        taken
    }

    /// Fills the disk, then gives `bytes` back, so a few more writes fit
    /// and a later one runs out part way.
    pub fn fill_leaving(&self, bytes: u64) {
        let taken = self.fill();
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(self.filler())
            .expect("open the filler");
        f.set_len(taken.saturating_sub(bytes))
            .expect("shrink the filler");
    }

    /// Frees what [`Self::fill`] took.
    pub fn free(&self) {
        std::fs::remove_file(self.filler()).expect("remove the filler");
    }

    /// Remounts it read-only (`true`) or writable again (`false`). Linux
    /// refuses a read-only remount while a file is open for writing, so
    /// close the store first.
    pub fn set_read_only(&self, read_only: bool) {
        let mode = if read_only {
            "remount,ro"
        } else {
            "remount,rw"
        };
        let out = Command::new("mount")
            .args(["-o", mode])
            .arg(self.path())
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "mount -o {mode}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Whether this process runs as root (effective uid 0).
fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        == Some("0")
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazy: a store that failed to close may still hold files open.
        let _ = Command::new("umount").arg("-l").arg(self.path()).status();
    }
}
