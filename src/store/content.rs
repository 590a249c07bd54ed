//! Per-kind merge rules: what each op needs before it can apply, who may
//! issue it, and the rows it writes.

use super::apply::{Applier, SearchWork};
use super::me;
use super::rows::{
    involvement, ChannelRow, CommentRow, Lww, MemberRow, PersonalRow, ThreadRow, WorkspaceRow,
};
use super::search_log::{comment_doc, thread_doc};
use super::trees::{
    chan_thread_key, member_thread, reaction_key, stats, thread_comment_key, Target, T,
};
use super::tx::Tx;
use crate::error::{Error, ErrorCode, Result};
use crate::events::Change;
use crate::model::ids::{ChannelId, CommentId, MemberId, OpId, ThreadId};
use crate::model::op::{Op, OpKind, ReactionTarget};

/// Readiness of an op whose device is bound.
pub enum Ready {
    /// Apply now.
    Yes,
    /// Wait for this.
    Wait(Target),
    /// Refuse.
    Refuse(Error),
}

const WORKSPACE_KEY: &[u8] = stats::WORKSPACE;

fn not_author(op: &Op, what: &str) -> Ready {
    Ready::Refuse(Error::new(
        ErrorCode::NotAuthor,
        format!("Op {} refused: only the author may {what}", op.id),
    ))
}

fn thread_row(tx: &Tx, t: ThreadId) -> Result<Option<ThreadRow>> {
    tx.row(T::Threads, &t.to_bytes())
}

/// A comment's row: its id leads to where it sits among its thread's
/// comments (`T::Comments`), which holds the row (`T::ThreadComments`).
pub(super) fn comment_row(tx: &Tx, c: CommentId) -> Result<Option<CommentRow>> {
    match tx.get(T::Comments, &c.to_bytes())? {
        Some(at) => tx.row(T::ThreadComments, &at),
        None => Ok(None),
    }
}

/// Writes a comment's row where its thread's comments are.
fn put_comment(tx: &mut Tx, row: &CommentRow) {
    tx.put_row(
        T::ThreadComments,
        thread_comment_key(row.thread, &row.created),
        row,
    );
}

fn has_channel(tx: &Tx, c: ChannelId) -> Result<bool> {
    tx.contains(T::Channels, &c.to_bytes())
}

fn need_thread(tx: &Tx, t: ThreadId) -> Result<Ready> {
    Ok(if tx.contains(T::Threads, &t.to_bytes())? {
        Ready::Yes
    } else {
        Ready::Wait(Target::Thread(t))
    })
}

/// What the op needs and whether its author may issue it.
pub fn readiness_of_kind(tx: &Tx, op: &Op) -> Result<Ready> {
    Ok(match &op.kind {
        OpKind::WorkspaceCreated { workspace, .. } => {
            match tx.row::<WorkspaceRow>(T::Stats, WORKSPACE_KEY)? {
                Some(w) if w.id != *workspace => Ready::Refuse(Error::new(
                    ErrorCode::WorkspaceExists,
                    format!(
                        "Op {} founds another workspace; this store holds {}",
                        op.id, w.name
                    ),
                )),
                _ => Ready::Yes,
            }
        }
        OpKind::MemberJoined { .. }
        | OpKind::ProfileUpdated { .. }
        | OpKind::NotificationSettingsSet { .. }
        | OpKind::AwaySet { .. }
        | OpKind::UrgentMarked { .. }
        | OpKind::UrgentSettingsSet { .. } => Ready::Yes,
        OpKind::ReplyRequested { .. }
        | OpKind::ReplyWithdrawn { .. }
        | OpKind::ReplyAnswered { .. } => super::replyby::readiness(tx, op)?,
        OpKind::CheckinCreated { .. }
        | OpKind::CheckinEdited { .. }
        | OpKind::CheckinPaused { .. }
        | OpKind::CheckinStopped { .. }
        | OpKind::CheckinAnswered { .. } => super::checkins::readiness(tx, op)?,
        OpKind::DeviceAdded { device } => match tx.row::<MemberId>(T::Devices, &device.0)? {
            Some(m) if m != op.author => Ready::Refuse(Error::new(
                ErrorCode::WrongMember,
                format!(
                    "Op {} adds device {device} to {}, but it belongs to {m}",
                    op.id, op.author
                ),
            )),
            _ => Ready::Yes,
        },
        OpKind::ChannelCreated { .. } => Ready::Yes,
        OpKind::ChannelRenamed { channel, .. } | OpKind::ChannelArchived { channel, .. } => {
            if has_channel(tx, *channel)? {
                Ready::Yes
            } else {
                Ready::Wait(Target::Channel(*channel))
            }
        }
        OpKind::ThreadCreated { channel, .. } => {
            if has_channel(tx, *channel)? {
                Ready::Yes
            } else {
                Ready::Wait(Target::Channel(*channel))
            }
        }
        OpKind::ThreadRetitled { thread, .. } => match thread_row(tx, *thread)? {
            None => Ready::Wait(Target::Thread(*thread)),
            Some(t) if t.author != op.author => not_author(op, "retitle a thread"),
            Some(_) => Ready::Yes,
        },
        OpKind::ThreadClosed { thread, .. }
        | OpKind::CommentAdded { thread, .. }
        | OpKind::ReadUpTo { thread, .. }
        | OpKind::ThreadDone { thread, .. }
        | OpKind::ThreadSnoozed { thread, .. }
        | OpKind::ThreadMuted { thread, .. }
        | OpKind::ThreadFollowed { thread, .. }
        | OpKind::LaterSet { thread, .. } => need_thread(tx, *thread)?,
        OpKind::CommentEdited { comment, .. } | OpKind::CommentDeleted { comment } => {
            match comment_row(tx, *comment)? {
                None => Ready::Wait(Target::Comment(*comment)),
                Some(c) if c.author != op.author => not_author(op, "edit or delete a comment"),
                Some(_) => Ready::Yes,
            }
        }
        OpKind::PostScheduled { .. } | OpKind::ScheduleCancelled { .. } => {
            super::scheduled::readiness(tx, op)?
        }
        OpKind::ReactionSet { target, .. } => match target {
            ReactionTarget::Thread(t) => need_thread(tx, *t)?,
            ReactionTarget::Comment(c) => {
                if tx.contains(T::Comments, &c.to_bytes())? {
                    Ready::Yes
                } else {
                    Ready::Wait(Target::Comment(*c))
                }
            }
        },
    })
}

fn add_involvement(a: &mut Applier, m: MemberId, t: ThreadId, bits: u8) -> Result<()> {
    let k = member_thread(m, t);
    let old: u8 =
        a.tx.get(T::Involved, &k)?
            .and_then(|v| v.first().copied())
            .unwrap_or(0);
    if old | bits != old {
        a.tx.put(T::Involved, k, vec![old | bits]);
    }
    Ok(())
}

/// Moves the count of documents the search index should hold.
pub(super) fn bump_searchable(a: &mut Applier, delta: i64) -> Result<()> {
    // Always i64: postcard encodes signed and unsigned integers differently.
    let old: i64 = a.tx.row(T::Stats, stats::SEARCHABLE)?.unwrap_or(0);
    a.tx.put_row(T::Stats, stats::SEARCHABLE, &(old + delta).max(0));
    Ok(())
}

fn personal_mut(
    a: &mut Applier,
    op: &Op,
    thread: ThreadId,
    f: impl FnOnce(&mut PersonalRow, OpId),
) -> Result<()> {
    let k = member_thread(op.author, thread);
    let mut row: PersonalRow = a.tx.row(T::Personal, &k)?.unwrap_or_default();
    let before = row.clone();
    f(&mut row, op.id);
    if row != before {
        a.tx.put_row(T::Personal, k, &row);
        if Some(op.author) == a.me {
            me::refresh(a, thread, me::Delta::Recount)?;
            a.fx.changes.insert(Change::Thread(thread));
            a.fx.changes.insert(Change::Inbox);
            a.fx.changes.insert(Change::Channels);
        }
    }
    Ok(())
}

fn lww_opt<V>(slot: &mut Option<Lww<V>>, value: V, at: OpId) {
    match slot {
        Some(r) => {
            r.offer(value, at);
        }
        None => *slot = Some(Lww::new(value, at)),
    }
}

/// Writes the op's rows. Returns the targets it created, whose waiting ops
/// may now apply.
pub fn take_effect(a: &mut Applier, op: &Op) -> Result<Vec<Target>> {
    let mut created = Vec::new();
    match &op.kind {
        OpKind::WorkspaceCreated {
            workspace,
            name,
            profile,
        } => {
            if !a.tx.contains(T::Stats, WORKSPACE_KEY)? {
                let row = WorkspaceRow {
                    id: *workspace,
                    name: name.clone(),
                    created: op.id,
                };
                a.tx.put_row(T::Stats, WORKSPACE_KEY, &row);
            }
            a.offer_lww(
                T::Members,
                op.author.to_bytes().to_vec(),
                profile.clone(),
                op.id,
            )?;
            created.extend(a.bind_device(op)?);
            a.fx.changes.extend([Change::Workspace, Change::Members]);
        }
        OpKind::MemberJoined { profile } | OpKind::ProfileUpdated { profile } => {
            let k = op.author.to_bytes().to_vec();
            let row: Option<MemberRow> = a.tx.row(T::Members, &k)?;
            match row {
                // A join never overrides a newer profile update.
                Some(mut r) => {
                    if r.profile.offer(profile.clone(), op.id) {
                        a.tx.put_row(T::Members, k, &r);
                    }
                }
                None => a.tx.put_row(
                    T::Members,
                    k,
                    &MemberRow {
                        profile: Lww::new(profile.clone(), op.id),
                    },
                ),
            }
            if matches!(op.kind, OpKind::MemberJoined { .. }) {
                created.extend(a.bind_device(op)?);
            }
            a.fx.changes.insert(Change::Members);
        }
        OpKind::DeviceAdded { device } => {
            if !a.tx.contains(T::Devices, &device.0)? {
                a.tx.put_row(T::Devices, device.0.to_vec(), &op.author);
                created.push(Target::Device(*device));
            }
            a.fx.changes.insert(Change::Members);
        }
        OpKind::ChannelCreated {
            channel,
            name,
            topic,
        } => {
            // Ids are random 128-bit: a second creation with the same id is
            // a replay or forgery, and the first one stays.
            if !a.tx.contains(T::Channels, &channel.to_bytes())? {
                let row = ChannelRow {
                    created: op.id,
                    creator: op.author,
                    name: Lww::new((name.clone(), topic.clone()), op.id),
                    archived: Lww::new(false, op.id),
                };
                a.tx.put_row(T::Channels, channel.to_bytes().to_vec(), &row);
                created.push(Target::Channel(*channel));
            }
            a.fx.changes.insert(Change::Channels);
        }
        OpKind::ChannelRenamed {
            channel,
            name,
            topic,
        } => {
            channel_mut(a, *channel, |r| {
                r.name.offer((name.clone(), topic.clone()), op.id);
            })?;
        }
        OpKind::ChannelArchived { channel, archived } => {
            channel_mut(a, *channel, |r| {
                r.archived.offer(*archived, op.id);
            })?;
        }
        OpKind::ThreadCreated {
            thread,
            channel,
            title,
            body,
            notify,
            mentions,
        } => {
            if !a.tx.contains(T::Threads, &thread.to_bytes())? {
                let row = ThreadRow {
                    channel: *channel,
                    author: op.author,
                    created: op.id,
                    title: Lww::new(title.clone(), op.id),
                    notify: notify.clone(),
                    mentions: mentions.clone(),
                    closed: Lww::new(false, op.id),
                    last_activity: op.id,
                    comments: 0,
                    participants: vec![(op.id.hlc, op.author)],
                    snippet: super::snippet::of(body),
                    snippet_from: None,
                    reactions: Vec::new(),
                };
                a.tx.put_row(T::Threads, thread.to_bytes().to_vec(), &row);
                a.tx.put_row(T::ThreadBodies, thread.to_bytes().to_vec(), body);
                a.tx.put(
                    T::ChanThreads,
                    chan_thread_key(*channel, &op.id, *thread),
                    Vec::new(),
                );
                add_involvement(a, op.author, *thread, involvement::STARTED)?;
                for m in mentions {
                    add_involvement(a, *m, *thread, involvement::MENTIONED)?;
                }
                for m in notify {
                    add_involvement(a, *m, *thread, involvement::NAMED)?;
                }
                bump_searchable(a, 1)?;
                a.fx.search
                    .push(SearchWork::Upsert(thread_doc(*thread, &row, body)));

                me::refresh(a, *thread, me::Delta::Recount)?;
                created.push(Target::Thread(*thread));
                a.fx.changes.extend([
                    Change::ChannelThreads(*channel),
                    Change::Thread(*thread),
                    Change::Inbox,
                ]);
            }
        }
        OpKind::ThreadRetitled { thread, title } => {
            if let Some(mut row) = thread_row(&a.tx, *thread)? {
                if row.title.offer(title.clone(), op.id) {
                    a.fx.search
                        .push(SearchWork::Retitle(*thread, row.title.value.clone()));
                    a.fx.changes.extend([
                        Change::ChannelThreads(row.channel),
                        Change::Thread(*thread),
                        Change::Inbox,
                    ]);
                    a.tx.put_row(T::Threads, thread.to_bytes().to_vec(), &row);
                }
            }
        }
        OpKind::ThreadClosed { thread, closed } => {
            if let Some(mut row) = thread_row(&a.tx, *thread)? {
                if row.closed.offer(*closed, op.id) {
                    a.fx.changes
                        .extend([Change::ChannelThreads(row.channel), Change::Thread(*thread)]);
                    a.tx.put_row(T::Threads, thread.to_bytes().to_vec(), &row);
                }
            }
        }
        OpKind::CommentAdded {
            comment,
            thread,
            body,
            mentions,
        } => {
            if !a.tx.contains(T::Comments, &comment.to_bytes())? {
                comment_added(a, op, *comment, *thread, body, mentions)?;
                created.push(Target::Comment(*comment));
            }
        }
        OpKind::CommentEdited {
            comment,
            body,
            mentions,
        } => {
            if let Some(mut row) = comment_row(&a.tx, *comment)? {
                // A mention involves the person whatever becomes of the edit
                // (a later edit, a delete), as a comment's does: adding it
                // only when the edit wins on arrival made it depend on the
                // order ops arrived in.
                for m in mentions {
                    add_involvement(a, *m, row.thread, involvement::MENTIONED)?;
                }
                // The tombstone wins over any edit, in any order.
                if row.deleted.is_none() && row.body.offer((body.clone(), mentions.clone()), op.id)
                {
                    if let Some(mut t) = thread_row(&a.tx, row.thread)? {
                        a.fx.search
                            .push(SearchWork::Upsert(comment_doc(*comment, &row, &t)));
                        if super::snippet::edited(&mut t, row.created, body) {
                            a.fx.changes
                                .extend([Change::ChannelThreads(t.channel), Change::Inbox]);
                            a.tx.put_row(T::Threads, row.thread.to_bytes().to_vec(), &t);
                        }
                    }
                    a.fx.changes.insert(Change::Thread(row.thread));
                    let thread = row.thread;
                    put_comment(&mut a.tx, &row);
                    me::refresh(a, thread, me::Delta::State)?;
                } else if !mentions.is_empty() {
                    // My follow may have changed.
                    a.fx.changes.insert(Change::Thread(row.thread));
                    me::refresh(a, row.thread, me::Delta::State)?;
                }
            }
        }
        OpKind::CommentDeleted { comment } => {
            if let Some(mut row) = comment_row(&a.tx, *comment)? {
                match row.deleted {
                    None => {
                        row.deleted = Some(op.id);
                        let thread = row.thread;
                        put_comment(&mut a.tx, &row);
                        if let Some(mut t) = thread_row(&a.tx, thread)? {
                            t.comments = t.comments.saturating_sub(1);
                            super::snippet::deleted(a, thread, &mut t, row.created)?;
                            a.fx.changes.insert(Change::ChannelThreads(t.channel));
                            a.tx.put_row(T::Threads, thread.to_bytes().to_vec(), &t);
                        }
                        bump_searchable(a, -1)?;
                        a.fx.search.push(SearchWork::RemoveComment(*comment));
                        let delta = me::Delta::Removed {
                            at: row.created,
                            author: row.author,
                        };
                        me::refresh(a, thread, delta)?;
                        a.fx.changes.extend([
                            Change::Thread(thread),
                            Change::Inbox,
                            Change::Channels,
                        ]);
                    }
                    // Keep the earliest tombstone so every replica stores the same.
                    Some(d) if op.id < d => {
                        row.deleted = Some(op.id);
                        put_comment(&mut a.tx, &row);
                    }
                    Some(_) => {}
                }
            }
        }
        OpKind::ReactionSet { target, emoji, on } => {
            let k = reaction_key(*target, emoji, op.author);
            if a.offer_lww(T::Reactions, k, *on, op.id)? {
                let shown = super::reactions::summary(a, *target)?;
                let thread = match target {
                    ReactionTarget::Thread(t) => {
                        if let Some(mut row) = thread_row(&a.tx, *t)? {
                            row.reactions = shown;
                            a.tx.put_row(T::Threads, t.to_bytes().to_vec(), &row);
                        }
                        Some(*t)
                    }
                    ReactionTarget::Comment(c) => match comment_row(&a.tx, *c)? {
                        Some(mut row) => {
                            row.reactions = shown;
                            put_comment(&mut a.tx, &row);
                            Some(row.thread)
                        }
                        None => None,
                    },
                };
                if let Some(t) = thread {
                    a.fx.changes.insert(Change::Thread(t));
                }
            }
        }
        OpKind::ReadUpTo { thread, up_to } => personal_mut(a, op, *thread, |r, at| {
            r.read_up_to = r.read_up_to.max(Some(*up_to));
            r.read_at = r.read_at.max(Some(at));
        })?,
        OpKind::ThreadDone { thread, done } => {
            personal_mut(a, op, *thread, |r, at| lww_opt(&mut r.done, *done, at))?
        }
        OpKind::ThreadSnoozed { thread, until } => {
            personal_mut(a, op, *thread, |r, at| lww_opt(&mut r.snoozed, *until, at))?
        }
        OpKind::ThreadMuted { thread, muted } => {
            personal_mut(a, op, *thread, |r, at| lww_opt(&mut r.muted, *muted, at))?
        }
        OpKind::ThreadFollowed { thread, followed } => personal_mut(a, op, *thread, |r, at| {
            lww_opt(&mut r.followed, *followed, at)
        })?,
        OpKind::LaterSet { thread, later } => {
            personal_mut(a, op, *thread, |r, at| lww_opt(&mut r.later, *later, at))?;
            if Some(op.author) == a.me {
                a.fx.changes.insert(Change::Later);
            }
        }
        OpKind::PostScheduled { .. } | OpKind::ScheduleCancelled { .. } => {
            created.extend(super::scheduled::take_effect(a, op)?);
        }
        OpKind::ReplyRequested { .. }
        | OpKind::ReplyWithdrawn { .. }
        | OpKind::ReplyAnswered { .. } => {
            created.extend(super::replyby::take_effect(a, op)?);
        }
        OpKind::UrgentMarked { .. } | OpKind::UrgentSettingsSet { .. } => {
            super::urgent::take_effect(a, op)?;
        }
        OpKind::CheckinCreated { .. }
        | OpKind::CheckinEdited { .. }
        | OpKind::CheckinPaused { .. }
        | OpKind::CheckinStopped { .. }
        | OpKind::CheckinAnswered { .. } => {
            created.extend(super::checkins::take_effect(a, op)?);
        }
        OpKind::AwaySet { away } => {
            if a.offer_lww(T::Away, op.author.to_bytes().to_vec(), away.clone(), op.id)? {
                a.fx.changes.insert(Change::Members);
                if Some(op.author) == a.me {
                    a.fx.changes.insert(Change::Settings);
                }
            }
        }
        OpKind::NotificationSettingsSet { settings } => {
            if a.offer_lww(T::Settings, op.author.to_bytes().to_vec(), *settings, op.id)?
                && Some(op.author) == a.me
            {
                a.fx.changes.insert(Change::Settings);
            }
        }
    }
    Ok(created)
}

fn channel_mut(a: &mut Applier, channel: ChannelId, f: impl FnOnce(&mut ChannelRow)) -> Result<()> {
    if let Some(mut row) = a.tx.row::<ChannelRow>(T::Channels, &channel.to_bytes())? {
        let before = row.clone();
        f(&mut row);
        if row != before {
            a.tx.put_row(T::Channels, channel.to_bytes().to_vec(), &row);
            a.fx.changes.insert(Change::Channels);
        }
    }
    Ok(())
}

fn comment_added(
    a: &mut Applier,
    op: &Op,
    comment: CommentId,
    thread: ThreadId,
    body: &str,
    mentions: &[MemberId],
) -> Result<()> {
    let row = CommentRow {
        id: comment,
        thread,
        author: op.author,
        created: op.id,
        body: Lww::new((body.to_string(), mentions.to_vec()), op.id),
        deleted: None,
        reactions: Vec::new(),
    };
    a.tx.put(
        T::Comments,
        comment.to_bytes().to_vec(),
        thread_comment_key(thread, &op.id),
    );
    put_comment(&mut a.tx, &row);
    let Some(mut t) = thread_row(&a.tx, thread)? else {
        return Err(Error::corrupt("a comment's thread vanished during apply"));
    };
    t.comments += 1;
    match t.participants.iter_mut().find(|(_, m)| *m == op.author) {
        Some(p) if p.0 <= op.id.hlc => {}
        Some(p) => {
            p.0 = op.id.hlc;
            t.participants.sort();
        }
        None => {
            t.participants.push((op.id.hlc, op.author));
            t.participants.sort();
        }
    }
    super::snippet::landed(&mut t, op.id, body);
    if op.id > t.last_activity {
        a.tx.del(
            T::ChanThreads,
            chan_thread_key(t.channel, &t.last_activity, thread),
        );
        a.tx.put(
            T::ChanThreads,
            chan_thread_key(t.channel, &op.id, thread),
            Vec::new(),
        );
        t.last_activity = op.id;
    }
    a.tx.put_row(T::Threads, thread.to_bytes().to_vec(), &t);
    add_involvement(a, op.author, thread, involvement::COMMENTED)?;
    super::replyby::record_answer(a, op.author, thread, op.id)?;
    for m in mentions {
        add_involvement(a, *m, thread, involvement::MENTIONED)?;
    }
    bump_searchable(a, 1)?;
    a.fx.search
        .push(SearchWork::Upsert(comment_doc(comment, &row, &t)));

    me::refresh(
        a,
        thread,
        me::Delta::Added {
            at: op.id,
            author: op.author,
        },
    )?;
    a.fx.changes.extend([
        Change::ChannelThreads(t.channel),
        Change::Thread(thread),
        Change::Inbox,
        Change::Channels,
    ]);
    Ok(())
}
