//! The model's rules for check-ins: one is created once in a channel that
//! exists; only its creator may edit (never to another channel), pause or
//! stop it, and others' ops are refused; the question and the pause are
//! last-writer-wins from the creation on; the earliest stop is final. An
//! answer needs the check-in; per check-in, date and person the one in
//! force is the latest made before the stop, and an empty one withdraws.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use tidings::model::ids::{CheckinId, MemberId, OpId};
use tidings::model::op::{Op, OpKind};

use super::model::{lww, Facts};

/// One check-in as the rules leave it.
struct Row {
    creator: MemberId,
    question: Option<(OpId, String)>,
    paused: Option<(OpId, bool)>,
    stopped: Option<OpId>,
}

/// Every check-in and every answer made to one.
pub struct CheckinModel {
    rows: BTreeMap<CheckinId, Row>,
    /// Check-in, date, person → (op, body), the latest before the stop.
    answers: BTreeMap<(CheckinId, NaiveDate, MemberId), (OpId, String)>,
}

impl CheckinModel {
    pub fn of(ops: &[Op], f: &Facts) -> CheckinModel {
        let mut rows: BTreeMap<CheckinId, Row> = BTreeMap::new();
        let mut channel_of = BTreeMap::new();
        for op in ops {
            if let OpKind::CheckinCreated { checkin, spec } = &op.kind {
                if f.channels.contains(&spec.channel) {
                    channel_of.insert(*checkin, spec.channel);
                    let mut r = Row {
                        creator: op.author,
                        question: None,
                        paused: None,
                        stopped: None,
                    };
                    lww(&mut r.question, op.id, &spec.question);
                    lww(&mut r.paused, op.id, &false);
                    rows.insert(*checkin, r);
                }
            }
        }
        for op in ops {
            let by_creator = |c: &CheckinId| rows.get(c).is_some_and(|r| r.creator == op.author);
            match &op.kind {
                OpKind::CheckinEdited { checkin, spec }
                    if by_creator(checkin) && channel_of.get(checkin) == Some(&spec.channel) =>
                {
                    let r = rows.get_mut(checkin).unwrap();
                    lww(&mut r.question, op.id, &spec.question);
                }
                OpKind::CheckinPaused { checkin, paused } if by_creator(checkin) => {
                    lww(&mut rows.get_mut(checkin).unwrap().paused, op.id, paused)
                }
                OpKind::CheckinStopped { checkin } if by_creator(checkin) => {
                    let r = rows.get_mut(checkin).unwrap();
                    r.stopped = Some(r.stopped.map_or(op.id, |s| s.min(op.id)));
                }
                _ => {}
            }
        }
        let mut answers: BTreeMap<_, (OpId, String)> = BTreeMap::new();
        for op in ops {
            if let OpKind::CheckinAnswered {
                checkin,
                date,
                body,
            } = &op.kind
            {
                let Some(r) = rows.get(checkin) else {
                    continue;
                };
                if r.stopped.is_some_and(|s| op.id >= s) {
                    continue;
                }
                let slot = answers
                    .entry((*checkin, *date, op.author))
                    .or_insert((op.id, body.clone()));
                if op.id >= slot.0 {
                    *slot = (op.id, body.clone());
                }
            }
        }
        CheckinModel { rows, answers }
    }

    /// Check-in: question, paused, stopped.
    pub fn shown(&self) -> BTreeMap<CheckinId, (String, bool, bool)> {
        self.rows
            .iter()
            .map(|(id, r)| {
                let q = r.question.clone().unwrap().1;
                let p = r.paused.unwrap().1;
                (*id, (q, p, r.stopped.is_some()))
            })
            .collect()
    }

    /// The answers in force (withdrawn ones are not).
    pub fn answers(&self) -> BTreeMap<(CheckinId, NaiveDate, MemberId), String> {
        self.answers
            .iter()
            .filter(|(_, (_, body))| !body.is_empty())
            .map(|(k, (_, body))| (*k, body.clone()))
            .collect()
    }
}
