//! Local commands: each validates its input against the store, builds one
//! op and commits it. A refused call returns a coded error and writes
//! nothing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tracing::instrument;

use super::rows::{ChannelRow, CommentRow, MemberRow, ThreadRow, WorkspaceRow};
use super::trees::T;
use super::Store;
use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{ChannelId, CommentId, MemberId, OpId, ThreadId, WorkspaceId};
use crate::model::limits;
use crate::model::op::{OpKind, ReactionTarget};
use crate::model::profile::{handle_of, NotificationSettings, Pause, Profile};
use crate::render::mention_handles;

/// A new thread.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewThread {
    /// Where to post it.
    pub channel: ChannelId,
    /// Its title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// People to notify (they follow the thread).
    #[serde(default)]
    pub notify: Vec<MemberId>,
}

impl Store {
    /// The row of kind `t` under `k`, decoded, if there is one.
    fn stored<R: serde::de::DeserializeOwned>(&self, t: T, k: &[u8]) -> Result<Option<R>> {
        self.trees()
            .get(t)
            .get(k)?
            .map(|v| super::rows::dec(&v))
            .transpose()
    }

    pub(crate) fn workspace_row(&self) -> Result<Option<WorkspaceRow>> {
        self.stored(T::Stats, super::trees::stats::WORKSPACE)
    }

    pub(crate) fn thread_row(&self, t: ThreadId) -> Result<ThreadRow> {
        self.stored(T::Threads, &t.to_bytes())?
            .ok_or_else(|| Error::not_found("thread", t))
    }

    /// The Markdown of thread `t`'s opening post.
    pub(crate) fn thread_body(&self, t: ThreadId) -> Result<String> {
        self.stored(T::ThreadBodies, &t.to_bytes())?
            .ok_or_else(|| Error::not_found("thread", t))
    }

    pub(crate) fn channel_row(&self, c: ChannelId) -> Result<ChannelRow> {
        self.stored(T::Channels, &c.to_bytes())?
            .ok_or_else(|| Error::not_found("channel", c))
    }

    /// A comment's row as read from a scan of its thread's comments.
    pub(crate) fn comment_in_scan(&self, v: &[u8]) -> Result<CommentRow> {
        super::read_count::note_comment_read();
        super::rows::dec(v)
    }

    /// A comment's row, by its id: where it sits among its thread's
    /// comments, then the row there.
    pub(crate) fn comment_row(&self, c: CommentId) -> Result<CommentRow> {
        super::read_count::note_comment_read();
        let at = self
            .trees()
            .get(T::Comments)
            .get(c.to_bytes())?
            .ok_or_else(|| Error::not_found("comment", c))?;
        self.trees()
            .get(T::ThreadComments)
            .get(at)?
            .map(|v| super::rows::dec(&v))
            .transpose()?
            .ok_or_else(|| Error::corrupt("a comment's row is missing"))
    }

    pub(crate) fn member_row(&self, m: MemberId) -> Result<MemberRow> {
        self.trees()
            .get(T::Members)
            .get(m.to_bytes())?
            .map(|v| super::rows::dec(&v))
            .transpose()?
            .ok_or_else(|| Error::not_found("member", m))
    }

    /// Resolves the @handles in `body` to members.
    pub(crate) fn resolve_mentions(&self, body: &str) -> Result<Vec<MemberId>> {
        let handles = mention_handles(body);
        if handles.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for kv in self.trees().get(T::Members).iter() {
            let (k, v) = kv?;
            let row: MemberRow = super::rows::dec(&v)?;
            if handles.contains(&handle_of(&row.profile.value.display_name)) {
                out.push(MemberId::from_bytes(
                    k.as_ref()
                        .try_into()
                        .map_err(|_| Error::corrupt("member key"))?,
                ));
            }
        }
        Ok(out)
    }

    /// Founds a workspace in this (empty) store; the caller becomes its
    /// first member. Nothing else is made: the app founds with
    /// [`Store::found_workspace`], which adds #general and a welcome thread.
    #[instrument(skip(self, name, profile), err(level = "info"))]
    pub fn create_workspace(&self, name: &str, profile: Profile) -> Result<WorkspaceId> {
        let (me, workspace, created) = self.founding(name, profile)?;
        self.commit_local(me, vec![created])?;
        Ok(workspace)
    }

    /// Checks a founding, makes this device's member "me" and the
    /// workspace's sync secrets, and returns the op that founds it.
    pub(super) fn founding(
        &self,
        name: &str,
        profile: Profile,
    ) -> Result<(MemberId, WorkspaceId, OpKind)> {
        limits::workspace_name(name)?;
        profile.validate()?;
        if let Some(w) = self.workspace_row()? {
            return Err(Error::new(
                ErrorCode::WorkspaceExists,
                format!("This data folder already holds the workspace '{}': use another --data-dir for a second one", w.name),
            ));
        }
        let me = match self.me() {
            Some(m) => m,
            None => {
                let m = MemberId::for_device(self.device());
                self.set_me(m)?;
                m
            }
        };
        let workspace = WorkspaceId(self.new_id());
        self.new_sync_secrets(workspace)?;
        let created = OpKind::WorkspaceCreated {
            workspace,
            name: name.trim().to_string(),
            profile,
        };
        Ok((me, workspace, created))
    }

    /// Changes my name, time zone or working hours.
    pub fn update_profile(&self, profile: Profile) -> Result<()> {
        profile.validate()?;
        let me = self.require_me()?;
        self.commit_local(me, vec![OpKind::ProfileUpdated { profile }])
            .map(drop)
    }

    /// Creates a channel. Names are unique among live channels (ignoring case).
    pub fn create_channel(&self, name: &str, topic: &str) -> Result<ChannelId> {
        let me = self.require_me()?;
        let name = name.trim().trim_start_matches('#').trim();
        let channel = ChannelId(self.new_id());
        let kind = OpKind::ChannelCreated {
            channel,
            name: name.to_string(),
            topic: topic.trim().to_string(),
        };
        limits::validate(&crate::model::op::Op {
            id: OpId::MIN,
            author: me,
            kind: kind.clone(),
        })?;
        self.refuse_taken_channel_name(name, None)?;
        self.commit_local(me, vec![kind])?;
        Ok(channel)
    }

    /// Refuses `name` when another live channel (not `renamed`) has it,
    /// ignoring case.
    fn refuse_taken_channel_name(&self, name: &str, renamed: Option<ChannelId>) -> Result<()> {
        for kv in self.trees().get(T::Channels).iter() {
            let (k, v) = kv?;
            if renamed.is_some_and(|c| k.as_ref() == c.to_bytes().as_slice()) {
                continue;
            }
            let row: ChannelRow = super::rows::dec(&v)?;
            if row.name.value.0.eq_ignore_ascii_case(name) && !row.archived.value {
                return Err(Error::invalid(format!(
                    "A channel named #{name} exists already: pick another name"
                )));
            }
        }
        Ok(())
    }

    /// Renames a channel or changes its topic.
    pub fn rename_channel(&self, channel: ChannelId, name: &str, topic: &str) -> Result<()> {
        let me = self.require_me()?;
        self.channel_row(channel)?;
        let name = name.trim().trim_start_matches('#').trim();
        limits::channel_name(name)?;
        self.refuse_taken_channel_name(name, Some(channel))?;
        self.commit_local(
            me,
            vec![OpKind::ChannelRenamed {
                channel,
                name: name.to_string(),
                topic: topic.trim().to_string(),
            }],
        )
        .map(drop)
    }

    /// Archives (or restores) a channel.
    /// Asking for the state it is in writes nothing.
    pub fn archive_channel(&self, channel: ChannelId, archived: bool) -> Result<()> {
        let me = self.require_me()?;
        if self.channel_row(channel)?.archived.value == archived {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::ChannelArchived { channel, archived }])
            .map(drop)
    }

    /// Starts a thread.
    #[instrument(skip(self, new), err(level = "info"))]
    pub fn create_thread(&self, new: NewThread) -> Result<ThreadId> {
        let me = self.require_me()?;
        let thread = ThreadId(self.new_id());
        let post = self.thread_post(thread, new)?;
        self.commit_local(me, vec![post.into_kind()])?;
        Ok(thread)
    }

    /// Gives a thread a new title (only its author may).
    pub fn retitle_thread(&self, thread: ThreadId, title: &str) -> Result<()> {
        let me = self.require_me()?;
        limits::title(title.trim())?;
        let t = self.thread_row(thread)?;
        if t.author != me {
            return Err(Error::new(
                ErrorCode::NotAuthor,
                "Only the thread's author can change its title",
            ));
        }
        self.commit_local(
            me,
            vec![OpKind::ThreadRetitled {
                thread,
                title: title.trim().to_string(),
            }],
        )
        .map(drop)
    }

    /// Closes (resolves) or reopens a thread.
    /// Closing a closed thread (or reopening an open one) writes nothing.
    pub fn set_thread_closed(&self, thread: ThreadId, closed: bool) -> Result<()> {
        let me = self.require_me()?;
        if self.thread_row(thread)?.closed.value == closed {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::ThreadClosed { thread, closed }])
            .map(drop)
    }

    /// Answers in a thread.
    #[instrument(skip(self, body), err(level = "info"))]
    pub fn add_comment(&self, thread: ThreadId, body: &str) -> Result<CommentId> {
        let me = self.require_me()?;
        let comment = CommentId(self.new_id());
        let post = self.comment_post(comment, thread, body)?;
        self.commit_local(me, vec![post.into_kind()])?;
        Ok(comment)
    }

    fn my_live_comment(&self, comment: CommentId) -> Result<(MemberId, CommentRow)> {
        let me = self.require_me()?;
        let c = self.comment_row(comment)?;
        if c.author != me {
            return Err(Error::new(
                ErrorCode::NotAuthor,
                "Only its author can change or delete a comment",
            ));
        }
        if c.deleted.is_some() {
            return Err(Error::not_found("comment", comment));
        }
        Ok((me, c))
    }

    /// Changes my comment.
    pub fn edit_comment(&self, comment: CommentId, body: &str) -> Result<()> {
        limits::body("comment", body)?;
        let (me, _) = self.my_live_comment(comment)?;
        let mentions = self.resolve_mentions(body)?;
        self.commit_local(
            me,
            vec![OpKind::CommentEdited {
                comment,
                body: body.to_string(),
                mentions,
            }],
        )
        .map(drop)
    }

    /// Deletes my comment.
    pub fn delete_comment(&self, comment: CommentId) -> Result<()> {
        let (me, _) = self.my_live_comment(comment)?;
        self.commit_local(me, vec![OpKind::CommentDeleted { comment }])
            .map(drop)
    }

    /// Sets or clears my reaction.
    pub fn react(&self, target: ReactionTarget, emoji: &str, on: bool) -> Result<()> {
        let me = self.require_me()?;
        limits::emoji(emoji)?;
        match target {
            ReactionTarget::Thread(t) => drop(self.thread_row(t)?),
            ReactionTarget::Comment(c) => {
                if self.comment_row(c)?.deleted.is_some() {
                    return Err(Error::not_found("comment", c));
                }
            }
        }
        // The reaction I have already (none counts as off) writes nothing.
        let mine: Option<crate::store::rows::ReactionRow> = self
            .trees()
            .get(T::Reactions)
            .get(super::trees::reaction_key(target, emoji, me))?
            .map(|v| super::rows::dec(&v))
            .transpose()?;
        if mine.map(|r| r.value).unwrap_or(false) == on {
            return Ok(());
        }
        self.commit_local(
            me,
            vec![OpKind::ReactionSet {
                target,
                emoji: emoji.to_string(),
                on,
            }],
        )
        .map(drop)
    }

    /// Marks a thread read up to `up_to` (an item's op id), or entirely.
    pub fn mark_read(&self, thread: ThreadId, up_to: Option<OpId>) -> Result<()> {
        let me = self.require_me()?;
        let t = self.thread_row(thread)?;
        let up_to = up_to.unwrap_or(t.last_activity);
        if up_to < t.created {
            return Err(Error::invalid(
                "That read position is before the thread began",
            ));
        }
        // Past the thread's latest item it would mark comments not yet
        // written as read, and they would never count as unread.
        if up_to > t.last_activity {
            return Err(Error::invalid(
                "That read position is past the thread's latest comment: mark it read without a position",
            ));
        }
        self.commit_local(me, vec![OpKind::ReadUpTo { thread, up_to }])
            .map(drop)
    }

    /// Marks a thread done (out of my inbox until someone writes again) or not.
    /// Asking for the state my views show already writes nothing.
    pub fn set_done(&self, thread: ThreadId, done: bool) -> Result<()> {
        let me = self.require_me()?;
        self.thread_row(thread)?;
        // "Done" as shown: marked, and no one else wrote since.
        if self.my_view_of(thread)?.1.done == done {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::ThreadDone { thread, done }])
            .map(drop)
    }

    /// Hides a thread from my inbox until `until` (None brings it back now).
    pub fn snooze(&self, thread: ThreadId, until: Option<DateTime<Utc>>) -> Result<()> {
        let me = self.require_me()?;
        self.thread_row(thread)?;
        if let Some(u) = until {
            if u <= self.now() {
                return Err(Error::invalid("Snooze until a time in the future"));
            }
        }
        let held = self.personal_row(me, thread)?.snoozed.and_then(|s| s.value);
        if held == until {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::ThreadSnoozed { thread, until }])
            .map(drop)
    }

    /// Mutes a thread (never in my inbox, never notifies) or unmutes it.
    /// Asking for the state my views show already writes nothing.
    pub fn mute(&self, thread: ThreadId, muted: bool) -> Result<()> {
        let me = self.require_me()?;
        self.thread_row(thread)?;
        if self.my_view_of(thread)?.1.muted == muted {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::ThreadMuted { thread, muted }])
            .map(drop)
    }

    /// Follows or unfollows a thread explicitly.
    /// Asking for what I chose already writes nothing. Following by taking
    /// part counts as following (taking part is never undone); not
    /// following by default does not count as unfollowing, since an
    /// explicit unfollow also holds once I take part later.
    pub fn follow(&self, thread: ThreadId, followed: bool) -> Result<()> {
        let me = self.require_me()?;
        self.thread_row(thread)?;
        let chosen = self.personal_row(me, thread)?.followed.map(|f| f.value);
        let implicit = chosen.is_none() && followed && self.my_view_of(thread)?.1.following;
        if chosen == Some(followed) || implicit {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::ThreadFollowed { thread, followed }])
            .map(drop)
    }

    /// Replaces my notification settings.
    /// A pause that has ended is kept as none; settings equal to the
    /// current ones write nothing.
    pub fn set_notification_settings(&self, settings: NotificationSettings) -> Result<()> {
        let me = self.require_me()?;
        let settings = settings.checked(self.now())?;
        if settings == self.notification_settings()? {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::NotificationSettingsSet { settings }])
            .map(drop)
    }

    /// Pauses notifications (or resumes them) and returns the new settings.
    pub fn pause_notifications(&self, pause: Pause) -> Result<NotificationSettings> {
        let me = self.require_me()?;
        let profile = self.member_row(me)?.profile.value;
        let mut settings = self.notification_settings()?;
        settings.pause_until = pause.until(profile.tz(), &profile.working_hours, self.now());
        self.set_notification_settings(settings)?;
        Ok(settings)
    }

    /// Makes this device act for `member` (a person adding a device, or a
    /// replica restored from a backup) and rebuilds my views for them. Ops
    /// this device signs count only once a `MemberJoined` op binds it.
    pub fn set_local_member(&self, member: MemberId) -> Result<()> {
        self.set_me(member)?;
        self.rebuild()
    }

    /// Joins the workspace whose ops this store already holds (or will
    /// receive) as a new member with `profile`.
    pub fn join_as(&self, profile: Profile) -> Result<MemberId> {
        profile.validate()?;
        if let Some(m) = self.me() {
            return Err(Error::new(
                ErrorCode::WorkspaceExists,
                format!("This device already belongs to member {m}"),
            ));
        }
        let me = MemberId::for_device(self.device());
        self.set_local_member(me)?;
        self.commit_local(me, vec![OpKind::MemberJoined { profile }])?;
        Ok(me)
    }
}
