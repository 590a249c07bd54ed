//! Local commands for sending later: schedule a thread or a comment,
//! cancel, edit or reschedule, send now. Each validates, builds its ops and
//! commits them atomically; the post appears (here and everywhere) when
//! [`Store::release_due`] runs after its time.

use serde::{Deserialize, Serialize};
use tracing::instrument;

use super::post::PostOptions;
use super::rows::ScheduledRow;
use super::trees::T;
use super::write::NewThread;
use super::Store;
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{CommentId, MemberId, ThreadId};
use crate::model::limits;
use crate::model::op::OpKind;
use crate::model::profile::Profile;
use crate::model::schedule::{self, PostRef, Reveal, ScheduledPost, SendAt};

/// A change to a scheduled post before its delivery; what is None stays.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScheduledEdit {
    /// New title (threads only).
    pub title: Option<String>,
    /// New markdown body.
    pub body: Option<String>,
    /// New time.
    pub when: Option<SendAt>,
}

fn later(when: &SendAt) -> PostOptions {
    PostOptions {
        when: Some(when.clone()),
        ..PostOptions::default()
    }
}

impl Store {
    /// Schedules a new thread. Returns its id and when it will show.
    pub fn schedule_thread(&self, new: NewThread, when: &SendAt) -> Result<(ThreadId, Reveal)> {
        let posted = self.post_thread(new, &later(when))?;
        match (posted.post, posted.reveal) {
            (PostRef::Thread(t), Some(r)) => Ok((t, r)),
            _ => Err(Error::new(
                ErrorCode::Internal,
                "a scheduled thread was not scheduled",
            )),
        }
    }

    /// Schedules a comment in a thread. Returns its id and when it will show.
    pub fn schedule_comment(
        &self,
        thread: ThreadId,
        body: &str,
        when: &SendAt,
    ) -> Result<(CommentId, Reveal)> {
        let posted = self.post_comment(thread, body, &later(when))?;
        match (posted.post, posted.reveal) {
            (PostRef::Comment(c), Some(r)) => Ok((c, r)),
            _ => Err(Error::new(
                ErrorCode::Internal,
                "a scheduled comment was not scheduled",
            )),
        }
    }

    /// Cancels my scheduled post before its delivery: nobody ever sees it.
    #[instrument(skip(self), err(level = "info"))]
    pub fn cancel_scheduled(&self, post: PostRef) -> Result<()> {
        let (me, _) = self.my_pending_post(post)?;
        self.commit_local(me, vec![OpKind::ScheduleCancelled { post }])
            .map(drop)
    }

    /// Sends my scheduled post now instead of later.
    pub fn send_scheduled_now(&self, post: PostRef) -> Result<PostRef> {
        self.edit_scheduled(
            post,
            ScheduledEdit {
                when: Some(SendAt::Instant(self.now())),
                ..ScheduledEdit::default()
            },
        )
    }

    /// Changes the text or the time of my scheduled post before its
    /// delivery. The edited post takes a new id (it replaces the old one,
    /// which nobody sees); the new id is returned.
    #[instrument(skip(self, edit), err(level = "info"))]
    pub fn edit_scheduled(&self, post: PostRef, edit: ScheduledEdit) -> Result<PostRef> {
        let (me, row) = self.my_pending_post(post)?;
        let new_post = match row.post {
            ScheduledPost::Thread {
                channel,
                title,
                body,
                notify,
                ..
            } => self.thread_post(
                ThreadId(self.new_id()),
                NewThread {
                    channel,
                    title: edit.title.unwrap_or(title),
                    body: edit.body.unwrap_or(body),
                    notify,
                },
            )?,
            ScheduledPost::Comment { thread, body, .. } => {
                if edit.title.is_some() {
                    return Err(Error::invalid(
                        "A comment has no title: change only its text or its time",
                    ));
                }
                let body = edit.body.unwrap_or(body);
                self.comment_post(CommentId(self.new_id()), thread, &body)?
            }
        };
        let reveal = match &edit.when {
            Some(when) => self.reveal_for(me, &new_post, when)?,
            None => row.reveal.clone(),
        };
        let new_ref = new_post.post_ref();
        self.commit_local(
            me,
            vec![OpKind::PostScheduled {
                post: new_post,
                reveal,
                replaces: Some(post),
            }],
        )?;
        Ok(new_ref)
    }

    /// My post that is scheduled and not yet delivered, or why not.
    fn my_pending_post(&self, post: PostRef) -> Result<(MemberId, ScheduledRow)> {
        let me = self.require_me()?;
        let row: ScheduledRow = self
            .trees()
            .get(T::Scheduled)
            .get(post.to_key())?
            .map(|v| super::rows::dec(&v))
            .transpose()?
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    "No such scheduled post: it may have been cancelled or edited on another of your devices",
                )
            })?;
        if row.author != me {
            return Err(Error::new(
                ErrorCode::NotAuthor,
                "Only its author can change a scheduled post",
            ));
        }
        if row.cancelled.is_some() || row.replaced_by.is_some() {
            return Err(Error::new(
                ErrorCode::NotFound,
                "That scheduled post was cancelled or edited already (perhaps on another of your devices)",
            ));
        }
        if row.shown.is_some() || self.now() >= row.reveal.at {
            return Err(super::scheduled::too_late(&row.reveal));
        }
        Ok((me, row))
    }

    pub(super) fn thread_post(&self, thread: ThreadId, new: NewThread) -> Result<ScheduledPost> {
        limits::title(new.title.trim())?;
        limits::body("thread body", &new.body)?;
        let ch = self.channel_row(new.channel)?;
        if ch.archived.value {
            return Err(Error::invalid(format!(
                "#{} is archived: restore it or post in another channel",
                ch.name.value.0
            )));
        }
        let mut notify = new.notify;
        notify.sort();
        notify.dedup();
        for m in &notify {
            self.member_row(*m)?;
        }
        let mentions = self.resolve_mentions(&new.body)?;
        Ok(ScheduledPost::Thread {
            thread,
            channel: new.channel,
            title: new.title.trim().to_string(),
            body: new.body,
            notify,
            mentions,
        })
    }

    pub(super) fn comment_post(
        &self,
        comment: CommentId,
        thread: ThreadId,
        body: &str,
    ) -> Result<ScheduledPost> {
        limits::body("comment", body)?;
        self.thread_row(thread)?;
        Ok(ScheduledPost::Comment {
            comment,
            thread,
            body: body.to_string(),
            mentions: self.resolve_mentions(body)?,
        })
    }

    /// The reveal instants of `post` sent `when`, by `me`, now.
    pub(super) fn reveal_for(
        &self,
        me: MemberId,
        post: &ScheduledPost,
        when: &SendAt,
    ) -> Result<Reveal> {
        let my_profile = self.member_row(me)?.profile.value;
        let recipients = self.recipients(me, post)?;
        schedule::resolve(when, self.now(), &my_profile, &recipients)
    }

    /// Who will be notified of `post`: for a thread, the people named and
    /// mentioned; for a comment, the thread's author, its participants and
    /// named people, and those the comment mentions. Never me.
    pub(crate) fn recipients(
        &self,
        me: MemberId,
        post: &ScheduledPost,
    ) -> Result<Vec<(MemberId, Profile)>> {
        let mut ids: Vec<MemberId> = match post {
            ScheduledPost::Thread {
                notify, mentions, ..
            } => notify.iter().chain(mentions).copied().collect(),
            ScheduledPost::Comment {
                thread, mentions, ..
            } => {
                let t = self.thread_row(*thread)?;
                let mut v = vec![t.author];
                v.extend(t.notify.iter().chain(&t.mentions).chain(mentions));
                v.extend(t.participants.iter().map(|(_, m)| *m));
                v
            }
        };
        ids.sort();
        ids.dedup();
        ids.retain(|m| *m != me);
        ids.into_iter()
            .map(|m| Ok((m, self.member_row(m)?.profile.value)))
            .collect()
    }
}
