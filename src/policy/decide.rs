//! `decide`: whether one new thread or comment should notify me, now, later
//! or never.
//!
//! This is the heart of "the core decides, the shell delivers": the desktop
//! shell only feeds facts in (the event, my settings, what is on screen, the
//! clock) and shows what comes out. Keeping it a pure function of its inputs,
//! with the time always passed in, makes every rule testable with fixed clocks
//! and identical on every device.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::model::ids::{CommentId, MemberId, ThreadId};
use crate::model::profile::{NotificationSettings, NotifyLevel, WorkingHours};

/// Events in a thread within this long of the last notification shown for it
/// update that notification instead of raising a new one, so a lively
/// conversation buzzes once rather than once per message.
pub const FOLD_WINDOW: TimeDelta = TimeDelta::minutes(3);

/// Something new that arrived (by sync or written on another of my devices).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The thread it belongs to.
    pub thread: ThreadId,
    /// The thread's current title (the notification's title).
    pub thread_title: String,
    /// The channel's name, without or with a leading `#`.
    pub channel_name: String,
    /// The comment; `None` when the thread itself was created.
    pub comment: Option<CommentId>,
    /// Who wrote it.
    pub author: MemberId,
    /// The author's display name.
    pub author_name: String,
    /// When it was written (its op time), not when it arrived.
    pub at: DateTime<Utc>,
    /// Plain-text start of the body; the caller cuts it, the queue caps it.
    pub excerpt: String,
    /// The body @mentions me.
    pub mentions_me: bool,
    /// The author explicitly asked for me to be notified.
    pub names_me_to_notify: bool,
    /// The author marked it urgent for me, within their once-a-day
    /// allowance, and I let urgent marks from them through
    /// (see [`crate::model::urgent`]).
    #[serde(default)]
    pub urgent: bool,
}

impl Event {
    /// Was I called by name, by a mention or a notify request? Being called
    /// reaches me even in threads I do not follow.
    pub fn calls_me(&self) -> bool {
        self.mentions_me || self.names_me_to_notify
    }
}

/// The person being notified: who, where, when they work, what they want.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    /// My member id (my own ops never notify me).
    pub member: MemberId,
    /// My time zone: working hours are read in it.
    pub tz: Tz,
    /// When I like to be reached.
    pub hours: WorkingHours,
    /// My notification settings.
    pub settings: NotificationSettings,
}

/// How I relate to the event's thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// I follow the thread (wrote in it, or chose to).
    pub following: bool,
    /// I muted the thread: nothing from it notifies, not even mentions.
    pub muted: bool,
}

/// What is on my screen right now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Focus {
    /// The thread open in the app, if any.
    pub thread: Option<ThreadId>,
    /// The app window has keyboard focus (I am looking at it).
    pub window_focused: bool,
}

/// What to do with one event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// Show a notification now.
    NotifyNow,
    /// Keep it and show it (as part of a digest) at this instant.
    HoldUntil(DateTime<Utc>),
    /// Update the thread's recent notification instead of raising a new one.
    Fold,
    /// Do not notify; the inbox still lists it.
    Silent(Silence),
}

/// Why an event does not notify (for the UI's "why didn't I hear about
/// this?" and for tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Silence {
    /// I wrote it myself (perhaps on another device).
    OwnOp,
    /// I muted the thread.
    Muted,
    /// I do not follow the thread and was not called by name.
    NotFollowing,
    /// My notification level excludes it.
    Level,
    /// I am looking at the thread right now.
    ThreadInFocus,
}

/// Decides what one event should do. The rules apply in this order, the
/// first that matches wins:
///
/// 1. my own op → silent;
/// 2. muted thread → silent (muting beats mentions: it is an explicit "no");
/// 3. urgent for me → notify now, whatever my hours, pause, level or
///    follows (the sender may do this once a day; I can turn it off);
/// 4. not following and not mentioned or named → silent;
/// 5. level `Nothing`, or `MentionsOnly` without a mention or name → silent;
/// 6. the thread is open and the window focused → silent (I can see it;
///    open but unfocused still notifies, since I may be elsewhere);
/// 7. paused, or outside my working hours (when I respect them) → hold until
///    [`hold_time`];
/// 8. something was shown for this thread within [`FOLD_WINDOW`] → fold;
/// 9. otherwise notify now.
pub fn decide(
    ev: &Event,
    me: &Me,
    rel: Relation,
    focus: &Focus,
    last_shown_in_thread: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Decision {
    let level = me.settings.level;
    if ev.author == me.member {
        return Decision::Silent(Silence::OwnOp);
    }
    if rel.muted {
        return Decision::Silent(Silence::Muted);
    }
    if ev.urgent {
        return Decision::NotifyNow;
    }
    if !rel.following && !ev.calls_me() {
        return Decision::Silent(Silence::NotFollowing);
    }
    if level == NotifyLevel::Nothing || (level == NotifyLevel::MentionsOnly && !ev.calls_me()) {
        return Decision::Silent(Silence::Level);
    }
    if focus.window_focused && focus.thread == Some(ev.thread) {
        return Decision::Silent(Silence::ThreadInFocus);
    }
    if let Some(until) = hold_time(me, now) {
        return Decision::HoldUntil(until);
    }
    // A last-shown time in the future means the clock stepped back; folding
    // is the quieter, safer reading of that.
    if last_shown_in_thread.is_some_and(|last| now - last <= FOLD_WINDOW) {
        return Decision::Fold;
    }
    Decision::NotifyNow
}

/// When notifications for me may be shown, if not now: the end of a pause
/// (moved on to the start of my working hours when I respect them and the
/// pause ends outside them), or else the next start of my working hours.
/// `None` means now is fine. Shared by [`decide`] and
/// [`super::NotificationQueue::reschedule`], so both agree.
pub fn hold_time(me: &Me, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let settings = &me.settings;
    if let Some(pause) = settings.pause_until.filter(|p| *p > now) {
        let until = if settings.respect_working_hours {
            // `next_start` returns its argument when it finds no working
            // day at all; `max` keeps the pause in force either way.
            me.hours.next_start(me.tz, pause).max(pause)
        } else {
            pause
        };
        return Some(until);
    }
    if settings.respect_working_hours && !me.hours.contains(me.tz, now) {
        // Invalid hours (no working day) make `next_start` answer `now`;
        // notifying beats holding forever.
        let start = me.hours.next_start(me.tz, now);
        if start > now {
            return Some(start);
        }
    }
    None
}
