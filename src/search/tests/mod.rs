//! Behaviour of the search index as its callers see it, and the helpers
//! the tests share: `matching` covers what a query finds and how hits look,
//! `lifecycle` covers updates, commits and surviving a bad folder.

mod lifecycle;
mod matching;

use chrono::{DateTime, Utc};

use super::*;
use crate::model::ids::{ChannelId, CommentId, MemberId, ThreadId};

pub(super) const CH_A: ChannelId = ChannelId(1);
pub(super) const CH_B: ChannelId = ChannelId(2);
pub(super) const ANA: MemberId = MemberId(10);
pub(super) const BEN: MemberId = MemberId(11);

pub(super) fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap_or_default()
}

pub(super) fn root(thread: u128, title: &str, body: &str, secs: i64) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Thread,
        thread: Some(ThreadId(thread)),
        comment: None,
        checkin: None,
        date: None,
        channel: CH_A,
        author: ANA,
        title: title.into(),
        body: body.into(),
        created: at(secs),
    }
}

pub(super) fn comment(thread: u128, id: u128, title: &str, body: &str, secs: i64) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Comment,
        comment: Some(CommentId(id)),
        ..root(thread, title, body, secs)
    }
}

/// A fresh, committed index holding `docs`.
pub(super) fn index_with(docs: &[SearchDoc]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let (idx, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(fresh);
    idx.upsert(docs).unwrap();
    idx.commit().unwrap();
    (dir, idx)
}

pub(super) fn text(t: &str) -> SearchQuery {
    SearchQuery {
        text: t.into(),
        ..SearchQuery::default()
    }
}

/// (thread, comment) of each hit, in order.
pub(super) fn found(idx: &SearchIndex, q: &SearchQuery) -> Vec<(u128, Option<u128>)> {
    idx.search(q)
        .unwrap()
        .iter()
        .map(|h| (h.thread.map_or(0, |t| t.0), h.comment.map(|c| c.0)))
        .collect()
}

pub(super) fn sorted(mut v: Vec<(u128, Option<u128>)>) -> Vec<(u128, Option<u128>)> {
    v.sort();
    v
}
