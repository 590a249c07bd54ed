//! My Later list: writing items (remind, save, done, remove) and when each
//! is due. Times come from [`crate::model::later`]; "on reply" looks up the
//! first reply by someone else after the item was set.

use chrono::{DateTime, Utc};

use super::trees::T;
use super::Store;
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{MemberId, OpId, ThreadId};
use crate::model::later::{self, Later, RemindAt, ReminderTime};
use crate::model::op::OpKind;
use crate::model::profile::Profile;

/// One Later item as stored: the item and the op that set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaterEntry {
    /// The thread.
    pub thread: ThreadId,
    /// The item.
    pub later: Later,
    /// The op that set it (replies after it count for "on reply").
    pub set: OpId,
}

/// The reply that brought an "on reply" reminder.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reply {
    /// The op that added the comment.
    pub op: OpId,
    /// Who wrote it.
    pub by: MemberId,
}

impl Store {
    /// Puts a thread on my Later list with a reminder (or none, for
    /// `Saved`), replacing what was there. Returns the resolved time, which
    /// says whether it moved into my working hours.
    pub fn remind(
        &self,
        thread: ThreadId,
        when: &RemindAt,
        on_reply: bool,
    ) -> Result<Option<ReminderTime>> {
        let me = self.require_me()?;
        self.thread_row(thread)?;
        let profile = self.my_profile()?;
        let time = later::resolve(when, self.now(), &profile)?;
        let later = Later {
            remind_at: time.map(|t| t.at),
            on_reply,
            done: false,
        };
        // The same item again writes nothing.
        if self.later_entry(me, thread)?.map(|e| e.later) == Some(later) {
            return Ok(time);
        }
        self.commit_local(
            me,
            vec![OpKind::LaterSet {
                thread,
                later: Some(later),
            }],
        )?;
        Ok(time)
    }

    /// What a reminder picked now would resolve to, without setting it (for
    /// the UI to say "outside your hours: moves to …" as I pick).
    pub fn reminder_time(&self, when: &RemindAt) -> Result<Option<ReminderTime>> {
        self.require_me()?;
        later::resolve(when, self.now(), &self.my_profile()?)
    }

    /// Marks a Later item done (it moves to Later's Done section and the
    /// reminder is off) or back to open (keeping its reminder).
    pub fn later_done(&self, thread: ThreadId, done: bool) -> Result<()> {
        let me = self.require_me()?;
        let mut entry = self.require_later(me, thread)?;
        if entry.later.done == done {
            return Ok(());
        }
        entry.later.done = done;
        self.commit_local(
            me,
            vec![OpKind::LaterSet {
                thread,
                later: Some(entry.later),
            }],
        )
        .map(drop)
    }

    /// Takes a thread off my Later list.
    pub fn later_remove(&self, thread: ThreadId) -> Result<()> {
        let me = self.require_me()?;
        self.require_later(me, thread)?;
        self.commit_local(
            me,
            vec![OpKind::LaterSet {
                thread,
                later: None,
            }],
        )
        .map(drop)
    }

    fn require_later(&self, me: MemberId, thread: ThreadId) -> Result<LaterEntry> {
        self.thread_row(thread)?;
        self.later_entry(me, thread)?.ok_or_else(|| {
            Error::new(
                ErrorCode::NotFound,
                "This thread is not in Later: add it with Remind me first",
            )
        })
    }

    /// My Later item for one thread, if any.
    pub(crate) fn later_entry(&self, me: MemberId, thread: ThreadId) -> Result<Option<LaterEntry>> {
        Ok(self
            .personal_row(me, thread)?
            .later_item()
            .map(|(later, set)| LaterEntry { thread, later, set }))
    }

    /// Every item on my Later list, in thread order.
    pub(crate) fn later_entries(&self) -> Result<Vec<LaterEntry>> {
        let Some(me) = self.me() else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for kv in self.trees().get(T::MyLater).iter() {
            let (k, _) = kv?;
            let thread = ThreadId::from_bytes(
                k.as_ref()
                    .try_into()
                    .map_err(|_| Error::corrupt("later key"))?,
            );
            if let Some(e) = self.later_entry(me, thread)? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// The first live comment by someone other than me after `after`.
    pub(crate) fn first_reply_after(
        &self,
        thread: ThreadId,
        after: OpId,
        me: MemberId,
    ) -> Result<Option<Reply>> {
        for c in self.comments_after(thread, Some(after)) {
            let (_, c) = c?;
            if c.author != me {
                return Ok(Some(Reply {
                    op: c.created,
                    by: c.author,
                }));
            }
        }
        Ok(None)
    }

    /// When an entry is due, and the reply that made it due (if a reply did).
    pub(crate) fn later_due(
        &self,
        e: &LaterEntry,
        me: MemberId,
        profile: &Profile,
    ) -> Result<(Option<DateTime<Utc>>, Option<Reply>)> {
        let reply = if e.later.on_reply && !e.later.done {
            self.first_reply_after(e.thread, e.set, me)?
        } else {
            None
        };
        let due = later::due(&e.later, reply.map(|r| r.op.time()), profile);
        // The reply made it due only if it came before the reminder time.
        let reply =
            reply.filter(|r| due.is_some_and(|d| later::into_hours(r.op.time(), profile) == d));
        Ok((due, reply))
    }

    /// My profile.
    pub(crate) fn my_profile(&self) -> Result<Profile> {
        let me = self.require_me()?;
        Ok(self.member_row(me)?.profile.value)
    }
}
