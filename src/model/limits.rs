//! Documented limits and the structural validation every op passes, local
//! or remote. A remote op that breaks these is refused as malformed; a local
//! call gets the same error before anything is written.

use super::op::{Op, OpKind};
use crate::error::{Error, ErrorCode, Result};

/// Largest markdown body of a thread or comment: 100 KiB.
pub const MAX_BODY_BYTES: usize = 100 * 1024;
/// Longest thread title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest channel name, in characters.
pub const MAX_CHANNEL_NAME_CHARS: usize = 80;
/// Longest channel topic, in characters.
pub const MAX_TOPIC_CHARS: usize = 500;
/// Longest workspace name, in characters.
pub const MAX_WORKSPACE_NAME_CHARS: usize = 80;
/// Longest reaction (one emoji or a short :code:), in bytes.
pub const MAX_EMOJI_BYTES: usize = 32;
/// Most people one thread may name to notify or mention at once.
pub const MAX_PEOPLE: usize = 500;
/// Largest encoded, signed op: 256 KiB.
pub const MAX_OP_BYTES: usize = 256 * 1024;

fn text(field: &str, value: &str, max_chars: usize, required: bool) -> Result<()> {
    if required && value.trim().is_empty() {
        return Err(Error::invalid(format!("The {field} is empty: write one")));
    }
    let n = value.chars().count();
    if n > max_chars {
        return Err(Error::new(
            ErrorCode::TooLarge,
            format!("The {field} has {n} characters; the limit is {max_chars}: shorten it"),
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(format!(
            "The {field} contains control characters or line breaks: remove them"
        )));
    }
    Ok(())
}

/// Checks a markdown body: not empty, at most [`MAX_BODY_BYTES`].
pub fn body(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(format!(
            "The {field} is empty: write something"
        )));
    }
    if value.len() > MAX_BODY_BYTES {
        return Err(Error::new(
            ErrorCode::TooLarge,
            format!(
                "The {field} is {} KiB; the limit is {} KiB: split it or attach less text",
                value.len().div_ceil(1024),
                MAX_BODY_BYTES / 1024
            ),
        ));
    }
    if value.contains('\0') {
        return Err(Error::invalid(format!(
            "The {field} contains a NUL character: remove it"
        )));
    }
    Ok(())
}

/// Checks a thread title.
pub fn title(value: &str) -> Result<()> {
    text("thread title", value, MAX_TITLE_CHARS, true)
}

/// Checks a channel name.
pub fn channel_name(value: &str) -> Result<()> {
    text("channel name", value, MAX_CHANNEL_NAME_CHARS, true)
}

/// Checks a workspace name.
pub fn workspace_name(value: &str) -> Result<()> {
    text("workspace name", value, MAX_WORKSPACE_NAME_CHARS, true)
}

/// Checks a reaction.
pub fn emoji(value: &str) -> Result<()> {
    if value.trim().is_empty()
        || value.len() > MAX_EMOJI_BYTES
        || value.chars().any(char::is_whitespace)
    {
        return Err(Error::invalid(format!(
            "'{value}' is not a reaction: use one emoji or a :short_code: of at most {MAX_EMOJI_BYTES} bytes"
        )));
    }
    Ok(())
}

fn people(n: usize) -> Result<()> {
    if n > MAX_PEOPLE {
        return Err(Error::new(
            ErrorCode::TooLarge,
            format!("{n} people named; the limit is {MAX_PEOPLE}: notify a channel instead"),
        ));
    }
    Ok(())
}

/// Structural validation of any op (the rules every replica applies).
pub fn validate(op: &Op) -> Result<()> {
    validate_kind(&op.kind)
}

fn validate_kind(kind: &OpKind) -> Result<()> {
    match kind {
        OpKind::WorkspaceCreated { name, profile, .. } => {
            workspace_name(name)?;
            profile.validate()
        }
        OpKind::MemberJoined { profile } | OpKind::ProfileUpdated { profile } => profile.validate(),
        OpKind::ChannelCreated { name, topic, .. } | OpKind::ChannelRenamed { name, topic, .. } => {
            channel_name(name)?;
            text("channel topic", topic, MAX_TOPIC_CHARS, false)
        }
        OpKind::ThreadCreated {
            title: t,
            body: b,
            notify,
            mentions,
            ..
        } => {
            title(t)?;
            body("thread body", b)?;
            people(notify.len())?;
            people(mentions.len())
        }
        OpKind::ThreadRetitled { title: t, .. } => title(t),
        OpKind::CommentAdded {
            body: b, mentions, ..
        }
        | OpKind::CommentEdited {
            body: b, mentions, ..
        } => {
            body("comment", b)?;
            people(mentions.len())
        }
        OpKind::ReactionSet { emoji: e, .. } => emoji(e),
        OpKind::AwaySet { away } => away.as_ref().map_or(Ok(()), |a| a.validate()),
        OpKind::ReplyRequested { asks, .. } => {
            if asks.is_empty() {
                return Err(Error::invalid("A reply-by asks nobody: name someone"));
            }
            people(asks.len())?;
            let mut who: Vec<_> = asks.iter().map(|(m, _)| *m).collect();
            who.sort();
            who.dedup();
            if who.len() != asks.len() {
                return Err(Error::invalid("A person is asked twice in one reply-by"));
            }
            Ok(())
        }
        OpKind::ReplyWithdrawn { .. } | OpKind::ReplyAnswered { .. } => Ok(()),
        OpKind::UrgentMarked { people: p, .. } => {
            if p.is_empty() {
                return Err(Error::invalid("An urgent mark names nobody"));
            }
            people(p.len())
        }
        OpKind::UrgentSettingsSet { settings } => people(settings.off_from.len()),
        OpKind::CheckinCreated { spec, .. } | OpKind::CheckinEdited { spec, .. } => spec.validate(),
        // An empty body withdraws the answer; any other has a comment's limits.
        OpKind::CheckinAnswered { body: b, .. } if b.is_empty() => Ok(()),
        OpKind::CheckinAnswered { body: b, .. } => body("check-in answer", b),
        OpKind::PostScheduled { post, reveal, .. } => {
            people(reveal.per_person.len())?;
            reveal.validate()?;
            // The same limits as the post it becomes.
            validate_kind(&post.clone().into_kind())
        }
        OpKind::ChannelArchived { .. }
        | OpKind::ThreadClosed { .. }
        | OpKind::CommentDeleted { .. }
        | OpKind::ReadUpTo { .. }
        | OpKind::ThreadDone { .. }
        | OpKind::ThreadSnoozed { .. }
        | OpKind::ThreadMuted { .. }
        | OpKind::ThreadFollowed { .. }
        | OpKind::NotificationSettingsSet { .. }
        | OpKind::DeviceAdded { .. }
        | OpKind::ScheduleCancelled { .. }
        | OpKind::LaterSet { .. }
        | OpKind::CheckinPaused { .. }
        | OpKind::CheckinStopped { .. } => Ok(()),
    }
}
