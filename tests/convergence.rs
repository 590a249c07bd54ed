//! Merge rules as properties: replicas that receive the same ops — in any
//! order, in any batches, with duplicates — show the same thing.
//!
//! Ops come from 3–5 devices (one person on two of them), generated
//! directly as signed ops so every interleaving the network could produce
//! is reachable, including ops that reference things not yet seen and
//! edits by people who may not make them. Scheduled posts, their cancels
//! and replacements, reply-by asks, answers and withdrawals, away and
//! urgent marks are among the ops, and so are check-ins (created, edited,
//! paused and stopped by their creator or, refused, by others) with
//! answers, edits of answers and withdrawals from several devices;
//! replicas agree before and after the reveal instants pass their clocks,
//! and the answers they show are those a small model of the rules expects.
//!
//! A second property checks content against an independent model of the
//! merge rules ([`Model`]), so a bug that loses the same op on every
//! replica fails too: every person (each on a replica fed another order),
//! devices whose clocks are up to 8 minutes apart, the number of ops each
//! replica refuses and holds waiting as they arrive, and a replica that
//! never gets one channel's creation.

use std::sync::Arc;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ed25519_dalek::SigningKey;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use tidings::model::away::Away;
use tidings::model::checkin::{Checkin, EVERY_DAY, WEEKDAYS};
use tidings::model::clock::{FixedClock, SeqIds};
use tidings::model::ids::{
    ChannelId, CheckinId, CommentId, DeviceId, Hlc, MemberId, OpId, ThreadId, WorkspaceId,
};
use tidings::model::later::Later;
use tidings::model::op::{Op, OpKind, ReactionTarget};
use tidings::model::profile::{NotificationSettings, NotifyLevel};
use tidings::model::schedule::{PostRef, Reveal, ScheduledPost};
use tidings::model::signed::SignedOp;
use tidings::{Options, Store};

use crate::util::{person, t0};

/// One thing a device does; selectors pick among what exists so far.
#[derive(Clone, Debug)]
enum Act {
    Channel,
    RenameChannel(u8),
    Archive(u8, bool),
    Thread {
        channel: u8,
        notify: u8,
        mention: bool,
    },
    Comment {
        thread: u8,
        mention: u8,
    },
    Edit(u8),
    Delete(u8),
    Retitle(u8),
    Close(u8, bool),
    React {
        target: u8,
        on_comment: bool,
        emoji: u8,
        on: bool,
    },
    Read(u8),
    Done(u8, bool),
    Mute(u8, bool),
    Follow(u8, bool),
    Snooze(u8, bool),
    /// My Later item: 0 removes it, 1 saves, 2 reminds at a time, 3 at a
    /// time or on reply, 4 on reply only, 5 marks it done.
    Later(u8, u8),
    Settings(bool),
    Profile,
    /// Send a comment later: in 10 minutes, or an hour; perhaps with a
    /// later instant for the first person ("at their start").
    Schedule {
        thread: u8,
        late: bool,
        per_person: bool,
    },
    CancelScheduled(u8),
    ReplaceScheduled(u8, bool),
    Ask {
        thread: u8,
        person: u8,
    },
    Withdraw(u8),
    Answered(u8),
    Away(bool),
    Urgent {
        post: u8,
        person: u8,
    },
    CheckinCreate {
        channel: u8,
        person: Option<u8>,
    },
    /// 0–2 change the question, people or days; 3 tries another channel.
    CheckinEdit(u8, u8),
    CheckinPause(u8, bool),
    CheckinStop(u8),
    /// An answer for one of two dates; `None` withdraws.
    CheckinAnswer {
        checkin: u8,
        date: u8,
        text: Option<u8>,
    },
}

fn act() -> impl Strategy<Value = Act> {
    let s = any::<u8>();
    prop_oneof![
        1 => Just(Act::Channel),
        1 => s.prop_map(Act::RenameChannel),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Archive(a, b)),
        4 => (s, s, any::<bool>()).prop_map(|(channel, notify, mention)| Act::Thread { channel, notify, mention }),
        8 => (s, s).prop_map(|(thread, mention)| Act::Comment { thread, mention }),
        2 => s.prop_map(Act::Edit),
        2 => s.prop_map(Act::Delete),
        1 => s.prop_map(Act::Retitle),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Close(a, b)),
        2 => (s, any::<bool>(), 0u8..3, any::<bool>())
            .prop_map(|(target, on_comment, emoji, on)| Act::React { target, on_comment, emoji, on }),
        3 => s.prop_map(Act::Read),
        2 => (s, any::<bool>()).prop_map(|(a, b)| Act::Done(a, b)),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Mute(a, b)),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Follow(a, b)),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Snooze(a, b)),
        2 => (s, 0u8..6).prop_map(|(a, b)| Act::Later(a, b)),
        1 => any::<bool>().prop_map(Act::Settings),
        1 => Just(Act::Profile),
        3 => (s, any::<bool>(), any::<bool>())
            .prop_map(|(thread, late, per_person)| Act::Schedule { thread, late, per_person }),
        1 => s.prop_map(Act::CancelScheduled),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::ReplaceScheduled(a, b)),
        2 => (s, s).prop_map(|(thread, person)| Act::Ask { thread, person }),
        1 => s.prop_map(Act::Withdraw),
        1 => s.prop_map(Act::Answered),
        1 => any::<bool>().prop_map(Act::Away),
        1 => (s, s).prop_map(|(post, person)| Act::Urgent { post, person }),
        1 => (s, prop::option::of(s)).prop_map(|(channel, person)| Act::CheckinCreate { channel, person }),
        1 => (s, 0u8..4).prop_map(|(a, b)| Act::CheckinEdit(a, b)),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::CheckinPause(a, b)),
        1 => s.prop_map(Act::CheckinStop),
        3 => (s, 0u8..2, prop::option::of(0u8..3))
            .prop_map(|(checkin, date, text)| Act::CheckinAnswer { checkin, date, text }),
    ]
}

struct Dev {
    key: SigningKey,
    member: MemberId,
    hlc: Hlc,
}

/// Builds signed ops as devices would, tracking what exists.
struct World {
    devs: Vec<Dev>,
    channels: Vec<ChannelId>,
    threads: Vec<ThreadId>,
    thread_ops: Vec<OpId>,
    comments: Vec<CommentId>,
    /// Scheduled comments and their threads.
    scheduled: Vec<(CommentId, ThreadId)>,
    /// Reply-by ops and their threads.
    asks: Vec<(OpId, ThreadId)>,
    /// Check-ins: id, channel, creator.
    checkins: Vec<(CheckinId, ChannelId, MemberId)>,
    /// Stops as made: op, check-in, author.
    stops: Vec<(OpId, CheckinId, MemberId)>,
    /// Answers as made: op, check-in, date, author, body.
    answers: Vec<(OpId, CheckinId, NaiveDate, MemberId, String)>,
    ops: Vec<SignedOp>,
    next_id: u128,
}

fn pick<T: Copy>(v: &[T], sel: u8) -> Option<T> {
    (!v.is_empty()).then(|| v[sel as usize % v.len()])
}

impl World {
    fn new(n_devices: usize) -> World {
        let mut w = World {
            devs: Vec::new(),
            channels: Vec::new(),
            threads: Vec::new(),
            thread_ops: Vec::new(),
            comments: Vec::new(),
            scheduled: Vec::new(),
            asks: Vec::new(),
            checkins: Vec::new(),
            stops: Vec::new(),
            answers: Vec::new(),
            ops: Vec::new(),
            next_id: 1000,
        };
        for i in 0..n_devices {
            // The last device belongs to the same person as the first.
            let key = SigningKey::from_bytes(&[i as u8 + 1; 32]);
            let member = if i == n_devices - 1 {
                w.devs[0].member
            } else {
                MemberId::for_device(DeviceId(key.verifying_key().to_bytes()))
            };
            w.devs.push(Dev {
                key,
                member,
                hlc: Hlc {
                    ms: t0().timestamp_millis() as u64,
                    counter: 0,
                },
            });
        }
        w.emit(
            0,
            0,
            OpKind::WorkspaceCreated {
                workspace: WorkspaceId(1),
                name: "Acme".into(),
                profile: person("Dev Zero", "Europe/Lisbon"),
            },
        );
        for i in 1..n_devices - 1 {
            w.emit(
                i,
                0,
                OpKind::MemberJoined {
                    profile: person(&format!("Dev {i}"), "Asia/Tokyo"),
                },
            );
        }
        // The first person's second device, added by their first.
        let second = DeviceId(w.devs[n_devices - 1].key.verifying_key().to_bytes());
        w.emit(0, 0, OpKind::DeviceAdded { device: second });
        w.do_act(0, 0, &Act::Channel);
        w
    }

    fn id(&mut self) -> u128 {
        self.next_id += 1;
        self.next_id
    }

    fn emit(&mut self, dev: usize, skew: u64, kind: OpKind) -> OpId {
        let d = &mut self.devs[dev];
        d.hlc = Hlc {
            ms: d.hlc.ms + skew,
            counter: d.hlc.counter + 1,
        };
        let op = Op {
            id: OpId {
                hlc: d.hlc,
                device: DeviceId(d.key.verifying_key().to_bytes()),
            },
            author: d.member,
            kind,
        };
        self.ops.push(SignedOp::sign(&op, &d.key).unwrap());
        op.id
    }

    fn do_act(&mut self, dev: usize, skew: u64, a: &Act) {
        let someone = |w: &World, sel: u8| w.devs[sel as usize % w.devs.len()].member;
        let kind = match *a {
            Act::Channel => {
                let c = ChannelId(self.id());
                self.channels.push(c);
                OpKind::ChannelCreated {
                    channel: c,
                    name: format!("chan{}", self.channels.len()),
                    topic: String::new(),
                }
            }
            Act::RenameChannel(s) => {
                let Some(c) = pick(&self.channels, s) else {
                    return;
                };
                OpKind::ChannelRenamed {
                    channel: c,
                    name: format!("renamed{s}"),
                    topic: "t".into(),
                }
            }
            Act::Archive(s, on) => {
                let Some(c) = pick(&self.channels, s) else {
                    return;
                };
                OpKind::ChannelArchived {
                    channel: c,
                    archived: on,
                }
            }
            Act::Thread {
                channel,
                notify,
                mention,
            } => {
                let Some(c) = pick(&self.channels, channel) else {
                    return;
                };
                let t = ThreadId(self.id());
                let kind = OpKind::ThreadCreated {
                    thread: t,
                    channel: c,
                    title: format!("Thread {t:?}"),
                    body: "Body with **markdown**".into(),
                    notify: vec![someone(self, notify)],
                    mentions: if mention {
                        vec![self.devs[0].member]
                    } else {
                        vec![]
                    },
                };
                let id = self.emit(dev, skew, kind);
                self.threads.push(t);
                self.thread_ops.push(id);
                return;
            }
            Act::Comment { thread, mention } => {
                let Some(t) = pick(&self.threads, thread) else {
                    return;
                };
                let c = CommentId(self.id());
                self.comments.push(c);
                let id = self.emit(
                    dev,
                    skew,
                    OpKind::CommentAdded {
                        comment: c,
                        thread: t,
                        body: format!("comment {c:?}"),
                        mentions: vec![someone(self, mention)],
                    },
                );
                let i = self.threads.iter().position(|x| *x == t).unwrap();
                self.thread_ops[i] = self.thread_ops[i].max(id);
                return;
            }
            Act::Edit(s) => {
                let Some(c) = pick(&self.comments, s) else {
                    return;
                };
                OpKind::CommentEdited {
                    comment: c,
                    body: format!("edited by {dev}"),
                    mentions: vec![],
                }
            }
            Act::Delete(s) => {
                let Some(c) = pick(&self.comments, s) else {
                    return;
                };
                OpKind::CommentDeleted { comment: c }
            }
            Act::Retitle(s) => {
                let Some(t) = pick(&self.threads, s) else {
                    return;
                };
                OpKind::ThreadRetitled {
                    thread: t,
                    title: format!("Retitled by {dev}"),
                }
            }
            Act::Close(s, closed) => {
                let Some(t) = pick(&self.threads, s) else {
                    return;
                };
                OpKind::ThreadClosed { thread: t, closed }
            }
            Act::React {
                target,
                on_comment,
                emoji,
                on,
            } => {
                let target = if on_comment {
                    let Some(c) = pick(&self.comments, target) else {
                        return;
                    };
                    ReactionTarget::Comment(c)
                } else {
                    let Some(t) = pick(&self.threads, target) else {
                        return;
                    };
                    ReactionTarget::Thread(t)
                };
                OpKind::ReactionSet {
                    target,
                    emoji: ["👍", "🎉", "👀"][emoji as usize].into(),
                    on,
                }
            }
            Act::Read(s) => {
                let Some(i) = (!self.threads.is_empty()).then(|| s as usize % self.threads.len())
                else {
                    return;
                };
                OpKind::ReadUpTo {
                    thread: self.threads[i],
                    up_to: self.thread_ops[i],
                }
            }
            Act::Done(s, done) => {
                let Some(t) = pick(&self.threads, s) else {
                    return;
                };
                OpKind::ThreadDone { thread: t, done }
            }
            Act::Mute(s, muted) => {
                let Some(t) = pick(&self.threads, s) else {
                    return;
                };
                OpKind::ThreadMuted { thread: t, muted }
            }
            Act::Follow(s, followed) => {
                let Some(t) = pick(&self.threads, s) else {
                    return;
                };
                OpKind::ThreadFollowed {
                    thread: t,
                    followed,
                }
            }
            Act::Snooze(s, on) => {
                let Some(t) = pick(&self.threads, s) else {
                    return;
                };
                OpKind::ThreadSnoozed {
                    thread: t,
                    until: on.then(|| t0() + Duration::hours(1)),
                }
            }
            Act::Later(s, how) => {
                let Some(t) = pick(&self.threads, s) else {
                    return;
                };
                let at = Some(t0() + Duration::hours(1));
                let item = |remind_at, on_reply, done| {
                    Some(Later {
                        remind_at,
                        on_reply,
                        done,
                    })
                };
                OpKind::LaterSet {
                    thread: t,
                    later: match how {
                        0 => None,
                        1 => item(None, false, false),
                        2 => item(at, false, false),
                        3 => item(at, true, false),
                        4 => item(None, true, false),
                        _ => item(at, true, true),
                    },
                }
            }
            Act::Settings(mentions_only) => OpKind::NotificationSettingsSet {
                settings: NotificationSettings {
                    level: if mentions_only {
                        NotifyLevel::MentionsOnly
                    } else {
                        NotifyLevel::All
                    },
                    ..Default::default()
                },
            },
            Act::Profile => OpKind::ProfileUpdated {
                profile: person(&format!("Dev {dev} renamed"), "America/New_York"),
            },
            Act::Schedule {
                thread,
                late,
                per_person,
            } => {
                let Some(t) = pick(&self.threads, thread) else {
                    return;
                };
                self.schedule(dev, skew, t, late, per_person, None);
                return;
            }
            Act::CancelScheduled(s) => {
                let Some((c, _)) = pick(&self.scheduled, s) else {
                    return;
                };
                OpKind::ScheduleCancelled {
                    post: PostRef::Comment(c),
                }
            }
            Act::ReplaceScheduled(s, late) => {
                let Some((c, t)) = pick(&self.scheduled, s) else {
                    return;
                };
                self.schedule(dev, skew, t, late, false, Some(PostRef::Comment(c)));
                return;
            }
            Act::Ask { thread, person } => {
                let Some(t) = pick(&self.threads, thread) else {
                    return;
                };
                let kind = OpKind::ReplyRequested {
                    thread: t,
                    asks: vec![(someone(self, person), t0() + Duration::days(1))],
                };
                let id = self.emit(dev, skew, kind);
                self.asks.push((id, t));
                return;
            }
            Act::Withdraw(s) => {
                let Some((ask, thread)) = pick(&self.asks, s) else {
                    return;
                };
                OpKind::ReplyWithdrawn { thread, ask }
            }
            Act::Answered(s) => {
                let Some(t) = pick(&self.threads, s) else {
                    return;
                };
                OpKind::ReplyAnswered { thread: t }
            }
            Act::Away(on) => OpKind::AwaySet {
                away: on.then(|| Away {
                    until: t0() + Duration::days(2),
                    note: format!("away {dev}"),
                }),
            },
            Act::Urgent { post, person } => {
                let Some(c) = pick(&self.comments, post) else {
                    return;
                };
                OpKind::UrgentMarked {
                    post: PostRef::Comment(c),
                    people: vec![someone(self, person)],
                }
            }
            Act::CheckinCreate { channel, person } => {
                let Some(ch) = pick(&self.channels, channel) else {
                    return;
                };
                let c = CheckinId(self.id());
                self.checkins.push((c, ch, self.devs[dev].member));
                OpKind::CheckinCreated {
                    checkin: c,
                    spec: Checkin {
                        channel: ch,
                        question: format!("Question {c:?}"),
                        people: person.map(|p| vec![someone(self, p)]),
                        days: WEEKDAYS,
                    },
                }
            }
            Act::CheckinEdit(s, how) => {
                let Some((c, ch, _)) = pick(&self.checkins, s) else {
                    return;
                };
                let other = pick(&self.channels, s.wrapping_add(1)).unwrap_or(ch);
                OpKind::CheckinEdited {
                    checkin: c,
                    spec: Checkin {
                        channel: if how == 3 { other } else { ch },
                        question: format!("Edited by {dev}"),
                        people: (how == 1).then(|| vec![self.devs[0].member]),
                        days: if how == 2 { EVERY_DAY } else { WEEKDAYS },
                    },
                }
            }
            Act::CheckinPause(s, paused) => {
                let Some((c, _, _)) = pick(&self.checkins, s) else {
                    return;
                };
                OpKind::CheckinPaused { checkin: c, paused }
            }
            Act::CheckinStop(s) => {
                let Some((c, _, _)) = pick(&self.checkins, s) else {
                    return;
                };
                let author = self.devs[dev].member;
                let id = self.emit(dev, skew, OpKind::CheckinStopped { checkin: c });
                self.stops.push((id, c, author));
                return;
            }
            Act::CheckinAnswer {
                checkin,
                date,
                text,
            } => {
                let Some((c, _, _)) = pick(&self.checkins, checkin) else {
                    return;
                };
                // Thursday and Friday: days the board shows.
                let date = NaiveDate::from_ymd_opt(2026, 11, 26 + u32::from(date)).unwrap();
                let body = text.map_or(String::new(), |t| format!("answer {t} by {dev}"));
                let author = self.devs[dev].member;
                let kind = OpKind::CheckinAnswered {
                    checkin: c,
                    date,
                    body: body.clone(),
                };
                let id = self.emit(dev, skew, kind);
                self.answers.push((id, c, date, author, body));
                return;
            }
        };
        self.emit(dev, skew, kind);
    }

    /// The answers in force by the rules: per check-in, date and person,
    /// the latest answer made before the creator's earliest stop, unless
    /// it withdrew.
    fn expected_answers(&self) -> BTreeMap<(CheckinId, NaiveDate, MemberId), String> {
        let mut latest: BTreeMap<(CheckinId, NaiveDate, MemberId), (OpId, String)> =
            BTreeMap::new();
        for (id, c, date, author, body) in &self.answers {
            let stop = self
                .stops
                .iter()
                .filter(|(_, s, who)| {
                    s == c
                        && self
                            .checkins
                            .iter()
                            .any(|(x, _, creator)| x == c && creator == who)
                })
                .map(|(op, _, _)| *op)
                .min();
            if stop.is_some_and(|s| *id >= s) {
                continue;
            }
            let slot = latest
                .entry((*c, *date, *author))
                .or_insert((*id, body.clone()));
            if *id >= slot.0 {
                *slot = (*id, body.clone());
            }
        }
        latest
            .into_iter()
            .filter(|(_, (_, body))| !body.is_empty())
            .map(|(k, (_, body))| (k, body))
            .collect()
    }
}

/// The answers a replica shows on its check-ins' boards.
fn shown_answers(store: &Store) -> BTreeMap<(CheckinId, NaiveDate, MemberId), String> {
    let mut out = BTreeMap::new();
    for c in store.checkins(None).unwrap() {
        let board = store
            .checkin_board(c.id, tidings::views::MAX_BOARD_DAYS)
            .unwrap();
        for d in board.days {
            for a in d.answers {
                out.insert((c.id, d.date, a.author.id), a.body_markdown);
            }
        }
    }
    out
}

impl World {
    /// A comment sent later on `t`, perhaps replacing an earlier one.
    fn schedule(
        &mut self,
        dev: usize,
        skew: u64,
        t: ThreadId,
        late: bool,
        per_person: bool,
        replaces: Option<PostRef>,
    ) {
        let c = CommentId(self.id());
        let at = t0() + Duration::minutes(if late { 60 } else { 10 });
        let per_person = if per_person {
            vec![(self.devs[0].member, at + Duration::minutes(50))]
        } else {
            vec![]
        };
        self.emit(
            dev,
            skew,
            OpKind::PostScheduled {
                post: ScheduledPost::Comment {
                    comment: c,
                    thread: t,
                    body: format!("later {c:?}"),
                    mentions: vec![],
                },
                reveal: Reveal { at, per_person },
                replaces,
            },
        );
        self.scheduled.push((c, t));
        // Once shown it can be edited, deleted and reacted to like any.
        self.comments.push(c);
    }
}

/// A fresh store seeing the world as `member`, fed `batches` in order.
fn replica(
    member: MemberId,
    batches: &[Vec<SignedOp>],
    now: DateTime<Utc>,
) -> (Store, Arc<FixedClock>, tempfile::TempDir) {
    // Thousands of stores are opened here: on a RAM file system when there
    // is one, so the run is bounded by apply, not by the disk's fsyncs (the
    // crash test covers durability on the real disk).
    let ram = std::path::Path::new("/dev/shm");
    let dir = if ram.is_dir() {
        tempfile::tempdir_in(ram)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let clock = Arc::new(FixedClock::new(now));
    let store = Store::open(
        dir.path(),
        Options {
            clock: clock.clone(),
            ids: Arc::new(SeqIds::new(9)),
            ..Options::default()
        },
    )
    .unwrap();
    store.set_local_member(member).unwrap();
    for b in batches {
        store.apply_remote(b.clone()).unwrap();
    }
    // What is due by this replica's clock shows now.
    store.release_due().unwrap();
    (store, clock, dir)
}

/// Splits `ops` into batches at the given cut points.
fn cut(ops: Vec<SignedOp>, cuts: &[usize]) -> Vec<Vec<SignedOp>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (ops.len() + 1)).collect();
    points.sort();
    points.dedup();
    let mut out = Vec::new();
    let mut start = 0;
    for p in points.into_iter().chain([ops.len()]) {
        if p > start {
            out.push(ops[start..p].to_vec());
            start = p;
        }
    }
    out
}

/// Devices, their acts (device, clock skew, act), duplicates to add, batch
/// cut points, and a shuffle seed.
type Scenario = (usize, Vec<(usize, u64, Act)>, Vec<usize>, Vec<usize>, u64);

fn scenario() -> impl Strategy<Value = Scenario> {
    (3usize..=5).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec((0..n, 0u64..3, act()), 1..40),
            prop::collection::vec(any::<usize>(), 0..12),
            prop::collection::vec(any::<usize>(), 0..4),
            any::<u64>(),
        )
    })
}

proptest! {
    #![proptest_config(Config {
        cases: std::env::var("TIDINGS_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1500),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    })]

    #[test]
    fn replicas_converge_whatever_the_order_batches_and_duplicates(
        (n, acts, dups, cuts, seed) in scenario()
    ) {
        let mut w = World::new(n);
        for (dev, skew, a) in &acts {
            w.do_act(*dev, *skew, a);
        }
        let me = w.devs[0].member;
        let in_order = w.ops.clone();

        // A shuffled copy with some ops repeated.
        let mut shuffled = in_order.clone();
        for d in &dups {
            shuffled.push(in_order[d % in_order.len()].clone());
        }
        let mut rng = seed;
        for i in (1..shuffled.len()).rev() {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (rng >> 33) as usize % (i + 1));
        }
        let mut reversed = in_order.clone();
        reversed.reverse();

        // Clocks a few minutes apart, none of them across a reveal instant
        // (10, 60 and 110 minutes after the start).
        let half = t0() + Duration::minutes(30);
        let (a, ca, _da) = replica(me, &[in_order], half);
        let (b, cb, _db) = replica(me, &cut(shuffled, &cuts), half + Duration::minutes(4));
        let (c, cc, _dc) = replica(me, &cut(reversed, &[1, 3]), half - Duration::minutes(3));
        let da = a.view_digest().unwrap();
        prop_assert_eq!(&da, &b.view_digest().unwrap(), "shuffled batches with duplicates differ");
        prop_assert_eq!(&da, &c.view_digest().unwrap(), "reverse order differs");
        prop_assert_eq!(a.op_count(), b.op_count());
        prop_assert_eq!(shown_answers(&a), w.expected_answers(), "answers differ from the model");
        b.rebuild().unwrap();
        prop_assert_eq!(&da, &b.view_digest().unwrap(), "rebuild from the log differs");

        // Once every clock has passed every reveal instant, everyone agrees
        // on what was delivered.
        for (r, clock) in [(&a, &ca), (&b, &cb), (&c, &cc)] {
            clock.set(t0() + Duration::hours(3));
            r.release_due().unwrap();
        }
        let da = a.view_digest().unwrap();
        prop_assert_eq!(&da, &b.view_digest().unwrap(), "after delivery, shuffled differs");
        prop_assert_eq!(&da, &c.view_digest().unwrap(), "after delivery, reversed differs");
        c.rebuild().unwrap();
        prop_assert_eq!(&da, &c.view_digest().unwrap(), "after delivery, rebuild differs");
    }
}

/// An independent model of the content merge rules, written from the rules
/// (not from the store's code): names, topics, titles, bodies, flags and
/// reactions are last-writer-wins by op id; only a thread's author may
/// retitle it and only a comment's author may edit or delete it (others'
/// ops are refused); a deleted comment stays deleted; an op whose channel,
/// thread or comment never arrived waits. A thing is created with its
/// defaults (open, unarchived) as of its creating op, so a change dated
/// earlier (possible only with skewed clocks) loses to them.
#[derive(Debug, Default, PartialEq)]
struct Model {
    /// Channel: (name, topic), archived.
    channels: BTreeMap<ChannelId, ((String, String), bool)>,
    /// Thread: title, closed.
    threads: BTreeMap<ThreadId, (String, bool)>,
    /// Live comment: body.
    comments: BTreeMap<CommentId, String>,
    /// Target, emoji: who reacts.
    reactions: BTreeMap<(ReactionTarget, String), std::collections::BTreeSet<MemberId>>,
}

fn lww<V: Clone>(slot: &mut Option<(OpId, V)>, at: OpId, v: &V) {
    if slot.as_ref().is_none_or(|(t, _)| at > *t) {
        *slot = Some((at, v.clone()));
    }
}

impl Model {
    fn of(ops: &[Op]) -> Model {
        use std::collections::BTreeSet;
        // What exists, and who wrote it.
        let mut chans = BTreeSet::new();
        let mut thread_of = BTreeMap::new();
        let mut comment_of = BTreeMap::new();
        for op in ops {
            match &op.kind {
                OpKind::ChannelCreated { channel, .. } => {
                    chans.insert(*channel);
                }
                OpKind::ThreadCreated {
                    thread, channel, ..
                } if chans.contains(channel) => {
                    thread_of.insert(*thread, op.author);
                }
                _ => {}
            }
        }
        for op in ops {
            if let OpKind::CommentAdded {
                comment, thread, ..
            } = &op.kind
            {
                if thread_of.contains_key(thread) {
                    comment_of.insert(*comment, op.author);
                }
            }
        }
        let mut m = Model::default();
        let mut names = BTreeMap::new();
        let mut archived = BTreeMap::new();
        let mut titles = BTreeMap::new();
        let mut closed = BTreeMap::new();
        let mut bodies = BTreeMap::new();
        let mut deleted = BTreeSet::new();
        let mut reacts: BTreeMap<_, Option<(OpId, bool)>> = BTreeMap::new();
        for op in ops {
            let at = op.id;
            let need_thread = |t: &ThreadId| thread_of.contains_key(t);
            let _ = match &op.kind {
                OpKind::ChannelCreated {
                    channel,
                    name,
                    topic,
                } => {
                    lww(
                        names.entry(*channel).or_default(),
                        at,
                        &(name.clone(), topic.clone()),
                    );
                    // Created unarchived: an earlier-dated archive loses.
                    lww(archived.entry(*channel).or_default(), at, &false);
                    true
                }
                OpKind::ChannelRenamed {
                    channel,
                    name,
                    topic,
                } => {
                    let ok = chans.contains(channel);
                    if ok {
                        lww(
                            names.entry(*channel).or_default(),
                            at,
                            &(name.clone(), topic.clone()),
                        );
                    }
                    ok
                }
                OpKind::ChannelArchived {
                    channel,
                    archived: a,
                } => {
                    let ok = chans.contains(channel);
                    if ok {
                        lww(archived.entry(*channel).or_default(), at, a);
                    }
                    ok
                }
                OpKind::ThreadCreated { thread, title, .. } => {
                    let ok = need_thread(thread);
                    if ok {
                        lww(titles.entry(*thread).or_default(), at, title);
                        lww(closed.entry(*thread).or_default(), at, &false);
                    }
                    ok
                }
                OpKind::ThreadRetitled { thread, title } => match thread_of.get(thread) {
                    None => false,
                    Some(a) if *a != op.author => false,
                    Some(_) => {
                        lww(titles.entry(*thread).or_default(), at, title);
                        true
                    }
                },
                OpKind::ThreadClosed { thread, closed: c } => {
                    let ok = need_thread(thread);
                    if ok {
                        lww(closed.entry(*thread).or_default(), at, c);
                    }
                    ok
                }
                OpKind::CommentAdded { comment, body, .. } => {
                    let ok = comment_of.contains_key(comment);
                    if ok {
                        lww(bodies.entry(*comment).or_default(), at, body);
                    }
                    ok
                }
                OpKind::CommentEdited { comment, body, .. } => match comment_of.get(comment) {
                    None => false,
                    Some(a) if *a != op.author => false,
                    Some(_) => {
                        lww(bodies.entry(*comment).or_default(), at, body);
                        true
                    }
                },
                OpKind::CommentDeleted { comment } => match comment_of.get(comment) {
                    None => false,
                    Some(a) if *a != op.author => false,
                    Some(_) => {
                        deleted.insert(*comment);
                        true
                    }
                },
                OpKind::ReactionSet { target, emoji, on } => {
                    let ok = match target {
                        ReactionTarget::Thread(t) => need_thread(t),
                        ReactionTarget::Comment(c) => comment_of.contains_key(c),
                    };
                    if ok {
                        lww(
                            reacts
                                .entry((*target, emoji.clone(), op.author))
                                .or_default(),
                            at,
                            on,
                        );
                    }
                    ok
                }
                // Membership ops: every device is introduced in every run.
                _ => true,
            };
        }
        for (c, v) in names {
            let name = v.map(|(_, n)| n).unwrap();
            let a = archived.get(&c).and_then(|s: &Option<(OpId, bool)>| *s);
            m.channels.insert(c, (name, a.is_some_and(|(_, a)| a)));
        }
        for (t, v) in titles {
            let c = closed.get(&t).and_then(|s: &Option<(OpId, bool)>| *s);
            m.threads
                .insert(t, (v.unwrap().1, c.is_some_and(|(_, c)| c)));
        }
        for (c, v) in bodies {
            if !deleted.contains(&c) {
                m.comments.insert(c, v.unwrap().1);
            }
        }
        for ((target, emoji, who), v) in reacts {
            let live = match target {
                ReactionTarget::Thread(_) => true,
                ReactionTarget::Comment(c) => m.comments.contains_key(&c),
            };
            if live && v.is_some_and(|(_, on)| on) {
                m.reactions.entry((target, emoji)).or_default().insert(who);
            }
        }
        m
    }

    /// What a replica counts as ops arrive in `order`: (refused, waiting). An
    /// op waits on arrival when its device is not yet introduced or its
    /// channel, thread or comment has not taken effect; a waiting op takes
    /// effect (or is refused, silently) once they have. An op that can take
    /// effect is refused when it retitles another's thread or edits or deletes
    /// another's comment.
    fn arrival_counts(order: &[Op]) -> (usize, usize) {
        use std::collections::BTreeSet;
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        enum Thing {
            Device(DeviceId),
            Channel(ChannelId),
            Thread(ThreadId),
            Comment(CommentId),
        }
        let mut have: BTreeSet<Thing> = BTreeSet::new();
        let mut author_of: BTreeMap<Thing, MemberId> = BTreeMap::new();
        let needs = |op: &Op| -> Vec<Thing> {
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
                OpKind::ThreadRetitled { thread, .. }
                | OpKind::ThreadClosed { thread, .. }
                | OpKind::CommentAdded { thread, .. }
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
                _ => {}
            }
            v
        };
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

    /// What `store` shows of the same things (counts are the caller's).
    fn shown(store: &Store) -> Model {
        let mut m = Model::default();
        for c in store.channels().unwrap() {
            m.channels.insert(c.id, ((c.name, c.topic), c.archived));
            let mut page = tidings::views::PageRequest::first(200);
            loop {
                let list = store.channel_threads(c.id, &page).unwrap();
                for s in &list.items {
                    let v = store
                        .thread(
                            s.id,
                            &tidings::views::PageRequest::first(200),
                            Default::default(),
                        )
                        .unwrap();
                    m.threads
                        .insert(s.id, (v.summary.title.clone(), v.summary.closed));
                    for r in &v.reactions {
                        m.reactions.insert(
                            (ReactionTarget::Thread(s.id), r.emoji.clone()),
                            r.people.iter().map(|p| p.id).collect(),
                        );
                    }
                    for c in &v.comments.items {
                        m.comments.insert(c.id, c.body_markdown.clone());
                        for r in &c.reactions {
                            m.reactions.insert(
                                (ReactionTarget::Comment(c.id), r.emoji.clone()),
                                r.people.iter().map(|p| p.id).collect(),
                            );
                        }
                    }
                }
                match list.next {
                    Some(n) => page.cursor = Some(n),
                    None => break,
                }
            }
        }
        m
    }
}

/// The acts whose merge rules [`Model`] knows completely.
fn content_act() -> impl Strategy<Value = Act> {
    let s = any::<u8>();
    prop_oneof![
        1 => Just(Act::Channel),
        1 => s.prop_map(Act::RenameChannel),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Archive(a, b)),
        4 => (s, s, any::<bool>()).prop_map(|(channel, notify, mention)| Act::Thread { channel, notify, mention }),
        8 => (s, s).prop_map(|(thread, mention)| Act::Comment { thread, mention }),
        3 => s.prop_map(Act::Edit),
        2 => s.prop_map(Act::Delete),
        2 => s.prop_map(Act::Retitle),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Close(a, b)),
        3 => (s, any::<bool>(), 0u8..3, any::<bool>())
            .prop_map(|(target, on_comment, emoji, on)| Act::React { target, on_comment, emoji, on }),
    ]
}

/// Devices, each device's clock offset in minutes, acts, batch cuts, a
/// shuffle seed and which channel's creation one replica never gets.
type ModelScenario = (usize, Vec<i64>, Vec<(usize, u64, Act)>, Vec<usize>, u64, u8);

fn model_scenario() -> impl Strategy<Value = ModelScenario> {
    (3usize..=5).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec(-8i64..=8, n),
            prop::collection::vec((0..n, 0u64..3, content_act()), 1..40),
            prop::collection::vec(any::<usize>(), 0..12),
            any::<u64>(),
            any::<u8>(),
        )
    })
}

/// Feeds `batches` to a fresh replica seeing as `member`; returns what it
/// shows and how many ops it refused and holds waiting in all.
fn shown_after(member: MemberId, batches: &[Vec<SignedOp>]) -> (Model, usize, usize) {
    let (store, _clock, _dir) = replica(member, &[], t0() + Duration::minutes(30));
    let (mut refused, mut pending) = (0, 0);
    for b in batches {
        let r = store.apply_remote(b.clone()).unwrap();
        assert_eq!(r.from_future, 0, "nothing is beyond the allowed skew");
        refused += r.rejected.len();
        pending += r.pending;
    }
    (Model::shown(&store), refused, pending)
}

proptest! {
    #![proptest_config(Config {
        // A fifth of the convergence cases: each case opens a replica per
        // person and one more.
        cases: std::env::var("TIDINGS_PROPTEST_CASES").ok().and_then(|v| v.parse::<u32>().ok()).map_or(300, |c| (c / 5).max(1)),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    })]

    #[test]
    fn every_person_sees_what_a_model_of_the_merge_rules_predicts(
        (n, offsets, acts, cuts, seed, lost) in model_scenario()
    ) {
        let mut w = World::new(n);
        // Device clocks minutes apart: later acts may carry earlier ids.
        for (d, off) in w.devs.iter_mut().zip(&offsets) {
            d.hlc.ms = d.hlc.ms.saturating_add_signed(off * 60_000);
        }
        for (dev, skew, a) in &acts {
            w.do_act(*dev, *skew, a);
        }
        let ops: Vec<Op> = w.ops.iter().map(|s| s.decode_unverified().unwrap()).collect();
        let want = Model::of(&ops);
        let decoded = |b: &[Vec<SignedOp>]| -> Vec<Op> {
            b.iter().flatten().map(|s| s.decode_unverified().unwrap()).collect()
        };

        let mut shuffled = w.ops.clone();
        let mut rng = seed;
        for i in (1..shuffled.len()).rev() {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (rng >> 33) as usize % (i + 1));
        }
        let mut reversed = w.ops.clone();
        reversed.reverse();
        let one_by_one: Vec<Vec<SignedOp>> = w.ops.iter().map(|o| vec![o.clone()]).collect();
        // Every person (the last device is the first person's second one),
        // each fed another order.
        for p in 0..n - 1 {
            let batches = match p % 3 {
                0 => one_by_one.clone(),
                1 => cut(shuffled.clone(), &cuts),
                _ => cut(reversed.clone(), &[1, 3]),
            };
            let (got, refused, pending) = shown_after(w.devs[p].member, &batches);
            prop_assert_eq!(&got, &want, "person {} sees other content than the model", p);
            prop_assert_eq!((refused, pending), Model::arrival_counts(&decoded(&batches)), "person {}: (refused, waiting) on arrival", p);
        }

        // A replica that never gets one channel's creation holds exactly
        // what depends on it, and shows the rest.
        let created: Vec<usize> = ops
            .iter()
            .enumerate()
            .filter(|(_, o)| matches!(o.kind, OpKind::ChannelCreated { .. }))
            .map(|(i, _)| i)
            .collect();
        let gone = created[lost as usize % created.len()];
        let rest_ops: Vec<Op> = ops.iter().enumerate().filter(|(i, _)| *i != gone).map(|(_, o)| o.clone()).collect();
        let rest: Vec<SignedOp> = w.ops.iter().enumerate().filter(|(i, _)| *i != gone).map(|(_, o)| o.clone()).collect();
        let (got, refused, pending) = shown_after(w.devs[1].member, std::slice::from_ref(&rest));
        prop_assert_eq!(&got, &Model::of(&rest_ops), "without a channel");
        prop_assert_eq!((refused, pending), Model::arrival_counts(&rest_ops), "without a channel: (refused, waiting)");
    }
}
