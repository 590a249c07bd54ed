//! `NotificationQueue`: the small state machine the shell keeps between
//! sync rounds, turning decisions from [`super::decide`] into what to show.
//!
//! It folds bursts into one notification per thread, holds events until my
//! hours begin and releases them as one digest per thread, and collapses a
//! flood (coming back online after days away) into one summary — a person
//! should see a handful of notifications, never hundreds. It is serializable
//! so the shell can persist it across restarts, and it stores only bounded
//! digests (counts, a few names, the latest excerpt), never the events.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::decide::{hold_time, Decision, Event, Me, FOLD_WINDOW};
use super::digest::Digest;
use super::notification::Notification;
use super::summary::Summary;
use crate::model::ids::ThreadId;

/// More threads than this in one batch (or one release of held events) are
/// shown as one summary instead of one notification per thread.
pub const CATCH_UP_THREADS: usize = 3;

/// Events written longer ago than this that would notify now are catch-up
/// (I was offline, or they were): they go into a summary rather than buzzing
/// one by one as if they were live.
pub const STALE_AFTER: TimeDelta = TimeDelta::minutes(15);

/// Distinct hold times remembered per thread; beyond this the two earliest
/// merge into the later one (released late rather than early).
const MAX_HOLDS_PER_THREAD: usize = 4;

/// What was last shown for a thread: the start of its fold window and the
/// digest that further folded events add to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Shown {
    at: DateTime<Utc>,
    digest: Digest,
}

/// Events of one thread held until one instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Hold {
    until: DateTime<Utc>,
    digest: Digest,
}

/// A thread about to be shown: what its notification already stood for
/// (when folding into it) and what is new this round.
struct Pending {
    thread: ThreadId,
    base: Option<Digest>,
    fresh: Digest,
}

/// The shell's notification state (see the module doc). Its serde form is
/// what [`super::persist`] saves in the data folder: changing a field here,
/// in `Digest` or in `Summary` is a format change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationQueue {
    shown: BTreeMap<ThreadId, Shown>,
    held: BTreeMap<ThreadId, Vec<Hold>>,
    summary: Option<Summary>,
    /// When the last morning catch-up was shown (None: never; queues
    /// saved before catch-ups existed have none).
    #[serde(default)]
    last_catch_up: Option<DateTime<Utc>>,
}

impl NotificationQueue {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// One applied batch (e.g. what one sync round delivered), each with its
    /// decision from [`super::decide`]. Returns what to show now: at most one
    /// notification per thread, or a single summary for a flood. Held events
    /// of a thread that notifies now and are already due ride along in its
    /// notification rather than arriving separately a moment later.
    pub fn offer(
        &mut self,
        batch: Vec<(Event, Decision)>,
        now: DateTime<Utc>,
    ) -> Vec<Notification> {
        self.forget_old(now);
        let mut pending: Vec<Pending> = Vec::new();
        let mut stale = false;
        for (ev, decision) in batch {
            let fold = match decision {
                Decision::Silent(_) => continue,
                Decision::HoldUntil(until) if until > now => {
                    self.hold(&ev, until);
                    continue;
                }
                // A hold that is already over (the shell decided with an
                // older clock) is shown now rather than stranded.
                Decision::HoldUntil(_) | Decision::NotifyNow => false,
                Decision::Fold => true,
            };
            stale |= now - ev.at > STALE_AFTER;
            if let Some(p) = pending.iter_mut().find(|p| p.thread == ev.thread) {
                p.fresh.add(&ev);
                continue;
            }
            // Folding continues the thread's shown notification; notifying
            // now starts a fresh one.
            let mut base = fold
                .then(|| self.shown.get(&ev.thread))
                .flatten()
                .map(|s| s.digest.clone());
            let mut fresh = match self.take_due(ev.thread, now) {
                Some(held) => held.merge(Digest::of(&ev)),
                None => Digest::of(&ev),
            };
            if fold {
                // A live conversation, not a return from away.
                fresh.away = false;
                if let Some(b) = base.as_mut() {
                    b.away = false;
                }
            }
            pending.push(Pending {
                thread: ev.thread,
                base,
                fresh,
            });
        }
        self.show(pending, stale, now)
    }

    /// Held notifications whose time has come, as one digest per thread (or
    /// one summary when more than [`CATCH_UP_THREADS`] threads are due).
    pub fn due(&mut self, now: DateTime<Utc>) -> Vec<Notification> {
        self.forget_old(now);
        let mut ready: Vec<(DateTime<Utc>, ThreadId)> = self
            .held
            .iter()
            .filter_map(|(t, holds)| {
                holds
                    .first()
                    .filter(|h| h.until <= now)
                    .map(|h| (h.until, *t))
            })
            .collect();
        // Earliest-due first, so the summary lists threads in waiting order.
        ready.sort();
        let mut pending = Vec::new();
        for (_, thread) in ready {
            if let Some(fresh) = self.take_due(thread, now) {
                // Still within the fold window of something shown: update it.
                let base = self.shown.get(&thread).map(|s| s.digest.clone());
                pending.push(Pending {
                    thread,
                    base,
                    fresh,
                });
            }
        }
        self.show(pending, false, now)
    }

    /// The morning catch-up (see [`super::morning`]): if one is due at
    /// `now`, drops every held event that is due (the catch-up stands for
    /// them: no digest per thread after it) and records it. Returns how
    /// many held events it replaced, or None when none is due. The first
    /// call on a new queue only starts the count.
    pub fn catch_up(&mut self, me: &Me, now: DateTime<Utc>) -> Option<u32> {
        let Some(last) = self.last_catch_up else {
            self.last_catch_up = Some(now);
            return None;
        };
        if !super::morning::catch_up_due(me, last, now) {
            return None;
        }
        self.last_catch_up = Some(now);
        let mut replaced = 0u32;
        let threads: Vec<ThreadId> = self.held.keys().copied().collect();
        for thread in threads {
            if let Some(d) = self.take_due(thread, now) {
                replaced = replaced.saturating_add(d.count());
            }
        }
        Some(replaced)
    }

    /// When the next catch-up is due, if my hours have working days (and
    /// after the first call to [`Self::catch_up`]).
    pub fn next_catch_up(&self, me: &Me, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        super::morning::catch_up_at(me, self.last_catch_up?, now)
    }

    /// When the shell should call [`Self::due`] next, if anything is held.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.held
            .values()
            .flat_map(|holds| holds.iter().map(|h| h.until))
            .min()
    }

    /// When something was last shown for the thread; feeds
    /// [`super::decide`]'s fold rule. May be `None` once the fold window has
    /// passed (old entries are forgotten).
    pub fn last_shown(&self, thread: ThreadId) -> Option<DateTime<Utc>> {
        self.shown.get(&thread).map(|s| s.at)
    }

    /// I read the thread: drop its held events and its fold state, so the
    /// next event in it notifies afresh.
    pub fn thread_read(&mut self, thread: ThreadId) {
        self.held.remove(&thread);
        self.shown.remove(&thread);
    }

    /// How many events are held (not threads).
    pub fn held_count(&self) -> usize {
        self.held
            .values()
            .flatten()
            .map(|h| h.digest.count() as usize)
            .sum()
    }

    /// My settings changed (a pause set, ended or moved; hours edited):
    /// re-time everything held by the same rule as [`super::decide`], so
    /// nothing stays held by a pause that no longer exists. Events that may
    /// show now become due at `now`.
    pub fn reschedule(&mut self, me: &Me, now: DateTime<Utc>) {
        let until = hold_time(me, now).unwrap_or(now);
        for holds in self.held.values_mut() {
            if let Some(digest) = std::mem::take(holds)
                .into_iter()
                .map(|h| h.digest)
                .reduce(Digest::merge)
            {
                holds.push(Hold { until, digest });
            }
        }
    }

    fn hold(&mut self, ev: &Event, until: DateTime<Utc>) {
        let holds = self.held.entry(ev.thread).or_default();
        if let Some(h) = holds.iter_mut().find(|h| h.until == until) {
            h.digest.add(ev);
            return;
        }
        let mut digest = Digest::of(ev);
        digest.away = true;
        holds.push(Hold { until, digest });
        holds.sort_by_key(|h| h.until);
        while holds.len() > MAX_HOLDS_PER_THREAD {
            let first = holds.remove(0);
            if let Some(next) = holds.first_mut() {
                next.digest = first.digest.merge(next.digest.clone());
            }
        }
    }

    /// Removes and merges the thread's holds that are due at `now`.
    fn take_due(&mut self, thread: ThreadId, now: DateTime<Utc>) -> Option<Digest> {
        let holds = self.held.get_mut(&thread)?;
        let split = holds.iter().take_while(|h| h.until <= now).count();
        let digest = holds.drain(..split).map(|h| h.digest).reduce(Digest::merge);
        if holds.is_empty() {
            self.held.remove(&thread);
        }
        digest
    }

    /// Records what is shown and writes the notifications: one per thread,
    /// or one summary for a flood. A stale batch covering one thread is still
    /// a single notification, so it keeps the more useful per-thread form.
    fn show(
        &mut self,
        pending: Vec<Pending>,
        stale: bool,
        now: DateTime<Utc>,
    ) -> Vec<Notification> {
        let summarize = pending.len() > CATCH_UP_THREADS || (stale && pending.len() > 1);
        let mut out = Vec::new();
        let mut summary = match self.summary.take() {
            Some(s) if summarize && now - s.at <= FOLD_WINDOW => Some(s),
            other if !summarize => {
                self.summary = other;
                None
            }
            _ => Some(Summary::empty(now)),
        };
        for Pending {
            thread,
            base,
            fresh,
        } in pending
        {
            // The summary counts only what is new in this round; the
            // thread's own notification counts everything it stands for.
            if let Some(s) = summary.as_mut() {
                s.add(thread, &fresh);
            }
            let digest = match base {
                Some(base) => base.merge(fresh),
                None => fresh,
            };
            if summary.is_none() {
                out.push(digest.notification(thread));
            }
            self.shown.insert(thread, Shown { at: now, digest });
        }
        if let Some(mut s) = summary {
            s.at = now;
            out.push(s.notification());
            self.summary = Some(s);
        }
        out
    }

    /// Fold state older than the fold window can never be folded into again.
    fn forget_old(&mut self, now: DateTime<Utc>) {
        self.shown.retain(|_, s| now - s.at <= FOLD_WINDOW);
        if self
            .summary
            .as_ref()
            .is_some_and(|s| now - s.at > FOLD_WINDOW)
        {
            self.summary = None;
        }
    }
}
