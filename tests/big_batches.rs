//! A batch of arriving ops larger than one verification chunk is checked
//! on a second thread a chunk ahead of the one being applied
//! (`store::remote::VERIFY_CHUNK`); what the person ends up with is the
//! same as for one small batch at a time.

use tidings::model::op::OpKind;
use tidings::model::signed::SignedOp;
use tidings::store::{NewThread, VERIFY_CHUNK};

use crate::util::{all_comment_ids, ana_and_ben_in, Replica};

#[test]
fn a_batch_of_several_chunks_applies_every_good_op_and_refuses_only_a_forged_one() {
    let (ana, ben, general) = ana_and_ben_in(Replica::new_in_ram(1), Replica::new_in_ram(2));
    let known = ana.ops().len();
    let t = ben
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Many".into(),
            body: "A long day".into(),
            notify: vec![],
        })
        .unwrap();
    let comments = 2 * VERIFY_CHUNK + 300;
    for i in 0..comments {
        ben.store.add_comment(t, &format!("comment {i}")).unwrap();
    }
    let mut ops: Vec<SignedOp> = ben.ops()[known..].to_vec();
    assert_eq!(ops.len(), comments + 1);
    // The thread last: the comments of the first chunks wait for it and
    // take effect when the last chunk brings it.
    ops.rotate_left(1);
    // One comment in the second chunk forged: its signature no longer
    // matches.
    let forged = VERIFY_CHUNK + 17;
    let forged_id = match ops[forged].decode_unverified().unwrap().kind {
        OpKind::CommentAdded { comment, .. } => comment,
        other => panic!("expected a comment, got {other:?}"),
    };
    let mut bytes = ops[forged].as_bytes().to_vec();
    bytes[0] ^= 0x55;
    ops[forged] = SignedOp::from_bytes(bytes).unwrap();

    let report = ana.store.apply_remote(ops).unwrap();
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert_eq!(report.applied.len(), comments, "every good op took effect");
    assert_eq!(
        report.pending,
        comments - 1,
        "the comments waited for their thread"
    );
    let mut expected = all_comment_ids(&ben.store, t);
    assert!(expected.remove(&forged_id));
    assert_eq!(all_comment_ids(&ana.store, t), expected);
}
