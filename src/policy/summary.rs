//! The catch-up summary: one notification standing for a flood.
//!
//! After days offline a sync round can deliver hundreds of comments across
//! dozens of threads. Showing one notification per thread would bury the
//! person; this keeps one counted summary instead, bounded however large
//! the flood.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::digest::Digest;
use super::notification::{Notification, NotificationKey};
use super::text;
use crate::model::ids::ThreadId;

/// Distinct threads a summary tracks to count "in N threads" exactly; past
/// this, further threads are counted without deduplication.
const MAX_SUMMARY_THREADS: usize = 512;

/// The catch-up summary on screen; later floods within [`super::FOLD_WINDOW`] add
/// to it, since sync delivers a long absence in many batches. Saved with the
/// queue ([`super::persist`]): changing it is a format change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Summary {
    pub(crate) at: DateTime<Utc>,
    threads_started: u32,
    comments: u32,
    threads: BTreeSet<ThreadId>,
    untracked_threads: u32,
    titles: Vec<String>,
}

impl Summary {
    pub(crate) fn empty(at: DateTime<Utc>) -> Self {
        Summary {
            at,
            threads_started: 0,
            comments: 0,
            threads: BTreeSet::new(),
            untracked_threads: 0,
            titles: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, thread: ThreadId, digest: &Digest) {
        let (started, comments) = digest.counts();
        self.threads_started = self.threads_started.saturating_add(started);
        self.comments = self.comments.saturating_add(comments);
        if self.threads.contains(&thread) {
            return;
        }
        if self.threads.len() < MAX_SUMMARY_THREADS {
            self.threads.insert(thread);
            if self.titles.len() < text::LISTED_TITLES {
                self.titles.push(digest.title.clone());
            }
        } else {
            self.untracked_threads = self.untracked_threads.saturating_add(1);
        }
    }

    pub(crate) fn notification(&self) -> Notification {
        let threads = (self.threads.len() as u32).saturating_add(self.untracked_threads);
        Notification {
            key: NotificationKey::Summary,
            thread: None,
            title: text::summary_title(self.threads_started, self.comments, threads),
            body: text::summary_body(&self.titles, threads),
            count: self.threads_started.saturating_add(self.comments),
            reminder: false,
        }
    }
}
