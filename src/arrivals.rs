//! Arrivals: from applied ops to the notifications to show.
//!
//! The store applies ops; this module asks the [`policy`](crate::policy)
//! about each new thread or comment from someone else, with my follows,
//! mutes, mentions, settings and working hours read from the store, and
//! keeps the [`NotificationQueue`] that folds bursts and holds digests,
//! saved to a file after each change so held ones survive a restart. The
//! shell only delivers what comes out (notify-rust, the tray).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use tracing::warn;

use crate::error::Result;
use crate::model::ids::ThreadId;
use crate::model::op::{Op, OpKind};
use crate::model::profile::NotificationSettings;
use crate::model::schedule::PostRef;
use crate::policy::persist::QueueFile;
use crate::policy::{
    decide, Decision, Event, Focus, Me, Notification, NotificationQueue, Relation,
};
use crate::render::plain_excerpt;
use crate::store::rows::{dec, SettingsRow};
use crate::store::trees::T;
use crate::store::Store;

/// Characters of a comment shown in a notification.
const EXCERPT_CHARS: usize = 100;

impl Store {
    /// My notification settings (defaults until I change them).
    pub fn notification_settings(&self) -> Result<NotificationSettings> {
        let Some(me) = self.me() else {
            return Ok(NotificationSettings::default());
        };
        let row: Option<SettingsRow> = self
            .trees()
            .get(T::Settings)
            .get(me.to_bytes())?
            .map(|v| dec(&v))
            .transpose()?;
        Ok(row.map(|r| r.value).unwrap_or_default())
    }

    /// Me, as the policy sees me.
    pub fn policy_me(&self) -> Result<Me> {
        let member = self.require_me()?;
        let profile = self.member_row(member)?.profile.value;
        let mut settings = self.notification_settings()?;
        // While I am away, everything holds until I am back, and what
        // gathered arrives then as a digest, like after a pause.
        if let Some(away) = self.away_of(member)? {
            settings.pause_until = settings.pause_until.max(Some(away.until));
        }
        Ok(Me {
            member,
            tz: profile.tz(),
            hours: profile.working_hours,
            settings,
        })
    }

    fn relation(&self, thread: ThreadId) -> Result<Relation> {
        self.thread_row(thread)?;
        let (_, st) = self.my_view_of(thread)?;
        Ok(Relation {
            following: st.following,
            muted: st.muted,
        })
    }

    /// The policy's view of each new thread or comment among `ops`.
    pub fn notification_events(&self, ops: &[Op]) -> Result<Vec<(Event, Relation)>> {
        let me = self.require_me()?;
        let mut out = Vec::new();
        for op in ops {
            let (thread, comment, body, mentions) = match &op.kind {
                OpKind::ThreadCreated {
                    thread,
                    body,
                    mentions,
                    ..
                } => (*thread, None, body, mentions),
                OpKind::CommentAdded {
                    thread,
                    comment,
                    body,
                    mentions,
                } => (*thread, Some(*comment), body, mentions),
                _ => continue,
            };
            let Ok(t) = self.thread_row(thread) else {
                continue;
            };
            if let Some(c) = comment {
                // Deleted before I got to hear of it: nothing to say.
                if self.comment_row(c).is_ok_and(|c| c.deleted.is_some()) {
                    continue;
                }
            }
            let channel_name = self
                .channel_row(t.channel)
                .map(|c| c.name.value.0)
                .unwrap_or_default();
            let author_name = self
                .member_row(op.author)
                .map(|m| m.profile.value.display_name)
                .unwrap_or_else(|_| "Someone".into());
            out.push((
                Event {
                    thread,
                    thread_title: t.title.value.clone(),
                    channel_name,
                    comment,
                    author: op.author,
                    author_name,
                    at: op.id.time(),
                    excerpt: plain_excerpt(body, EXCERPT_CHARS),
                    mentions_me: mentions.contains(&me),
                    names_me_to_notify: comment.is_none() && t.notify.contains(&me),
                    urgent: self.is_urgent_for_me(
                        comment.map_or(PostRef::Thread(thread), PostRef::Comment),
                        op.author,
                    )?,
                },
                self.relation(thread)?,
            ));
        }
        Ok(out)
    }

    /// Threads in my inbox and unread threads overall, for the tray.
    pub fn unread_summary(&self) -> Result<(usize, u32)> {
        let inbox = self.inbox_count()?;
        let unread_threads = self.channels()?.iter().map(|c| c.unread_threads).sum();
        Ok((inbox, unread_threads))
    }
}

/// What [`Arrivals::due_at`] found due.
#[derive(Debug, Default)]
pub struct Due {
    /// What to show.
    pub notifications: Vec<Notification>,
    /// A reply-by ask just became due or overdue (the Waiting view should
    /// read again: no write announces it).
    pub asks_due: bool,
    /// A Later reminder came due (likewise for Later and the inbox).
    pub later_due: bool,
    /// A check-in asked me (likewise for the Check-ins view).
    pub checkins_due: bool,
}

/// What the shell keeps between arrivals: the notification queue, and
/// (when [`Arrivals::saved_in`] a file) that file, rewritten after every
/// change so held notifications survive a quit and relaunch.
#[derive(Default)]
pub struct Arrivals {
    queue: NotificationQueue,
    file: Option<QueueFile>,
}

impl Arrivals {
    /// Nothing shown or held yet, and nothing saved (tests, benchmarks).
    pub fn new() -> Self {
        Self::default()
    }

    /// The queue saved at `path` (empty if there is none, or if it is
    /// damaged: see [`crate::policy::persist`]), saved there again after
    /// each change. Every method that changes the queue then writes the file
    /// (a small fsynced write): call them off async threads.
    pub fn saved_in(path: impl Into<PathBuf>) -> Self {
        let (file, queue) = QueueFile::open(path);
        Arrivals {
            queue,
            file: Some(file),
        }
    }

    /// Decides about freshly applied ops; returns what to show now. A reply
    /// that brings a Later reminder shows as that reminder, saying what the
    /// reply said.
    pub fn on_applied(
        &mut self,
        store: &Store,
        ops: &[Op],
        focus: &Focus,
        now: DateTime<Utc>,
    ) -> Result<Vec<Notification>> {
        if store.me().is_none() {
            return Ok(Vec::new());
        }
        let me = store.policy_me()?;
        let batch: Vec<(Event, Decision)> = store
            .notification_events(ops)?
            .into_iter()
            .map(|(ev, rel)| {
                let d = decide(&ev, &me, rel, focus, self.queue.last_shown(ev.thread), now);
                (ev, d)
            })
            .collect();
        let replies = !batch.is_empty();
        let mut shown = self.queue.offer(batch, now);
        self.save();
        if replies {
            // A reply may bring a Later reminder ("or sooner if someone
            // replies"): it shows now, as the thread's one notification.
            // If the scheduler showed it a moment ago (it can look between
            // the apply and this call), that reminder already stands for
            // the reply: the reply's notification is not shown over it.
            let later = store.due_reminders()?;
            if !shown.is_empty() {
                let brought = store.reminders_brought_by(ops)?;
                shown.retain(|n| {
                    later.iter().any(|l| l.key == n.key) || brought.iter().all(|r| r.key != n.key)
                });
            }
            fold_reminders(&mut shown, later);
        }
        Ok(shown)
    }

    /// Everything due at `now`: at the start of my hours (or my return),
    /// one "Your catch-up" notification built from the store, standing
    /// for the notifications held overnight and for the reply-by and Later
    /// reminders and check-in asks due at that moment (none of them is
    /// shown on its own); otherwise held notifications whose time has
    /// come, reply-by reminders, Later reminders (one per thread: a
    /// reminder stands for what else was due for its thread and carries its
    /// text) and check-in asks.
    pub fn due_at(&mut self, store: &Store, now: DateTime<Utc>) -> Result<Due> {
        let caught_up = match store.me() {
            Some(_) => {
                let me = store.policy_me()?;
                let c = self.queue.catch_up(&me, now);
                self.save();
                c.is_some()
            }
            None => false,
        };
        // Asked even after a catch-up, so what it stands for is marked shown.
        let asks = store.due_reply_alerts()?;
        let later = store.due_reminders()?;
        let checkins = store.due_checkin_asks()?;
        let mut due = Due {
            asks_due: !asks.is_empty(),
            later_due: !later.is_empty(),
            checkins_due: !checkins.is_empty(),
            notifications: Vec::new(),
        };
        if caught_up {
            due.notifications.extend(store.catch_up()?.notification());
            return Ok(due);
        }
        let mut list = self.due(now);
        list.extend(asks);
        fold_reminders(&mut list, later);
        list.extend(checkins);
        due.notifications = list;
        Ok(due)
    }

    /// When to call [`Self::due_at`] next: a held notification, the next
    /// catch-up, reply-by or Later reminder.
    pub fn next_due_at(&self, store: &Store, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let catch_up = match store.me() {
            Some(_) => self.queue.next_catch_up(&store.policy_me()?, now),
            None => None,
        };
        let asks = store.next_reply_alert()?;
        let later = store.next_reminder()?;
        let checkin = store.next_checkin_ask()?;
        Ok([self.queue.next_due(), catch_up, asks, later, checkin]
            .into_iter()
            .flatten()
            .min())
    }

    /// Held notifications whose time has come.
    pub fn due(&mut self, now: DateTime<Utc>) -> Vec<Notification> {
        let due = self.queue.due(now);
        self.save();
        due
    }

    /// When to call [`Self::due`] next.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.queue.next_due()
    }

    /// I read the thread: forget what was held or shown for it.
    pub fn thread_read(&mut self, thread: ThreadId) {
        self.queue.thread_read(thread);
        self.save();
    }

    /// My settings or working hours changed (a pause, a resume): held
    /// notifications move to the new time; after a resume that is now.
    pub fn settings_changed(&mut self, store: &Store, now: DateTime<Utc>) -> Result<()> {
        if store.me().is_some() {
            self.queue.reschedule(&store.policy_me()?, now);
            self.save();
        }
        Ok(())
    }

    /// Notifications waiting for their time.
    pub fn held_count(&self) -> usize {
        self.queue.held_count()
    }

    /// Writes the queue to its file if it changed. A failure costs at most
    /// the held notifications of a crash before the next successful save (the
    /// queue in memory is intact), so it is logged, not returned: showing
    /// notifications matters more than saving them. The next change retries.
    fn save(&mut self) {
        if let Some(file) = self.file.as_mut() {
            if let Err(e) = file.save(&self.queue) {
                warn!("held notifications not saved: {e}");
            }
        }
    }
}

/// Adds Later reminders to `list`, each standing for what else `list` held
/// for its thread: one notification per thread, the reminder (it has the
/// Done and Tomorrow buttons), which also says what the other one said
/// (the reply that brought it, say).
fn fold_reminders(list: &mut Vec<Notification>, reminders: Vec<Notification>) {
    for mut reminder in reminders {
        list.retain(|n| {
            let same = n.key == reminder.key;
            if same {
                reminder.body = format!("{}\n{}", reminder.body, n.body);
            }
            !same
        });
        list.push(reminder);
    }
}
