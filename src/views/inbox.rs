//! My inbox (followed threads with news, newest first) and my done list.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::channels::ChannelNames;
use super::people::People;
use super::thread::ThreadSummary;
use super::{encode_cursor, Page, PageRequest};
use crate::error::{Error, Result};
use crate::model::ids::{MemberId, ThreadId};
use crate::model::profile::Profile;
use crate::store::trees::T;
use crate::store::{LaterEntry, Store};

/// One inbox entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InboxItem {
    /// The thread.
    pub thread: ThreadSummary,
    /// It is back from a snooze or a Later reminder.
    pub snooze_ended: bool,
}

impl Store {
    /// My inbox: threads I follow and have not muted, with news since I last
    /// read (or back from a snooze), newest activity first. Done threads
    /// stay out until someone else writes in them again.
    pub fn inbox(&self, page: &PageRequest) -> Result<Page<InboxItem>> {
        let me = self.require_me()?;
        let limit = page.limit()?;
        let now = self.now();
        let people = People::load(self)?;
        let profile = self.my_profile()?;
        let start = match page.cursor_key()? {
            Some(mut k) => {
                k.push(0);
                k
            }
            None => Vec::new(),
        };
        let mut names = ChannelNames::default();
        let mut items = Vec::new();
        let mut last_key: Option<sled::IVec> = None;
        for kv in self.trees().get(T::MyInbox).range(start..) {
            let (k, _) = kv?;
            let id = ThreadId::from_bytes(
                k[k.len() - 16..]
                    .try_into()
                    .map_err(|_| Error::corrupt("inbox key"))?,
            );
            let my = self.my_thread_row(id)?;
            // Only a snooze or a Later reminder can hide a candidate; my
            // personal row says until when.
            let snooze = if my.reminder {
                self.snooze_end(me, id, &profile)?
            } else {
                None
            };
            let (show, snooze_ended) = match snooze {
                Some(until) if until > now => (false, false),
                // Back from a snooze: a reminder until I read it again.
                Some(until) => {
                    let personal = self.personal_row(me, id)?;
                    (
                        my.unread > 0 || personal.read_at.is_none_or(|r| r.time() < until),
                        true,
                    )
                }
                None => (my.unread > 0, false),
            };
            if !show {
                continue;
            }
            if items.len() == limit {
                return Ok(Page {
                    items,
                    next: last_key.map(|k| encode_cursor(&k)),
                });
            }
            let t = self.thread_row(id)?;
            let name = names.get(self, t.channel);
            items.push(InboxItem {
                thread: self.summary_of(id, &t, &my, &people, name),
                snooze_ended,
            });
            last_key = Some(k);
        }
        Ok(Page { items, next: None })
    }

    /// When the snooze or Later reminder on a thread of mine ends (the
    /// later of the two), if it has either.
    fn snooze_end(
        &self,
        me: MemberId,
        id: ThreadId,
        profile: &Profile,
    ) -> Result<Option<DateTime<Utc>>> {
        let personal = self.personal_row(me, id)?;
        // A Later reminder hides the thread like a snooze until it is
        // due (its time, or a reply when asked for).
        let reminder = match personal.later_item() {
            Some((later, set)) if later.reminds() => {
                let e = LaterEntry {
                    thread: id,
                    later,
                    set,
                };
                let due = self.later_due(&e, me, profile)?.0;
                Some(due.unwrap_or(DateTime::<Utc>::MAX_UTC))
            }
            _ => None,
        };
        let snooze = personal.snoozed.as_ref().and_then(|s| s.value);
        Ok(match (snooze, reminder) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        })
    }

    /// Number of threads in my inbox right now.
    pub fn inbox_count(&self) -> Result<usize> {
        let mut n = 0;
        let mut page = PageRequest::first(super::MAX_PAGE);
        loop {
            let p = self.inbox(&page)?;
            n += p.items.len();
            match p.next {
                Some(c) => page.cursor = Some(c),
                None => return Ok(n),
            }
        }
    }

    /// Threads I marked done, most recently done first.
    pub fn done_list(&self, page: &PageRequest) -> Result<Page<ThreadSummary>> {
        self.require_me()?;
        let limit = page.limit()?;
        let people = People::load(self)?;
        let start = match page.cursor_key()? {
            Some(mut k) => {
                k.push(0);
                k
            }
            None => Vec::new(),
        };
        let mut names = ChannelNames::default();
        let mut items = Vec::new();
        let mut last_key: Option<sled::IVec> = None;
        for kv in self.trees().get(T::MyDone).range(start..) {
            let (k, _) = kv?;
            if items.len() == limit {
                return Ok(Page {
                    items,
                    next: last_key.map(|k| encode_cursor(&k)),
                });
            }
            let id = ThreadId::from_bytes(
                k[k.len() - 16..]
                    .try_into()
                    .map_err(|_| Error::corrupt("done key"))?,
            );
            let t = self.thread_row(id)?;
            let my = self.my_thread_row(id)?;
            let name = names.get(self, t.channel);
            items.push(self.summary_of(id, &t, &my, &people, name));
            last_key = Some(k);
        }
        Ok(Page { items, next: None })
    }
}
