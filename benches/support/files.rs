//! Files of a store on disk, shared by the benchmarks (each includes this
//! file with `#[path]`): their size, and dropping them from the OS page
//! cache so that a child process reads them from disk as after a reboot;
//! and the sled cache size an experiment asks for.

use std::fs::File;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Bytes of all files under `dir`.
pub fn disk_bytes(dir: &Path) -> Result<u64> {
    let mut n = 0;
    for e in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let e = e?;
        let m = e.metadata()?;
        n += if m.is_dir() {
            disk_bytes(&e.path())?
        } else {
            m.len()
        };
    }
    Ok(n)
}

/// Drops every file under `dir` from the page cache (`posix_fadvise`
/// DONTNEED, as `vmtouch -e` does); returns their bytes. Each file is
/// fsynced first: DONTNEED keeps dirty pages.
pub fn evict(dir: &Path) -> Result<u64> {
    use std::os::fd::AsRawFd;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
                continue;
            }
            let f = File::open(&path).with_context(|| format!("opening {}", path.display()))?;
            f.sync_all()?;
            bytes += f.metadata()?.len();
            // SAFETY: posix_fadvise only reads its integer arguments; the
            // descriptor is open for the whole call.
            let rc = unsafe { libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
            if rc != 0 {
                bail!("posix_fadvise failed on {} (error {rc})", path.display());
            }
        }
    }
    Ok(bytes)
}

/// Runs this bench binary again with `args` and returns the `key=value`
/// numbers of the line it printed starting with `tag` (a child reports
/// what it measured that way, in its own fresh process).
pub fn run_child(args: &[&std::ffi::OsStr], tag: &str) -> Result<Vec<(String, u64)>> {
    let exe = std::env::current_exe().context("finding the bench binary")?;
    let out = std::process::Command::new(exe)
        .args(args)
        .output()
        .with_context(|| format!("running the {tag} child"))?;
    if !out.status.success() {
        bail!(
            "the {tag} child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.split_whitespace().next() == Some(tag))
        .with_context(|| format!("the {tag} child printed no result: {text}"))?;
    line.split_whitespace()
        .skip(1)
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| {
            let n = v.parse().with_context(|| format!("bad value in {k}={v}"))?;
            Ok((k.to_string(), n))
        })
        .collect()
}

/// A sled cache size in MiB from the environment variable `var`, for
/// experiments: None when it is not set.
pub fn cache_mb(var: &str) -> Result<Option<u64>> {
    match std::env::var(var) {
        Ok(mb) => mb
            .trim()
            .parse()
            .map(Some)
            .with_context(|| format!("{var}={mb} is not a whole number")),
        Err(_) => Ok(None),
    }
}
