//! The line at the top of the tray menu: whether notifications reach me
//! now, and if not, until when — paused, or held for my working hours —
//! in my time zone. Pure: the time and the zone are parameters.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use super::text::count_of;

/// What the tray line is made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrayState {
    /// My pause, if I paused notifications (it may have ended already).
    pub paused_until: Option<DateTime<Utc>>,
    /// Notifications held for later.
    pub held: usize,
    /// When the next of them is released.
    pub next_release: Option<DateTime<Utc>>,
}

/// "Notifications on", "Paused until 14:30", "3 notifications held until
/// Mon 09:00" …: times in `tz`, with the weekday when not today.
pub fn status_line(s: &TrayState, tz: Tz, now: DateTime<Utc>) -> String {
    let held = u32::try_from(s.held).unwrap_or(u32::MAX);
    let held_text = count_of(held, "notification", "notifications");
    match s.paused_until.filter(|p| *p > now) {
        Some(until) if held > 0 => {
            format!("Paused until {}; {held_text} held", when(until, tz, now))
        }
        Some(until) => format!("Paused until {}", when(until, tz, now)),
        None if held > 0 => match s.next_release {
            Some(next) if next > now => {
                format!("{held_text} held until {}", when(next, tz, now))
            }
            _ => format!("{held_text} held"),
        },
        None => "Notifications on".to_string(),
    }
}

/// "14:30" today, "Mon 09:00" on another day (within a week), "8 Dec
/// 09:00" further away; all in `tz`.
fn when(at: DateTime<Utc>, tz: Tz, now: DateTime<Utc>) -> String {
    let at = at.with_timezone(&tz);
    let today = now.with_timezone(&tz).date_naive();
    let days = (at.date_naive() - today).num_days();
    if days == 0 {
        at.format("%H:%M").to_string()
    } else if (1..7).contains(&days) {
        format!("{} {}", at.weekday(), at.format("%H:%M"))
    } else {
        at.format("%-d %b %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::{America, Asia, Europe};

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    const ON: TrayState = TrayState {
        paused_until: None,
        held: 0,
        next_release: None,
    };

    #[test]
    fn nothing_paused_or_held_is_on() {
        let now = utc(2026, 12, 8, 10, 0);
        assert_eq!(status_line(&ON, Europe::Lisbon, now), "Notifications on");
        // A pause that has ended is no pause.
        let ended = TrayState {
            paused_until: Some(utc(2026, 12, 8, 9, 0)),
            ..ON
        };
        assert_eq!(status_line(&ended, Europe::Lisbon, now), "Notifications on");
    }

    #[test]
    fn a_pause_shows_its_end_in_my_zone_with_half_hour_offsets() {
        // 06:00 UTC is 11:30 in Kolkata; the pause ends 08:00 UTC = 13:30.
        let s = TrayState {
            paused_until: Some(utc(2026, 12, 8, 8, 0)),
            ..ON
        };
        assert_eq!(
            status_line(&s, Asia::Kolkata, utc(2026, 12, 8, 6, 0)),
            "Paused until 13:30"
        );
        let with_held = TrayState { held: 2, ..s };
        assert_eq!(
            status_line(&with_held, Asia::Kolkata, utc(2026, 12, 8, 6, 0)),
            "Paused until 13:30; 2 notifications held"
        );
    }

    #[test]
    fn held_notifications_show_their_release_with_the_weekday_across_dst() {
        // Saturday 7 March 2026, 23:00 in New York (EST, UTC-5); held for
        // Monday 9 March 09:00, after the clocks moved to EDT (UTC-4) on
        // Sunday: 13:00 UTC.
        let now = utc(2026, 3, 8, 4, 0);
        let s = TrayState {
            paused_until: None,
            held: 3,
            next_release: Some(utc(2026, 3, 9, 13, 0)),
        };
        assert_eq!(
            status_line(&s, America::New_York, now),
            "3 notifications held until Mon 09:00"
        );
        // The same instant read in Lisbon (still UTC+0) is 13:00.
        assert_eq!(
            status_line(&s, Europe::Lisbon, now),
            "3 notifications held until Mon 13:00"
        );
    }

    #[test]
    fn a_release_today_a_week_away_or_already_due() {
        let now = utc(2026, 12, 8, 10, 0);
        let one = |next| TrayState {
            paused_until: None,
            held: 1,
            next_release: Some(next),
        };
        assert_eq!(
            status_line(&one(utc(2026, 12, 8, 17, 45)), Europe::Lisbon, now),
            "1 notification held until 17:45"
        );
        assert_eq!(
            status_line(&one(utc(2026, 12, 20, 9, 0)), Europe::Lisbon, now),
            "1 notification held until 20 Dec 09:00"
        );
        assert_eq!(
            status_line(&one(utc(2026, 12, 8, 9, 0)), Europe::Lisbon, now),
            "1 notification held"
        );
    }
}
