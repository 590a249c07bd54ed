//! The Tidings peer: the store under test, driven only through its public
//! API, as the desktop shell drives it.
//!
//! The store joins the workspace first (so its own device founds "me" and
//! local posts are accepted) and adds the generated device that signs my
//! history (`add_my_device`); then it receives the generated workspace as
//! remote ops in batches: every op is signature-checked and
//! applied with its derived rows and search documents, one fsync per
//! batch. Views return display-ready values: rendered, sanitized HTML and
//! times in two zones; the thread page therefore includes markdown
//! rendering, which SQLite's row fetch does not (see the `+ render` row).

use std::path::Path;

use anyhow::{Context, Result};
use tidings::model::ids::{ChannelId, MemberId, ThreadId};
use tidings::model::profile::Profile;
use tidings::model::signed::SignedOp;
use tidings::render::RenderOptions;
use tidings::search::SearchQuery;
use tidings::store::ApplyReport;
use tidings::views::{InboxItem, PageRequest, SearchResult, ThreadSummary, ThreadView};
use tidings::{Options, Store};

use crate::gen::SearchText;

/// An open Tidings store.
pub struct TidingsPeer {
    /// The store (cheap to clone across threads).
    pub store: Store,
}

impl TidingsPeer {
    /// Creates a store in `dir` and joins as a new member with `profile`;
    /// returns the member id the store chose for me.
    pub fn create(dir: &Path, profile: Profile) -> Result<(TidingsPeer, MemberId)> {
        let peer = TidingsPeer::open(dir)?;
        let me = peer
            .store
            .join_as(profile)
            .context("joining the workspace")?;
        Ok((peer, me))
    }

    /// Opens the store in `dir` with the app's options: an 8 MiB sled
    /// cache, 128 MiB in the session that loads the workspace. For
    /// experiments, `BENCH_CACHE_MB` sets one size for every session.
    pub fn open(dir: &Path) -> Result<TidingsPeer> {
        let mut opts = Options::default();
        if let Some(mb) = crate::files::cache_mb("BENCH_CACHE_MB")? {
            opts.cache_bytes = mb << 20;
            opts.bulk_cache_bytes = mb << 20;
        }
        let store = Store::open(dir, opts).with_context(|| format!("opening {}", dir.display()))?;
        Ok(TidingsPeer { store })
    }

    /// Verifies and applies ops that arrived from teammates.
    pub fn apply(&self, ops: Vec<SignedOp>) -> Result<ApplyReport> {
        Ok(self.store.apply_remote(ops)?)
    }

    /// First inbox page.
    pub fn inbox(&self, limit: usize) -> Result<Vec<InboxItem>> {
        Ok(self.store.inbox(&PageRequest::first(limit))?.items)
    }

    /// First page of a channel's threads.
    pub fn channel_page(&self, channel: ChannelId, limit: usize) -> Result<Vec<ThreadSummary>> {
        Ok(self
            .store
            .channel_threads(channel, &PageRequest::first(limit))?
            .items)
    }

    /// A thread with its first page of comments, rendered.
    pub fn thread_page(&self, thread: ThreadId, limit: usize) -> Result<ThreadView> {
        Ok(self
            .store
            .thread(thread, &PageRequest::first(limit), RenderOptions::default())?)
    }

    /// Top-`limit` results, best first.
    pub fn search(&self, q: &SearchText, limit: usize) -> Result<Vec<SearchResult>> {
        let text = match q {
            // A trailing space: whole words, as in the FTS5 query.
            SearchText::Words(ws) => format!("{} ", ws.join(" ")),
            // The word still being typed matches as a prefix.
            SearchText::Prefix(p) => p.clone(),
        };
        let q = SearchQuery {
            text,
            limit,
            ..SearchQuery::default()
        };
        Ok(self.store.search(&q)?)
    }

    /// Posts a comment as me; durable when it returns.
    pub fn post(&self, thread: ThreadId, body: &str) -> Result<()> {
        self.store.add_comment(thread, body)?;
        Ok(())
    }
}
