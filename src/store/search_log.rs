//! The search log: which documents each write batch changed, written in
//! the same sled transaction as the batch. The search index commits in the
//! background up to ~200 ms later and records the log epoch it covers as
//! its commit payload, so a crash in between costs nothing: on open, the
//! entries newer than that watermark are redone from the rows. Counting
//! documents (the older check, still made after) cannot see an edit, which
//! changes text and not the count.

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};
use tracing::info;

use chrono::NaiveDate;

use super::apply::SearchWork;
use super::rows::{dec, enc, CheckinRow, CommentRow, CurrentAnswer, ThreadRow};
use super::trees::T;
use super::tx::Tx;
use super::Store;
use crate::error::Result;
use crate::model::ids::{CheckinId, CommentId, MemberId, ThreadId};
use crate::search::{DocKind, SearchDoc};

/// A document a batch changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum DocRef {
    /// A thread's opening post.
    Thread(ThreadId),
    /// A comment (written, edited or deleted).
    Comment(CommentId),
    /// Every document of a thread (its title is copied into each).
    Title(ThreadId),
    /// A person's check-in answer for one date (written, edited, withdrawn
    /// or cut by a stop).
    Answer(CheckinId, NaiveDate, MemberId),
}

fn refs(work: &[SearchWork]) -> Vec<DocRef> {
    work.iter()
        .filter_map(|w| match w {
            SearchWork::Upsert(d) => match (d.kind, d.thread, d.comment, d.checkin, d.date) {
                (_, _, Some(c), _, _) => Some(DocRef::Comment(c)),
                (DocKind::Answer, _, _, Some(c), Some(date)) => {
                    Some(DocRef::Answer(c, date, d.author))
                }
                (_, Some(t), _, _, _) => Some(DocRef::Thread(t)),
                _ => None,
            },
            SearchWork::RemoveComment(c) => Some(DocRef::Comment(*c)),
            SearchWork::Retitle(t, _) => Some(DocRef::Title(*t)),
            SearchWork::RemoveAnswer(c, d, m) => Some(DocRef::Answer(*c, *d, *m)),
        })
        .collect()
}

fn epoch_key(epoch: u64) -> [u8; 8] {
    epoch.to_be_bytes()
}

/// The search document of a thread's opening post.
pub(crate) fn thread_doc(id: ThreadId, t: &ThreadRow, body: &str) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Thread,
        thread: Some(id),
        comment: None,
        checkin: None,
        date: None,
        channel: t.channel,
        author: t.author,
        title: t.title.value.clone(),
        body: body.to_string(),
        created: t.created.time(),
    }
}

/// The search document of a comment in `thread`.
pub(crate) fn comment_doc(id: CommentId, c: &CommentRow, thread: &ThreadRow) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Comment,
        thread: Some(c.thread),
        comment: Some(id),
        checkin: None,
        date: None,
        channel: thread.channel,
        author: c.author,
        title: thread.title.value.clone(),
        body: c.body.value.0.clone(),
        created: c.created.time(),
    }
}

/// The search document of `member`'s answer in force for `date`.
pub(crate) fn answer_doc(
    checkin: CheckinId,
    row: &CheckinRow,
    date: NaiveDate,
    member: MemberId,
    body: &str,
    current: CurrentAnswer,
) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Answer,
        thread: None,
        comment: None,
        checkin: Some(checkin),
        date: Some(date),
        channel: row.spec.value.channel,
        author: member,
        title: row.spec.value.question.clone(),
        body: body.to_string(),
        created: current.last.time(),
    }
}

impl Store {
    /// Every live check-in answer's search document.
    pub(crate) fn answer_docs(&self) -> Result<Vec<SearchDoc>> {
        let mut out = Vec::new();
        for (id, row) in self.checkin_rows()? {
            for (date, member, a) in self.answer_rows(id)? {
                if let Some(n) = a.current(row.stopped) {
                    out.push(answer_doc(id, &row, date, member, &a.body, n));
                }
            }
        }
        Ok(out)
    }

    /// Logs `work` in `tx` under a new epoch (returned) and drops the
    /// entries the index has committed.
    pub(crate) fn log_search_work(&self, tx: &mut Tx, work: &[SearchWork]) -> Result<Option<u64>> {
        if work.is_empty() {
            return Ok(None);
        }
        let committed = self.search_index().committed_epoch();
        for (k, _) in tx.scan_range(T::SearchLog, &epoch_key(0), &epoch_key(committed + 1))? {
            tx.del(T::SearchLog, k);
        }
        let epoch = self.inner.search_epoch.fetch_add(1, Ordering::SeqCst) + 1;
        tx.put(T::SearchLog, epoch_key(epoch).to_vec(), enc(&refs(work)));
        Ok(Some(epoch))
    }

    /// The latest epoch in the search log (0 when empty).
    pub(crate) fn last_search_epoch(&self) -> Result<u64> {
        Ok(match self.trees().get(T::SearchLog).last()? {
            Some((k, _)) => u64::from_be_bytes(k.as_ref().try_into().unwrap_or([0; 8])),
            None => 0,
        })
    }

    /// Redoes, from the rows, every document the log changed after the
    /// index's last commit; returns how many.
    pub(crate) fn replay_search_log(&self) -> Result<usize> {
        let idx = self.search_index();
        let from = idx.committed_epoch();
        let mut todo = BTreeSet::new();
        let mut last = from;
        for kv in self.trees().get(T::SearchLog).range(epoch_key(from + 1)..) {
            let (k, v) = kv?;
            last = last.max(u64::from_be_bytes(k.as_ref().try_into().unwrap_or([0; 8])));
            todo.extend(dec::<Vec<DocRef>>(&v)?);
        }
        if todo.is_empty() {
            return Ok(0);
        }
        info!(
            docs = todo.len(),
            "search index behind the store: redoing its last writes"
        );
        let thread = |id: ThreadId| -> Result<Option<ThreadRow>> {
            self.trees()
                .get(T::Threads)
                .get(id.to_bytes())?
                .map(|v| dec(&v))
                .transpose()
        };
        for r in &todo {
            match *r {
                DocRef::Thread(id) => {
                    if let Some(t) = thread(id)? {
                        let body = self.thread_body(id)?;
                        idx.upsert(&[thread_doc(id, &t, &body)])?;
                    }
                }
                DocRef::Comment(id) => {
                    let row = match self.comment_row(id) {
                        Ok(row) => Some(row),
                        Err(e) if e.code == crate::error::ErrorCode::NotFound => None,
                        Err(e) => return Err(e),
                    };
                    let live = row.filter(|c| c.deleted.is_none());
                    match live {
                        Some(c) => match thread(c.thread)? {
                            Some(t) => idx.upsert(&[comment_doc(id, &c, &t)])?,
                            None => idx.remove_comment(id)?,
                        },
                        None => idx.remove_comment(id)?,
                    }
                }
                DocRef::Title(id) => {
                    if let Some(t) = thread(id)? {
                        idx.retitle_thread(id, &t.title.value)?;
                    }
                }
                DocRef::Answer(c, date, member) => {
                    let live = match self.checkin_row(c) {
                        Ok(row) => self
                            .answer_row(c, date, member)?
                            .and_then(|a| a.current(row.stopped).map(|n| (a, n)))
                            .map(|(a, n)| answer_doc(c, &row, date, member, &a.body, n)),
                        Err(_) => None,
                    };
                    match live {
                        Some(doc) => idx.upsert(&[doc])?,
                        None => idx.remove_answer(c, date, member)?,
                    }
                }
            }
        }
        idx.mark_epoch(last);
        idx.commit()?;
        self.prune_search_log(last)?;
        Ok(todo.len())
    }

    /// Drops the log entries up to `epoch` (the index covers them).
    pub(crate) fn prune_search_log(&self, epoch: u64) -> Result<()> {
        let log = self.trees().get(T::SearchLog);
        for k in log.range(..epoch_key(epoch.saturating_add(1))).keys() {
            log.remove(k?)?;
        }
        Ok(())
    }
}
