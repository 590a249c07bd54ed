//! What a replica counts as ops arrive in one order: how many it refuses
//! and how many it holds waiting.
//!
//! An op waits on arrival when its device is not yet introduced or its
//! channel, thread, comment or check-in has not taken effect; a waiting op
//! takes effect (or is refused, silently) once they have. An op that can
//! take effect is refused when it retitles another's thread, edits or
//! deletes another's comment, or edits (or moves to another channel),
//! pauses or stops another's check-in.

use std::collections::{BTreeMap, BTreeSet};

use tidings::model::ids::{ChannelId, CheckinId, CommentId, DeviceId, MemberId, ThreadId};
use tidings::model::op::{Op, OpKind, ReactionTarget};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Thing {
    Device(DeviceId),
    Channel(ChannelId),
    Thread(ThreadId),
    Comment(CommentId),
    Checkin(CheckinId),
}

/// What `op` needs before it can take effect.
fn needs(op: &Op) -> Vec<Thing> {
    let mut v = Vec::new();
    if !matches!(
        op.kind,
        OpKind::WorkspaceCreated { .. } | OpKind::MemberJoined { .. }
    ) {
        v.push(Thing::Device(op.id.device));
    }
    match &op.kind {
        OpKind::ChannelRenamed { channel, .. }
        | OpKind::ChannelArchived { channel, .. }
        | OpKind::ThreadCreated { channel, .. } => v.push(Thing::Channel(*channel)),
        OpKind::CheckinCreated { spec, .. } => v.push(Thing::Channel(spec.channel)),
        OpKind::ThreadRetitled { thread, .. }
        | OpKind::ThreadClosed { thread, .. }
        | OpKind::CommentAdded { thread, .. }
        | OpKind::ReadUpTo { thread, .. }
        | OpKind::ThreadDone { thread, .. }
        | OpKind::ThreadSnoozed { thread, .. }
        | OpKind::ThreadMuted { thread, .. }
        | OpKind::ThreadFollowed { thread, .. }
        | OpKind::LaterSet { thread, .. }
        | OpKind::ReactionSet {
            target: ReactionTarget::Thread(thread),
            ..
        } => v.push(Thing::Thread(*thread)),
        OpKind::CommentEdited { comment, .. }
        | OpKind::CommentDeleted { comment }
        | OpKind::ReactionSet {
            target: ReactionTarget::Comment(comment),
            ..
        } => v.push(Thing::Comment(*comment)),
        OpKind::CheckinEdited { checkin, .. }
        | OpKind::CheckinPaused { checkin, .. }
        | OpKind::CheckinStopped { checkin }
        | OpKind::CheckinAnswered { checkin, .. } => v.push(Thing::Checkin(*checkin)),
        _ => {}
    }
    v
}

/// (refused, waiting) for ops arriving in `order`.
pub fn counts(order: &[Op]) -> (usize, usize) {
    let mut have: BTreeSet<Thing> = BTreeSet::new();
    let mut author_of: BTreeMap<Thing, MemberId> = BTreeMap::new();
    let mut checkin_channel: BTreeMap<CheckinId, ChannelId> = BTreeMap::new();
    // Applies a ready op: whether it was refused, and what it made.
    let mut take = |op: &Op, have: &mut BTreeSet<Thing>| -> bool {
        let owner = |t: Thing| author_of.get(&t).copied();
        let refused = match &op.kind {
            OpKind::ThreadRetitled { thread, .. } => {
                owner(Thing::Thread(*thread)) != Some(op.author)
            }
            OpKind::CommentEdited { comment, .. } | OpKind::CommentDeleted { comment } => {
                owner(Thing::Comment(*comment)) != Some(op.author)
            }
            OpKind::CheckinEdited { checkin, spec } => {
                owner(Thing::Checkin(*checkin)) != Some(op.author)
                    || checkin_channel.get(checkin) != Some(&spec.channel)
            }
            OpKind::CheckinPaused { checkin, .. } | OpKind::CheckinStopped { checkin } => {
                owner(Thing::Checkin(*checkin)) != Some(op.author)
            }
            _ => false,
        };
        if refused {
            return true;
        }
        let made = match &op.kind {
            OpKind::WorkspaceCreated { .. } | OpKind::MemberJoined { .. } => {
                Some(Thing::Device(op.id.device))
            }
            OpKind::DeviceAdded { device } => Some(Thing::Device(*device)),
            OpKind::ChannelCreated { channel, .. } => Some(Thing::Channel(*channel)),
            OpKind::ThreadCreated { thread, .. } => Some(Thing::Thread(*thread)),
            OpKind::CommentAdded { comment, .. } => Some(Thing::Comment(*comment)),
            OpKind::CheckinCreated { checkin, spec } => {
                checkin_channel.entry(*checkin).or_insert(spec.channel);
                Some(Thing::Checkin(*checkin))
            }
            _ => None,
        };
        if let Some(t) = made {
            have.insert(t);
            author_of.entry(t).or_insert(op.author);
        }
        false
    };
    let (mut refused, mut pending) = (0, 0);
    let mut waiting: Vec<Op> = Vec::new();
    for op in order {
        if !needs(op).iter().all(|t| have.contains(t)) {
            pending += 1;
            waiting.push(op.clone());
            continue;
        }
        refused += usize::from(take(op, &mut have));
        // Release what waited, until nothing more can go.
        while let Some(i) = waiting
            .iter()
            .position(|w| needs(w).iter().all(|t| have.contains(t)))
        {
            let w = waiting.remove(i);
            take(&w, &mut have);
        }
    }
    (refused, pending)
}
