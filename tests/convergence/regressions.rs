//! Divergences the properties found, each as the smallest case.

use chrono::Duration;
use tidings::model::op::OpKind;
use tidings::model::signed::SignedOp;
use tidings::views::PageRequest;

use super::gen::{Act, World};
use super::replica;
use crate::util::t0;

/// Ben is @mentioned in an edit of Ana's comment that a later edit of hers
/// replaces, or that comes after she deleted the comment. Whether he then
/// follows the thread (and sees it in his inbox) must not depend on the
/// order the ops reach his replica. It did: `CommentEdited` added the
/// mention only when the edit won on arrival, so Ben followed when the
/// mention arrived first and not otherwise.
#[test]
fn a_mention_in_a_replaced_edit_involves_the_person_whatever_the_order() {
    // Devices: Ana, Ben, Ana's second device.
    let mut w = World::new(3);
    let ben = w.devs[1].member;
    let thread = Act::Thread {
        channel: 0,
        notify: 0,
        mention: false,
    };
    w.do_act(0, 0, &thread);
    w.do_act(
        0,
        0,
        &Act::Comment {
            thread: 0,
            mention: 0,
        },
    );
    let comment = w.comments[0];
    let setup = w.ops.len();
    let edit = |body: &str, mentions| OpKind::CommentEdited {
        comment,
        body: body.into(),
        mentions,
    };
    w.emit(0, 0, edit("cc @Ben", vec![ben]));
    w.emit(0, 0, edit("never mind", vec![]));
    w.emit(0, 0, OpKind::CommentDeleted { comment });
    let (before, later) = w.ops.split_at(setup);
    let (mention, replace, delete) = (&later[0], &later[1], &later[2]);
    let follows = |rest: &[&SignedOp]| {
        let ops: Vec<SignedOp> = before.iter().chain(rest.iter().copied()).cloned().collect();
        let (store, _clock, _dir) = replica(ben, &[ops], t0() + Duration::minutes(30));
        let channel = store.channels().unwrap()[0].id;
        let list = store
            .channel_threads(channel, &PageRequest::first(10))
            .unwrap();
        list.items[0].following
    };
    let first = follows(&[mention, replace]);
    assert_eq!(
        follows(&[replace, mention]),
        first,
        "Ben follows when the mentioning edit arrives before its replacement, and after it"
    );
    assert_eq!(
        follows(&[delete, mention]),
        first,
        "Ben follows when the mentioning edit arrives before the delete, and after it"
    );
}
