//! Check-in commands: create, edit, pause, stop (its creator only) and
//! answer (anyone it asks, for a date it asked them). Each validates
//! against the store first; a refused call returns a coded error and
//! writes nothing.

use chrono::{Datelike, NaiveDate};
use tracing::instrument;

use super::checkin_days::{active, Days};
use super::rows::CheckinRow;
use super::Store;
use crate::error::{Error, ErrorCode, Result};
use crate::model::checkin::{asks_on, days_label, normalize_people, AskState, Checkin};
use crate::model::ids::{ChannelId, CheckinId, MemberId};
use crate::model::limits;
use crate::model::op::OpKind;
use crate::views::time::time_view;

impl Store {
    /// Creates a check-in in `channel`: `question`, asked of `people`
    /// (`None` = everyone) on the local weekdays in `days` (bit 0 = Monday).
    #[instrument(skip(self, question, people), err(level = "info"))]
    pub fn create_checkin(
        &self,
        channel: ChannelId,
        question: &str,
        people: Option<Vec<MemberId>>,
        days: u8,
    ) -> Result<CheckinId> {
        let me = self.require_me()?;
        let c = self.channel_row(channel)?;
        if c.archived.value {
            return Err(Error::invalid(format!(
                "#{} is archived: restore it first, or pick another channel",
                c.name.value.0
            )));
        }
        let spec = self.checkin_spec(channel, question, people, days)?;
        let checkin = CheckinId(self.new_id());
        self.commit_local(me, vec![OpKind::CheckinCreated { checkin, spec }])?;
        Ok(checkin)
    }

    /// Replaces a check-in's question, people and days (its creator only).
    /// Nothing is written when nothing changes.
    #[instrument(skip(self, question, people), err(level = "info"))]
    pub fn edit_checkin(
        &self,
        checkin: CheckinId,
        question: &str,
        people: Option<Vec<MemberId>>,
        days: u8,
    ) -> Result<()> {
        let (me, row) = self.my_live_checkin(checkin, "change")?;
        let spec = self.checkin_spec(row.spec.value.channel, question, people, days)?;
        if spec == row.spec.value {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::CheckinEdited { checkin, spec }])
            .map(drop)
    }

    /// Pauses a check-in (it asks nobody) or resumes it (its creator only).
    #[instrument(skip(self), err(level = "info"))]
    pub fn pause_checkin(&self, checkin: CheckinId, paused: bool) -> Result<()> {
        let (me, row) = self.my_live_checkin(checkin, "pause or resume")?;
        if row.paused.value == paused {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::CheckinPaused { checkin, paused }])
            .map(drop)
    }

    /// Stops a check-in for good (its creator only). Its answers stay.
    #[instrument(skip(self), err(level = "info"))]
    pub fn stop_checkin(&self, checkin: CheckinId) -> Result<()> {
        let (me, _) = self.my_live_checkin(checkin, "stop")?;
        self.commit_local(me, vec![OpKind::CheckinStopped { checkin }])
            .map(drop)
    }

    /// Answers a check-in for `date` (my local date of an occurrence that
    /// asked me; `None` = my latest one), or replaces my answer for it.
    /// Returns the date answered.
    #[instrument(skip(self, body), err(level = "info"))]
    pub fn answer_checkin(
        &self,
        checkin: CheckinId,
        date: Option<NaiveDate>,
        body: &str,
    ) -> Result<NaiveDate> {
        limits::body("check-in answer", body)?;
        let (me, row) = self.open_checkin(checkin)?;
        let days = Days::load(self)?;
        let date = match date {
            Some(d) => d,
            None => days.latest(&row, me).map(|(d, _)| d).ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    "This check-in has not asked you anything yet: answer once it does",
                )
            })?,
        };
        let answered_before = self
            .answer_row(checkin, date, me)?
            .is_some_and(|a| !a.versions.is_empty());
        if !answered_before {
            self.check_asked(&days, &row, date, me)?;
        }
        self.commit_local(
            me,
            vec![OpKind::CheckinAnswered {
                checkin,
                date,
                body: body.to_string(),
            }],
        )?;
        Ok(date)
    }

    /// Withdraws my answer for `date`.
    #[instrument(skip(self), err(level = "info"))]
    pub fn withdraw_checkin_answer(&self, checkin: CheckinId, date: NaiveDate) -> Result<()> {
        let (me, _) = self.open_checkin(checkin)?;
        if !self.answer_in_force(checkin, date, me)? {
            return Err(Error::new(
                ErrorCode::NotFound,
                format!("You have no answer for {date} to withdraw"),
            ));
        }
        self.commit_local(
            me,
            vec![OpKind::CheckinAnswered {
                checkin,
                date,
                body: String::new(),
            }],
        )
        .map(drop)
    }

    /// A validated rule from what a person typed.
    fn checkin_spec(
        &self,
        channel: ChannelId,
        question: &str,
        people: Option<Vec<MemberId>>,
        days: u8,
    ) -> Result<Checkin> {
        let people = normalize_people(people);
        for m in people.iter().flatten() {
            self.member_row(*m)?;
        }
        let spec = Checkin {
            channel,
            question: question.trim().to_string(),
            people,
            days,
        };
        spec.validate()?;
        Ok(spec)
    }

    /// The check-in, if I created it and it is not stopped.
    fn my_live_checkin(&self, checkin: CheckinId, what: &str) -> Result<(MemberId, CheckinRow)> {
        let me = self.require_me()?;
        let row = self.checkin_row(checkin)?;
        if row.creator != me {
            let who = crate::views::people::People::load(self)?
                .person(row.creator)
                .name;
            return Err(Error::new(
                ErrorCode::NotAuthor,
                format!("Only {who}, who created this check-in, can {what} it"),
            ));
        }
        stopped_error(&row)?;
        Ok((me, row))
    }

    /// The check-in, if it is not stopped.
    fn open_checkin(&self, checkin: CheckinId) -> Result<(MemberId, CheckinRow)> {
        let me = self.require_me()?;
        let row = self.checkin_row(checkin)?;
        stopped_error(&row)?;
        Ok((me, row))
    }

    /// Whether the check-in asked me on my local `date`, with a reason if not.
    fn check_asked(
        &self,
        days: &Days,
        row: &CheckinRow,
        date: NaiveDate,
        me: MemberId,
    ) -> Result<()> {
        let spec = &row.spec.value;
        if !spec.asks(me) {
            return Err(Error::invalid(
                "This check-in does not ask you: its creator names who it asks",
            ));
        }
        let profile = days
            .profile(me)
            .ok_or_else(|| Error::not_found("member", me))?;
        let not_asked = |why: String| {
            Error::invalid(format!(
                "{date} is not a day this check-in asked you: {why}"
            ))
        };
        match asks_on(spec, date, &profile, days.away(me)) {
            AskState::NotScheduled => Err(not_asked(format!(
                "it asks on {}, and that is a {}",
                days_label(spec.days),
                date.weekday()
            ))),
            AskState::DayOff => Err(not_asked("it is not one of your working days".into())),
            AskState::Away => Err(not_asked("you were away".into())),
            AskState::Asked(at) if at > days.now => Err(Error::new(
                ErrorCode::InvalidTime,
                format!(
                    "The check-in for {date} has not come yet: it asks you {}",
                    time_view(at, profile.tz(), None, days.now).label
                ),
            )),
            AskState::Asked(at) if !active(row).covers(at) => Err(not_asked(
                "the check-in did not run then (not yet created, or paused)".into(),
            )),
            AskState::Asked(_) => Ok(()),
        }
    }
}

fn stopped_error(row: &CheckinRow) -> Result<()> {
    match row.stopped {
        Some(s) => Err(Error::new(
            ErrorCode::TooLate,
            format!(
                "This check-in was stopped on {}: stopping is final; create a new one to ask again",
                s.time().format("%-d %b %Y")
            ),
        )),
        None => Ok(()),
    }
}
