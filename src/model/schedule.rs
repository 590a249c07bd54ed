//! Sending later: when a scheduled post is revealed, and to whom.
//!
//! A scheduled post is synced at once and carries its reveal instants
//! ([`Reveal`]): one for everybody and, for "at their start", one per
//! notified person (the start of *their* next working hours). Every replica
//! keeps the post hidden until its own clock passes the instant that
//! applies to its person. Everything here is a pure function of the
//! instant `now` and the people's profiles, so it is tested with fixed
//! clocks across time zones.
//!
//! [`Reveal`] travels inside ops: changing it is a wire format change.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone as _, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::ids::{ChannelId, CommentId, MemberId, ThreadId};
use super::profile::Profile;
use crate::error::{Error, ErrorCode, Result};

/// How far ahead a post may be scheduled.
pub const MAX_AHEAD: Duration = Duration::days(365);

/// A time chosen a moment ago that has just passed still counts as "now"
/// (the person picked it, then took a few seconds to press Send).
pub const JUST_PASSED: Duration = Duration::minutes(1);

/// When a scheduled post becomes visible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reveal {
    /// For everyone not listed in `per_person` (the author included).
    pub at: DateTime<Utc>,
    /// For these people, their own instant ("at their start"). Never
    /// earlier than `at`.
    pub per_person: Vec<(MemberId, DateTime<Utc>)>,
}

impl Reveal {
    /// One instant for everybody.
    pub fn at(at: DateTime<Utc>) -> Reveal {
        Reveal {
            at,
            per_person: Vec::new(),
        }
    }

    /// The instant the post appears for `member`.
    pub fn for_member(&self, member: Option<MemberId>) -> DateTime<Utc> {
        member
            .and_then(|m| self.per_person.iter().find(|(p, _)| *p == m))
            .map(|(_, t)| *t)
            .unwrap_or(self.at)
    }

    /// The latest instant at which anyone sees it.
    pub fn last(&self) -> DateTime<Utc> {
        self.per_person
            .iter()
            .map(|(_, t)| *t)
            .chain([self.at])
            .max()
            .unwrap_or(self.at)
    }

    /// Structural checks every replica applies to arriving ops.
    pub fn validate(&self) -> Result<()> {
        if self.per_person.iter().any(|(_, t)| *t < self.at) {
            return Err(Error::invalid(
                "A person's reveal time is before the post's earliest one",
            ));
        }
        let mut people: Vec<MemberId> = self.per_person.iter().map(|(m, _)| *m).collect();
        people.sort();
        let n = people.len();
        people.dedup();
        if people.len() != n {
            return Err(Error::invalid("A person is listed twice in a reveal"));
        }
        Ok(())
    }
}

/// The content of a scheduled post: what it becomes when revealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScheduledPost {
    /// A new thread.
    Thread {
        /// Its id.
        thread: ThreadId,
        /// Where it will appear.
        channel: ChannelId,
        /// Its title.
        title: String,
        /// Markdown body.
        body: String,
        /// People named to notify.
        notify: Vec<MemberId>,
        /// People @mentioned in the body.
        mentions: Vec<MemberId>,
    },
    /// A comment in an existing thread.
    Comment {
        /// Its id.
        comment: CommentId,
        /// The thread it answers.
        thread: ThreadId,
        /// Markdown body.
        body: String,
        /// People @mentioned.
        mentions: Vec<MemberId>,
    },
}

impl ScheduledPost {
    /// Which post this is.
    pub fn post_ref(&self) -> PostRef {
        match self {
            ScheduledPost::Thread { thread, .. } => PostRef::Thread(*thread),
            ScheduledPost::Comment { comment, .. } => PostRef::Comment(*comment),
        }
    }

    /// The thread it is, or belongs to.
    pub fn thread(&self) -> ThreadId {
        match self {
            ScheduledPost::Thread { thread, .. } | ScheduledPost::Comment { thread, .. } => *thread,
        }
    }

    /// The op it becomes when shown (or when sent at once).
    pub fn into_kind(self) -> super::op::OpKind {
        use super::op::OpKind;
        match self {
            ScheduledPost::Thread {
                thread,
                channel,
                title,
                body,
                notify,
                mentions,
            } => OpKind::ThreadCreated {
                thread,
                channel,
                title,
                body,
                notify,
                mentions,
            },
            ScheduledPost::Comment {
                comment,
                thread,
                body,
                mentions,
            } => OpKind::CommentAdded {
                comment,
                thread,
                body,
                mentions,
            },
        }
    }

    /// Its markdown body.
    pub fn body(&self) -> &str {
        match self {
            ScheduledPost::Thread { body, .. } | ScheduledPost::Comment { body, .. } => body,
        }
    }
}

/// A scheduled post, by the id it will have once revealed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
// Externally tagged: it travels inside ops, and postcard cannot read the
// internally or adjacently tagged forms.
#[serde(rename_all = "snake_case")]
pub enum PostRef {
    /// A scheduled thread.
    Thread(ThreadId),
    /// A scheduled comment.
    Comment(CommentId),
}

impl PostRef {
    /// Key bytes: a tag then the id.
    pub fn to_key(self) -> Vec<u8> {
        match self {
            PostRef::Thread(t) => [&[0u8][..], &t.to_bytes()].concat(),
            PostRef::Comment(c) => [&[1u8][..], &c.to_bytes()].concat(),
        }
    }
}

impl std::fmt::Display for PostRef {
    /// `thread:<id>` or `comment:<id>`, as the CLI prints and reads it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PostRef::Thread(t) => write!(f, "thread:{t}"),
            PostRef::Comment(c) => write!(f, "comment:{c}"),
        }
    }
}

impl std::str::FromStr for PostRef {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::new(
                ErrorCode::InvalidId,
                format!("'{s}' is not a scheduled post: write thread:<id> or comment:<id>, as `tidings scheduled` lists them"),
            )
        };
        let (kind, id) = s.trim().split_once(':').ok_or_else(bad)?;
        match kind {
            "thread" => Ok(PostRef::Thread(id.parse().map_err(|_| bad())?)),
            "comment" => Ok(PostRef::Comment(id.parse().map_err(|_| bad())?)),
            _ => Err(bad()),
        }
    }
}

/// When to send, as a person picks it in the composer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum SendAt {
    /// One hour from now.
    InOneHour,
    /// When my working hours next start after today.
    TomorrowAtMyStart,
    /// Next Monday at the time my working hours start.
    MondayAtMyStart,
    /// An exact instant.
    Instant(DateTime<Utc>),
    /// A date and time on the wall clock of my time zone
    /// ("YYYY-MM-DDTHH:MM").
    MyLocal(NaiveDateTime),
    /// Each notified person at the start of their next working hours
    /// (now, for someone already in them).
    AtTheirStart,
}

/// Computes the reveal instants for a post scheduled at `now` by someone
/// with profile `me`, notifying `recipients`.
pub fn resolve(
    when: &SendAt,
    now: DateTime<Utc>,
    me: &Profile,
    recipients: &[(MemberId, Profile)],
) -> Result<Reveal> {
    let tz = me.tz();
    let hours = &me.working_hours;
    let today = now.with_timezone(&tz).date_naive();
    let reveal = match when {
        SendAt::InOneHour => Reveal::at(now + Duration::hours(1)),
        SendAt::TomorrowAtMyStart => {
            let tomorrow = today.succ_opt().unwrap_or(today);
            let midnight = local_start_of(tz, tomorrow)?;
            Reveal::at(hours.next_start(tz, midnight))
        }
        SendAt::MondayAtMyStart => {
            let mut d = today.succ_opt().unwrap_or(today);
            while d.weekday() != Weekday::Mon {
                d = d.succ_opt().unwrap_or(d);
            }
            let start = d.and_time(
                chrono::NaiveTime::from_hms_opt(
                    u32::from(hours.start_min / 60),
                    u32::from(hours.start_min % 60),
                    0,
                )
                .unwrap_or_default(),
            );
            Reveal::at(local_instant(tz, start, &me.time_zone)?)
        }
        SendAt::Instant(at) => Reveal::at(*at),
        SendAt::MyLocal(local) => Reveal::at(local_instant(tz, *local, &me.time_zone)?),
        SendAt::AtTheirStart => {
            if recipients.is_empty() {
                return Err(Error::new(
                    ErrorCode::NoRecipients,
                    "Nobody will be notified of this, so there is no 'their start' to wait for: mention or name someone, or pick a time",
                ));
            }
            let per_person: Vec<(MemberId, DateTime<Utc>)> = recipients
                .iter()
                .map(|(m, p)| (*m, p.working_hours.next_start(p.tz(), now)))
                .collect();
            let at = per_person.iter().map(|(_, t)| *t).min().unwrap_or(now);
            Reveal { at, per_person }
        }
    };
    check_window(&reveal, now)?;
    // Someone already in their hours gets it now: clamp to the moment of
    // sending so a reveal is never in the past.
    Ok(Reveal {
        at: reveal.at.max(now),
        per_person: reveal
            .per_person
            .into_iter()
            .map(|(m, t)| (m, t.max(now)))
            .collect(),
    })
}

/// Refuses instants in the past and more than [`MAX_AHEAD`] ahead.
pub fn check_window(reveal: &Reveal, now: DateTime<Utc>) -> Result<()> {
    if reveal.at < now - JUST_PASSED {
        return Err(Error::new(
            ErrorCode::TimeInPast,
            format!(
                "{} has already passed: pick a later time, or send it now",
                reveal.at.format("%Y-%m-%d %H:%M UTC")
            ),
        ));
    }
    if reveal.last() > now + MAX_AHEAD {
        return Err(Error::new(
            ErrorCode::InvalidTime,
            "That is more than a year ahead: pick a time within the next 12 months",
        ));
    }
    Ok(())
}

/// Local midnight (or the first instant of the day, when a DST change
/// skips midnight).
fn local_start_of(tz: chrono_tz::Tz, date: NaiveDate) -> Result<DateTime<Utc>> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    Ok(match tz.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        chrono::LocalResult::None => tz
            .from_local_datetime(&(midnight + Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight)),
    })
}

/// A wall-clock time in `tz`. A time skipped by a DST change is refused
/// with the reason; a repeated one (clocks going back) takes the first.
fn local_instant(tz: chrono_tz::Tz, local: NaiveDateTime, zone: &str) -> Result<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(Error::new(
            ErrorCode::InvalidTime,
            format!(
                "{} does not exist in {zone}: the clocks skip that hour for daylight saving; pick a time an hour later",
                local.format("%Y-%m-%d %H:%M")
            ),
        )),
    }
}

#[cfg(test)]
mod tests;
