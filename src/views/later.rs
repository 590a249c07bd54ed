//! The Later list: threads I keep to come back to. Due ones first (the most
//! overdue at the top, kept until I deal with them), then upcoming
//! reminders (soonest first), then saved ones without a reminder (newest
//! first), then done ones (newest first).

use serde::{Deserialize, Serialize};

use super::people::{People, PersonRef};
use super::thread::ThreadSummary;
use super::time::{time_view, TimeView};
use crate::error::Result;
use crate::model::later::ReminderTime;
use crate::store::Store;

/// Where an item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LaterState {
    /// Its reminder time came (or someone replied): deal with it.
    Due,
    /// A reminder is set for later.
    Upcoming,
    /// Kept without a reminder.
    Saved,
    /// Dealt with.
    Done,
}

/// One thread on my Later list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LaterItem {
    /// The thread.
    pub thread: ThreadSummary,
    /// Where it stands.
    pub state: LaterState,
    /// The reminder time I set, in my time.
    pub remind_at: Option<TimeView>,
    /// Remind me when someone replies (if before `remind_at`).
    pub on_reply: bool,
    /// When it became (or becomes) due, in my time.
    pub due: Option<TimeView>,
    /// The person whose reply made it due.
    pub replied: Option<PersonRef>,
    /// When I put it in Later (or last changed it).
    pub set: TimeView,
}

/// My Later list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LaterList {
    /// Every item, in the order above.
    pub items: Vec<LaterItem>,
    /// How many are due now (the sidebar badge).
    pub due: u32,
    /// How many are not done.
    pub open: u32,
}

/// A reminder time as the UI says it when I pick one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReminderPreview {
    /// When it fires, in my time.
    pub at: TimeView,
    /// It moved into my working hours.
    pub moved: bool,
    /// The day and time in my zone: "Mon 30 Nov 09:00".
    pub when: String,
    /// One line for the UI: "Mon 09:00", or "Outside your working hours:
    /// moves to Mon 09:00".
    pub note: String,
}

impl Store {
    /// My Later list, built now.
    pub fn later_list(&self) -> Result<LaterList> {
        let me = self.require_me()?;
        let profile = self.my_profile()?;
        let people = People::load(self)?;
        let now = self.now();
        let tz = people.my_tz();
        let mut rows = Vec::new();
        for e in self.later_entries()? {
            let Ok(t) = self.thread_row(e.thread) else {
                continue;
            };
            let (due, reply) = self.later_due(&e, me, &profile)?;
            let state = if e.later.done {
                LaterState::Done
            } else {
                match due {
                    Some(d) if d <= now => LaterState::Due,
                    _ if e.later.remind_at.is_some() || e.later.on_reply => LaterState::Upcoming,
                    _ => LaterState::Saved,
                }
            };
            // Due and upcoming by time; saved and done newest first.
            let order = match state {
                LaterState::Due | LaterState::Upcoming => {
                    due.map_or(i64::MAX, |d| d.timestamp_millis())
                }
                LaterState::Saved | LaterState::Done => -e.set.time().timestamp_millis(),
            };
            let item = LaterItem {
                thread: self.summary(e.thread, &t, &people)?,
                state,
                remind_at: e.later.remind_at.map(|a| time_view(a, tz, None, now)),
                on_reply: e.later.on_reply,
                due: due.map(|d| time_view(d, tz, None, now)),
                replied: reply.map(|r| people.person(r.by)),
                set: time_view(e.set.time(), tz, None, now),
            };
            rows.push(((state, order, e.thread), item));
        }
        rows.sort_by_key(|r| r.0);
        let items: Vec<LaterItem> = rows.into_iter().map(|(_, i)| i).collect();
        let count = |s: LaterState| items.iter().filter(|i| i.state == s).count() as u32;
        Ok(LaterList {
            due: count(LaterState::Due),
            open: items.len() as u32 - count(LaterState::Done),
            items,
        })
    }

    /// How a picked reminder reads in my time.
    pub fn reminder_preview(
        &self,
        when: &crate::model::later::RemindAt,
    ) -> Result<Option<ReminderPreview>> {
        let Some(t) = self.reminder_time(when)? else {
            return Ok(None);
        };
        Ok(Some(self.describe_reminder(&t)?))
    }

    /// "Mon 09:00" or "Outside your working hours: moves to Mon 09:00".
    pub fn describe_reminder(&self, t: &ReminderTime) -> Result<ReminderPreview> {
        let tz = self.my_profile()?.tz();
        let at = time_view(t.at, tz, None, self.now());
        let when =
            t.at.with_timezone(&tz)
                .format("%a %-d %b %H:%M")
                .to_string();
        let note = if t.moved {
            format!("Outside your working hours: moves to {when}")
        } else {
            when.clone()
        };
        Ok(ReminderPreview {
            at,
            moved: t.moved,
            when,
            note,
        })
    }
}
