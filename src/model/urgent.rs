//! Urgent: "notify anyway". A sender may mark a post urgent for named
//! people; it breaks through their working hours, pauses and away, but at
//! most once per sender per recipient in any 24 hours, and never for a
//! recipient who turned urgent off (from everyone or from that sender).
//!
//! Whether a mark breaks through is a pure function of the marks from one
//! sender to one recipient, so the sender's app can say before sending
//! when it will not, and every device of the recipient decides alike.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::ids::MemberId;

/// One urgent break-through per sender per recipient in this window.
pub const URGENT_WINDOW: TimeDelta = TimeDelta::hours(24);

/// A recipient's choice about urgent break-through. Personal: it travels
/// inside ops among their own devices (a wire format).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UrgentSettings {
    /// Never let urgent marks break through.
    pub off_for_everyone: bool,
    /// Never from these people.
    pub off_from: Vec<MemberId>,
}

impl UrgentSettings {
    /// Whether urgent marks from `sender` may break through at all.
    pub fn allows(&self, sender: MemberId) -> bool {
        !self.off_for_everyone && !self.off_from.contains(&sender)
    }
}

/// Of the instants at which one sender marked posts urgent for one
/// recipient (in any order), those that break through: the first, then
/// each one at least [`URGENT_WINDOW`] after the last that did.
pub fn breaking_through(mut marks: Vec<DateTime<Utc>>) -> Vec<DateTime<Utc>> {
    marks.sort();
    let mut out: Vec<DateTime<Utc>> = Vec::new();
    for m in marks {
        if out.last().is_none_or(|last| m - *last >= URGENT_WINDOW) {
            out.push(m);
        }
    }
    out
}

/// When the next urgent mark from a sender would break through again,
/// given the instants of their earlier marks; None means now.
pub fn next_allowed(marks: Vec<DateTime<Utc>>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let last = breaking_through(marks)
        .into_iter()
        .filter(|m| *m <= now)
        .max()?;
    let next = last + URGENT_WINDOW;
    (next > now).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(n: i64) -> DateTime<Utc> {
        "2026-11-27T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::hours(n)
    }

    #[test]
    fn only_one_mark_a_day_breaks_through() {
        assert_eq!(
            breaking_through(vec![h(20), h(0), h(30), h(24)]),
            [h(0), h(24)]
        );
        assert_eq!(breaking_through(vec![h(0), h(23), h(47)]), [h(0), h(47)]);
        assert!(breaking_through(vec![]).is_empty());
    }

    #[test]
    fn the_sender_learns_when_urgent_works_again() {
        assert_eq!(next_allowed(vec![], h(5)), None);
        assert_eq!(next_allowed(vec![h(0)], h(5)), Some(h(24)));
        assert_eq!(next_allowed(vec![h(0)], h(24)), None);
        assert_eq!(next_allowed(vec![h(0), h(10)], h(12)), Some(h(24)));
    }

    #[test]
    fn a_recipient_can_turn_urgent_off() {
        let ana = MemberId::from_bytes([1; 16]);
        let ben = MemberId::from_bytes([2; 16]);
        assert!(UrgentSettings::default().allows(ana));
        let s = UrgentSettings {
            off_for_everyone: false,
            off_from: vec![ana],
        };
        assert!(!s.allows(ana));
        assert!(s.allows(ben));
        let all = UrgentSettings {
            off_for_everyone: true,
            off_from: vec![],
        };
        assert!(!all.allows(ben));
    }
}
