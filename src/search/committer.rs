//! The writer, the reader, and the background thread that commits.
//!
//! A tantivy commit is an fsync plus new segment files, far too costly per
//! op, so writes only mark the index dirty and a background thread commits
//! at most once per [`DEBOUNCE`]: a burst of ops costs one commit, and a
//! single op is searchable within a fraction of a second.
//!
//! Progress is tracked with two counters under one mutex: `written` counts
//! write calls, `committed` is the value of `written` covered by the last
//! successful commit. Writers bump `written` while still holding the writer
//! lock, and a commit reads it under that same lock, so a commit always
//! contains every write it claims. Lock order is writer, then state.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tantivy::{IndexReader, IndexWriter};

use crate::error::Result;

/// How long the committer gathers writes before committing them.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(200);

/// Longest pause between retries when commits keep failing.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

#[derive(Default)]
struct State {
    written: u64,
    committed: u64,
    /// The store's search-log epoch whose writes have all reached the
    /// writer ([`Shared::mark_epoch`]).
    epoch: u64,
    /// The epoch the last commit covers (saved as the commit's payload).
    committed_epoch: u64,
    shutdown: bool,
}

/// The writer and reader, shared by callers and the committer thread.
pub(crate) struct Shared {
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    state: Mutex<State>,
    changed: Condvar,
}

/// Takes a lock even if a thread panicked while holding it: the guarded
/// data stays consistent (counters, or a writer that reports its own
/// errors), and a search index must not take the app down.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// `epoch`: the one the index's last commit covers (its payload).
    pub(crate) fn new(writer: IndexWriter, reader: IndexReader, epoch: u64) -> Self {
        Shared {
            writer: Mutex::new(writer),
            reader,
            state: Mutex::new(State {
                epoch,
                committed_epoch: epoch,
                ..State::default()
            }),
            changed: Condvar::new(),
        }
    }

    /// Records that every write of the store's search-log `epoch` has
    /// reached the writer: the next commit covers it. Call it after the
    /// writes, never before (a commit in between then only covers less).
    pub(crate) fn mark_epoch(&self, epoch: u64) {
        let mut st = lock(&self.state);
        st.epoch = st.epoch.max(epoch);
    }

    /// The epoch the last commit covers.
    pub(crate) fn committed_epoch(&self) -> u64 {
        lock(&self.state).committed_epoch
    }

    /// The reader; its searcher sees everything committed so far.
    pub(crate) fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// Runs `f` with the writer, then wakes the committer. Writes that fail
    /// halfway still count: whatever did reach the writer must be committed.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut w = lock(&self.writer);
        let out = f(&mut w);
        let mut st = lock(&self.state);
        st.written += 1;
        self.changed.notify_all();
        out
    }

    /// [`Self::write`], then commits, so the write is searchable when this
    /// returns.
    pub(crate) fn write_and_commit(
        &self,
        f: impl FnOnce(&mut IndexWriter) -> Result<()>,
    ) -> Result<()> {
        let mut w = lock(&self.writer);
        let out = f(&mut w);
        {
            let mut st = lock(&self.state);
            st.written += 1;
            self.changed.notify_all();
        }
        // Commit even after a failure: whatever reached the writer is kept.
        let committed = self.commit_locked(&mut w);
        out.and(committed)
    }

    /// Commits and reloads the reader now, so everything written so far is
    /// searchable when this returns.
    pub(crate) fn commit(&self) -> Result<()> {
        let mut w = lock(&self.writer);
        self.commit_locked(&mut w)
    }

    /// [`Self::commit`] for a caller already holding the writer.
    pub(crate) fn commit_locked(&self, w: &mut IndexWriter) -> Result<()> {
        let (target, epoch) = {
            let st = lock(&self.state);
            (st.written, st.epoch)
        };
        // The payload is the watermark: after a crash, the store replays
        // its search log from there.
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&epoch.to_string());
        prepared.commit()?;
        self.reader.reload()?;
        let mut st = lock(&self.state);
        st.committed = st.committed.max(target);
        st.committed_epoch = st.committed_epoch.max(epoch);
        self.changed.notify_all();
        Ok(())
    }

    /// Whether some write is not committed yet.
    pub(crate) fn pending(&self) -> bool {
        let st = lock(&self.state);
        st.written != st.committed
    }

    /// Waits until every write made before the call is committed; false
    /// when `timeout` passes first.
    pub(crate) fn wait_committed(&self, timeout: Duration) -> bool {
        // A huge timeout overflows `Instant`: treat it as "forever".
        let deadline = Instant::now().checked_add(timeout);
        let mut st = lock(&self.state);
        let target = st.written;
        while st.committed < target {
            st = match deadline {
                None => self.changed.wait(st).unwrap_or_else(|p| p.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return false;
                    }
                    self.changed
                        .wait_timeout(st, d - now)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
            };
        }
        true
    }

    /// Asks the committer thread to commit what is pending and exit.
    pub(crate) fn shut_down(&self) {
        lock(&self.state).shutdown = true;
        self.changed.notify_all();
    }
}

/// Starts the committer thread.
pub(crate) fn spawn(shared: Arc<Shared>) -> Result<JoinHandle<()>> {
    Ok(std::thread::Builder::new()
        .name("tidings-search-commit".into())
        .spawn(move || run(&shared))?)
}

fn run(s: &Shared) {
    let mut backoff = DEBOUNCE;
    loop {
        {
            let mut st = lock(&s.state);
            while st.written == st.committed && !st.shutdown {
                st = s.changed.wait(st).unwrap_or_else(|p| p.into_inner());
            }
            if st.written == st.committed {
                return; // shutting down with nothing to save
            }
            // Gather more writes before paying for a commit; shutdown cuts
            // the wait short so dropping the index is quick.
            let deadline = Instant::now() + backoff;
            while !st.shutdown {
                let now = Instant::now();
                if now >= deadline {
                    break;
                }
                st = s
                    .changed
                    .wait_timeout(st, deadline - now)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
        }
        match s.commit() {
            Ok(()) => backoff = DEBOUNCE,
            Err(e) => {
                tracing::error!(error = %e, "background commit of the search index failed; will retry");
                if lock(&s.state).shutdown {
                    // Retrying on the way out could hang the drop forever;
                    // the index is rebuilt from the store if writes were lost.
                    return;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}
