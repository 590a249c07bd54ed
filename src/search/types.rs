//! The data that crosses the search API: documents going in, queries and
//! hits coming out. All of it is serde so the UI can receive it over IPC.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::ids::{ChannelId, CheckinId, CommentId, MemberId, ThreadId};

/// Most hits one search returns; larger limits are clamped to it.
pub const MAX_LIMIT: usize = 200;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum DocKind {
    /// A thread's root: its title and opening body.
    Thread,
    /// A comment in a thread.
    Comment,
    /// Someone's answer to a check-in, for one of their dates.
    Answer,
}

/// One searchable document, as the store hands it to the index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// Thread root, comment or check-in answer.
    pub kind: DocKind,
    /// The thread it belongs to (itself, for a root); `None` for an answer.
    pub thread: Option<ThreadId>,
    /// The comment's id; `None` for the thread root.
    pub comment: Option<CommentId>,
    /// The check-in an answer belongs to.
    #[serde(default)]
    pub checkin: Option<CheckinId>,
    /// The answer's date (its author's local date).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The thread's (or check-in's) channel.
    pub channel: ChannelId,
    /// Who wrote this root, comment or answer.
    pub author: MemberId,
    /// The thread's title, indexed for both kinds; a check-in's question
    /// for its answers.
    pub title: String,
    /// Markdown source of the body.
    pub body: String,
    /// When it was written.
    pub created: DateTime<Utc>,
}

/// How hits are ranked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum SearchOrder {
    /// Best match first (BM25; title words count double).
    #[default]
    Relevance,
    /// Most recently written first.
    Newest,
}

/// A search as a person asked for it. Fields missing from serialized
/// input take their [`Default`] values (no filters, 20 hits, relevance).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchQuery {
    /// Free text. Every word must match; the word being typed matches as a
    /// prefix; "quoted words" match as a phrase. Never a syntax error. With
    /// no words, the newest documents matching the filters are returned.
    pub text: String,
    /// Only this channel.
    pub channel: Option<ChannelId>,
    /// Only this author.
    pub author: Option<MemberId>,
    /// Only this thread.
    pub thread: Option<ThreadId>,
    /// Ranking (ignored without words: then always newest first).
    pub order: SearchOrder,
    /// Most hits wanted; clamped to `1..=MAX_LIMIT`.
    pub limit: usize,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: String::new(),
            channel: None,
            author: None,
            thread: None,
            order: SearchOrder::Relevance,
            limit: 20,
        }
    }
}

/// One result, ready to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    /// Thread root, comment or check-in answer.
    pub kind: DocKind,
    /// The thread; `None` for a check-in answer.
    pub thread: Option<ThreadId>,
    /// The comment; `None` for a thread root.
    pub comment: Option<CommentId>,
    /// For an answer: its check-in.
    pub checkin: Option<CheckinId>,
    /// For an answer: its date (its author's local date).
    pub date: Option<NaiveDate>,
    /// The thread's (or check-in's) channel.
    pub channel: ChannelId,
    /// Who wrote it.
    pub author: MemberId,
    /// When it was written.
    pub created: DateTime<Utc>,
    /// Relevance (0 when the text held no words).
    pub score: f32,
    /// The thread title (a check-in's question), HTML-escaped, matches in
    /// `<mark>`.
    pub title_html: String,
    /// About 160 characters of the body around the best matches (or its
    /// start), HTML-escaped, matches in `<mark>`, "…" where cut.
    pub snippet_html: String,
}
