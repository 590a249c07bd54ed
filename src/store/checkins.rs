//! Check-ins: the merge rules of their ops, and reading their rows.
//!
//! - A check-in is created once (grow-only by id) in an existing channel.
//! - Only its creator may edit, pause or stop it: a rule on the op and the
//!   creation alone, so every replica refuses the same ops. Edits and
//!   pauses are last-writer-wins; the earliest stop is a final tombstone.
//! - Answers are never refused once the check-in is known (whether a date
//!   asks someone depends on profiles and rules that may still change, so
//!   the commands check it, not apply). Each person's answers for a date
//!   are kept as a set of op ids; the one in force is the latest made
//!   before the stop, if any, so a stop that arrives after a late answer
//!   cuts it exactly as a stop that arrived first.

use chrono::NaiveDate;

use super::apply::{Applier, SearchWork};
use super::content::{bump_searchable, Ready};
use super::rows::{dec, AnswerRow, CheckinRow, CurrentAnswer, Lww};
use super::search_log::answer_doc;
use super::trees::{key, Target, T};
use super::tx::Tx;
use super::Store;
use crate::error::{Error, ErrorCode, Result};
use crate::events::Change;
use crate::model::checkin::{date_from_key, date_key};
use crate::model::ids::{CheckinId, MemberId, OpId};
use crate::model::op::{Op, OpKind};
use crate::model::signed::SignedOp;

/// The key of one person's answer for one date.
pub(crate) fn answer_key(checkin: CheckinId, date: NaiveDate, member: MemberId) -> Vec<u8> {
    key(&[&checkin.to_bytes(), &date_key(date), &member.to_bytes()])
}

/// Splits an answer key into its date and member.
pub(crate) fn split_answer_key(k: &[u8]) -> Result<(NaiveDate, MemberId)> {
    let bad = || Error::corrupt("check-in answer key");
    if k.len() != 16 + 4 + 16 {
        return Err(bad());
    }
    let date = date_from_key(k[16..20].try_into().map_err(|_| bad())?).ok_or_else(bad)?;
    let member = MemberId::from_bytes(k[20..].try_into().map_err(|_| bad())?);
    Ok((date, member))
}

fn checkin_row(tx: &Tx, c: CheckinId) -> Result<Option<CheckinRow>> {
    tx.row(T::Checkins, &c.to_bytes())
}

/// What a check-in op needs and whether its author may issue it.
pub fn readiness(tx: &Tx, op: &Op) -> Result<Ready> {
    let refuse =
        |code, why: &str| Ready::Refuse(Error::new(code, format!("Op {} refused: {why}", op.id)));
    Ok(match &op.kind {
        OpKind::CheckinCreated { spec, .. } => {
            if tx.contains(T::Channels, &spec.channel.to_bytes())? {
                Ready::Yes
            } else {
                Ready::Wait(Target::Channel(spec.channel))
            }
        }
        OpKind::CheckinEdited { checkin, .. }
        | OpKind::CheckinPaused { checkin, .. }
        | OpKind::CheckinStopped { checkin } => match checkin_row(tx, *checkin)? {
            None => Ready::Wait(Target::Checkin(*checkin)),
            Some(r) if r.creator != op.author => refuse(
                ErrorCode::NotAuthor,
                "only the person who created a check-in may change, pause or stop it",
            ),
            Some(r) => match &op.kind {
                OpKind::CheckinEdited { spec, .. } if spec.channel != r.spec.value.channel => {
                    refuse(
                        ErrorCode::MalformedOp,
                        "a check-in stays in the channel it was created in",
                    )
                }
                _ => Ready::Yes,
            },
        },
        OpKind::CheckinAnswered { checkin, .. } => {
            if tx.contains(T::Checkins, &checkin.to_bytes())? {
                Ready::Yes
            } else {
                Ready::Wait(Target::Checkin(*checkin))
            }
        }
        _ => return Err(Error::corrupt("not a check-in op")),
    })
}

/// Writes the rows of a check-in op. Returns the targets it created.
pub fn take_effect(a: &mut Applier, op: &Op) -> Result<Vec<Target>> {
    match &op.kind {
        OpKind::CheckinCreated { checkin, spec } => {
            let k = checkin.to_bytes().to_vec();
            // A second creation with the same id is a replay or forgery:
            // the first stays.
            if a.tx.contains(T::Checkins, &k)? {
                return Ok(Vec::new());
            }
            let row = CheckinRow {
                creator: op.author,
                created: op.id,
                spec: Lww::new(spec.clone(), op.id),
                paused: Lww::new(false, op.id),
                stopped: None,
            };
            a.tx.put_row(T::Checkins, k, &row);
            a.fx.changes.insert(Change::Checkins);
            Ok(vec![Target::Checkin(*checkin)])
        }
        OpKind::CheckinEdited { checkin, spec } => {
            let Some(mut row) = checkin_row(&a.tx, *checkin)? else {
                return Ok(Vec::new());
            };
            let question = row.spec.value.question.clone();
            if row.spec.offer(spec.clone(), op.id) {
                a.tx.put_row(T::Checkins, checkin.to_bytes().to_vec(), &row);
                a.fx.changes.insert(Change::Checkins);
                // The question is the title of every answer's document.
                if row.spec.value.question != question {
                    reindex_answers(a, *checkin, &row)?;
                }
            }
            Ok(Vec::new())
        }
        OpKind::CheckinPaused { checkin, paused } => {
            if let Some(mut row) = checkin_row(&a.tx, *checkin)? {
                if row.paused.offer(*paused, op.id) {
                    a.tx.put_row(T::Checkins, checkin.to_bytes().to_vec(), &row);
                    a.fx.changes.insert(Change::Checkins);
                }
            }
            Ok(Vec::new())
        }
        OpKind::CheckinStopped { checkin } => {
            let Some(mut row) = checkin_row(&a.tx, *checkin)? else {
                return Ok(Vec::new());
            };
            let before = row.stopped;
            if before.is_some_and(|s| s <= op.id) {
                return Ok(Vec::new());
            }
            row.stopped = Some(op.id);
            a.tx.put_row(T::Checkins, checkin.to_bytes().to_vec(), &row);
            a.fx.changes.insert(Change::Checkins);
            // Answers made after the stop no longer count.
            for (k, v) in a.tx.scan_prefix(T::CheckinAnswers, &checkin.to_bytes())? {
                let answer: AnswerRow = dec(&v)?;
                let who = split_answer_key(&k)?;
                let (was, now) = (answer.current(before), answer.current(row.stopped));
                settle(a, *checkin, &row, who, answer, was, now)?;
            }
            Ok(Vec::new())
        }
        OpKind::CheckinAnswered {
            checkin,
            date,
            body,
        } => {
            // Versions are ids; the text in force is read back from the log.
            let Some(row) = checkin_row(&a.tx, *checkin)? else {
                return Ok(Vec::new());
            };
            let k = answer_key(*checkin, *date, op.author);
            let mut answer: AnswerRow = a.tx.row(T::CheckinAnswers, &k)?.unwrap_or_default();
            let was = answer.current(row.stopped);
            answer.add(op.id, body.is_empty());
            let now = answer.current(row.stopped);
            settle(a, *checkin, &row, (*date, op.author), answer, was, now)?;
            Ok(Vec::new())
        }
        _ => Err(Error::corrupt("not a check-in op")),
    }
}

/// Stores an answer row whose answer in force went from `was` to `now`:
/// its text, the search document and the searchable count.
fn settle(
    a: &mut Applier,
    checkin: CheckinId,
    row: &CheckinRow,
    (date, member): (NaiveDate, MemberId),
    mut answer: AnswerRow,
    was: Option<CurrentAnswer>,
    now: Option<CurrentAnswer>,
) -> Result<()> {
    match now {
        // Another version is in force: its text is in the log (the op
        // being applied is written there before it takes effect).
        Some(n) if was.is_none_or(|w| w.last != n.last) => {
            answer.body = answer_op_body(&a.tx, n.last)?.unwrap_or_default();
        }
        None => answer.body.clear(),
        Some(_) => {}
    }
    let k = answer_key(checkin, date, member);
    a.tx.put_row(T::CheckinAnswers, k, &answer);
    if was != now {
        a.fx.changes.insert(Change::Checkins);
        match (was.is_some(), now) {
            (false, Some(n)) => {
                bump_searchable(a, 1)?;
                a.fx.search.push(SearchWork::Upsert(answer_doc(
                    checkin,
                    row,
                    date,
                    member,
                    &answer.body,
                    n,
                )));
            }
            (true, Some(n)) => a.fx.search.push(SearchWork::Upsert(answer_doc(
                checkin,
                row,
                date,
                member,
                &answer.body,
                n,
            ))),
            (true, None) => {
                bump_searchable(a, -1)?;
                a.fx.search
                    .push(SearchWork::RemoveAnswer(checkin, date, member));
            }
            (false, None) => {}
        }
    }
    Ok(())
}

/// The body of a `CheckinAnswered` op in the log.
fn answer_op_body(tx: &Tx, op: OpId) -> Result<Option<String>> {
    let Some(bytes) = tx.get(T::Ops, &op.to_key())? else {
        return Ok(None);
    };
    match SignedOp::from_bytes(bytes)?.decode_unverified()?.kind {
        OpKind::CheckinAnswered { body, .. } => Ok(Some(body)),
        _ => Err(Error::corrupt("an answer version is not an answer op")),
    }
}

/// Gives every live answer of a check-in its new question as title.
fn reindex_answers(a: &mut Applier, checkin: CheckinId, row: &CheckinRow) -> Result<()> {
    for (k, v) in a.tx.scan_prefix(T::CheckinAnswers, &checkin.to_bytes())? {
        let answer: AnswerRow = dec(&v)?;
        if let Some(n) = answer.current(row.stopped) {
            let (date, member) = split_answer_key(&k)?;
            a.fx.search.push(SearchWork::Upsert(answer_doc(
                checkin,
                row,
                date,
                member,
                &answer.body,
                n,
            )));
        }
    }
    Ok(())
}

impl Store {
    /// A check-in's row, or a coded error.
    pub(crate) fn checkin_row(&self, c: CheckinId) -> Result<CheckinRow> {
        self.trees()
            .get(T::Checkins)
            .get(c.to_bytes())?
            .map(|v| dec(&v))
            .transpose()?
            .ok_or_else(|| Error::not_found("check-in", c))
    }

    /// Every check-in, in id order.
    pub(crate) fn checkin_rows(&self) -> Result<Vec<(CheckinId, CheckinRow)>> {
        let mut out = Vec::new();
        for kv in self.trees().get(T::Checkins).iter() {
            let (k, v) = kv?;
            let id = CheckinId::from_bytes(
                k.as_ref()
                    .try_into()
                    .map_err(|_| Error::corrupt("check-in key"))?,
            );
            out.push((id, dec(&v)?));
        }
        Ok(out)
    }

    /// Every answer row of a check-in: (date, member, row), by date then member.
    pub(crate) fn answer_rows(
        &self,
        checkin: CheckinId,
    ) -> Result<Vec<(NaiveDate, MemberId, AnswerRow)>> {
        let mut out = Vec::new();
        for kv in self
            .trees()
            .get(T::CheckinAnswers)
            .scan_prefix(checkin.to_bytes())
        {
            let (k, v) = kv?;
            let (date, member) = split_answer_key(&k)?;
            out.push((date, member, dec(&v)?));
        }
        Ok(out)
    }

    /// Whether `member` has an answer in force for `date`.
    pub(crate) fn answer_in_force(
        &self,
        checkin: CheckinId,
        date: NaiveDate,
        member: MemberId,
    ) -> Result<bool> {
        let Ok(row) = self.checkin_row(checkin) else {
            return Ok(false);
        };
        Ok(self
            .answer_row(checkin, date, member)?
            .is_some_and(|a| a.current(row.stopped).is_some()))
    }

    /// One person's answer row for one date.
    pub(crate) fn answer_row(
        &self,
        checkin: CheckinId,
        date: NaiveDate,
        member: MemberId,
    ) -> Result<Option<AnswerRow>> {
        self.trees()
            .get(T::CheckinAnswers)
            .get(answer_key(checkin, date, member))?
            .map(|v| dec(&v))
            .transpose()
    }
}
