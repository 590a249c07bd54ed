//! A count of comment rows read, per thread of execution.
//!
//! Views promise to read one page of a long thread, not the whole thread.
//! The count makes that promise observable: a test reads a page and checks
//! how many comment rows the read touched. It is per OS thread (sled reads
//! run on the caller's thread) so tests running in parallel do not disturb
//! each other, and it costs one thread-local add per row.

use std::cell::Cell;

thread_local! {
    static COMMENT_READS: Cell<u64> = const { Cell::new(0) };
}

/// Notes one comment row read from the store.
pub(crate) fn note_comment_read() {
    COMMENT_READS.with(|n| n.set(n.get().wrapping_add(1)));
}

/// How many comment rows this OS thread has read from any store so far.
pub fn comment_reads_on_this_thread() -> u64 {
    COMMENT_READS.with(Cell::get)
}
