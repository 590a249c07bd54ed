//! Which comments one page of a thread holds: a page forward from a `next`
//! cursor, a page back from a `prev` cursor, or a window opened at a
//! comment (my first unread one, or one a link names) with a few before it
//! for context.
//!
//! Each is a range scan of the `ThreadComments` index (thread ++ creation
//! op → comment id) from a known key, so a page reads about as many comment
//! rows as it shows, whatever the length of the thread: one more at each
//! edge to know whether there is more, never the comments before it. A
//! reader of a 10,000-comment thread who stopped at comment 9,500 opens it
//! there in one read.
//!
//! A cursor is the hex of an index key, so it stays a valid position after
//! its comment is deleted (deleted comments keep their index entry and are
//! skipped). `next` is the key of a page's last comment: a forward read
//! gives what follows it. `prev` is the key of the newest comment before
//! the page: a backward read gives the page that ends with it, and a
//! forward read from it gives this page again, which is how a window is
//! refreshed in place.

use std::ops::Bound;

use serde::{Deserialize, Serialize};
use sled::IVec;

use super::thread::ThreadView;
use super::{bad_cursor, PageRequest};
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{CommentId, ThreadId, OP_KEY_LEN};
use crate::render::RenderOptions;
use crate::store::rows::{CommentRow, ThreadRow};
use crate::store::trees::{thread_comment_key, T};
use crate::store::tx::prefix_end;
use crate::store::Store;

/// Where to open a thread, and how much of it to read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ThreadAt {
    /// The comment to open at (from a link, a notification, a search hit).
    /// None opens at my first unread comment, or at the start when I have
    /// read every comment or the opening post itself is new.
    pub comment: Option<CommentId>,
    /// Comments before it to show for context; fewer when fewer exist. Less
    /// than `limit`.
    pub before: usize,
    /// Comments the window holds in all, the context included (1..=200; 0
    /// means 50). When fewer follow the anchor, more context fills it.
    pub limit: usize,
}

/// A thread opened at a comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ThreadWindow {
    /// The thread with the window of comments; its `comments.prev` and
    /// `comments.next` page on from either edge.
    pub thread: ThreadView,
    /// The comment the window opened at, to scroll to; None when it opened
    /// at the start (show the opening post).
    pub anchor: Option<CommentId>,
    /// The comment asked for is not in this thread (deleted, not arrived,
    /// or another thread's): the window opened where it would without one,
    /// and the reader should be told so.
    pub anchor_missing: bool,
}

/// A live comment and its index key.
pub(super) struct Slot {
    pub key: IVec,
    pub id: CommentId,
    pub row: CommentRow,
}

/// The comments of one page, oldest first, and the index keys at its
/// edges (see the module docs for what each cursor means).
pub(super) struct Slots {
    pub items: Vec<Slot>,
    pub prev: Option<IVec>,
    pub next: Option<IVec>,
}

type KeyBound = Bound<Vec<u8>>;

/// The first and last index keys of `thread`'s comments.
fn thread_bounds(thread: ThreadId) -> (KeyBound, KeyBound) {
    let prefix = thread.to_bytes();
    let hi = match prefix_end(&prefix) {
        Some(end) => Bound::Excluded(end),
        None => Bound::Unbounded,
    };
    (Bound::Included(prefix.to_vec()), hi)
}

/// The index key a page request's cursor names, checked to be a position
/// in `thread`.
pub(super) fn cursor_in(thread: ThreadId, page: &PageRequest) -> Result<Option<Vec<u8>>> {
    let Some(key) = page.cursor_key()? else {
        return Ok(None);
    };
    let prefix = thread.to_bytes();
    if key.len() != prefix.len() + OP_KEY_LEN {
        return Err(bad_cursor());
    }
    if !key.starts_with(&prefix) {
        return Err(Error::invalid(
            "That page cursor belongs to another thread: open this thread again to page through it",
        ));
    }
    Ok(Some(key))
}

impl Store {
    /// Live comments with index keys in `lo..hi`, oldest first (newest
    /// first with `rev`), read lazily.
    fn live_comments(
        &self,
        lo: KeyBound,
        hi: KeyBound,
        rev: bool,
    ) -> Box<dyn Iterator<Item = Result<Slot>> + '_> {
        let iter = self.trees().get(T::ThreadComments).range((lo, hi));
        let slot = move |kv: sled::Result<(IVec, IVec)>| -> Result<Option<Slot>> {
            let (key, v) = kv?;
            let row = self.comment_in_scan(&v)?;
            Ok(row.deleted.is_none().then_some(Slot {
                key,
                id: row.id,
                row,
            }))
        };
        if rev {
            Box::new(iter.rev().filter_map(move |kv| slot(kv).transpose()))
        } else {
            Box::new(iter.filter_map(move |kv| slot(kv).transpose()))
        }
    }

    /// Up to `n` live comments of `thread` from `lo` on, oldest first, and
    /// whether more follow them.
    fn take_forward(&self, thread: ThreadId, lo: KeyBound, n: usize) -> Result<(Vec<Slot>, bool)> {
        let (_, hi) = thread_bounds(thread);
        let mut items = Vec::new();
        for s in self.live_comments(lo, hi, false) {
            let s = s?;
            if items.len() == n {
                return Ok((items, true));
            }
            items.push(s);
        }
        Ok((items, false))
    }

    /// Up to `n` live comments of `thread` before `hi`, oldest first, and
    /// the key of the newest one before them, if any.
    fn take_back(
        &self,
        thread: ThreadId,
        hi: KeyBound,
        n: usize,
    ) -> Result<(Vec<Slot>, Option<IVec>)> {
        let (lo, _) = thread_bounds(thread);
        let mut items = Vec::new();
        let mut beyond = None;
        for s in self.live_comments(lo, hi, true) {
            let s = s?;
            if items.len() == n {
                beyond = Some(s.key);
                break;
            }
            items.push(s);
        }
        items.reverse();
        Ok((items, beyond))
    }

    /// `limit` comments after the key `after` (from the start for None).
    pub(super) fn page_after(
        &self,
        thread: ThreadId,
        after: Option<&[u8]>,
        limit: usize,
    ) -> Result<Slots> {
        let lo = match after {
            Some(k) => Bound::Excluded(k.to_vec()),
            None => thread_bounds(thread).0,
        };
        let (items, more) = self.take_forward(thread, lo, limit)?;
        let next = if more {
            items.last().map(|s| s.key.clone())
        } else {
            None
        };
        // Nothing live lies between the cursor and the page: the newest
        // comment up to the cursor is the one before the page.
        let prev = match after {
            Some(k) => self.take_back(thread, Bound::Included(k.to_vec()), 0)?.1,
            None => None,
        };
        Ok(Slots { items, prev, next })
    }

    /// The `limit` comments that end with the key `upto` (the newest
    /// comments for None).
    pub(super) fn page_before(
        &self,
        thread: ThreadId,
        upto: Option<&[u8]>,
        limit: usize,
    ) -> Result<Slots> {
        let hi = match upto {
            Some(k) => Bound::Included(k.to_vec()),
            None => thread_bounds(thread).1,
        };
        let (items, prev) = self.take_back(thread, hi, limit)?;
        let next = match (items.last(), upto) {
            (_, None) => None,
            (Some(last), Some(_)) => self.after_if_any(thread, &last.key)?,
            (None, Some(k)) => self.after_if_any(thread, k)?,
        };
        Ok(Slots { items, prev, next })
    }

    /// `key` as a `next` cursor when a live comment follows it.
    fn after_if_any(&self, thread: ThreadId, key: &[u8]) -> Result<Option<IVec>> {
        let (_, more) = self.take_forward(thread, Bound::Excluded(key.to_vec()), 0)?;
        Ok(more.then(|| IVec::from(key)))
    }

    /// A window of `limit` comments opened at the key `at`: up to `before`
    /// comments before it, then it and those after; when the thread ends
    /// first, more before fill the window.
    fn window_at(&self, thread: ThreadId, at: &[u8], before: usize, limit: usize) -> Result<Slots> {
        let (mut context, mut prev) =
            self.take_back(thread, Bound::Excluded(at.to_vec()), before)?;
        let room = limit - context.len();
        let (after, more) = self.take_forward(thread, Bound::Included(at.to_vec()), room)?;
        if after.len() < room && prev.is_some() {
            let oldest = context.first().map_or(at.to_vec(), |s| s.key.to_vec());
            let (mut earlier, beyond) =
                self.take_back(thread, Bound::Excluded(oldest), room - after.len())?;
            earlier.append(&mut context);
            context = earlier;
            prev = beyond;
        }
        let next = if more {
            after.last().map(|s| s.key.clone())
        } else {
            None
        };
        context.extend(after);
        Ok(Slots {
            items: context,
            prev,
            next,
        })
    }

    /// The index key a window opens at (None: the start) and whether the
    /// comment asked for was missing from the thread.
    fn anchor_key(
        &self,
        thread: ThreadId,
        t: &ThreadRow,
        asked: Option<CommentId>,
    ) -> Result<(Option<Vec<u8>>, bool)> {
        let missing = match asked {
            None => false,
            Some(c) => match self.comment_row(c) {
                Ok(row) if row.thread == thread && row.deleted.is_none() => {
                    return Ok((Some(thread_comment_key(thread, &row.created)), false))
                }
                Ok(_) => true,
                Err(e) if e.code == ErrorCode::NotFound => true,
                Err(e) => return Err(e),
            },
        };
        // My first unread comment; the start when there is none, or when
        // the opening post itself is new (the whole thread is).
        let first = self
            .my_thread_row(thread)?
            .first_unread
            .filter(|op| *op != t.created)
            .map(|op| thread_comment_key(thread, &op));
        Ok((first, missing))
    }

    /// A thread opened at a comment: the one `at` names, else my first
    /// unread one, with a few comments before it for context and both
    /// cursors (`prev`, `next`) to page on. A comment that is not in the
    /// thread opens it where it would open without one, with
    /// `anchor_missing` set: the reader still gets the thread in one round
    /// trip, and is told the comment is gone.
    pub fn thread_at(
        &self,
        id: ThreadId,
        at: &ThreadAt,
        opts: RenderOptions,
    ) -> Result<ThreadWindow> {
        let limit = PageRequest::first(at.limit).limit()?;
        if at.before >= limit {
            return Err(Error::invalid(format!(
                "A window of {limit} comments holds at most {} before the one it opens at, not {}",
                limit - 1,
                at.before
            )));
        }
        let t = self.thread_row(id)?;
        let (key, anchor_missing) = self.anchor_key(id, &t, at.comment)?;
        let (slots, anchor) = match key {
            Some(k) => {
                let slots = self.window_at(id, &k, at.before, limit)?;
                // The comment at the key, or the first live one after it
                // (the last when none is).
                let anchor = slots
                    .items
                    .iter()
                    .find(|s| s.key.as_ref() >= k.as_slice())
                    .or(slots.items.last())
                    .map(|s| s.id);
                (slots, anchor)
            }
            None => (self.page_after(id, None, limit)?, None),
        };
        Ok(ThreadWindow {
            thread: self.thread_view(id, &t, slots, opts)?,
            anchor,
            anchor_missing,
        })
    }

    /// A page of a thread's comments back from a `prev` cursor: the
    /// `limit` comments that end with the one the cursor names (the newest
    /// comments without a cursor), oldest first.
    pub fn thread_before(
        &self,
        id: ThreadId,
        page: &PageRequest,
        opts: RenderOptions,
    ) -> Result<ThreadView> {
        let limit = page.limit()?;
        let t = self.thread_row(id)?;
        let upto = cursor_in(id, page)?;
        let slots = self.page_before(id, upto.as_deref(), limit)?;
        self.thread_view(id, &t, slots, opts)
    }
}
