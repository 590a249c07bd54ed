//! The morning catch-up, built on my device from my store (nothing leaves
//! it): what waits on me (reply-by asks and mentions), threads I follow
//! with news, decisions (threads closed that I have not read since), new
//! threads per channel, my Later items due today, and check-ins to answer. Each item opens its
//! thread at the first unread; a section's "mark all seen" marks its
//! threads read.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::checkins::CheckinAsk;
use super::later::{LaterItem, LaterState};
use super::people::{People, PersonRef};
use super::thread::ThreadSummary;
use super::time::{time_view, TimeView};
use super::{PageRequest, MAX_PAGE};
use crate::error::{Error, Result};
use crate::model::ids::{ChannelId, CommentId, MemberId, OpId, ThreadId};
use crate::policy::{Notification, NotificationKey};
use crate::store::rows::ThreadRow;
use crate::store::trees::T;
use crate::store::Store;

/// How far back decisions and new threads are looked for.
pub const CATCH_UP_WINDOW: TimeDelta = TimeDelta::days(7);

/// Names shown per item ("Ana, Ben and 2 others").
const NAMES: usize = 3;

/// One thread in the catch-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CatchUpItem {
    /// The thread.
    pub thread: ThreadSummary,
    /// Why it is here, in a line: "Ben asked for your answer by Tue 17:00",
    /// "Ana mentioned you", "3 new comments from Ana and Ben", "Closed by
    /// Ana".
    pub why: String,
    /// Who wrote what I have not read (at most three).
    pub who: Vec<PersonRef>,
    /// Where to open it: my first unread comment (None: the top).
    pub first_unread: Option<CommentId>,
}

/// New threads of one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelNews {
    /// The channel.
    pub channel: ChannelId,
    /// Its name.
    pub channel_name: String,
    /// Its new threads I have not read, newest first.
    pub items: Vec<CatchUpItem>,
}

/// A section of the catch-up that can be marked seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CatchUpSection {
    /// Threads I follow with news.
    News,
    /// Threads closed since I read them.
    Decisions,
    /// New threads per channel.
    NewThreads,
}

/// My catch-up, built now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CatchUp {
    /// When it was built, in my time.
    pub built: TimeView,
    /// Reply-by asks on me (due first), then threads that mention me
    /// unread.
    pub waiting: Vec<CatchUpItem>,
    /// Threads I follow with news (not already above), newest first.
    pub news: Vec<CatchUpItem>,
    /// Threads closed in the last week that I have not read since.
    pub decisions: Vec<CatchUpItem>,
    /// New threads I do not follow, per channel.
    pub new_threads: Vec<ChannelNews>,
    /// My Later items due now or today.
    pub later: Vec<LaterItem>,
    /// Check-ins asking me that I have not answered.
    pub checkins: Vec<CheckinAsk>,
}

impl CatchUp {
    /// Items in every section.
    pub fn len(&self) -> usize {
        self.waiting.len()
            + self.news.len()
            + self.decisions.len()
            + self
                .new_threads
                .iter()
                .map(|c| c.items.len())
                .sum::<usize>()
            + self.later.len()
            + self.checkins.len()
    }

    /// Nothing to catch up on.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The one "Your catch-up" notification, or None when it is empty.
    pub fn notification(&self) -> Option<Notification> {
        if self.is_empty() {
            return None;
        }
        let new_threads: usize = self.new_threads.iter().map(|c| c.items.len()).sum();
        let parts: Vec<String> = [
            (self.waiting.len(), "waiting on you", "waiting on you"),
            (self.news.len(), "thread with news", "threads with news"),
            (self.decisions.len(), "decision", "decisions"),
            (new_threads, "new thread", "new threads"),
            (self.later.len(), "reminder today", "reminders today"),
            (
                self.checkins.len(),
                "check-in to answer",
                "check-ins to answer",
            ),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        Some(Notification {
            key: NotificationKey::CatchUp,
            thread: None,
            title: "Your catch-up".into(),
            body: parts.join(" · "),
            count: self.len() as u32,
            reminder: false,
        })
    }
}

impl Store {
    /// My catch-up (see the module doc), built from the store now.
    pub fn catch_up(&self) -> Result<CatchUp> {
        let me = self.require_me()?;
        let people = People::load(self)?;
        let now = self.now();
        let tz = people.my_tz();
        let since = now - CATCH_UP_WINDOW;

        let mut waiting = Vec::new();
        let mut taken: Vec<ThreadId> = Vec::new();
        for w in self.waiting_on_me()? {
            if taken.contains(&w.thread) {
                continue;
            }
            let t = self.thread_row(w.thread)?;
            let mut item =
                self.catch_up_item(w.thread, &t, &self.unread_of(w.thread, &t, me)?, &people)?;
            item.why = if w.overdue {
                format!(
                    "{} asked for your answer: overdue since {}",
                    w.asker.name, w.due.local
                )
            } else {
                format!("{} asked for your answer by {}", w.asker.name, w.due.local)
            };
            waiting.push(item);
            taken.push(w.thread);
        }

        // Inbox threads: mentions first (waiting on me), the rest is news.
        let mut news = Vec::new();
        let mut page = PageRequest::first(MAX_PAGE);
        loop {
            let p = self.inbox(&page)?;
            for i in &p.items {
                let id = i.thread.id;
                if taken.contains(&id) || i.thread.unread == 0 {
                    continue;
                }
                let t = self.thread_row(id)?;
                let unread = self.unread_of(id, &t, me)?;
                let mut item = self.catch_up_item(id, &t, &unread, &people)?;
                if let Some(by) = unread.mentioned_by {
                    item.why = format!("{} mentioned you", people.person(by).name);
                    waiting.push(item);
                } else {
                    news.push(item);
                }
                taken.push(id);
            }
            match p.next {
                Some(c) => page.cursor = Some(c),
                None => break,
            }
        }

        // Decisions and new threads, channel by channel, newest activity
        // first, back to the window's start.
        let mut decisions = Vec::new();
        let mut new_threads = Vec::new();
        for c in self.channels()? {
            let mut items = Vec::new();
            for kv in self
                .trees()
                .get(T::ChanThreads)
                .scan_prefix(c.id.to_bytes())
            {
                let (k, _) = kv?;
                let id = ThreadId::from_bytes(
                    k[k.len() - 16..]
                        .try_into()
                        .map_err(|_| Error::corrupt("channel thread key"))?,
                );
                let t = self.thread_row(id)?;
                if t.last_activity.time() < since {
                    break;
                }
                if taken.contains(&id) {
                    continue;
                }
                let (my, personal) = (self.my_thread_row(id)?, self.personal_row(me, id)?);
                if personal.muted.as_ref().is_some_and(|m| m.value) {
                    continue;
                }
                let read_at = personal.read_at;
                if t.closed.value
                    && t.closed.at.time() >= since
                    && t.author != me
                    && read_at.is_none_or(|r| r < t.closed.at)
                {
                    let mut item =
                        self.catch_up_item(id, &t, &self.unread_of(id, &t, me)?, &people)?;
                    item.why = format!("Closed by {}", people.person(t.author).name);
                    decisions.push(item);
                    taken.push(id);
                    continue;
                }
                let root_unread = t.author != me && my.seen_up_to.is_none_or(|s| s < t.created);
                if root_unread && t.created.time() >= since {
                    let mut item =
                        self.catch_up_item(id, &t, &self.unread_of(id, &t, me)?, &people)?;
                    item.why = format!("Started by {}", people.person(t.author).name);
                    items.push(item);
                    taken.push(id);
                }
            }
            if !items.is_empty() {
                new_threads.push(ChannelNews {
                    channel: c.id,
                    channel_name: c.name,
                    items,
                });
            }
        }

        // Later: due now, or due later today in my time.
        let today = now.with_timezone(&tz).date_naive();
        let later = self
            .later_list()?
            .items
            .into_iter()
            .filter(|i| match i.state {
                LaterState::Due => true,
                LaterState::Upcoming => i
                    .due
                    .as_ref()
                    .is_some_and(|d| d.utc.with_timezone(&tz).date_naive() == today),
                LaterState::Saved | LaterState::Done => false,
            })
            .collect();

        Ok(CatchUp {
            built: time_view(now, tz, None, now),
            waiting,
            news,
            decisions,
            new_threads,
            later,
            checkins: self.checkin_asks_for_me()?,
        })
    }

    /// Marks every thread of a catch-up section read; returns how many.
    pub fn catch_up_seen(&self, section: CatchUpSection) -> Result<u32> {
        let c = self.catch_up()?;
        let threads: Vec<ThreadId> = match section {
            CatchUpSection::News => c.news.iter().map(|i| i.thread.id).collect(),
            CatchUpSection::Decisions => c.decisions.iter().map(|i| i.thread.id).collect(),
            CatchUpSection::NewThreads => c
                .new_threads
                .iter()
                .flat_map(|ch| ch.items.iter().map(|i| i.thread.id))
                .collect(),
        };
        for t in &threads {
            self.mark_read(*t, None)?;
        }
        Ok(threads.len() as u32)
    }

    fn catch_up_item(
        &self,
        id: ThreadId,
        t: &ThreadRow,
        unread: &Unread,
        people: &People,
    ) -> Result<CatchUpItem> {
        let n = unread.comments;
        let mut names: Vec<PersonRef> = Vec::new();
        for a in &unread.authors {
            if names.len() < NAMES && !names.iter().any(|p| p.id == *a) {
                names.push(people.person(*a));
            }
        }
        let why = if n == 0 {
            String::new()
        } else {
            let who = names
                .iter()
                .map(|p| {
                    p.name
                        .split_whitespace()
                        .next()
                        .unwrap_or(&p.name)
                        .to_string()
                })
                .collect::<Vec<_>>();
            let who = match who.as_slice() {
                [] => String::new(),
                [a] => format!(" from {a}"),
                [a, b] => format!(" from {a} and {b}"),
                [a, rest @ ..] => format!(" from {a}, {}", rest.join(" and ")),
            };
            let noun = if n == 1 {
                "new comment"
            } else {
                "new comments"
            };
            format!("{n} {noun}{who}")
        };
        Ok(CatchUpItem {
            thread: self.summary(id, t, people)?,
            why,
            who: names,
            first_unread: unread.first,
        })
    }

    /// What I have not read in a thread: its comments by others after my
    /// read position, who wrote them, whether one mentions me.
    fn unread_of(&self, id: ThreadId, t: &ThreadRow, me: MemberId) -> Result<Unread> {
        let my = self.my_thread_row(id)?;
        let marker: Option<OpId> = my.seen_up_to;
        let mut u = Unread::default();
        if t.author != me && marker.is_none_or(|m| m < t.created) {
            u.authors.push(t.author);
            if t.mentions.contains(&me) {
                u.mentioned_by = Some(t.author);
            }
        }
        for c in self.comments_after(id, marker) {
            let (cid, c) = c?;
            if c.author == me {
                continue;
            }
            u.comments += 1;
            u.first.get_or_insert(cid);
            u.authors.push(c.author);
            if c.body.value.1.contains(&me) {
                u.mentioned_by.get_or_insert(c.author);
            }
        }
        // The latest writers first.
        u.authors.reverse();
        Ok(u)
    }
}

/// See [`Store::unread_of`].
#[derive(Default)]
struct Unread {
    comments: u32,
    authors: Vec<MemberId>,
    first: Option<CommentId>,
    mentioned_by: Option<MemberId>,
}
