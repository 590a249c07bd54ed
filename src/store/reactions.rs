//! Reactions as a post shows them, kept in the post's own row.
//!
//! Each person's reaction with each emoji is a last-writer-wins row of its
//! own (`T::Reactions`, the merge rule); after one changes, the summary of
//! its target — the emoji in key order, each with the people who have it
//! on — is recomputed from those rows and stored in the comment's row (or
//! the thread's, for the opening post). A thread page then reads its
//! comments' reactions with the comments, instead of one scan per comment.
//! Being recomputed from the rows, the summary is the same whatever order
//! the reactions arrived in.

use super::apply::Applier;
use super::rows::{dec, Lww};
use super::trees::{reaction_prefix, T};
use crate::error::{Error, Result};
use crate::model::ids::MemberId;
use crate::model::op::ReactionTarget;

/// Emoji with the people who reacted with it, in key order.
pub type Reactions = Vec<(String, Vec<MemberId>)>;

/// The reactions now on `target`, from the rows of the write set.
pub(super) fn summary(a: &Applier, target: ReactionTarget) -> Result<Reactions> {
    let prefix = reaction_prefix(target);
    let mut out: Reactions = Vec::new();
    for (k, v) in a.tx.scan_prefix(T::Reactions, &prefix)? {
        let on: Lww<bool> = dec(&v)?;
        if !on.value {
            continue;
        }
        let rest = &k[prefix.len()..];
        let Some(sep) = rest.iter().position(|b| *b == 0xff) else {
            continue;
        };
        let emoji = String::from_utf8_lossy(&rest[..sep]).into_owned();
        let member = MemberId::from_bytes(
            rest[sep + 1..]
                .try_into()
                .map_err(|_| Error::corrupt("reaction key"))?,
        );
        match out.last_mut() {
            Some((e, people)) if *e == emoji => people.push(member),
            _ => out.push((emoji, vec![member])),
        }
    }
    Ok(out)
}
