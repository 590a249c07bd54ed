//! Check-ins: the list, creating and changing one (its creator only),
//! answering, the board and my open asks. Each command is one adapter over
//! a core call.

use chrono::NaiveDate;
use tauri::State;
use tidings::model::ids::{ChannelId, CheckinId, MemberId};
use tidings::views::{Board, CheckinAsk, CheckinView};

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// Every check-in (of one channel, if given), live ones first.
#[tauri::command]
#[specta::specta]
pub async fn checkins(
    ctx: State<'_, Shared>,
    channel: Arg<Option<ChannelId>>,
) -> IpcResult<Vec<CheckinView>> {
    let channel = channel.get("channel")?;
    ctx.run(move |s| s.checkins(channel)).await
}

/// A new check-in: its question, who is asked (None: everyone) and on
/// which weekdays (bit 0 = Monday).
#[tauri::command]
#[specta::specta]
pub async fn create_checkin(
    ctx: State<'_, Shared>,
    channel: Arg<ChannelId>,
    question: Arg<String>,
    people: Arg<Option<Vec<MemberId>>>,
    days: Arg<u8>,
) -> IpcResult<CheckinId> {
    let (channel, question) = (channel.get("channel")?, question.get("question")?);
    let (people, days) = (people.get("people")?, days.get("days")?);
    ctx.run(move |s| s.create_checkin(channel, &question, people, days))
        .await
}

/// Changes the question, the people or the days (its creator only).
#[tauri::command]
#[specta::specta]
pub async fn edit_checkin(
    ctx: State<'_, Shared>,
    checkin: Arg<CheckinId>,
    question: Arg<String>,
    people: Arg<Option<Vec<MemberId>>>,
    days: Arg<u8>,
) -> IpcResult<()> {
    let (checkin, question) = (checkin.get("checkin")?, question.get("question")?);
    let (people, days) = (people.get("people")?, days.get("days")?);
    ctx.run(move |s| s.edit_checkin(checkin, &question, people, days))
        .await
}

/// Pauses or resumes a check-in (its creator only).
#[tauri::command]
#[specta::specta]
pub async fn pause_checkin(
    ctx: State<'_, Shared>,
    checkin: Arg<CheckinId>,
    paused: Arg<bool>,
) -> IpcResult<()> {
    let (checkin, paused) = (checkin.get("checkin")?, paused.get("paused")?);
    ctx.run(move |s| s.pause_checkin(checkin, paused)).await
}

/// Stops a check-in for good (its creator only).
#[tauri::command]
#[specta::specta]
pub async fn stop_checkin(ctx: State<'_, Shared>, checkin: Arg<CheckinId>) -> IpcResult<()> {
    let checkin = checkin.get("checkin")?;
    ctx.run(move |s| s.stop_checkin(checkin)).await
}

/// Answers (or edits my answer) for one of my dates (None: the latest that
/// asked me); returns that date.
#[tauri::command]
#[specta::specta]
pub async fn answer_checkin(
    ctx: State<'_, Shared>,
    checkin: Arg<CheckinId>,
    date: Arg<Option<NaiveDate>>,
    body: Arg<String>,
) -> IpcResult<NaiveDate> {
    let (checkin, date, body) = (
        checkin.get("checkin")?,
        date.get("date")?,
        body.get("body")?,
    );
    ctx.run(move |s| s.answer_checkin(checkin, date, &body))
        .await
}

/// A check-in's board over its last `days` dates.
#[tauri::command]
#[specta::specta]
pub async fn checkin_board(
    ctx: State<'_, Shared>,
    checkin: Arg<CheckinId>,
    days: Arg<u32>,
) -> IpcResult<Board> {
    let (checkin, days) = (checkin.get("checkin")?, days.get("days")?);
    ctx.run(move |s| s.checkin_board(checkin, days as usize))
        .await
}

/// Check-ins asking me that I have not answered.
#[tauri::command]
#[specta::specta]
pub async fn checkin_asks(ctx: State<'_, Shared>) -> IpcResult<Vec<CheckinAsk>> {
    ctx.run(|s| s.checkin_asks_for_me()).await
}
