//! Keeping room on the disk: a write is refused with `disk_full` before it
//! touches the store when the data folder's disk has less free space than
//! the reserve plus what the write may take.
//!
//! Why refuse early: once sled's own log write fails (ENOSPC), sled keeps
//! the failure as a sticky error and the open store refuses every write
//! until it is opened again (`durability`). Refused here, nothing was
//! written, so the store takes writes again as soon as there is room.
//!
//! The sizes, measured on a tmpfs (tests/disk_full.rs): a 1 KiB comment
//! grows sled's files by about 8.5 KiB on average (pages are appended,
//! then rewritten whole every 10 fragments) and by 84 KiB at most in one
//! write; a log segment is 512 KiB and is padded to its end when full;
//! nodes above 128 KiB go to blob files. The default reserve of 4 MiB
//! covers a segment, a few large nodes and the search index's next small
//! commit; each write also needs four times its ops' bytes (a batch of
//! 2,000 ops of 1.3 KiB needs about 14 MiB).
//!
//! It is a check, not a reservation: another program (or the search
//! index merging segments) may take the room between the check and the
//! write. That case is the backstop's (`staged`): refused, and nothing of
//! it shows.

use std::path::Path;

use tracing::warn;

use crate::error::{Error, ErrorCode, Result};

/// How many bytes of log a write may take per byte of its ops (measured
/// amplification with margin, see the module doc).
const BYTES_PER_OP_BYTE: u64 = 4;

/// Refuses with `disk_full` when the disk holding `dir` has less than
/// `reserve` bytes free beyond what writing `op_bytes` of ops may take. A
/// `reserve` of 0 turns the check off. A file system that cannot say how
/// much is free is not held to it (logged).
pub fn check(dir: &Path, reserve: u64, op_bytes: u64) -> Result<()> {
    if reserve == 0 {
        return Ok(());
    }
    let free = match fs4::available_space(dir) {
        Ok(free) => free,
        Err(e) => {
            warn!(error = %e, "cannot tell how much disk is free; writing without the reserve");
            return Ok(());
        }
    };
    let need = reserve.saturating_add(op_bytes.saturating_mul(BYTES_PER_OP_BYTE));
    if free >= need {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::DiskFull,
        format!(
            "The disk holding the data folder is almost full ({} free; Tidings keeps {} free so \
             that what it saves is never cut off): free some space, then try again. Nothing was \
             saved; everything saved before is kept",
            mib(free),
            mib(need)
        ),
    ))
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
