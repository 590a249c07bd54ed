//! Tests of the notification policy, all with fixed clocks (never the
//! system clock), split by topic: the rules of `decide`, working hours and
//! time zones, the queue's live notifications, held digests, and catch-up.
//! This file holds the shared fixtures.

mod catch_up;
mod decide;
mod hold;
mod hours;
mod morning;
mod queue;

use chrono::{DateTime, TimeDelta, Utc, Weekday};

use super::*;
use crate::model::ids::{CommentId, MemberId, ThreadId};
use crate::model::profile::{NotificationSettings, WorkingHours};

pub(super) const ME: MemberId = MemberId(1);

pub(super) const ANA: MemberId = MemberId(2);

pub(super) const THREAD: ThreadId = ThreadId(10);

pub(super) fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub(super) fn weekdays() -> Vec<Weekday> {
    use Weekday::*;
    vec![Mon, Tue, Wed, Thu, Fri]
}

pub(super) fn all_days() -> Vec<Weekday> {
    use Weekday::*;
    vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun]
}

/// Someone in Tokyo working 09:00–18:00, Monday to Friday.
pub(super) fn tokyo() -> Me {
    Me {
        member: ME,
        tz: chrono_tz::Asia::Tokyo,
        hours: WorkingHours::parse("09:00", "18:00", &weekdays()).unwrap(),
        settings: NotificationSettings::default(),
    }
}

pub(super) fn new_york_weekdays() -> Me {
    Me {
        member: ME,
        tz: chrono_tz::America::New_York,
        hours: WorkingHours::parse("09:00", "17:00", &weekdays()).unwrap(),
        settings: NotificationSettings::default(),
    }
}

pub(super) fn following() -> Relation {
    Relation {
        following: true,
        muted: false,
    }
}

pub(super) fn comment_at(at: DateTime<Utc>) -> Event {
    Event {
        thread: THREAD,
        thread_title: "Release plan".into(),
        channel_name: "eng".into(),
        comment: Some(CommentId(99)),
        author: ANA,
        author_name: "Ana".into(),
        at,
        excerpt: "Can we ship on Monday?".into(),
        mentions_me: false,
        names_me_to_notify: false,
        urgent: false,
    }
}

/// Decide for an event written at `now`, nothing on screen, nothing shown.
pub(super) fn plain(ev: &Event, me: &Me, now: DateTime<Utc>) -> Decision {
    decide(ev, me, following(), &Focus::default(), None, now)
}

pub(super) fn mins(n: i64) -> TimeDelta {
    TimeDelta::minutes(n)
}

/// A Thursday noon, UTC.
pub(super) const NOON: &str = "2026-11-26T12:00:00Z";

/// A comment in thread `thread` by member `author`, written at `at`.
pub(super) fn ev(
    thread: u128,
    author: u128,
    name: &str,
    at: DateTime<Utc>,
    excerpt: &str,
) -> Event {
    Event {
        thread: ThreadId(thread),
        thread_title: format!("Thread {thread}"),
        channel_name: "eng".into(),
        comment: Some(CommentId(at.timestamp_millis() as u128 * 1000 + author)),
        author: MemberId(author),
        author_name: name.into(),
        at,
        excerpt: excerpt.into(),
        mentions_me: false,
        names_me_to_notify: false,
        urgent: false,
    }
}

/// Someone always within hours, so only the queue's own rules matter.
pub(super) fn me() -> Me {
    Me {
        member: MemberId(1),
        tz: chrono_tz::UTC,
        hours: WorkingHours::ALWAYS,
        settings: NotificationSettings::default(),
    }
}

/// Runs one event through `decide` (following, nothing on screen) and the queue.
pub(super) fn live(
    q: &mut NotificationQueue,
    e: Event,
    now: DateTime<Utc>,
) -> (Decision, Vec<Notification>) {
    let d = decide(
        &e,
        &me(),
        following(),
        &Focus::default(),
        q.last_shown(e.thread),
        now,
    );
    (d.clone(), q.offer(vec![(e, d)], now))
}
