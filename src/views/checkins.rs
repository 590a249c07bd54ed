//! Check-ins as a person reads them: the list (with my next ask), a board
//! per check-in (answers grouped by each person's local date, newest
//! first, with who has not answered, who was away and who was off), one
//! person's history, and the asks still open for me.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::people::PersonRef;
use super::time::{time_view, TimeView};
use crate::error::Result;
use crate::model::checkin::days_label;
use crate::model::ids::{ChannelId, CheckinId, MemberId};
use crate::render::{clean_label, render_markdown, RenderOptions};
use crate::store::checkin_days::Days;
use crate::store::rows::{AnswerRow, CheckinRow};
use crate::store::Store;

/// Most dates a board or a history shows.
pub const MAX_BOARD_DAYS: usize = 92;

/// A check-in in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckinView {
    /// Its id.
    pub id: CheckinId,
    /// Its channel.
    pub channel: ChannelId,
    /// The channel's name.
    pub channel_name: String,
    /// The question.
    pub question: String,
    /// The people it asks; `None` = everyone.
    pub people: Option<Vec<PersonRef>>,
    /// Its days as a mask (bit 0 = Monday).
    pub days: u8,
    /// Its days in words: "Weekdays", "Mon, Wed".
    pub days_label: String,
    /// Who created it.
    pub creator: PersonRef,
    /// I created it: I may edit, pause and stop it.
    pub mine: bool,
    /// Paused: it asks nobody until resumed.
    pub paused: bool,
    /// Stopped for good.
    pub stopped: bool,
    /// It asks me.
    pub asks_me: bool,
    /// When it next asks me, in my time.
    pub next_ask: Option<TimeView>,
}

/// Where a person stands on one of their dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum DayMark {
    /// They answered.
    Answered,
    /// Asked, not answered yet.
    Pending,
    /// Their working day that date has not started yet.
    Upcoming,
    /// Away at the start of that working day.
    Away,
    /// Not one of their working days.
    Off,
    /// The check-in did not ask them that date.
    NotAsked,
}

/// One answer, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AnswerView {
    /// Who answered.
    pub author: PersonRef,
    /// Their local date it answers.
    pub date: NaiveDate,
    /// The markdown source (for editing).
    pub body_markdown: String,
    /// Rendered, sanitized HTML.
    pub body_html: String,
    /// When they first gave this answer, in my time and theirs.
    pub answered: TimeView,
    /// They changed it since.
    pub edited: bool,
}

/// One date of a board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BoardDay {
    /// The date (each person's own local date).
    pub date: NaiveDate,
    /// "Mon 15 Mar".
    pub label: String,
    /// Answers, first given first.
    pub answers: Vec<AnswerView>,
    /// Asked and not answered yet.
    pub pending: Vec<PersonRef>,
    /// Not asked yet: their working day that date is still to start.
    pub upcoming: Vec<PersonRef>,
    /// Away that day.
    pub away: Vec<PersonRef>,
    /// Not working that day.
    pub off: Vec<PersonRef>,
}

/// One person's marks across the board's dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PersonHistory {
    /// Who.
    pub person: PersonRef,
    /// On how many of the board's dates they were asked (or answered).
    pub asked: u32,
    /// How many of those they answered.
    pub answered: u32,
    /// Their mark for each of the board's dates, in the board's order.
    pub marks: Vec<DayMark>,
}

/// A check-in's board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Board {
    /// The check-in.
    pub checkin: CheckinView,
    /// Its dates, newest first.
    pub days: Vec<BoardDay>,
    /// Each person asked (or who answered), by name.
    pub people: Vec<PersonHistory>,
}

/// One date of a person's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct HistoryDay {
    /// Their local date.
    pub date: NaiveDate,
    /// "Mon 15 Mar".
    pub label: String,
    /// Where they stood.
    pub mark: DayMark,
    /// Their answer, if they gave one.
    pub answer: Option<AnswerView>,
}

/// An occurrence asking me that I have not answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckinAsk {
    /// The check-in.
    pub checkin: CheckinId,
    /// Its question.
    pub question: String,
    /// Its channel.
    pub channel: ChannelId,
    /// The channel's name.
    pub channel_name: String,
    /// My local date it asks about.
    pub date: NaiveDate,
    /// When it asked me, in my time.
    pub asked: TimeView,
}

fn day_label(d: NaiveDate) -> String {
    format!("{} {}", d.weekday(), d.format("%-d %b"))
}

impl Store {
    /// Check-ins, of one channel or all: running ones first, then stopped,
    /// each in creation order.
    pub fn checkins(&self, channel: Option<ChannelId>) -> Result<Vec<CheckinView>> {
        if let Some(c) = channel {
            self.channel_row(c)?;
        }
        let days = Days::load(self)?;
        let mut rows: Vec<_> = self
            .checkin_rows()?
            .into_iter()
            .filter(|(_, r)| channel.is_none_or(|c| r.spec.value.channel == c))
            .collect();
        rows.sort_by_key(|(id, r)| (r.stopped.is_some(), r.created, *id));
        rows.iter()
            .map(|(id, r)| self.checkin_view(&days, *id, r))
            .collect()
    }

    /// One check-in.
    pub fn checkin(&self, checkin: CheckinId) -> Result<CheckinView> {
        let row = self.checkin_row(checkin)?;
        self.checkin_view(&Days::load(self)?, checkin, &row)
    }

    fn checkin_view(&self, days: &Days, id: CheckinId, r: &CheckinRow) -> Result<CheckinView> {
        let spec = &r.spec.value;
        let people = &days.people;
        let me = people.me;
        let next_ask = me
            .and_then(|m| days.next(r, m))
            .map(|(_, at)| time_view(at, people.my_tz(), None, days.now));
        Ok(CheckinView {
            id,
            channel: spec.channel,
            channel_name: self.channel_label(spec.channel),
            question: clean_label(&spec.question),
            people: spec
                .people
                .as_ref()
                .map(|p| p.iter().map(|m| people.person(*m)).collect()),
            days: spec.days,
            days_label: days_label(spec.days),
            creator: people.person(r.creator),
            mine: me == Some(r.creator),
            paused: r.paused.value,
            stopped: r.stopped.is_some(),
            asks_me: me.is_some_and(|m| spec.asks(m)),
            next_ask,
        })
    }

    fn answer_view(
        &self,
        days: &Days,
        row: &CheckinRow,
        date: NaiveDate,
        member: MemberId,
        a: &AnswerRow,
    ) -> Option<AnswerView> {
        let current = a.current(row.stopped)?;
        let people = &days.people;
        let author = people
            .get(member)
            .map(|p| (p.display_name.as_str(), people.tz_of(member)));
        Some(AnswerView {
            author: people.person(member),
            date,
            body_html: render_markdown(&a.body, &[], RenderOptions::default()),
            body_markdown: a.body.clone(),
            answered: time_view(current.first.time(), people.my_tz(), author, days.now),
            edited: current.last != current.first,
        })
    }

    /// A check-in's board: its `days` latest dates on which someone was
    /// asked or answered, newest first (at most [`MAX_BOARD_DAYS`]).
    pub fn checkin_board(&self, checkin: CheckinId, days: usize) -> Result<Board> {
        let row = self.checkin_row(checkin)?;
        let cal = Days::load(self)?;
        let view = self.checkin_view(&cal, checkin, &row)?;
        let want = days.clamp(1, MAX_BOARD_DAYS);
        // Answers by date, then member.
        let mut answers: BTreeMap<NaiveDate, Vec<(MemberId, AnswerRow)>> = BTreeMap::new();
        for (date, m, a) in self.answer_rows(checkin)? {
            if a.current(row.stopped).is_some() {
                answers.entry(date).or_default().push((m, a));
            }
        }
        // Everyone asked, and anyone else who answered, by name.
        let mut who = cal.asked(&row);
        for list in answers.values() {
            for (m, _) in list {
                if !who.contains(m) {
                    who.push(*m);
                }
            }
        }
        let order: HashMap<MemberId, usize> = cal
            .people
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id, i))
            .collect();
        who.sort_by_key(|m| (order.get(m).copied().unwrap_or(usize::MAX), *m));

        let mut board_days = Vec::new();
        let mut marks: Vec<Vec<DayMark>> = vec![Vec::new(); who.len()];
        for date in candidate_dates(&row, cal.now) {
            if board_days.len() == want {
                break;
            }
            let on_date = answers.get(&date);
            let answered = |m: MemberId| on_date.is_some_and(|l| l.iter().any(|(x, _)| *x == m));
            let day_marks: Vec<DayMark> = who
                .iter()
                .map(|m| cal.mark(&row, date, *m, answered(*m)))
                .collect();
            if !day_marks
                .iter()
                .any(|k| matches!(k, DayMark::Answered | DayMark::Pending))
            {
                continue;
            }
            let mut day = BoardDay {
                date,
                label: day_label(date),
                answers: Vec::new(),
                pending: Vec::new(),
                upcoming: Vec::new(),
                away: Vec::new(),
                off: Vec::new(),
            };
            let mut given: Vec<(crate::model::ids::OpId, AnswerView)> = Vec::new();
            for (i, (m, k)) in who.iter().zip(&day_marks).enumerate() {
                marks[i].push(*k);
                let person = cal.people.person(*m);
                match k {
                    DayMark::Answered => {
                        if let Some((_, a)) = on_date.and_then(|l| l.iter().find(|(x, _)| x == m)) {
                            let first = a.current(row.stopped).map(|c| c.first);
                            if let (Some(f), Some(v)) =
                                (first, self.answer_view(&cal, &row, date, *m, a))
                            {
                                given.push((f, v));
                            }
                        }
                    }
                    DayMark::Pending => day.pending.push(person),
                    DayMark::Upcoming => day.upcoming.push(person),
                    DayMark::Away => day.away.push(person),
                    DayMark::Off => day.off.push(person),
                    DayMark::NotAsked => {}
                }
            }
            given.sort_by_key(|(f, _)| *f);
            day.answers = given.into_iter().map(|(_, v)| v).collect();
            board_days.push(day);
        }
        let people = who
            .iter()
            .zip(marks)
            .map(|(m, marks)| PersonHistory {
                person: cal.people.person(*m),
                asked: marks
                    .iter()
                    .filter(|k| matches!(k, DayMark::Answered | DayMark::Pending))
                    .count() as u32,
                answered: marks.iter().filter(|k| **k == DayMark::Answered).count() as u32,
                marks,
            })
            .collect();
        Ok(Board {
            checkin: view,
            days: board_days,
            people,
        })
    }

    /// One person's history with a check-in: their latest `limit` dates on
    /// which it asked them (or they were away or off, or answered), newest
    /// first (at most [`MAX_BOARD_DAYS`]).
    pub fn checkin_history(
        &self,
        checkin: CheckinId,
        member: MemberId,
        limit: usize,
    ) -> Result<Vec<HistoryDay>> {
        let row = self.checkin_row(checkin)?;
        self.member_row(member)?;
        let cal = Days::load(self)?;
        let want = limit.clamp(1, MAX_BOARD_DAYS);
        let mine: BTreeMap<NaiveDate, AnswerRow> = self
            .answer_rows(checkin)?
            .into_iter()
            .filter(|(_, m, a)| *m == member && a.current(row.stopped).is_some())
            .map(|(d, _, a)| (d, a))
            .collect();
        let mut out = Vec::new();
        for date in candidate_dates(&row, cal.now) {
            if out.len() == want {
                break;
            }
            let answer = mine.get(&date);
            let mark = cal.mark(&row, date, member, answer.is_some());
            if matches!(mark, DayMark::NotAsked | DayMark::Upcoming) {
                continue;
            }
            out.push(HistoryDay {
                date,
                label: day_label(date),
                mark,
                answer: answer.and_then(|a| self.answer_view(&cal, &row, date, member, a)),
            });
        }
        Ok(out)
    }

    /// The occurrences asking me that I have not answered: for each running
    /// check-in that asks me, its latest ask if it is unanswered, soonest
    /// first. (An occurrence stays open until the next one asks.)
    pub fn checkin_asks_for_me(&self) -> Result<Vec<CheckinAsk>> {
        let Some(me) = self.me() else {
            return Ok(Vec::new());
        };
        let cal = Days::load(self)?;
        let mut out = Vec::new();
        for (id, row) in self.checkin_rows()? {
            if row.stopped.is_some() || row.paused.value {
                continue;
            }
            let Some((date, at)) = cal.latest(&row, me) else {
                continue;
            };
            if self.answer_in_force(id, date, me)? {
                continue;
            }
            let spec = &row.spec.value;
            out.push(CheckinAsk {
                checkin: id,
                question: clean_label(&spec.question),
                channel: spec.channel,
                channel_name: self.channel_label(spec.channel),
                date,
                asked: time_view(at, cal.people.my_tz(), None, cal.now),
            });
        }
        out.sort_by_key(|a| (a.asked.utc, a.checkin));
        Ok(out)
    }
}

/// The dates a check-in may have asked someone on, newest first: from the
/// latest date any zone has reached (UTC+14) back to the day before its
/// creation (UTC-12), on its weekdays.
fn candidate_dates(row: &CheckinRow, now: DateTime<Utc>) -> impl Iterator<Item = NaiveDate> {
    let newest = (now + chrono::Duration::hours(14)).date_naive();
    let oldest = row
        .created
        .time()
        .date_naive()
        .pred_opt()
        .unwrap_or(NaiveDate::MIN);
    let spec = row.spec.value.clone();
    newest
        .iter_days()
        .rev()
        .take_while(move |d| *d >= oldest)
        .filter(move |d| spec.on(d.weekday()))
}
