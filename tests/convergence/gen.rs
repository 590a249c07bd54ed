//! Op generation: what a device does ([`Act`]), the strategies that pick
//! acts, and the [`World`] that turns acts into signed ops as devices would
//! make them (ids from each device's own clock, selectors resolved among
//! what exists so far, including things another replica has not seen and
//! acts a person may not make).

use chrono::{Duration, NaiveDate};
use ed25519_dalek::SigningKey;
use proptest::prelude::*;
use tidings::model::away::Away;
use tidings::model::checkin::{Checkin, EVERY_DAY, WEEKDAYS};
use tidings::model::ids::{
    ChannelId, CheckinId, CommentId, DeviceId, Hlc, MemberId, OpId, ThreadId, WorkspaceId,
};
use tidings::model::later::Later;
use tidings::model::op::{Op, OpKind, ReactionTarget};
use tidings::model::profile::{NotificationSettings, NotifyLevel};
use tidings::model::schedule::{PostRef, Reveal, ScheduledPost};
use tidings::model::signed::SignedOp;
use tidings::model::urgent::UrgentSettings;

use crate::util::{person, t0};

/// One thing a device does; selectors pick among what exists so far.
#[derive(Clone, Debug)]
pub enum Act {
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
    /// Edit a comment, perhaps @mentioning someone in the new body.
    Edit(u8, Option<u8>),
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
    /// My urgent break-through: off for everyone, or not.
    UrgentSettings(bool),
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

pub fn act() -> impl Strategy<Value = Act> {
    let s = any::<u8>();
    prop_oneof![
        1 => Just(Act::Channel),
        1 => s.prop_map(Act::RenameChannel),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Archive(a, b)),
        4 => (s, s, any::<bool>()).prop_map(|(channel, notify, mention)| Act::Thread { channel, notify, mention }),
        8 => (s, s).prop_map(|(thread, mention)| Act::Comment { thread, mention }),
        2 => (s, prop::option::of(s)).prop_map(|(a, b)| Act::Edit(a, b)),
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
        1 => any::<bool>().prop_map(Act::UrgentSettings),
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

/// The acts whose merge rules the model ([`super::model`]) knows:
/// everything but sending later, reply-by and urgent marks, and Later
/// items that remind on a reply (see the module doc for why).
pub fn model_act() -> impl Strategy<Value = Act> {
    let s = any::<u8>();
    prop_oneof![
        1 => Just(Act::Channel),
        1 => s.prop_map(Act::RenameChannel),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Archive(a, b)),
        4 => (s, s, any::<bool>()).prop_map(|(channel, notify, mention)| Act::Thread { channel, notify, mention }),
        8 => (s, s).prop_map(|(thread, mention)| Act::Comment { thread, mention }),
        3 => (s, prop::option::of(s)).prop_map(|(a, b)| Act::Edit(a, b)),
        2 => s.prop_map(Act::Delete),
        2 => s.prop_map(Act::Retitle),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Close(a, b)),
        3 => (s, any::<bool>(), 0u8..3, any::<bool>())
            .prop_map(|(target, on_comment, emoji, on)| Act::React { target, on_comment, emoji, on }),
        3 => s.prop_map(Act::Read),
        2 => (s, any::<bool>()).prop_map(|(a, b)| Act::Done(a, b)),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Mute(a, b)),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Follow(a, b)),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::Snooze(a, b)),
        2 => (s, prop::sample::select(vec![0u8, 1, 2, 5])).prop_map(|(a, b)| Act::Later(a, b)),
        1 => any::<bool>().prop_map(Act::Settings),
        1 => any::<bool>().prop_map(Act::UrgentSettings),
        1 => Just(Act::Profile),
        1 => any::<bool>().prop_map(Act::Away),
        1 => (s, prop::option::of(s)).prop_map(|(channel, person)| Act::CheckinCreate { channel, person }),
        1 => (s, 0u8..4).prop_map(|(a, b)| Act::CheckinEdit(a, b)),
        1 => (s, any::<bool>()).prop_map(|(a, b)| Act::CheckinPause(a, b)),
        1 => s.prop_map(Act::CheckinStop),
        2 => (s, 0u8..2, prop::option::of(0u8..3))
            .prop_map(|(checkin, date, text)| Act::CheckinAnswer { checkin, date, text }),
    ]
}

/// A device: its key, its person, its clock.
pub struct Dev {
    pub key: SigningKey,
    pub member: MemberId,
    pub hlc: Hlc,
}

/// Builds signed ops as devices would, tracking what exists.
pub struct World {
    pub devs: Vec<Dev>,
    channels: Vec<ChannelId>,
    threads: Vec<ThreadId>,
    thread_ops: Vec<OpId>,
    pub comments: Vec<CommentId>,
    /// Scheduled comments and their threads.
    scheduled: Vec<(CommentId, ThreadId)>,
    /// Reply-by ops and their threads.
    asks: Vec<(OpId, ThreadId)>,
    /// Check-ins: id, channel, creator.
    checkins: Vec<(CheckinId, ChannelId, MemberId)>,
    pub ops: Vec<SignedOp>,
    next_id: u128,
}

fn pick<T: Copy>(v: &[T], sel: u8) -> Option<T> {
    (!v.is_empty()).then(|| v[sel as usize % v.len()])
}

impl World {
    pub fn new(n_devices: usize) -> World {
        let mut w = World {
            devs: Vec::new(),
            channels: Vec::new(),
            threads: Vec::new(),
            thread_ops: Vec::new(),
            comments: Vec::new(),
            scheduled: Vec::new(),
            asks: Vec::new(),
            checkins: Vec::new(),
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

    pub fn emit(&mut self, dev: usize, skew: u64, kind: OpKind) -> OpId {
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

    pub fn do_act(&mut self, dev: usize, skew: u64, a: &Act) {
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
            Act::Edit(s, mention) => {
                let Some(c) = pick(&self.comments, s) else {
                    return;
                };
                OpKind::CommentEdited {
                    comment: c,
                    body: format!("edited by {dev}"),
                    mentions: mention.map(|m| someone(self, m)).into_iter().collect(),
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
            Act::UrgentSettings(off) => OpKind::UrgentSettingsSet {
                settings: UrgentSettings {
                    off_for_everyone: off,
                    off_from: vec![],
                },
            },
            Act::Profile => OpKind::ProfileUpdated {
                // A name per op, so a replica keeping the wrong one shows.
                profile: person(
                    &format!("Dev {dev} renamed {}", self.ops.len()),
                    "America/New_York",
                ),
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
                    note: format!("away {dev} {}", self.ops.len()),
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
                OpKind::CheckinStopped { checkin: c }
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
                OpKind::CheckinAnswered {
                    checkin: c,
                    date,
                    body,
                }
            }
        };
        self.emit(dev, skew, kind);
    }
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
