//! Reply-by: the merge rules of asks, their withdrawal and answers, the
//! commands that make them, and the two lists ("waiting on me", "waiting
//! on others").
//!
//! - Each ask is a row per (asked person, thread, ask op): grow-only.
//! - A withdrawal comes from the asker only; it is a tombstone on the asks
//!   of that op (the earliest withdrawal is kept).
//! - An answer is the person's latest comment in the thread, or their
//!   "answered" op: the maximum wins. An ask is open while no answer of
//!   theirs comes after it.
//!
//! Every rule depends only on the ops, so replicas agree.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tracing::instrument;

use super::apply::Applier;
use super::content::Ready;
use super::rows::{dec, AskRow};
use super::trees::{key, member_thread, Target, T};
use super::tx::Tx;
use super::Store;
use crate::error::{Error, ErrorCode, Result};
use crate::events::Change;
use crate::model::ids::{MemberId, OpId, ThreadId, OP_KEY_LEN};
use crate::model::op::{Op, OpKind};
use crate::model::replyby::{due_instant, DueBy};
use crate::model::signed::SignedOp;
use crate::render::clean_label;
use crate::views::time::{time_view, TimeView};
use crate::views::PersonRef;

fn ask_key(asked: MemberId, thread: ThreadId, ask: &OpId) -> Vec<u8> {
    key(&[&asked.to_bytes(), &thread.to_bytes(), &ask.to_key()])
}

fn by_key(asker: MemberId, thread: ThreadId, ask: &OpId, asked: MemberId) -> Vec<u8> {
    key(&[
        &asker.to_bytes(),
        &thread.to_bytes(),
        &ask.to_key(),
        &asked.to_bytes(),
    ])
}

/// Records `who`'s answer in `thread` at `at` (the maximum wins).
pub fn record_answer(a: &mut Applier, who: MemberId, thread: ThreadId, at: OpId) -> Result<()> {
    let k = member_thread(who, thread);
    let old: Option<OpId> = a.tx.row(T::Answers, &k)?;
    if old.is_none_or(|o| at > o) {
        a.tx.put_row(T::Answers, k, &at);
        a.fx.changes.insert(Change::Waiting);
    }
    Ok(())
}

/// What a reply-by op needs before it can apply.
pub fn readiness(tx: &Tx, op: &Op) -> Result<Ready> {
    let thread = match &op.kind {
        OpKind::ReplyRequested { thread, .. }
        | OpKind::ReplyWithdrawn { thread, .. }
        | OpKind::ReplyAnswered { thread } => *thread,
        _ => return Err(Error::corrupt("not a reply-by op")),
    };
    if !tx.contains(T::Threads, &thread.to_bytes())? {
        return Ok(Ready::Wait(Target::Thread(thread)));
    }
    let OpKind::ReplyWithdrawn { ask, .. } = &op.kind else {
        return Ok(Ready::Yes);
    };
    // The ask must have taken effect, not merely be in the log (it may
    // itself wait for its device's binding).
    let mine = key(&[&op.author.to_bytes(), &thread.to_bytes(), &ask.to_key()]);
    if !tx.scan_prefix(T::AsksBy, &mine)?.is_empty() {
        return Ok(Ready::Yes);
    }
    let Some(bytes) = tx.get(T::Ops, &ask.to_key())? else {
        return Ok(Ready::Wait(Target::Ask(*ask)));
    };
    let asked = SignedOp::from_bytes(bytes)?.decode_unverified()?;
    let refuse = |why: &str| {
        Ready::Refuse(Error::new(
            ErrorCode::NotAuthor,
            format!("Op {} refused: {why}", op.id),
        ))
    };
    Ok(match asked.kind {
        OpKind::ReplyRequested { thread: t, .. } if t == thread => {
            if asked.author == op.author {
                // Logged but still waiting: wait with it.
                Ready::Wait(Target::Ask(*ask))
            } else {
                refuse("only the person who asked may withdraw a reply-by")
            }
        }
        _ => refuse("it withdraws something that is not a reply-by in this thread"),
    })
}

/// Writes the rows of a reply-by op. Returns the targets it created.
pub fn take_effect(a: &mut Applier, op: &Op) -> Result<Vec<Target>> {
    match &op.kind {
        OpKind::ReplyRequested { thread, asks } => {
            for (asked, due) in asks {
                let k = ask_key(*asked, *thread, &op.id);
                if !a.tx.contains(T::Asks, &k)? {
                    let row = AskRow {
                        asker: op.author,
                        due: *due,
                        withdrawn: None,
                    };
                    a.tx.put_row(T::Asks, k, &row);
                    a.tx.put(
                        T::AsksBy,
                        by_key(op.author, *thread, &op.id, *asked),
                        Vec::new(),
                    );
                }
            }
            a.fx.changes
                .extend([Change::Waiting, Change::Thread(*thread)]);
            Ok(vec![Target::Ask(op.id)])
        }
        OpKind::ReplyWithdrawn { thread, ask } => {
            let prefix = key(&[&op.author.to_bytes(), &thread.to_bytes(), &ask.to_key()]);
            for (k, _) in a.tx.scan_prefix(T::AsksBy, &prefix)? {
                let asked = MemberId::from_bytes(
                    k[k.len() - 16..]
                        .try_into()
                        .map_err(|_| Error::corrupt("asks_by key"))?,
                );
                let ak = ask_key(asked, *thread, ask);
                if let Some(mut row) = a.tx.row::<AskRow>(T::Asks, &ak)? {
                    if row.withdrawn.is_none_or(|w| op.id < w) {
                        row.withdrawn = Some(op.id);
                        a.tx.put_row(T::Asks, ak, &row);
                    }
                }
            }
            a.fx.changes
                .extend([Change::Waiting, Change::Thread(*thread)]);
            Ok(Vec::new())
        }
        OpKind::ReplyAnswered { thread } => {
            record_answer(a, op.author, *thread, op.id)?;
            Ok(Vec::new())
        }
        _ => Err(Error::corrupt("not a reply-by op")),
    }
}

/// One open ask, as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WaitingItem {
    /// The thread.
    pub thread: ThreadId,
    /// Its title.
    pub title: String,
    /// Its channel's name.
    pub channel_name: String,
    /// Who asked (on my list: someone; on theirs: me).
    pub asker: PersonRef,
    /// Who is asked.
    pub asked: PersonRef,
    /// The deadline, in my time and the asked person's.
    pub due: TimeView,
    /// Past the deadline.
    pub overdue: bool,
    /// The ask (to withdraw it).
    pub ask: OpId,
}

impl Store {
    /// Asks `people` for an answer in `thread` by `by`, counted in each
    /// person's own working days. Returns each person's deadline.
    #[instrument(skip(self, people), err(level = "info"))]
    pub fn ask_reply(
        &self,
        thread: ThreadId,
        people: &[MemberId],
        by: &DueBy,
    ) -> Result<Vec<(MemberId, DateTime<Utc>)>> {
        let me = self.require_me()?;
        self.thread_row(thread)?;
        let mut people = people.to_vec();
        people.sort();
        people.dedup();
        if people.is_empty() {
            return Err(Error::invalid("Name who should answer"));
        }
        if people.contains(&me) {
            return Err(Error::invalid(
                "You cannot ask yourself for an answer: use Remind me instead",
            ));
        }
        let now = self.now();
        let mut asks = Vec::with_capacity(people.len());
        for m in people {
            let profile = self.member_row(m)?.profile.value;
            let away = self.away_of(m)?;
            asks.push((m, due_instant(by, &profile, away.as_ref(), now)?));
        }
        self.commit_local(
            me,
            vec![OpKind::ReplyRequested {
                thread,
                asks: asks.clone(),
            }],
        )?;
        Ok(asks)
    }

    /// Withdraws my ask.
    pub fn withdraw_reply(&self, thread: ThreadId, ask: OpId) -> Result<()> {
        let me = self.require_me()?;
        let prefix = key(&[&me.to_bytes(), &thread.to_bytes(), &ask.to_key()]);
        if self
            .trees()
            .get(T::AsksBy)
            .scan_prefix(prefix)
            .next()
            .is_none()
        {
            return Err(Error::new(
                ErrorCode::NotFound,
                "No reply-by of yours with that id in this thread",
            ));
        }
        self.commit_local(me, vec![OpKind::ReplyWithdrawn { thread, ask }])
            .map(drop)
    }

    /// Marks every ask of me in `thread` answered (when I answered
    /// elsewhere, or no words are needed).
    pub fn mark_answered(&self, thread: ThreadId) -> Result<()> {
        let me = self.require_me()?;
        self.thread_row(thread)?;
        if !self.waiting_on_me()?.iter().any(|w| w.thread == thread) {
            return Err(Error::new(
                ErrorCode::NotFound,
                "Nobody is waiting on you in this thread",
            ));
        }
        self.commit_local(me, vec![OpKind::ReplyAnswered { thread }])
            .map(drop)
    }

    fn is_open(&self, asked: MemberId, thread: ThreadId, ask: OpId, row: &AskRow) -> Result<bool> {
        if row.withdrawn.is_some() {
            return Ok(false);
        }
        let answered: Option<OpId> = self
            .trees()
            .get(T::Answers)
            .get(member_thread(asked, thread))?
            .map(|v| dec(&v))
            .transpose()?;
        Ok(answered.is_none_or(|a| a < ask))
    }

    fn waiting_item(
        &self,
        people: &crate::views::people::People,
        asked: MemberId,
        thread: ThreadId,
        ask: OpId,
        row: &AskRow,
    ) -> Result<WaitingItem> {
        let t = self.thread_row(thread)?;
        let channel_name = self.channel_label(t.channel);
        let asked_view = people.get(asked);
        let asked_tz = people.tz_of(asked);
        let name = asked_view
            .map(|m| m.display_name.clone())
            .unwrap_or_default();
        let now = self.now();
        let author = (people.me != Some(asked)).then_some((name.as_str(), asked_tz));
        Ok(WaitingItem {
            thread,
            title: clean_label(&t.title.value),
            channel_name,
            asker: people.person(row.asker),
            asked: people.person(asked),
            due: time_view(row.due, people.my_tz(), author, now),
            overdue: row.due <= now,
            ask,
        })
    }

    /// Open asks of me, soonest deadline first.
    pub fn waiting_on_me(&self) -> Result<Vec<WaitingItem>> {
        let Some(me) = self.me() else {
            return Ok(Vec::new());
        };
        let people = crate::views::people::People::load(self)?;
        let mut out = Vec::new();
        for kv in self.trees().get(T::Asks).scan_prefix(me.to_bytes()) {
            let (k, v) = kv?;
            let row: AskRow = dec(&v)?;
            let thread = ThreadId::from_bytes(
                k[16..32]
                    .try_into()
                    .map_err(|_| Error::corrupt("asks key"))?,
            );
            let ask = OpId::from_key(&k[32..32 + OP_KEY_LEN])?;
            if self.is_open(me, thread, ask, &row)? {
                out.push(self.waiting_item(&people, me, thread, ask, &row)?);
            }
        }
        out.sort_by_key(|w| w.due.utc);
        Ok(out)
    }

    /// Open asks I made of others: overdue first, then soonest deadline.
    pub fn waiting_on_others(&self) -> Result<Vec<WaitingItem>> {
        let Some(me) = self.me() else {
            return Ok(Vec::new());
        };
        let people = crate::views::people::People::load(self)?;
        let mut out = Vec::new();
        for kv in self.trees().get(T::AsksBy).scan_prefix(me.to_bytes()) {
            let (k, _) = kv?;
            let thread = ThreadId::from_bytes(
                k[16..32]
                    .try_into()
                    .map_err(|_| Error::corrupt("asks_by key"))?,
            );
            let ask = OpId::from_key(&k[32..32 + OP_KEY_LEN])?;
            let asked = MemberId::from_bytes(
                k[32 + OP_KEY_LEN..]
                    .try_into()
                    .map_err(|_| Error::corrupt("asks_by key"))?,
            );
            let Some(row) = self
                .trees()
                .get(T::Asks)
                .get(ask_key(asked, thread, &ask))?
                .map(|v| dec::<AskRow>(&v))
                .transpose()?
            else {
                continue;
            };
            if self.is_open(asked, thread, ask, &row)? {
                out.push(self.waiting_item(&people, asked, thread, ask, &row)?);
            }
        }
        out.sort_by_key(|w| (!w.overdue, w.due.utc));
        Ok(out)
    }
}
