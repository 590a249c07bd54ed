//! The snippet thread lists show: the start of a thread's latest live
//! comment, or of its opening post when it has none, as plain text. It is
//! kept in the thread's row ([`ThreadRow::snippet`]) and moves only when
//! that comment lands, is edited or is deleted, so a list page reads no
//! comment and parses no markdown.
//!
//! Every replica ends with the same snippet whatever order ops arrive in:
//! `snippet_from` always names the newest live comment applied so far (a
//! comment arriving late takes the snippet only if it is newer; deleting
//! the source falls back to the newest live comment left), and the text
//! is that comment's winning body.

use super::apply::Applier;
use super::rows::{dec, CommentRow, ThreadRow};
use super::trees::T;
use crate::error::Result;
use crate::model::ids::{OpId, ThreadId};
use crate::render::plain_excerpt;

/// Characters of text in a thread-list snippet.
pub(crate) const SNIPPET_CHARS: usize = 140;

/// The snippet of a markdown body.
pub(super) fn of(body: &str) -> String {
    plain_excerpt(body, SNIPPET_CHARS)
}

/// A comment created at `at` landed: it is the source if it is newer.
pub(super) fn landed(t: &mut ThreadRow, at: OpId, body: &str) {
    if Some(at) > t.snippet_from {
        t.snippet = of(body);
        t.snippet_from = Some(at);
    }
}

/// The comment created at `created` now reads `body`. Returns whether the
/// snippet changed.
pub(super) fn edited(t: &mut ThreadRow, created: OpId, body: &str) -> bool {
    if t.snippet_from != Some(created) {
        return false;
    }
    let new = of(body);
    let changed = new != t.snippet;
    t.snippet = new;
    changed
}

/// The comment created at `created` was deleted: if it was the source,
/// the newest live comment left (or the opening post) takes over. Reads
/// the thread's comment rows newest first until a live one.
pub(super) fn deleted(
    a: &Applier,
    thread: ThreadId,
    t: &mut ThreadRow,
    created: OpId,
) -> Result<bool> {
    if t.snippet_from != Some(created) {
        return Ok(false);
    }
    let prefix = thread.to_bytes();
    let rows = a.tx.range_in_prefix(T::ThreadComments, &prefix, &prefix)?;
    for (_, v) in rows.iter().rev() {
        let c: CommentRow = dec(v)?;
        if c.deleted.is_none() {
            t.snippet = of(&c.body.value.0);
            t.snippet_from = Some(c.created);
            return Ok(true);
        }
    }
    let body: Option<String> = a.tx.row(T::ThreadBodies, &prefix)?;
    t.snippet = of(&body.unwrap_or_default());
    t.snippet_from = None;
    Ok(true)
}
