//! Away: setting it, clearing it, and reading who is away now.

use chrono::NaiveDate;
use tracing::instrument;

use super::rows::{dec, Lww};
use super::trees::T;
use super::Store;
use crate::error::Result;
use crate::model::away::{away_until, Away};
use crate::model::ids::MemberId;
use crate::model::op::OpKind;

impl Store {
    /// Says I am away until I am back on `back_on` (my local date), with
    /// an optional note teammates see.
    #[instrument(skip(self, note), err(level = "info"))]
    pub fn set_away(&self, back_on: NaiveDate, note: &str) -> Result<Away> {
        let me = self.require_me()?;
        let profile = self.member_row(me)?.profile.value;
        let away = away_until(&profile, back_on, note, self.now())?;
        if self.my_away()? == Some(away.clone()) {
            return Ok(away);
        }
        self.commit_local(
            me,
            vec![OpKind::AwaySet {
                away: Some(away.clone()),
            }],
        )?;
        Ok(away)
    }

    /// Says I am back.
    pub fn clear_away(&self) -> Result<()> {
        let me = self.require_me()?;
        if self.my_away()?.is_none() {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::AwaySet { away: None }])
            .map(drop)
    }

    /// My away period as last set, ended or not (what asking again would
    /// write over).
    fn my_away(&self) -> Result<Option<Away>> {
        let me = self.require_me()?;
        let row: Option<Lww<Option<Away>>> = self
            .trees()
            .get(T::Away)
            .get(me.to_bytes())?
            .map(|v| dec(&v))
            .transpose()?;
        Ok(row.and_then(|r| r.value))
    }

    /// `member`'s away period, if it has not ended yet.
    pub fn away_of(&self, member: MemberId) -> Result<Option<Away>> {
        let row: Option<Lww<Option<Away>>> = self
            .trees()
            .get(T::Away)
            .get(member.to_bytes())?
            .map(|v| dec(&v))
            .transpose()?;
        let now = self.now();
        Ok(row.and_then(|r| r.value).filter(|a| a.covers(now)))
    }
}
