//! Later: threads I keep to come back to, with or without a reminder.
//!
//! A Later item is personal (it syncs only among my own devices) and one per
//! thread (last writer wins). A reminder is a time, or "when someone
//! replies, or at a time, whichever comes first". Reminders only ever fire
//! inside my working hours: a time I pick outside them moves to my next
//! start, and [`resolve`] says so, so the UI can tell me when I pick it.
//!
//! Everything here is a pure function of its arguments (the clock is
//! passed in), so it is tested across zones and DST changes.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::profile::Profile;
use super::schedule::{self, SendAt};
use crate::error::Result;

/// "Later today" means this long from now.
pub const LATER_TODAY: Duration = Duration::hours(3);

/// One thread on my Later list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Later {
    /// When to remind me (already inside my working hours); None = saved
    /// without a reminder.
    pub remind_at: Option<DateTime<Utc>>,
    /// Remind me as soon as someone else replies in the thread, if that
    /// comes before `remind_at`.
    pub on_reply: bool,
    /// I dealt with it: it stays in Later's Done section until removed.
    pub done: bool,
}

impl Later {
    /// It has a reminder still to come (a time or "on reply"), not done.
    pub fn reminds(&self) -> bool {
        !self.done && (self.remind_at.is_some() || self.on_reply)
    }
}

/// When to remind me, as I pick it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum RemindAt {
    /// No reminder: just keep it in Later.
    Saved,
    /// Three hours from now.
    LaterToday,
    /// When my working hours next start after today.
    TomorrowAtMyStart,
    /// Next Monday at the time my working hours start.
    MondayAtMyStart,
    /// A date and time on the wall clock of my zone ("YYYY-MM-DDTHH:MM").
    MyLocal(NaiveDateTime),
    /// An exact instant.
    Instant(DateTime<Utc>),
}

/// A resolved reminder time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReminderTime {
    /// When it will fire (inside my working hours).
    pub at: DateTime<Utc>,
    /// What I picked, before moving into my hours.
    pub picked: DateTime<Utc>,
    /// The picked time lay outside my working hours and moved to their
    /// next start.
    pub moved: bool,
}

/// Resolves what I picked at `now` into a reminder time inside my hours.
/// `Saved` has no time (None). A time in the past, more than a year
/// ahead, or skipped by a DST change is refused with a coded error.
pub fn resolve(when: &RemindAt, now: DateTime<Utc>, me: &Profile) -> Result<Option<ReminderTime>> {
    let send_at = match when {
        RemindAt::Saved => return Ok(None),
        RemindAt::LaterToday => SendAt::Instant(now + LATER_TODAY),
        RemindAt::TomorrowAtMyStart => SendAt::TomorrowAtMyStart,
        RemindAt::MondayAtMyStart => SendAt::MondayAtMyStart,
        RemindAt::MyLocal(t) => SendAt::MyLocal(*t),
        RemindAt::Instant(t) => SendAt::Instant(*t),
    };
    // The same presets, windows and DST rules as sending later.
    let picked = schedule::resolve(&send_at, now, me, &[])?.at;
    let at = into_hours(picked, me);
    Ok(Some(ReminderTime {
        at,
        picked,
        moved: at != picked,
    }))
}

/// `at` if it lies in my working hours, else when they next start.
pub fn into_hours(at: DateTime<Utc>, me: &Profile) -> DateTime<Utc> {
    me.working_hours.next_start(me.tz(), at)
}

/// When a Later item is due: its reminder time, or (with `on_reply`) the
/// first reply by someone else after it was set, moved into my hours,
/// whichever comes first. None for an item without either, or done.
pub fn due(
    later: &Later,
    first_reply: Option<DateTime<Utc>>,
    me: &Profile,
) -> Option<DateTime<Utc>> {
    if later.done {
        return None;
    }
    let on_reply = first_reply
        .filter(|_| later.on_reply)
        .map(|r| into_hours(r, me));
    match (later.remind_at, on_reply) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests;
