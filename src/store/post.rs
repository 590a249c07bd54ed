//! Posting with the async options in one step: send later, urgent for some
//! people, and a reply-by ask. All of it is one atomic commit, so a
//! teammate never sees the post without its urgency or its ask.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tracing::instrument;

use super::write::NewThread;
use super::Store;
use crate::error::{Error, Result};
use crate::model::ids::{CommentId, MemberId, ThreadId};
use crate::model::op::OpKind;
use crate::model::replyby::{due_instant, DueBy};
use crate::model::schedule::{PostRef, Reveal, ScheduledPost, SendAt};

/// Who should answer, and by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReplyBy {
    /// The people asked.
    pub people: Vec<MemberId>,
    /// The deadline, counted in each person's working days.
    pub by: DueBy,
}

/// The async options of a new thread or comment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PostOptions {
    /// Send later (None: now).
    #[serde(default)]
    pub when: Option<SendAt>,
    /// Break through these people's hours and pauses.
    #[serde(default)]
    pub urgent: Vec<MemberId>,
    /// Ask for an answer by a deadline.
    #[serde(default)]
    pub reply_by: Option<ReplyBy>,
}

/// What was posted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Posted {
    /// The thread or comment.
    pub post: PostRef,
    /// When it shows, if sent later.
    pub reveal: Option<Reveal>,
    /// Each asked person's deadline.
    pub asks: Vec<(MemberId, DateTime<Utc>)>,
}

impl Store {
    /// Starts a thread with async options.
    #[instrument(skip(self, new, opts), err(level = "info"))]
    pub fn post_thread(&self, new: NewThread, opts: &PostOptions) -> Result<Posted> {
        self.require_me()?;
        let thread = ThreadId(self.new_id());
        let post = self.thread_post(thread, new)?;
        self.post_with(post, thread, opts)
    }

    /// Answers in a thread with async options.
    #[instrument(skip(self, body, opts), err(level = "info"))]
    pub fn post_comment(&self, thread: ThreadId, body: &str, opts: &PostOptions) -> Result<Posted> {
        self.require_me()?;
        let post = self.comment_post(CommentId(self.new_id()), thread, body)?;
        self.post_with(post, thread, opts)
    }

    fn post_with(
        &self,
        post: ScheduledPost,
        thread: ThreadId,
        opts: &PostOptions,
    ) -> Result<Posted> {
        let me = self.require_me()?;
        let post_ref = post.post_ref();
        let mut kinds = Vec::new();
        if !opts.urgent.is_empty() {
            let mut people = opts.urgent.clone();
            people.sort();
            people.dedup();
            for m in &people {
                if *m == me {
                    return Err(Error::invalid("Urgent is for others: remove yourself"));
                }
                self.member_row(*m)?;
            }
            kinds.push(OpKind::UrgentMarked {
                post: post_ref,
                people,
            });
        }
        let reveal = match &opts.when {
            Some(when) => {
                let reveal = self.reveal_for(me, &post, when)?;
                kinds.push(OpKind::PostScheduled {
                    post,
                    reveal: reveal.clone(),
                    replaces: None,
                });
                Some(reveal)
            }
            None => {
                kinds.push(post.into_kind());
                None
            }
        };
        let mut asks = Vec::new();
        if let Some(rb) = &opts.reply_by {
            if reveal.is_some() {
                return Err(Error::invalid(
                    "A post sent later cannot ask for replies yet: add the reply-by once it is delivered",
                ));
            }
            let mut people = rb.people.clone();
            people.sort();
            people.dedup();
            if people.is_empty() {
                return Err(Error::invalid("Name who should answer"));
            }
            let now = self.now();
            for m in people {
                if m == me {
                    return Err(Error::invalid(
                        "You cannot ask yourself for an answer: use Remind me instead",
                    ));
                }
                let profile = self.member_row(m)?.profile.value;
                let away = self.away_of(m)?;
                asks.push((m, due_instant(&rb.by, &profile, away.as_ref(), now)?));
            }
            kinds.push(OpKind::ReplyRequested {
                thread,
                asks: asks.clone(),
            });
        }
        self.commit_local(me, kinds)?;
        Ok(Posted {
            post: post_ref,
            reveal,
            asks,
        })
    }
}
