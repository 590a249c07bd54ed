//! Counts of what views read from the store, per thread of execution.
//!
//! Views promise to read one page of a long thread, not the whole thread,
//! and a list page to read a few small rows per item. The counts make those
//! promises observable: a test reads a page and checks how many comment
//! rows, point reads and range scans it took. They are per OS thread (sled
//! reads run on the caller's thread) so tests running in parallel do not
//! disturb each other, and each costs one thread-local add.

use std::cell::Cell;

thread_local! {
    static COMMENT_READS: Cell<u64> = const { Cell::new(0) };
    static POINT_READS: Cell<u64> = const { Cell::new(0) };
    static SCANS: Cell<u64> = const { Cell::new(0) };
}

fn bump(n: &'static std::thread::LocalKey<Cell<u64>>) {
    n.with(|n| n.set(n.get().wrapping_add(1)));
}

/// Notes one comment row read from the store.
pub(crate) fn note_comment_read() {
    bump(&COMMENT_READS);
}

/// Notes one read of a single key.
pub(crate) fn note_point_read() {
    bump(&POINT_READS);
}

/// Notes one range scan started.
pub(crate) fn note_scan() {
    bump(&SCANS);
}

/// How many comment rows this OS thread has read from any store so far.
pub fn comment_reads_on_this_thread() -> u64 {
    COMMENT_READS.with(Cell::get)
}

/// What this OS thread has read from any store so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    /// Reads of one key (`get`, `contains_key`).
    pub point: u64,
    /// Range scans started (each may return many rows).
    pub scans: u64,
}

impl std::ops::Sub for Reads {
    type Output = Reads;
    fn sub(self, before: Reads) -> Reads {
        Reads {
            point: self.point.wrapping_sub(before.point),
            scans: self.scans.wrapping_sub(before.scans),
        }
    }
}

/// Point reads and scans this OS thread has made so far.
pub fn store_reads_on_this_thread() -> Reads {
    Reads {
        point: POINT_READS.with(Cell::get),
        scans: SCANS.with(Cell::get),
    }
}
