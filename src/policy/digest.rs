//! `Digest`: the bounded record of several events in one thread, from which a
//! notification is written.
//!
//! The queue never keeps the events themselves — a person back from two
//! weeks away may have thousands — only counts, a capped list of author
//! names and the latest excerpt. That is all the notification text needs, and
//! it keeps the persisted queue small however much arrives.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::decide::Event;
use super::notification::{Notification, NotificationKey};
use super::text;
use crate::model::ids::{MemberId, ThreadId};

/// Distinct authors remembered per digest. The text names at most three;
/// the rest only feed "and N others", which saturates here.
const MAX_AUTHORS: usize = 32;

/// Longest thread title or channel name kept, in characters.
const MAX_LABEL_CHARS: usize = 200;

/// One author of events in a digest, deduplicated by member id (two people
/// may share a display name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Author {
    member: MemberId,
    name: String,
}

/// The most recent event of a digest: what a one-event notification shows,
/// and what "while you were away — Ben: …" quotes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Latest {
    author: String,
    excerpt: String,
    at: DateTime<Utc>,
    mentioned: bool,
    started_thread: bool,
    /// Marked urgent for me (older saved queues have no such field).
    #[serde(default)]
    urgent: bool,
}

/// Counts and names for the events of one thread (see the module doc).
/// Saved with the queue ([`super::persist`]): changing it is a format change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Digest {
    /// The thread title, as of the most recently added event (renames win).
    pub(crate) title: String,
    channel: String,
    comments: u32,
    threads_started: u32,
    mentioned: bool,
    authors: Vec<Author>,
    latest: Latest,
    /// Built from held events: written as "while you were away".
    pub(crate) away: bool,
}

impl Digest {
    /// A digest of one event.
    pub(crate) fn of(ev: &Event) -> Self {
        let mut d = Digest {
            title: text::cap(&ev.thread_title, MAX_LABEL_CHARS),
            channel: text::cap(&ev.channel_name, MAX_LABEL_CHARS),
            comments: 0,
            threads_started: 0,
            mentioned: false,
            authors: Vec::new(),
            latest: latest_of(ev),
            away: false,
        };
        d.count_in(ev);
        d
    }

    /// Adds one more event (arriving after those already in).
    pub(crate) fn add(&mut self, ev: &Event) {
        self.title = text::cap(&ev.thread_title, MAX_LABEL_CHARS);
        self.channel = text::cap(&ev.channel_name, MAX_LABEL_CHARS);
        // Sync delivers out of order; "latest" means latest written, and an
        // equal time goes to the later arrival.
        if ev.at >= self.latest.at {
            self.latest = latest_of(ev);
        }
        self.count_in(ev);
    }

    /// Combines two digests of the same thread; `newer` arrived later, so its
    /// title wins.
    pub(crate) fn merge(mut self, newer: Digest) -> Digest {
        self.title = newer.title;
        self.channel = newer.channel;
        self.comments = self.comments.saturating_add(newer.comments);
        self.threads_started = self.threads_started.saturating_add(newer.threads_started);
        self.mentioned |= newer.mentioned;
        self.away |= newer.away;
        for a in newer.authors {
            self.note_author(a);
        }
        if newer.latest.at >= self.latest.at {
            self.latest = newer.latest;
        }
        self
    }

    /// How many events are in it.
    pub(crate) fn count(&self) -> u32 {
        self.comments.saturating_add(self.threads_started)
    }

    /// Comments and thread openings, for summary counts.
    pub(crate) fn counts(&self) -> (u32, u32) {
        (self.threads_started, self.comments)
    }

    /// The notification for this digest, keyed by its thread.
    pub(crate) fn notification(&self, thread: ThreadId) -> Notification {
        let count = self.count();
        let body = if count <= 1 {
            let started_in = self.latest.started_thread.then_some(self.channel.as_str());
            text::single_body(
                &self.latest.author,
                &self.latest.excerpt,
                self.latest.mentioned,
                started_in,
            )
        } else if self.away {
            text::away_body(
                self.threads_started,
                self.comments,
                &self.latest.author,
                &self.latest.excerpt,
            )
        } else {
            let names: Vec<String> = self.authors.iter().map(|a| a.name.clone()).collect();
            text::fold_body(self.threads_started, self.comments, &names, self.mentioned)
        };
        // The body names who wrote it; the title says it is urgent.
        let title = if self.latest.urgent {
            format!("Urgent: {}", text::label(&self.title))
        } else {
            text::label(&self.title)
        };
        Notification {
            key: NotificationKey::Thread(thread),
            thread: Some(thread),
            title,
            body,
            count,
            reminder: false,
        }
    }

    fn count_in(&mut self, ev: &Event) {
        if ev.comment.is_some() {
            self.comments = self.comments.saturating_add(1);
        } else {
            self.threads_started = self.threads_started.saturating_add(1);
        }
        self.mentioned |= ev.calls_me();
        self.note_author(Author {
            member: ev.author,
            name: text::cap(&ev.author_name, MAX_LABEL_CHARS),
        });
    }

    fn note_author(&mut self, author: Author) {
        if self.authors.len() < MAX_AUTHORS
            && !self.authors.iter().any(|a| a.member == author.member)
        {
            self.authors.push(author);
        }
    }
}

fn latest_of(ev: &Event) -> Latest {
    Latest {
        author: text::cap(&ev.author_name, MAX_LABEL_CHARS),
        excerpt: text::excerpt(&ev.excerpt),
        at: ev.at,
        mentioned: ev.calls_me(),
        started_thread: ev.comment.is_none(),
        urgent: ev.urgent,
    }
}
