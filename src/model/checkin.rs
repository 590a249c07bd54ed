//! Check-ins: a question a channel asks its people on a schedule ("What did
//! you work on today?"), each person at the start of *their* working hours
//! on *their* calendar days.
//!
//! An occurrence is one check-in on one local date. Its id is that pair
//! ([`OccurrenceId`]), so two devices that answer Monday's check-in while
//! offline refer to the same occurrence without asking anyone: there is no
//! op that "opens" an occurrence, only answers that name it.
//!
//! Everything here is a pure function of its arguments (the clock is passed
//! in), so it is tested across zones, half-hour offsets and DST changes.
//! [`Checkin`] travels inside ops: changing it is a wire format change.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone as _, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::ids::{ChannelId, CheckinId, MemberId};
use super::limits::MAX_PEOPLE;
use super::profile::Profile;
use crate::error::{Error, ErrorCode, Result};

/// Longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 500;
/// Monday to Friday, as a day mask.
pub const WEEKDAYS: u8 = 0b0001_1111;
/// Every day of the week, as a day mask.
pub const EVERY_DAY: u8 = 0b0111_1111;

/// A check-in's rule: where it lives, what it asks, whom, and on which of
/// their local weekdays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Checkin {
    /// The channel it belongs to (fixed at creation).
    pub channel: ChannelId,
    /// The question, trimmed, one line.
    pub question: String,
    /// Who is asked: named people, sorted and without repeats; `None` asks
    /// everyone in the workspace (channels have no membership).
    pub people: Option<Vec<MemberId>>,
    /// Bit 0 = Monday … bit 6 = Sunday: the local weekdays it asks on.
    pub days: u8,
}

impl Checkin {
    /// Structural checks every replica applies.
    pub fn validate(&self) -> Result<()> {
        let q = self.question.trim();
        if q.is_empty() {
            return Err(Error::invalid("The check-in question is empty: write one"));
        }
        let n = q.chars().count();
        if n > MAX_QUESTION_CHARS {
            return Err(Error::new(
                ErrorCode::TooLarge,
                format!(
                    "The check-in question has {n} characters; the limit is {MAX_QUESTION_CHARS}: shorten it"
                ),
            ));
        }
        if q.chars().any(char::is_control) {
            return Err(Error::invalid(
                "The check-in question contains control characters or line breaks: keep it to one line",
            ));
        }
        if self.days == 0 || self.days & 0x80 != 0 {
            return Err(Error::invalid(
                "A check-in needs at least one day of the week (Monday to Sunday)",
            ));
        }
        if let Some(people) = &self.people {
            if people.is_empty() {
                return Err(Error::invalid(
                    "A check-in asks nobody: name someone, or ask everyone",
                ));
            }
            if people.len() > MAX_PEOPLE {
                return Err(Error::new(
                    ErrorCode::TooLarge,
                    format!(
                        "{} people named; the limit is {MAX_PEOPLE}: ask everyone instead",
                        people.len()
                    ),
                ));
            }
            if people.windows(2).any(|w| w[0] >= w[1]) {
                return Err(Error::invalid(
                    "A check-in's people must be sorted and named once each",
                ));
            }
        }
        Ok(())
    }

    /// Whether it asks `member` at all.
    pub fn asks(&self, member: MemberId) -> bool {
        self.people
            .as_ref()
            .is_none_or(|p| p.binary_search(&member).is_ok())
    }

    /// Whether it asks on `day` (a local weekday).
    pub fn on(&self, day: Weekday) -> bool {
        self.days & (1 << day.num_days_from_monday()) != 0
    }
}

/// Sorts and de-duplicates named people (how a rule stores them).
pub fn normalize_people(people: Option<Vec<MemberId>>) -> Option<Vec<MemberId>> {
    people.map(|mut p| {
        p.sort();
        p.dedup();
        p
    })
}

/// A day mask in words: "Every day", "Weekdays", "Weekends", or the days
/// listed ("Mon, Wed, Fri").
pub fn days_label(days: u8) -> String {
    match days & EVERY_DAY {
        EVERY_DAY => "Every day".into(),
        WEEKDAYS => "Weekdays".into(),
        0b0110_0000 => "Weekends".into(),
        d => (0..7u8)
            .filter(|i| d & (1 << i) != 0)
            .map(|i| short_day(i).to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn short_day(i: u8) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][usize::from(i % 7)]
}

/// Parses days as a person writes them: `weekdays`, `every day` (or
/// `daily`), `weekends`, a list `mon,wed,fri`, or a range `mon-thu`.
pub fn parse_days(s: &str) -> Result<u8> {
    let t = s.trim().to_lowercase();
    let bad = |d: &str| {
        Error::invalid(format!(
            "'{d}' is not a day: write weekdays, daily, weekends, a list such as mon,wed,fri or a range such as mon-thu"
        ))
    };
    match t.as_str() {
        "weekdays" | "workdays" => return Ok(WEEKDAYS),
        "daily" | "every day" | "everyday" => return Ok(EVERY_DAY),
        "weekends" => return Ok(0b0110_0000),
        _ => {}
    }
    let day = |d: &str| d.trim().parse::<Weekday>().map_err(|_| bad(d));
    let mut mask = 0u8;
    for part in t.split(',').filter(|p| !p.trim().is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                let mut d = a;
                mask |= 1 << d.num_days_from_monday();
                while d != b {
                    d = d.succ();
                    mask |= 1 << d.num_days_from_monday();
                }
            }
            None => mask |= 1 << day(part)?.num_days_from_monday(),
        }
    }
    if mask == 0 {
        return Err(bad(s));
    }
    Ok(mask)
}

/// One check-in on one local date: the key of its answers. Two replicas
/// derive the same id from the same rule and date, so answers made offline
/// on two devices land in the same occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OccurrenceId {
    /// The check-in.
    pub checkin: CheckinId,
    /// The asked person's local date.
    pub date: NaiveDate,
}

/// Length of [`OccurrenceId::to_key`].
pub const OCCURRENCE_KEY_LEN: usize = 16 + 4;

/// A date as 4 bytes whose byte order is date order.
pub fn date_key(date: NaiveDate) -> [u8; 4] {
    ((date.num_days_from_ce() as u32) ^ 0x8000_0000).to_be_bytes()
}

/// Inverse of [`date_key`].
pub fn date_from_key(k: [u8; 4]) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt((u32::from_be_bytes(k) ^ 0x8000_0000) as i32)
}

impl OccurrenceId {
    /// The sortable key: check-in id, then date.
    pub fn to_key(&self) -> [u8; OCCURRENCE_KEY_LEN] {
        let mut k = [0u8; OCCURRENCE_KEY_LEN];
        k[..16].copy_from_slice(&self.checkin.to_bytes());
        k[16..].copy_from_slice(&date_key(self.date));
        k
    }
}

impl fmt::Display for OccurrenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.checkin, self.date)
    }
}

/// The occurrence of `checkin` on `date`: derived, never random.
pub fn occurrence_id(checkin: CheckinId, date: NaiveDate) -> OccurrenceId {
    OccurrenceId { checkin, date }
}

/// The instant a person's working day on local `date` starts, or `None`
/// when `date` is not one of their working days.
pub fn ask_instant(date: NaiveDate, profile: &Profile) -> Option<DateTime<Utc>> {
    profile
        .working_hours
        .interval_starting(profile.tz(), date)
        .map(|(start, _)| start)
}

/// When their working day on `date` would start if it were a working day:
/// where a day off or an away day sits on the time line.
pub fn nominal_instant(date: NaiveDate, profile: &Profile) -> DateTime<Utc> {
    if let Some(at) = ask_instant(date, profile) {
        return at;
    }
    let tz = profile.tz();
    let m = profile.working_hours.start_min;
    let t = NaiveTime::from_hms_opt(u32::from(m / 60), u32::from(m % 60), 0).unwrap_or_default();
    let naive = date.and_time(t);
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| Utc.from_utc_datetime(&naive), |x| x.with_timezone(&Utc))
}

/// An away period as known: from when it was said until the return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AwaySpan {
    /// When it was set (the `AwaySet` op's time).
    pub from: DateTime<Utc>,
    /// When they are back.
    pub until: DateTime<Utc>,
}

impl AwaySpan {
    /// Whether `at` falls inside it.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at < self.until
    }
}

/// Whether a check-in asks someone on one of their local dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AskState {
    /// Asked at this instant (the start of their working day).
    Asked(DateTime<Utc>),
    /// The rule asks on that weekday, but it is not one of their working days.
    DayOff,
    /// They are away at the start of that working day.
    Away,
    /// The rule does not ask on that weekday, or does not ask them.
    NotScheduled,
}

/// Whether `checkin` asks the person with `profile` on their local `date`.
/// `away` is their away period (the latest one known), if any.
pub fn asks_on(
    checkin: &Checkin,
    date: NaiveDate,
    profile: &Profile,
    away: Option<AwaySpan>,
) -> AskState {
    if !checkin.on(date.weekday()) {
        return AskState::NotScheduled;
    }
    match ask_instant(date, profile) {
        None => AskState::DayOff,
        Some(at) if away.is_some_and(|a| a.covers(at)) => AskState::Away,
        Some(at) => AskState::Asked(at),
    }
}

/// When a rule asks at all: from its creation until it is stopped, except
/// after a pause that still holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Active {
    /// When it was created.
    pub from: DateTime<Utc>,
    /// When the pause in force began, if it is paused now.
    pub paused_from: Option<DateTime<Utc>>,
    /// When it was stopped, if it was.
    pub until: Option<DateTime<Utc>>,
}

impl Active {
    /// Whether an ask at `at` is made.
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        at >= self.from
            && self.paused_from.is_none_or(|p| at < p)
            && self.until.is_none_or(|u| at < u)
    }
}

/// The local dates from `from` to `to`, both included, in order.
pub fn dates_between(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// The occurrences asking a person in the window `[from, to)`: their local
/// dates and ask instants, in order.
pub fn occurrences_in(
    checkin: &Checkin,
    active: &Active,
    profile: &Profile,
    away: Option<AwaySpan>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(NaiveDate, DateTime<Utc>)> {
    let tz = profile.tz();
    // A working day may start the evening before its local date in UTC
    // terms, or run into the next: one date of slack on each side.
    let first = from
        .with_timezone(&tz)
        .date_naive()
        .pred_opt()
        .unwrap_or(NaiveDate::MIN);
    let last = to
        .with_timezone(&tz)
        .date_naive()
        .succ_opt()
        .unwrap_or(NaiveDate::MAX);
    dates_between(first, last)
        .filter_map(|d| match asks_on(checkin, d, profile, away) {
            AskState::Asked(at) if at >= from && at < to && active.covers(at) => Some((d, at)),
            _ => None,
        })
        .collect()
}

/// The person's latest occurrence asked at or before `now`, looking back
/// at most `days` local dates.
pub fn latest_asked(
    checkin: &Checkin,
    active: &Active,
    profile: &Profile,
    away: Option<AwaySpan>,
    now: DateTime<Utc>,
    days: i64,
) -> Option<(NaiveDate, DateTime<Utc>)> {
    let from = now - chrono::Duration::days(days);
    occurrences_in(
        checkin,
        active,
        profile,
        away,
        from,
        now + chrono::Duration::milliseconds(1),
    )
    .pop()
}

/// The person's next ask after `now`, within `days` days.
pub fn next_ask(
    checkin: &Checkin,
    active: &Active,
    profile: &Profile,
    away: Option<AwaySpan>,
    now: DateTime<Utc>,
    days: i64,
) -> Option<(NaiveDate, DateTime<Utc>)> {
    let after = now + chrono::Duration::milliseconds(1);
    occurrences_in(
        checkin,
        active,
        profile,
        away,
        after,
        now + chrono::Duration::days(days),
    )
    .into_iter()
    .next()
}

#[cfg(test)]
mod tests;
