//! A person's profile (name, IANA time zone, working hours) and their
//! personal notification settings. These travel inside ops: changing a
//! field's type is a wire format change.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone as _, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};

/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// What teammates see about a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Profile {
    /// Shown next to everything they write.
    pub display_name: String,
    /// IANA time zone name, e.g. `Asia/Tokyo`.
    pub time_zone: String,
    /// When they like to be reached, in their own time zone.
    pub working_hours: WorkingHours,
}

impl Profile {
    /// Checks every field; the error names the field and the fix.
    pub fn validate(&self) -> Result<()> {
        let name = self.display_name.trim();
        if name.is_empty() {
            return Err(Error::invalid(
                "The display name is empty: enter the name teammates know you by",
            ));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(Error::invalid(format!(
                "The display name is longer than {MAX_NAME_CHARS} characters: shorten it"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::invalid(
                "The display name contains control characters: remove them",
            ));
        }
        parse_time_zone(&self.time_zone)?;
        self.working_hours.validate()
    }

    /// The parsed time zone (validated profiles always parse; UTC otherwise).
    pub fn tz(&self) -> Tz {
        parse_time_zone(&self.time_zone).unwrap_or(Tz::UTC)
    }

    /// The `@handle` that mentions this person: the display name in lower
    /// case, keeping letters, digits and `_ - .` ("Ana Souza" → `anasouza`).
    pub fn handle(&self) -> String {
        handle_of(&self.display_name)
    }
}

/// The mention handle for a display name (see [`Profile::handle`]).
pub fn handle_of(display_name: &str) -> String {
    display_name
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Parses an IANA time zone name with a helpful error.
pub fn parse_time_zone(name: &str) -> Result<Tz> {
    name.trim().parse::<Tz>().map_err(|_| {
        Error::new(
            ErrorCode::InvalidTimeZone,
            format!("'{name}' is not an IANA time zone: use a name such as Europe/Lisbon, Asia/Tokyo or UTC"),
        )
    })
}

/// Every IANA time zone name Tidings accepts, sorted, for a picker.
pub fn time_zone_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    names.sort_unstable();
    names
}

/// Working hours in the person's own time zone: a start and end time of day
/// and the weekdays they apply to. `end` before `start` means the hours run
/// past midnight (a night shift).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WorkingHours {
    /// Minutes after local midnight when the working day starts (0..1440).
    pub start_min: u16,
    /// Minutes after local midnight when it ends (0..1440, != start).
    pub end_min: u16,
    /// Bit 0 = Monday … bit 6 = Sunday: days on which a working day starts.
    pub days: u8,
}

impl Default for WorkingHours {
    /// 09:00–17:00, Monday to Friday.
    fn default() -> Self {
        WorkingHours {
            start_min: 9 * 60,
            end_min: 17 * 60,
            days: 0b0001_1111,
        }
    }
}

impl WorkingHours {
    /// Hours every day, all day: never hold a notification.
    pub const ALWAYS: WorkingHours = WorkingHours {
        start_min: 0,
        end_min: 0,
        days: 0b0111_1111,
    };

    /// Builds hours from "HH:MM" strings and weekday names.
    pub fn parse(start: &str, end: &str, days: &[Weekday]) -> Result<Self> {
        let t = |s: &str| {
            NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .map(|t| (t.hour() * 60 + t.minute()) as u16)
                .map_err(|_| {
                    Error::invalid(format!(
                        "'{s}' is not a time of day: write it as HH:MM, e.g. 09:00"
                    ))
                })
        };
        let mut mask = 0u8;
        for d in days {
            mask |= 1 << d.num_days_from_monday();
        }
        let wh = WorkingHours {
            start_min: t(start)?,
            end_min: t(end)?,
            days: mask,
        };
        wh.validate()?;
        Ok(wh)
    }

    /// Checks ranges.
    pub fn validate(&self) -> Result<()> {
        if self.start_min >= 1440 || self.end_min >= 1440 {
            return Err(Error::invalid(
                "Working hours must be times between 00:00 and 23:59",
            ));
        }
        if self.days & 0x80 != 0 {
            return Err(Error::invalid("Working days must be Monday to Sunday"));
        }
        if self.days == 0 {
            return Err(Error::invalid(
                "Pick at least one working day (or pause notifications instead)",
            ));
        }
        if self.start_min == self.end_min && *self != Self::ALWAYS {
            return Err(Error::invalid(
                "Working hours start and end at the same time: use 00:00–00:00 every day for 'always'",
            ));
        }
        Ok(())
    }

    fn works_on(&self, d: Weekday) -> bool {
        self.days & (1 << d.num_days_from_monday()) != 0
    }

    fn is_always(&self) -> bool {
        self.start_min == self.end_min && self.days == 0b0111_1111
    }

    /// The working interval (in UTC) that starts on local `date`, if that is
    /// a working day.
    pub fn interval_starting(
        &self,
        tz: Tz,
        date: NaiveDate,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.works_on(date.weekday()) {
            return None;
        }
        let start = local_to_utc(tz, date, self.start_min);
        let end_date = if self.end_min > self.start_min {
            date
        } else {
            date.succ_opt()?
        };
        let end = local_to_utc(tz, end_date, self.end_min);
        Some((start, end))
    }

    /// Is `at` inside these hours, for a person in `tz`?
    pub fn contains(&self, tz: Tz, at: DateTime<Utc>) -> bool {
        if self.is_always() {
            return true;
        }
        let local = at.with_timezone(&tz).date_naive();
        // An interval that started yesterday may run past midnight.
        [local.pred_opt(), Some(local)]
            .into_iter()
            .flatten()
            .filter_map(|d| self.interval_starting(tz, d))
            .any(|(s, e)| s <= at && at < e)
    }

    /// The first instant at or after `at` that lies inside these hours.
    pub fn next_start(&self, tz: Tz, at: DateTime<Utc>) -> DateTime<Utc> {
        if self.contains(tz, at) {
            return at;
        }
        let mut d = at.with_timezone(&tz).date_naive();
        for _ in 0..8 {
            if let Some((s, _)) = self.interval_starting(tz, d) {
                if s >= at {
                    return s;
                }
            }
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
        at
    }
}

/// Local wall time to UTC. A time skipped by a DST jump moves forward an
/// hour; an ambiguous one takes the earlier instant.
fn local_to_utc(tz: Tz, date: NaiveDate, minutes: u16) -> DateTime<Utc> {
    let t = NaiveTime::from_hms_opt(u32::from(minutes / 60), u32::from(minutes % 60), 0)
        .unwrap_or_default();
    let naive = date.and_time(t);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(x) => x.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        chrono::LocalResult::None => {
            let later = naive + chrono::Duration::hours(1);
            tz.from_local_datetime(&later)
                .earliest()
                .map(|x| x.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
        }
    }
}

/// Which new things may notify at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum NotifyLevel {
    /// Everything new in threads I follow.
    #[default]
    All,
    /// Only when I am @mentioned or named to notify.
    MentionsOnly,
    /// Never notify (the inbox still collects everything).
    Nothing,
}

/// Personal notification settings; synced only among the person's devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NotificationSettings {
    /// Which events may notify.
    pub level: NotifyLevel,
    /// Hold everything until this instant (a "pause").
    pub pause_until: Option<DateTime<Utc>>,
    /// Hold notifications outside my working hours until they begin.
    pub respect_working_hours: bool,
}

/// A quick pause, as offered by the tray and Settings.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pause {
    /// Hold notifications for the next hour.
    OneHour,
    /// Hold them until my working hours begin tomorrow (09:00 my time when
    /// tomorrow is not a working day).
    UntilTomorrow,
    /// Show them again now (held ones arrive as one summary).
    Resume,
}

impl Pause {
    /// When the pause ends for someone in `tz` with `hours`, asked at `now`.
    pub fn until(self, tz: Tz, hours: &WorkingHours, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Pause::OneHour => Some(now + chrono::Duration::hours(1)),
            Pause::Resume => None,
            Pause::UntilTomorrow => {
                let today = now.with_timezone(&tz).date_naive();
                let tomorrow = today.succ_opt().unwrap_or(today);
                let midnight = local_instant(tz, tomorrow, NaiveTime::MIN);
                let start = hours.next_start(tz, midnight);
                // Tomorrow holds no working hours (a weekend): 09:00 then.
                if start.with_timezone(&tz).date_naive() == tomorrow {
                    Some(start)
                } else {
                    Some(local_instant(
                        tz,
                        tomorrow,
                        NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
                    ))
                }
            }
        }
    }
}

/// The instant a local date and time names in `tz` (the later reading of
/// an ambiguous time; the moment after a skipped one).
fn local_instant(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(_, later) => later.with_timezone(&Utc),
        chrono::LocalResult::None => tz
            .from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive)),
    }
}

impl NotificationSettings {
    /// The settings as they are kept, asked at `now`: a pause that ended
    /// already is no pause (the UI sends back what it read), and a pause
    /// more than a year ahead is refused, since it would silence every
    /// notification for good.
    pub fn checked(self, now: DateTime<Utc>) -> Result<Self> {
        match self.pause_until {
            Some(u) if u <= now => Ok(NotificationSettings {
                pause_until: None,
                ..self
            }),
            Some(u) if u > now + super::schedule::MAX_AHEAD => Err(Error::new(
                ErrorCode::InvalidTime,
                "That pause ends more than a year ahead: pause until a time within the next 12 months, or choose \"Nothing\" to stop notifications",
            )),
            _ => Ok(self),
        }
    }
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            level: NotifyLevel::All,
            pause_until: None,
            respect_working_hours: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ended_pause_is_kept_as_none_and_one_decades_ahead_is_refused() {
        let now = utc("2026-11-27T14:00:00Z");
        let with = |pause_until| NotificationSettings {
            pause_until,
            ..NotificationSettings::default()
        };
        let ended = with(Some(now - chrono::Duration::minutes(1)));
        assert_eq!(ended.checked(now).unwrap(), with(None));
        let hour = with(Some(now + chrono::Duration::hours(1)));
        assert_eq!(hour.checked(now).unwrap(), hour);
        let far = with(Some(now + chrono::Duration::days(366)));
        assert_eq!(far.checked(now).unwrap_err().code, ErrorCode::InvalidTime);
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn tokyo_office_hours_are_checked_in_tokyo_time() {
        let tz = parse_time_zone("Asia/Tokyo").unwrap();
        let wh = WorkingHours::default();
        // 2026-11-27 is a Friday. 01:00 UTC = 10:00 in Tokyo.
        assert!(wh.contains(tz, utc("2026-11-27T01:00:00Z")));
        // 13:00 UTC = 22:00 in Tokyo: outside.
        assert!(!wh.contains(tz, utc("2026-11-27T13:00:00Z")));
        // Friday 22:00 → next start is Monday 09:00 Tokyo = Monday 00:00 UTC.
        assert_eq!(
            wh.next_start(tz, utc("2026-11-27T13:00:00Z")),
            utc("2026-11-30T00:00:00Z")
        );
    }

    #[test]
    fn night_shift_hours_run_past_midnight() {
        let tz = Tz::UTC;
        let wh = WorkingHours::parse("22:00", "06:00", &[Weekday::Mon]).unwrap();
        assert!(wh.contains(tz, utc("2026-11-30T23:00:00Z"))); // Monday night
        assert!(wh.contains(tz, utc("2026-12-01T05:59:00Z"))); // Tuesday morning, same shift
        assert!(!wh.contains(tz, utc("2026-12-01T23:00:00Z"))); // Tuesday night: no shift
    }

    #[test]
    fn bad_profiles_are_refused_with_reasons() {
        let mut p = Profile {
            display_name: "Ana".into(),
            time_zone: "Mars/Olympus".into(),
            working_hours: WorkingHours::default(),
        };
        assert_eq!(p.validate().unwrap_err().code, ErrorCode::InvalidTimeZone);
        p.time_zone = "Europe/Lisbon".into();
        p.validate().unwrap();
        p.display_name = "  ".into();
        assert_eq!(p.validate().unwrap_err().code, ErrorCode::InvalidInput);
        assert!(WorkingHours::parse("25:00", "17:00", &[Weekday::Mon]).is_err());
        assert!(WorkingHours::parse("09:00", "17:00", &[]).is_err());
    }

    #[test]
    fn handles_drop_spaces_and_case() {
        assert_eq!(handle_of("Ana Souza"), "anasouza");
        assert_eq!(handle_of("Ben"), "ben");
    }

    #[test]
    fn pause_until_tomorrow_ends_when_my_working_day_starts() {
        let tz = parse_time_zone("Asia/Tokyo").unwrap();
        let wh = WorkingHours::default();
        // Thursday 22:00 in Tokyo → Friday 09:00 Tokyo = Friday 00:00 UTC.
        let now = utc("2026-11-26T13:00:00Z");
        assert_eq!(
            Pause::UntilTomorrow.until(tz, &wh, now),
            Some(utc("2026-11-27T00:00:00Z"))
        );
        // Friday evening → Saturday is no working day: 09:00 Saturday.
        let now = utc("2026-11-27T13:00:00Z");
        assert_eq!(
            Pause::UntilTomorrow.until(tz, &wh, now),
            Some(utc("2026-11-28T00:00:00Z"))
        );
        assert_eq!(
            Pause::OneHour.until(tz, &wh, now),
            Some(utc("2026-11-27T14:00:00Z"))
        );
        assert_eq!(Pause::Resume.until(tz, &wh, now), None);
    }

    #[test]
    fn every_listed_time_zone_parses() {
        let names = time_zone_names();
        assert!(names.len() > 300);
        assert!(names.contains(&"Europe/Lisbon"));
        assert!(names.iter().all(|n| parse_time_zone(n).is_ok()));
    }
}
