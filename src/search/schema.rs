//! The index schema, the text analyzer, and the mapping between
//! [`SearchDoc`]s and tantivy documents.
//!
//! The schema is compared field by field when an index is opened; any
//! difference means the index on disk was written by another version and is
//! rebuilt. The analyzer is only recorded in the schema by *name*, so the
//! name carries a version: change the analyzer, bump [`ANALYZER`].

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::LazyLock;

use regex::Regex;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING,
};

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Tokenizer,
};
use tantivy::{TantivyDocument, Term};

use super::tokenizer::SharedRegexTokenizer;
use super::{DocKind, SearchDoc};
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{ChannelId, CheckinId, CommentId, MemberId, ThreadId};

/// Name the analyzer is registered under. Versioned: a new analyzer needs a
/// new name so that old indexes fail the schema check and get rebuilt.
/// v2: CJK characters and emoji became tokens of their own.
pub(crate) const ANALYZER: &str = "tidings_fold_v2";

/// Tokens longer than this (in bytes) are dropped at index and query time
/// alike: they are base64 blobs or URLs, not words anyone types.
const MAX_TOKEN_BYTES: usize = 100;

/// Handles to every field, resolved once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    /// Unique key: `t<thread>` for a thread root, `c<comment>` for a
    /// comment, `a<check-in>/<date>/<author>` for a check-in answer. The
    /// prefix keeps the id spaces apart even in theory.
    pub key: Field,
    pub kind: Field,
    pub thread: Field,
    pub comment: Field,
    pub checkin: Field,
    /// An answer's date, `YYYY-MM-DD`.
    pub date: Field,
    pub channel: Field,
    pub author: Field,
    pub title: Field,
    pub body: Field,
    /// Unix milliseconds; a fast field for newest-first ordering.
    pub created: Field,
}

/// Name of the `created` fast field, for the ordering collector.
pub(crate) const CREATED: &str = "created";

/// Builds the schema and its field handles.
pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Positions are indexed so quoted phrases work.
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        thread: b.add_text_field("thread", STRING | STORED),
        comment: b.add_text_field("comment", STRING | STORED),
        checkin: b.add_text_field("checkin", STRING | STORED),
        date: b.add_text_field("date", STRING | STORED),
        channel: b.add_text_field("channel", STRING | STORED),
        author: b.add_text_field("author", STRING | STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        created: b.add_i64_field(CREATED, FAST | STORED),
    };
    (b.build(), fields)
}

/// What a token is. Chinese and Japanese are written without spaces, so a
/// word-per-run tokenizer would make a whole sentence one token that "東京"
/// can never match; instead every Han, kana and Hangul character is a token
/// of its own, and a query word of several such characters must match them
/// side by side (see `query::parse`), which is how Lucene's CJK analysis
/// finds words without a dictionary. Emoji (Extended_Pictographic) are
/// tokens too, so "🚀" finds the launch thread. Everything else splits into
/// runs of letters, marks and digits, as tantivy's `SimpleTokenizer` does.
const TOKEN_PATTERN: &str = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]|\p{Extended_Pictographic}|[[\p{Alphabetic}\p{M}\p{N}]--[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Extended_Pictographic}]]+";

/// The token regex, compiled once and shared by every analyzer clone so
/// its caches stay warm (see `tokenizer`).
static TOKEN_REGEX: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(TOKEN_PATTERN).ok());

/// The analyzer, built once and cloned for each use.
static ANALYZER_PROTO: LazyLock<TextAnalyzer> = LazyLock::new(|| match TOKEN_REGEX.as_ref() {
    Some(regex) => filtered(SharedRegexTokenizer::new(regex)),
    // The pattern is a constant checked by a unit test; should it ever
    // fail to compile, search still works for spaced scripts.
    None => filtered(SimpleTokenizer::default()),
});

/// Lowercases and folds to ASCII (café → cafe, Zoë → zoe). No stemming: a
/// stemmed index cannot answer prefix queries for words being typed.
fn filtered<T: Tokenizer>(tokenizer: T) -> TextAnalyzer {
    TextAnalyzer::builder(tokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyzer used at index and query time alike (see [`TOKEN_PATTERN`]).
pub(crate) fn analyzer() -> TextAnalyzer {
    ANALYZER_PROTO.clone()
}

/// The unique key term of a comment.
pub(crate) fn comment_key(f: &Fields, c: CommentId) -> Term {
    Term::from_field_text(f.key, &format!("c{c}"))
}

/// The unique key term of a check-in answer.
pub(crate) fn answer_key(f: &Fields, c: CheckinId, date: NaiveDate, author: MemberId) -> Term {
    Term::from_field_text(f.key, &format!("a{c}/{date}/{author}"))
}

/// The unique key of `doc`, checking that its kind and ids agree.
fn key_text(doc: &SearchDoc) -> Result<String> {
    match (doc.kind, doc.thread, doc.comment, doc.checkin, doc.date) {
        (DocKind::Thread, Some(t), None, None, None) => Ok(format!("t{t}")),
        (DocKind::Comment, Some(_), Some(c), None, None) => Ok(format!("c{c}")),
        (DocKind::Answer, None, None, Some(c), Some(d)) => Ok(format!("a{c}/{d}/{}", doc.author)),
        (DocKind::Thread, ..) => Err(Error::invalid(
            "A thread root's search doc names its thread and nothing else: no comment, check-in or date",
        )),
        (DocKind::Comment, ..) => Err(Error::invalid(
            "A comment's search doc names its thread and comment, and no check-in or date",
        )),
        (DocKind::Answer, ..) => Err(Error::invalid(
            "A check-in answer's search doc names its check-in and date, and no thread or comment",
        )),
    }
}

/// Converts a doc to its key term and tantivy form (every field stored, so
/// the doc can be read back whole, e.g. to retitle it).
pub(crate) fn to_tantivy(f: &Fields, doc: &SearchDoc) -> Result<(Term, TantivyDocument)> {
    let key = key_text(doc)?;
    let mut d = TantivyDocument::default();
    d.add_text(f.key, &key);
    d.add_text(f.kind, kind_str(doc.kind));
    if let Some(t) = doc.thread {
        d.add_text(f.thread, t.to_string());
    }
    if let Some(c) = doc.comment {
        d.add_text(f.comment, c.to_string());
    }
    if let Some(c) = doc.checkin {
        d.add_text(f.checkin, c.to_string());
    }
    if let Some(date) = doc.date {
        d.add_text(f.date, date.to_string());
    }
    d.add_text(f.channel, doc.channel.to_string());
    d.add_text(f.author, doc.author.to_string());
    d.add_text(f.title, &doc.title);
    d.add_text(f.body, &doc.body);
    d.add_i64(f.created, doc.created.timestamp_millis());
    Ok((Term::from_field_text(f.key, &key), d))
}

fn kind_str(k: DocKind) -> &'static str {
    match k {
        DocKind::Thread => "thread",
        DocKind::Comment => "comment",
        DocKind::Answer => "answer",
    }
}

/// Reads a stored document back. Failure means the index is damaged (only
/// this module writes it), so the error says to rebuild.
pub(crate) fn from_tantivy(f: &Fields, d: &TantivyDocument) -> Result<SearchDoc> {
    let text = |field: Field| d.get_first(field).and_then(|v| v.as_str());
    let req = |field: Field, name: &str| {
        text(field).ok_or_else(|| damaged(&format!("a document has no {name}")))
    };
    let kind = match req(f.kind, "kind")? {
        "thread" => DocKind::Thread,
        "comment" => DocKind::Comment,
        "answer" => DocKind::Answer,
        other => return Err(damaged(&format!("unknown document kind '{other}'"))),
    };
    let comment = match (kind, text(f.comment)) {
        (DocKind::Comment, Some(c)) => Some(parse_id::<CommentId>(c)?),
        (DocKind::Comment, None) => return Err(damaged("a comment document has no comment id")),
        _ => None,
    };
    let (thread, checkin, date) = match kind {
        DocKind::Answer => (
            None,
            Some(parse_id::<CheckinId>(req(f.checkin, "check-in")?)?),
            Some(parse_id::<NaiveDate>(req(f.date, "date")?)?),
        ),
        _ => (
            Some(parse_id::<ThreadId>(req(f.thread, "thread")?)?),
            None,
            None,
        ),
    };
    let millis = d
        .get_first(f.created)
        .and_then(|v| v.as_i64())
        .ok_or_else(|| damaged("a document has no creation time"))?;
    Ok(SearchDoc {
        kind,
        thread,
        comment,
        checkin,
        date,
        channel: parse_id::<ChannelId>(req(f.channel, "channel")?)?,
        author: parse_id::<MemberId>(req(f.author, "author")?)?,
        title: text(f.title).unwrap_or_default().to_owned(),
        body: text(f.body).unwrap_or_default().to_owned(),
        created: DateTime::<Utc>::from_timestamp_millis(millis).unwrap_or_default(),
    })
}

fn parse_id<T: std::str::FromStr>(s: &str) -> Result<T> {
    s.parse::<T>()
        .map_err(|_| damaged(&format!("'{s}' is not an id")))
}

/// The error for index contents this module could not have written.
pub(crate) fn damaged(what: &str) -> Error {
    Error::new(
        ErrorCode::Search,
        format!("The search index is damaged ({what}): run `tidings rebuild` to rebuild it"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_pattern_compiles() {
        // The analyzer falls back to spaced-script tokens if it does not.
        assert!(Regex::new(TOKEN_PATTERN).is_ok());
    }
}
