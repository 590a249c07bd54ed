//! A channel's threads, and one thread with its comments.

use serde::{Deserialize, Serialize};

use super::people::{People, PersonRef};
use super::thread_pages::{cursor_in, Slot, Slots};
use super::time::{time_view, TimeView};
use super::{encode_cursor, Page, PageRequest};
use crate::error::{Error, Result};
use crate::model::ids::{ChannelId, CommentId, MemberId, OpId, ThreadId};
use crate::render::{clean_label, RenderOptions};
use crate::store::reactions::Reactions;
use crate::store::rows::{dec, CommentRow, MyThreadRow, ThreadRow};
use crate::store::trees::{thread_comment_key, T};
use crate::store::tx::prefix_end;
use crate::store::Store;

/// A thread in a list (channel, inbox, done, search).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ThreadSummary {
    /// Its id.
    pub id: ThreadId,
    /// Its channel.
    pub channel: ChannelId,
    /// The channel's name.
    pub channel_name: String,
    /// Title.
    pub title: String,
    /// Start of the latest comment (or of the body), as plain text.
    pub snippet: String,
    /// Who started it.
    pub author: PersonRef,
    /// Everyone who wrote in it.
    pub participants: Vec<PersonRef>,
    /// Live comments.
    pub comments: u32,
    /// Latest activity, in my time.
    pub last_activity: TimeView,
    /// Items I have not read.
    pub unread: u32,
    /// Closed (resolved).
    pub closed: bool,
    /// I follow it.
    pub following: bool,
    /// I muted it.
    pub muted: bool,
    /// I marked it done.
    pub done: bool,
}

/// A reaction with its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReactionView {
    /// The emoji.
    pub emoji: String,
    /// Who reacted.
    pub people: Vec<PersonRef>,
    /// I am among them.
    pub mine: bool,
}

/// A comment as shown in a thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CommentView {
    /// Its id.
    pub id: CommentId,
    /// Its op (a read position).
    pub op: OpId,
    /// Who wrote it.
    pub author: PersonRef,
    /// When, in my time and theirs.
    pub created: TimeView,
    /// Rendered, sanitized HTML.
    pub body_html: String,
    /// Markdown source (for editing my own).
    pub body_markdown: String,
    /// It was edited.
    pub edited: bool,
    /// I have not read it.
    pub unread: bool,
    /// I wrote it (so I may edit or delete it).
    pub mine: bool,
    /// Reactions.
    pub reactions: Vec<ReactionView>,
}

/// A page of a thread's comments, with cursors to page on from either
/// edge (`thread_pages.rs` says what each names).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CommentPage {
    /// The comments, oldest first.
    pub items: Vec<CommentView>,
    /// Cursor for the comments before these (`Store::thread_before`), if
    /// there are any.
    pub prev: Option<String>,
    /// Cursor for the comments after these (`Store::thread`), if there are
    /// any.
    pub next: Option<String>,
}

/// A thread with a page of comments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ThreadView {
    /// Summary (title, counts, my state).
    pub summary: ThreadSummary,
    /// The opening post, rendered and sanitized.
    pub body_html: String,
    /// Its markdown source.
    pub body_markdown: String,
    /// When it was started, in my time and the author's.
    pub created: TimeView,
    /// The opening post's op (a read position).
    pub op: OpId,
    /// Reactions on the opening post.
    pub reactions: Vec<ReactionView>,
    /// People named to notify.
    pub notify: Vec<PersonRef>,
    /// This page of comments, oldest first.
    pub comments: CommentPage,
    /// My first unread comment, if any (None with `root_unread` = the post).
    pub first_unread: Option<CommentId>,
    /// The opening post itself is unread.
    pub root_unread: bool,
}

impl Store {
    /// A thread as lists show it, from its row and my row: no comment
    /// is read (the snippet is kept in the thread row, `store::snippet`).
    pub(crate) fn summary(
        &self,
        id: ThreadId,
        t: &ThreadRow,
        people: &People,
    ) -> Result<ThreadSummary> {
        let my = self.my_thread_row(id)?;
        Ok(self.summary_of(id, t, &my, people, self.channel_label(t.channel)))
    }

    /// [`Store::summary`] with my row already read and the channel's name
    /// known (lists keep names per page).
    pub(crate) fn summary_of(
        &self,
        id: ThreadId,
        t: &ThreadRow,
        my: &MyThreadRow,
        people: &People,
        channel_name: String,
    ) -> ThreadSummary {
        ThreadSummary {
            id,
            channel: t.channel,
            channel_name,
            title: clean_label(&t.title.value),
            snippet: t.snippet.clone(),
            author: people.person(t.author),
            participants: t
                .participants
                .iter()
                .map(|(_, p)| people.person(*p))
                .collect(),
            comments: t.comments,
            last_activity: time_view(t.last_activity.time(), people.my_tz(), None, self.now()),
            unread: my.unread,
            closed: t.closed.value,
            following: my.following,
            muted: my.muted,
            done: my.done,
        }
    }

    /// The live (not deleted) comments of a thread created after `after`
    /// (every one, for None), oldest first, with their ids.
    pub(crate) fn comments_after(
        &self,
        thread: ThreadId,
        after: Option<OpId>,
    ) -> impl Iterator<Item = Result<(CommentId, CommentRow)>> + '_ {
        let from = match after {
            Some(at) => thread_comment_key(thread, &at),
            None => thread.to_bytes().to_vec(),
        };
        let prefix = thread.to_bytes();
        self.trees()
            .get(T::ThreadComments)
            .range(from..)
            .take_while(move |kv| kv.as_ref().map_or(true, |(k, _)| k.starts_with(&prefix)))
            .filter_map(move |kv| {
                let load = || -> Result<Option<(CommentId, CommentRow)>> {
                    let (_, v) = kv?;
                    let c = self.comment_in_scan(&v)?;
                    let newer = after.is_none_or(|a| c.created > a);
                    Ok((newer && c.deleted.is_none()).then_some((c.id, c)))
                };
                load().transpose()
            })
    }

    /// Threads of a channel, latest activity first.
    pub fn channel_threads(
        &self,
        channel: ChannelId,
        page: &PageRequest,
    ) -> Result<Page<ThreadSummary>> {
        let name = clean_label(&self.channel_row(channel)?.name.value.0);
        let limit = page.limit()?;
        let people = People::load(self)?;
        let prefix = channel.to_bytes();
        let tree = self.trees().get(T::ChanThreads);
        let start = match page.cursor_key()? {
            Some(k) if k.starts_with(&prefix) => {
                let mut k = k;
                k.push(0);
                k
            }
            Some(_) => {
                return Err(Error::invalid(
                    "That page cursor belongs to another channel",
                ))
            }
            None => prefix.to_vec(),
        };
        let iter = match prefix_end(&prefix) {
            Some(end) => tree.range(start..end),
            None => tree.range(start..),
        };
        let mut items = Vec::new();
        let mut last_key = None;
        for kv in iter {
            let (k, _) = kv?;
            if items.len() == limit {
                return Ok(Page {
                    items,
                    next: last_key.map(|k: sled::IVec| encode_cursor(&k)),
                });
            }
            let id = ThreadId::from_bytes(
                k[k.len() - 16..]
                    .try_into()
                    .map_err(|_| Error::corrupt("thread ref"))?,
            );
            let t = self.thread_row(id)?;
            let my = self.my_thread_row(id)?;
            items.push(self.summary_of(id, &t, &my, &people, name.clone()));
            last_key = Some(k);
        }
        Ok(Page { items, next: None })
    }

    /// Reactions as shown, from the summary kept in the post's row
    /// (`store::reactions`).
    fn reactions(shown: &Reactions, people: &People) -> Vec<ReactionView> {
        shown
            .iter()
            .map(|(emoji, who)| ReactionView {
                emoji: emoji.clone(),
                people: who.iter().map(|m| people.person(*m)).collect(),
                mine: who.iter().any(|m| Some(*m) == people.me),
            })
            .collect()
    }

    /// A thread with a page of its comments (oldest first), rendered for me:
    /// from the first comment, or after a `next` cursor.
    pub fn thread(
        &self,
        id: ThreadId,
        page: &PageRequest,
        opts: RenderOptions,
    ) -> Result<ThreadView> {
        let limit = page.limit()?;
        let t = self.thread_row(id)?;
        let after = cursor_in(id, page)?;
        let slots = self.page_after(id, after.as_deref(), limit)?;
        self.thread_view(id, &t, slots, opts)
    }

    /// The thread `t` with the comments of `slots`, rendered for me.
    pub(super) fn thread_view(
        &self,
        id: ThreadId,
        t: &ThreadRow,
        slots: Slots,
        opts: RenderOptions,
    ) -> Result<ThreadView> {
        let people = People::load(self)?;
        let me = people.me;
        let summary = self.summary(id, t, &people)?;
        let my = self.my_thread_row(id)?;
        let marker = my.seen_up_to;
        let my_tz = people.my_tz();
        let now = self.now();
        let author_of = |m: MemberId| {
            people
                .get(m)
                .map(|p| (p.display_name.as_str(), people.tz_of(m)))
        };
        let mut comments = Vec::with_capacity(slots.items.len());
        for Slot {
            id: cid, row: c, ..
        } in slots.items
        {
            let unread = Some(c.author) != me && marker.is_none_or(|m| m < c.created);
            comments.push(CommentView {
                id: cid,
                op: c.created,
                author: people.person(c.author),
                created: time_view(c.created.time(), my_tz, author_of(c.author), now),
                body_html: self.comment_html(cid, &c, &people, opts),
                edited: c.body.at != c.created,
                body_markdown: c.body.value.0,
                unread,
                mine: Some(c.author) == me,
                reactions: Self::reactions(&c.reactions, &people),
            });
        }
        let root_unread = my.first_unread == Some(t.created);
        let first_unread = match my.first_unread {
            Some(op) if !root_unread => self
                .trees()
                .get(T::ThreadComments)
                .get(thread_comment_key(id, &op))?
                .map(|v| self.comment_in_scan(&v))
                .transpose()?
                .map(|c| c.id),
            // The whole thread is new: the first comment by someone else.
            Some(_) => self.first_comment_by_others(id, me)?,
            None => None,
        };
        let body = self.thread_body(id)?;
        Ok(ThreadView {
            body_html: self.thread_body_html(id, t, &body, &people, opts),
            body_markdown: body,
            created: time_view(t.created.time(), my_tz, author_of(t.author), now),
            op: t.created,
            reactions: Self::reactions(&t.reactions, &people),
            notify: t.notify.iter().map(|m| people.person(*m)).collect(),
            comments: CommentPage {
                items: comments,
                prev: slots.prev.map(|k| encode_cursor(&k)),
                next: slots.next.map(|k| encode_cursor(&k)),
            },
            first_unread,
            root_unread,
            summary,
        })
    }

    fn first_comment_by_others(
        &self,
        id: ThreadId,
        me: Option<MemberId>,
    ) -> Result<Option<CommentId>> {
        for kv in self
            .trees()
            .get(T::ThreadComments)
            .scan_prefix(id.to_bytes())
        {
            let (_, v) = kv?;
            let c = self.comment_in_scan(&v)?;
            if c.deleted.is_none() && Some(c.author) != me {
                return Ok(Some(c.id));
            }
        }
        Ok(None)
    }

    pub(crate) fn my_thread_row(&self, id: ThreadId) -> Result<MyThreadRow> {
        Ok(self
            .trees()
            .get(T::MyThreads)
            .get(id.to_bytes())?
            .map(|v| dec(&v))
            .transpose()?
            .unwrap_or_default())
    }
}
