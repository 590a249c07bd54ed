//! Personal toggles (done, mute, follow, snooze, Later, reactions, urgent
//! settings, away): asking for the state my views already show succeeds
//! and writes nothing (no op to flush, sync to every device and keep
//! forever); asking for another state writes, also when my other device
//! changed it, and the last request wins on both devices.

use chrono::Duration;
use tidings::model::ids::ThreadId;
use tidings::model::later::RemindAt;
use tidings::model::op::ReactionTarget;
use tidings::model::urgent::UrgentSettings;
use tidings::render::RenderOptions;
use tidings::store::NewThread;
use tidings::views::{PageRequest, ThreadSummary};

use crate::util::{person, Replica};

/// Ana on her desktop with a thread she started, and her laptop, bound to
/// her and holding the same ops.
fn ana_with_laptop() -> (Replica, Replica, ThreadId) {
    let desk = Replica::new(1);
    desk.store
        .create_workspace("Acme", person("Ana", "UTC"))
        .unwrap();
    let ch = desk.store.create_channel("general", "").unwrap();
    let t = desk
        .store
        .create_thread(NewThread {
            channel: ch,
            title: "Roadmap".into(),
            body: "first".into(),
            notify: vec![],
        })
        .unwrap();
    let laptop = Replica::new(2);
    desk.store.add_my_device(laptop.store.device()).unwrap();
    desk.send_to(&laptop);
    laptop
        .store
        .set_local_member(desk.store.me().unwrap())
        .unwrap();
    (desk, laptop, t)
}

fn summary(r: &Replica, t: ThreadId) -> ThreadSummary {
    r.store
        .thread(t, &PageRequest::first(1), RenderOptions::default())
        .unwrap()
        .summary
}

/// Runs `call` twice: the first writes one op, the second none and leaves
/// every view as it was.
fn writes_once(r: &Replica, name: &str, call: impl Fn() -> tidings::Result<()>) {
    let before = r.store.op_count().unwrap();
    call().unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        r.store.op_count().unwrap(),
        before + 1,
        "{name} the first time writes"
    );
    let digest = r.store.view_digest().unwrap();
    call().unwrap_or_else(|e| panic!("{name} again: {e}"));
    assert_eq!(
        r.store.op_count().unwrap(),
        before + 1,
        "{name} again wrote an op"
    );
    assert_eq!(
        r.store.view_digest().unwrap(),
        digest,
        "{name} again changed a view"
    );
}

/// Runs `call` (asking for the state already shown): it succeeds and
/// writes nothing.
fn writes_nothing(r: &Replica, name: &str, call: impl Fn() -> tidings::Result<()>) {
    let before = r.store.op_count().unwrap();
    call().unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(r.store.op_count().unwrap(), before, "{name} wrote an op");
}

#[test]
fn repeating_a_personal_toggle_writes_no_second_op() {
    let (desk, _laptop, t) = ana_with_laptop();
    let s = &desk.store;
    // The state a thread starts in.
    writes_nothing(&desk, "set_done(false)", || s.set_done(t, false));
    writes_nothing(&desk, "mute(false)", || s.mute(t, false));
    writes_nothing(&desk, "snooze(None)", || s.snooze(t, None));
    writes_nothing(&desk, "clear_away", || s.clear_away());
    // She started it: she follows it already.
    assert!(summary(&desk, t).following);
    writes_nothing(&desk, "follow(true)", || s.follow(t, true));

    writes_once(&desk, "set_done(true)", || s.set_done(t, true));
    writes_once(&desk, "set_done(false)", || s.set_done(t, false));
    writes_once(&desk, "mute(true)", || s.mute(t, true));
    writes_once(&desk, "mute(false)", || s.mute(t, false));
    writes_once(&desk, "follow(false)", || s.follow(t, false));
    writes_once(&desk, "follow(true)", || s.follow(t, true));
    let until = s.now() + Duration::hours(3);
    writes_once(&desk, "snooze(3 h)", || s.snooze(t, Some(until)));
    writes_once(&desk, "snooze(None)", || s.snooze(t, None));
    writes_once(&desk, "remind(Saved)", || {
        s.remind(t, &RemindAt::Saved, false).map(drop)
    });
    writes_once(&desk, "later_done(true)", || s.later_done(t, true));
    writes_once(&desk, "react(on)", || {
        s.react(ReactionTarget::Thread(t), "👍", true)
    });
    writes_once(&desk, "react(off)", || {
        s.react(ReactionTarget::Thread(t), "👍", false)
    });
    let urgent = UrgentSettings {
        off_for_everyone: true,
        off_from: vec![],
    };
    writes_once(&desk, "set_urgent_settings", || {
        s.set_urgent_settings(urgent.clone())
    });
    let back = s.now().date_naive() + Duration::days(3);
    writes_once(&desk, "set_away", || s.set_away(back, "Hiking").map(drop));
    writes_once(&desk, "clear_away", || s.clear_away());
}

#[test]
fn a_toggle_after_my_other_device_changed_it_still_writes_and_wins() {
    let (desk, laptop, t) = ana_with_laptop();
    desk.store.mute(t, true).unwrap();
    desk.store.set_done(t, true).unwrap();
    desk.send_to(&laptop);
    assert!(summary(&laptop, t).muted);
    // On the laptop she changes her mind; the desktop learns of it.
    laptop.store.mute(t, false).unwrap();
    laptop.store.set_done(t, false).unwrap();
    laptop.send_to(&desk);
    assert!(
        !summary(&desk, t).muted,
        "the desktop shows the laptop's unmute"
    );
    assert!(!summary(&desk, t).done);

    // Back at the desktop, the same requests as before are new again.
    let before = desk.store.op_count().unwrap();
    desk.store.mute(t, true).unwrap();
    desk.store.set_done(t, true).unwrap();
    assert_eq!(
        desk.store.op_count().unwrap(),
        before + 2,
        "both requests wrote"
    );
    desk.send_to(&laptop);
    for r in [&desk, &laptop] {
        let s = summary(r, t);
        assert!(s.muted && s.done, "the last request wins on both devices");
    }
    // And once both show it, asking again writes nothing on either.
    for r in [&desk, &laptop] {
        writes_nothing(r, "mute(true)", || r.store.mute(t, true));
        writes_nothing(r, "set_done(true)", || r.store.set_done(t, true));
    }
}
