//! Full-text search over threads and comments, with tantivy.
//!
//! The index lives in its own folder beside the store and is fed as ops are
//! applied. It is only a cache: [`SearchIndex::open`] wipes and recreates it
//! whenever it cannot be trusted and tells the caller to reindex from the
//! store. Writes are made searchable by a background committer within
//! about 200 ms; [`SearchIndex::commit`] does it at once.
//!
//! Each thread root, each comment and each check-in answer is one
//! document. The thread title is copied into every document of its thread,
//! so a comment is found by the words of its thread's title too;
//! [`SearchIndex::retitle_thread`] keeps the copies in step. An answer
//! carries its check-in's question the same way (the store re-indexes the
//! answers when the question changes).

mod committer;
mod highlight;
mod open;
mod query;
mod schema;
#[cfg(test)]
mod tests;
mod tokenizer;
mod types;

use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Score, SegmentReader, TantivyDocument, Term};

use crate::error::Result;
use crate::model::ids::{CheckinId, CommentId, MemberId, ThreadId};
use committer::Shared;
use highlight::{highlight, Matcher, SNIPPET_CHARS};
use schema::Fields;
pub use types::{DocKind, SearchDoc, SearchHit, SearchOrder, SearchQuery, MAX_LIMIT};

/// The search index. Share it behind an `Arc`; every method takes `&self`.
/// Dropping it commits pending writes and stops the committer thread.
pub struct SearchIndex {
    shared: Arc<Shared>,
    fields: Fields,
    committer: Option<JoinHandle<()>>,
}

// One index is shared by every thread of the app: fail the build, not the
// integration, if a field ever stops it being Send + Sync.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<SearchIndex>();
};

impl SearchIndex {
    /// Opens or creates the index in `dir`. Returns (index, needs_reindex):
    /// true when it was created fresh or wiped because of a schema
    /// change/corruption. `dir` must be a folder of its own: anything in it
    /// that is not a usable index is deleted.
    #[tracing::instrument(skip_all, fields(dir = %dir.display()), err)]
    pub fn open(dir: &Path) -> Result<(SearchIndex, bool)> {
        let (opened, fresh) = open::open_or_recreate(dir)?;
        let shared = Arc::new(Shared::new(opened.writer, opened.reader, opened.epoch));
        let committer = committer::spawn(shared.clone())?;
        let index = SearchIndex {
            shared,
            fields: opened.fields,
            committer: Some(committer),
        };
        Ok((index, fresh))
    }

    /// Adds or replaces docs (keyed by comment id, or thread id for roots).
    /// Visible to search after the next commit.
    #[tracing::instrument(skip_all, fields(docs = docs.len()), err)]
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<()> {
        // Convert (and so validate) all docs first: a bad doc then leaves
        // the index untouched.
        let docs = docs
            .iter()
            .map(|d| schema::to_tantivy(&self.fields, d))
            .collect::<Result<Vec<_>>>()?;
        if docs.is_empty() {
            return Ok(());
        }
        self.shared.write(|w| {
            for (key, doc) in docs {
                // A delete only hits documents added before it, so the new
                // version survives.
                w.delete_term(key);
                w.add_document(doc)?;
            }
            Ok(())
        })
    }

    /// Removes a comment's document (nothing happens if it is not indexed).
    #[tracing::instrument(skip(self), err)]
    pub fn remove_comment(&self, c: CommentId) -> Result<()> {
        let key = schema::comment_key(&self.fields, c);
        self.shared.write(|w| {
            w.delete_term(key);
            Ok(())
        })
    }

    /// Removes a check-in answer's document (nothing happens if it is not
    /// indexed).
    #[tracing::instrument(skip(self), err)]
    pub fn remove_answer(
        &self,
        c: CheckinId,
        date: chrono::NaiveDate,
        author: MemberId,
    ) -> Result<()> {
        let key = schema::answer_key(&self.fields, c, date, author);
        self.shared.write(|w| {
            w.delete_term(key);
            Ok(())
        })
    }

    /// Sets the title copied into every document of `thread`. Commits first
    /// if needed, so documents written but not yet committed are included.
    #[tracing::instrument(skip(self, title), err)]
    pub fn retitle_thread(&self, thread: ThreadId, title: &str) -> Result<()> {
        let f = self.fields;
        self.shared.write(|w| {
            if self.shared.pending() {
                self.shared.commit_locked(w)?;
            }
            let searcher = self.shared.reader().searcher();
            let of_thread = TermQuery::new(
                Term::from_field_text(f.thread, &thread.to_string()),
                IndexRecordOption::Basic,
            );
            for addr in searcher.search(&of_thread, &DocSetCollector)? {
                let mut doc = schema::from_tantivy(&f, &searcher.doc::<TantivyDocument>(addr)?)?;
                doc.title = title.to_owned();
                let (key, doc) = schema::to_tantivy(&f, &doc)?;
                w.delete_term(key);
                w.add_document(doc)?;
            }
            Ok(())
        })
    }

    /// Removes every document, and commits: searches find nothing once this
    /// returns. Used before a rebuild.
    #[tracing::instrument(skip(self), err)]
    pub fn clear(&self) -> Result<()> {
        self.shared.write_and_commit(|w| {
            // Unlike `delete_all_documents`, a delete query also removes
            // documents still in flight in the indexing threads.
            w.delete_query(Box::new(tantivy::query::AllQuery))?;
            Ok(())
        })
    }

    /// Says that every write of the store's search-log `epoch` was made
    /// (call it after them): the next commit records it as covered.
    pub fn mark_epoch(&self, epoch: u64) {
        self.shared.mark_epoch(epoch);
    }

    /// The store's search-log epoch the last commit covers: after a crash,
    /// what the log holds beyond it may be missing from the index.
    pub fn committed_epoch(&self) -> u64 {
        self.shared.committed_epoch()
    }

    /// Makes everything written so far searchable, synchronously (tests and
    /// rebuild use it).
    #[tracing::instrument(skip(self), err)]
    pub fn commit(&self) -> Result<()> {
        self.shared.commit()
    }

    /// Waits until every write made before this call is searchable, without
    /// forcing a commit: the background committer does it. False if
    /// `timeout` passed first.
    pub fn wait_committed(&self, timeout: Duration) -> bool {
        self.shared.wait_committed(timeout)
    }

    /// Runs a search. See [`SearchQuery`] for the rules.
    #[tracing::instrument(skip_all, fields(limit = q.limit, order = ?q.order), err)]
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>> {
        let limit = q.limit.clamp(1, MAX_LIMIT);
        let mut analyzer = schema::analyzer();
        let parsed = query::parse(&mut analyzer, &q.text);
        let tq = query::build(&self.fields, &parsed, q);
        let searcher = self.shared.reader().searcher();
        let top: Vec<(Score, DocAddress)> =
            if q.order == SearchOrder::Relevance && !parsed.is_empty() {
                searcher.search(&*tq, &TopDocs::with_limit(limit))?
            } else {
                // Newest first; the score still rides along for the caller.
                let newest = TopDocs::with_limit(limit).tweak_score(|seg: &SegmentReader| {
                    let created = seg
                        .fast_fields()
                        .i64(schema::CREATED)
                        .ok()
                        .map(|c| c.first_or_default_col(0));
                    move |doc, score: Score| (created.as_ref().map_or(0, |c| c.get_val(doc)), score)
                });
                let hits = searcher.search(&*tq, &newest)?;
                hits.into_iter()
                    .map(|((_, score), addr)| (score, addr))
                    .collect()
            };
        // Without words every document matches equally; say so plainly.
        let scored = !parsed.is_empty();
        let (exact, prefixes) = parsed.highlight_terms();
        let matcher = Matcher::new(exact, prefixes);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc = schema::from_tantivy(&self.fields, &searcher.doc::<TantivyDocument>(addr)?)?;
            hits.push(SearchHit {
                kind: doc.kind,
                thread: doc.thread,
                comment: doc.comment,
                checkin: doc.checkin,
                date: doc.date,
                channel: doc.channel,
                author: doc.author,
                created: doc.created,
                score: if scored { score } else { 0.0 },
                title_html: highlight(&mut analyzer, &doc.title, &matcher, None),
                snippet_html: highlight(&mut analyzer, &doc.body, &matcher, Some(SNIPPET_CHARS)),
            });
        }
        Ok(hits)
    }

    /// Documents searchable now (committed and not deleted).
    pub fn num_docs(&self) -> u64 {
        self.shared.reader().searcher().num_docs()
    }
}

impl Drop for SearchIndex {
    fn drop(&mut self) {
        self.shared.shut_down();
        if let Some(t) = self.committer.take() {
            // A panicked committer has nothing left to clean up.
            let _ = t.join();
        }
    }
}
