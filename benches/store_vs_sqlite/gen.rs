//! A deterministic, realistic workspace: 30 people on 30 devices, 50
//! channels, threads and comments with markdown (paragraphs, lists, code,
//! links, quotes), @mentions, named people, reactions, and the local
//! person's read markers.
//!
//! Everything comes from one seeded `StdRng`, so two runs produce the same
//! text and the same ids (only "me", whose id the store picks when it
//! joins, differs). Events are produced in time order, in batches, so a
//! million comments never sit in memory at once. Each [`Event`] carries
//! the Tidings op and a [`Row`] with the same facts in the integer-keyed
//! form the SQLite peer stores.

use std::collections::VecDeque;

use ed25519_dalek::SigningKey;
use rand::distributions::WeightedIndex;
use rand::prelude::*;
use rand::rngs::StdRng;
use tidings::model::ids::{
    ChannelId, CommentId, DeviceId, Hlc, MemberId, OpId, ThreadId, WorkspaceId,
};
use tidings::model::op::{Op, OpKind, ReactionTarget};
use tidings::model::profile::{handle_of, Profile, WorkingHours};
use tidings::model::signed::SignedOp;

use crate::words::{CHANNEL_WORDS, EMOJI, FIRST, LAST, VOCAB, ZONES};

/// People in the workspace (person 0 is "me", the local person).
pub const PEOPLE: usize = 30;
/// Channels in the workspace.
pub const CHANNELS: usize = 50;
/// The seed of every generated workspace.
pub const SEED: u64 = 0x7469_6469_6e67_7331;
/// First op of the timeline: 2025-01-01T00:00:00Z.
const START_MS: i64 = 1_735_689_600_000;
/// The timeline spans a year.
const SPAN_MS: i64 = 365 * 24 * 3600 * 1000;

/// How big a workspace to generate.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    /// Threads.
    pub threads: usize,
    /// Comments.
    pub comments: usize,
}

impl Size {
    /// 20k threads and 1M comments at scale 1.0.
    pub fn at_scale(scale: f64) -> Size {
        Size {
            threads: ((20_000.0 * scale).round() as usize).max(20),
            comments: ((1_000_000.0 * scale).round() as usize).max(200),
        }
    }
}

/// A person and their one device.
pub struct Person {
    /// Member id (for person 0, the id the store chose).
    pub id: MemberId,
    /// Device key.
    pub key: SigningKey,
    /// Display name.
    pub name: String,
    /// `@handle`.
    pub handle: String,
    /// IANA zone.
    pub tz: &'static str,
}

impl Person {
    /// Their (generated) device.
    pub fn device(&self) -> DeviceId {
        DeviceId(self.key.verifying_key().to_bytes())
    }

    /// Their profile.
    pub fn profile(&self) -> Profile {
        Profile {
            display_name: self.name.clone(),
            time_zone: self.tz.to_string(),
            working_hours: WorkingHours::default(),
        }
    }
}

/// A reaction's target, by index.
#[derive(Clone, Copy, Debug)]
pub enum RowTarget {
    /// A thread's opening post.
    Thread(usize),
    /// A comment.
    Comment(usize),
}

/// The facts of one event, keyed by index (SQLite ids are index + 1).
#[derive(Clone, Debug)]
pub enum Row {
    /// A person founded the workspace, joined it, or (me) set a profile.
    Member {
        /// Who.
        person: usize,
    },
    /// A channel.
    Channel {
        /// Index.
        channel: usize,
        /// Name.
        name: String,
        /// Topic.
        topic: String,
    },
    /// A thread.
    Thread {
        /// Index.
        thread: usize,
        /// Channel index.
        channel: usize,
        /// Person index.
        author: usize,
        /// Title.
        title: String,
        /// Markdown.
        body: String,
        /// Unix ms (unique across the timeline).
        at: i64,
        /// People named to notify.
        notify: Vec<usize>,
        /// People @mentioned.
        mentions: Vec<usize>,
    },
    /// A comment.
    Comment {
        /// Index.
        comment: usize,
        /// Thread index.
        thread: usize,
        /// Person index.
        author: usize,
        /// Markdown.
        body: String,
        /// Unix ms.
        at: i64,
        /// People @mentioned.
        mentions: Vec<usize>,
    },
    /// A reaction set.
    Reaction {
        /// On what.
        target: RowTarget,
        /// Person index.
        member: usize,
        /// Emoji.
        emoji: &'static str,
    },
    /// The local person read a thread up to an item.
    Read {
        /// Thread index.
        thread: usize,
        /// `at` of the last item read.
        up_to: i64,
    },
}

/// One generated event: the op (unsigned), who signs it, and its facts.
pub struct Event {
    /// The op.
    pub op: Op,
    /// Index of the person whose device signs it.
    pub signer: usize,
    /// The same facts for SQLite.
    pub row: Row,
}

struct ThreadState {
    id: ThreadId,
    /// Last item (opening post or comment): op id and ms.
    last: (OpId, i64),
}

fn person_name(i: usize) -> String {
    format!("{} {}", FIRST[i % FIRST.len()], LAST[(i * 7) % LAST.len()])
}

/// My profile (person 0), known before the store picks my member id.
pub fn my_profile() -> Profile {
    Profile {
        display_name: person_name(0),
        time_zone: ZONES[0].to_string(),
        working_hours: WorkingHours::default(),
    }
}

/// The generator.
pub struct Generator {
    rng: StdRng,
    size: Size,
    /// Everyone; person 0 is me.
    pub people: Vec<Person>,
    /// Channel ids by index.
    pub channels: Vec<ChannelId>,
    threads: Vec<ThreadState>,
    recent_comments: VecDeque<(usize, CommentId)>,
    /// Every comment's id by index (SQLite id = index + 1).
    comment_ids: Vec<CommentId>,
    comments: usize,
    now_ms: i64,
    gap_ms: f64,
    setup: VecDeque<Event>,
    authors: WeightedIndex<f64>,
    channel_pick: WeightedIndex<f64>,
    text: Text,
}

impl Generator {
    /// A workspace of `size` in which person 0 is `me`.
    pub fn new(size: Size, me: MemberId) -> Generator {
        let mut rng = StdRng::seed_from_u64(SEED);
        let people: Vec<Person> = (0..PEOPLE)
            .map(|i| {
                let name = person_name(i);
                let key = SigningKey::from_bytes(&rng.gen());
                Person {
                    // A person is named after the device that founded
                    // them; me after the store's own device.
                    id: if i == 0 {
                        me
                    } else {
                        MemberId::for_device(DeviceId(key.verifying_key().to_bytes()))
                    },
                    key,
                    handle: handle_of(&name),
                    name,
                    tz: ZONES[i % ZONES.len()],
                }
            })
            .collect();
        // Activity follows a Zipf-like curve; "me" is moderately active
        // (about 4% of what is written), not the loudest person.
        let mut weights: Vec<f64> = (0..PEOPLE)
            .map(|i| 1.0 / (i as f64 + 1.0).powf(0.8))
            .collect();
        weights.swap(0, 4);
        let authors = WeightedIndex::new(&weights).expect("positive weights");
        let channel_w: Vec<f64> = (0..CHANNELS)
            .map(|i| 1.0 / (i as f64 + 1.0).powf(0.9))
            .collect();
        let channel_pick = WeightedIndex::new(&channel_w).expect("positive weights");
        let text = Text::new(&people);
        // About two ops per comment (reactions, reads, threads).
        let gap_ms = SPAN_MS as f64 / (size.comments as f64 * 2.0);
        let mut g = Generator {
            rng,
            size,
            people,
            channels: Vec::new(),
            threads: Vec::new(),
            recent_comments: VecDeque::new(),
            comment_ids: Vec::new(),
            comments: 0,
            now_ms: START_MS,
            gap_ms,
            setup: VecDeque::new(),
            authors,
            channel_pick,
            text,
        };
        g.make_setup();
        g
    }

    /// Thread ids by index.
    pub fn thread_ids(&self) -> Vec<ThreadId> {
        self.threads.iter().map(|t| t.id).collect()
    }

    /// Comment ids by index (SQLite id = index + 1).
    pub fn comment_ids(&self) -> &[CommentId] {
        &self.comment_ids
    }

    /// Comments so far.
    pub fn comment_count(&self) -> usize {
        self.comments
    }

    fn tick(&mut self) -> i64 {
        let u: f64 = self.rng.gen_range(f64::EPSILON..1.0);
        let step = (-u.ln() * self.gap_ms).max(1.0) as i64;
        self.now_ms += step.max(1);
        self.now_ms
    }

    fn op(&mut self, signer: usize, author: usize, kind: OpKind) -> (Op, i64) {
        let at = self.tick();
        let op = Op {
            id: OpId {
                hlc: Hlc {
                    ms: at as u64,
                    counter: 0,
                },
                device: DeviceId(self.people[signer].key.verifying_key().to_bytes()),
            },
            author: self.people[author].id,
            kind,
        };
        (op, at)
    }

    fn push_setup(&mut self, person: usize, kind: OpKind, row: Row) {
        let (op, _) = self.op(person, person, kind);
        self.setup.push_back(Event {
            op,
            signer: person,
            row,
        });
    }

    fn make_setup(&mut self) {
        // Person 1 founds the workspace. Me (person 0) joined from the
        // store's own device, which then added my generated device (the
        // one signing my history); the profile op puts me in SQLite too.
        let founder = OpKind::WorkspaceCreated {
            workspace: WorkspaceId(self.rng.gen()),
            name: "Acme Robotics".into(),
            profile: self.people[1].profile(),
        };
        self.push_setup(1, founder, Row::Member { person: 1 });
        let mine = OpKind::ProfileUpdated {
            profile: self.people[0].profile(),
        };
        self.push_setup(0, mine, Row::Member { person: 0 });
        for p in 2..PEOPLE {
            let kind = OpKind::MemberJoined {
                profile: self.people[p].profile(),
            };
            self.push_setup(p, kind, Row::Member { person: p });
        }
        for c in 0..CHANNELS {
            let id = ChannelId(self.rng.gen());
            self.channels.push(id);
            let name = format!(
                "{}-{}",
                CHANNEL_WORDS[c % CHANNEL_WORDS.len()],
                c / CHANNEL_WORDS.len() + 1
            );
            let topic = self.text.sentence(&mut self.rng, 6, 14);
            let creator = self.authors.sample(&mut self.rng);
            let kind = OpKind::ChannelCreated {
                channel: id,
                name: name.clone(),
                topic: topic.clone(),
            };
            self.push_setup(
                creator,
                kind,
                Row::Channel {
                    channel: c,
                    name,
                    topic,
                },
            );
        }
    }

    /// Up to `n` events of the configured workspace; empty when done.
    pub fn next_batch(&mut self, n: usize) -> Vec<Event> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            if let Some(e) = self.setup.pop_front() {
                out.push(e);
                continue;
            }
            if self.comments >= self.size.comments {
                break;
            }
            self.step(&mut out);
        }
        out
    }

    /// `n` more events after the configured workspace (new activity
    /// arriving from teammates), minutes apart rather than spread over a year.
    pub fn more(&mut self, n: usize) -> Vec<Event> {
        self.gap_ms = 50.0;
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            self.step(&mut out);
        }
        out
    }

    fn step(&mut self, out: &mut Vec<Event>) {
        let due_threads = ((self.comments as u128 + 1) * self.size.threads as u128)
            .div_ceil(self.size.comments.max(1) as u128) as usize;
        if self.threads.is_empty()
            || (self.threads.len() < due_threads && self.threads.len() < self.size.threads)
        {
            self.new_thread(out);
        } else {
            self.new_comment(out);
        }
    }

    fn some_people(&mut self, max: usize, not: usize) -> Vec<usize> {
        let n = self.rng.gen_range(1..=max);
        let mut v: Vec<usize> = (0..n)
            .map(|_| self.authors.sample(&mut self.rng))
            .filter(|p| *p != not)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn new_thread(&mut self, out: &mut Vec<Event>) {
        let author = self.authors.sample(&mut self.rng);
        let channel = self.channel_pick.sample(&mut self.rng);
        let mentions = if self.rng.gen_bool(0.2) {
            self.some_people(2, author)
        } else {
            Vec::new()
        };
        let notify = if self.rng.gen_bool(0.2) {
            self.some_people(3, author)
        } else {
            Vec::new()
        };
        let title = self.text.title(&mut self.rng);
        let body = self.text.body(&mut self.rng, &mentions, true);
        let id = ThreadId(self.rng.gen());
        let kind = OpKind::ThreadCreated {
            thread: id,
            channel: self.channels[channel],
            title: title.clone(),
            body: body.clone(),
            notify: notify.iter().map(|p| self.people[*p].id).collect(),
            mentions: mentions.iter().map(|p| self.people[*p].id).collect(),
        };
        let (op, at) = self.op(author, author, kind);
        let index = self.threads.len();
        self.threads.push(ThreadState {
            id,
            last: (op.id, at),
        });
        out.push(Event {
            op,
            signer: author,
            row: Row::Thread {
                thread: index,
                channel,
                author,
                title,
                body,
                at,
                notify,
                mentions,
            },
        });
    }

    /// Recent threads get most comments; some old ones come back.
    fn pick_thread(&mut self) -> usize {
        let n = self.threads.len();
        if self.rng.gen_bool(0.08) {
            return self.rng.gen_range(0..n);
        }
        let u: f64 = self.rng.gen();
        let back = ((u.powi(4)) * n as f64) as usize;
        n - 1 - back.min(n - 1)
    }

    fn read(&mut self, thread: usize, out: &mut Vec<Event>) {
        let (up_to, up_to_ms) = self.threads[thread].last;
        let kind = OpKind::ReadUpTo {
            thread: self.threads[thread].id,
            up_to,
        };
        let (op, _) = self.op(0, 0, kind);
        out.push(Event {
            op,
            signer: 0,
            row: Row::Read {
                thread,
                up_to: up_to_ms,
            },
        });
    }

    fn new_comment(&mut self, out: &mut Vec<Event>) {
        let thread = self.pick_thread();
        let author = self.authors.sample(&mut self.rng);
        if author == 0 {
            // One reads a thread before answering in it.
            self.read(thread, out);
        }
        let mentions = if self.rng.gen_bool(0.15) {
            self.some_people(2, author)
        } else {
            Vec::new()
        };
        let body = self.text.body(&mut self.rng, &mentions, false);
        let id = CommentId(self.rng.gen());
        let kind = OpKind::CommentAdded {
            comment: id,
            thread: self.threads[thread].id,
            body: body.clone(),
            mentions: mentions.iter().map(|p| self.people[*p].id).collect(),
        };
        let (op, at) = self.op(author, author, kind);
        self.threads[thread].last = (op.id, at);
        let index = self.comments;
        self.comments += 1;
        self.comment_ids.push(id);
        self.recent_comments.push_back((index, id));
        if self.recent_comments.len() > 500 {
            self.recent_comments.pop_front();
        }
        out.push(Event {
            op,
            signer: author,
            row: Row::Comment {
                comment: index,
                thread,
                author,
                body,
                at,
                mentions,
            },
        });
        // Reactions land on recent comments, sometimes on thread posts.
        while self.rng.gen_bool(0.3) {
            let member = self.authors.sample(&mut self.rng);
            let emoji = EMOJI[self.rng.gen_range(0..EMOJI.len())];
            let (target, row_target) = if self.rng.gen_bool(0.15) {
                let t = self.pick_thread();
                (
                    ReactionTarget::Thread(self.threads[t].id),
                    RowTarget::Thread(t),
                )
            } else {
                let back = self.rng.gen_range(0..self.recent_comments.len().min(50));
                let (ci, cid) = self.recent_comments[self.recent_comments.len() - 1 - back];
                (ReactionTarget::Comment(cid), RowTarget::Comment(ci))
            };
            let kind = OpKind::ReactionSet {
                target,
                emoji: emoji.to_string(),
                on: true,
            };
            let (op, _) = self.op(member, member, kind);
            out.push(Event {
                op,
                signer: member,
                row: Row::Reaction {
                    target: row_target,
                    member,
                    emoji,
                },
            });
        }
        // I keep up with some of what happens, not all of it.
        if author != 0 && self.rng.gen_bool(0.45) {
            self.read(thread, out);
        }
    }

    /// Comment bodies for posting benchmarks (own stream, same style).
    pub fn post_bodies(&self, n: usize) -> Vec<String> {
        let mut rng = StdRng::seed_from_u64(SEED ^ 0x5057);
        (0..n)
            .map(|_| {
                let m = if rng.gen_bool(0.15) {
                    vec![rng.gen_range(1..PEOPLE)]
                } else {
                    Vec::new()
                };
                self.text.body(&mut rng, &m, false)
            })
            .collect()
    }
}

/// Search queries as people type them.
pub fn queries(n: usize) -> Vec<SearchText> {
    let mut rng = StdRng::seed_from_u64(SEED ^ 0x5345);
    // Words people search for: not the stop words at the top of the
    // curve, not the rarest ones either.
    let lo = 25.min(VOCAB.len() - 1);
    let word = |rng: &mut StdRng| VOCAB[rng.gen_range(lo..VOCAB.len())].to_string();
    (0..n)
        .map(|i| match i % 3 {
            0 => SearchText::Words(vec![word(&mut rng)]),
            1 => SearchText::Words(vec![word(&mut rng), word(&mut rng)]),
            _ => {
                let mut w = word(&mut rng);
                while w.len() < 5 {
                    w = word(&mut rng);
                }
                let keep = rng.gen_range(3..w.len());
                w.truncate(keep);
                SearchText::Prefix(w)
            }
        })
        .collect()
}

/// A search as typed: whole words, or a word still being typed.
#[derive(Clone, Debug)]
pub enum SearchText {
    /// Every word must match exactly.
    Words(Vec<String>),
    /// One prefix ("deplo" finds "deploy", "deployment").
    Prefix(String),
}

impl SearchText {
    /// Which kind, for per-kind statistics.
    pub fn kind(&self) -> &'static str {
        match self {
            SearchText::Words(w) if w.len() == 1 => "1 word",
            SearchText::Words(_) => "2 words",
            SearchText::Prefix(_) => "prefix",
        }
    }
}

/// Signs events on every core (sending devices' work, not timed).
pub fn sign(events: &[Event], people: &[Person]) -> anyhow::Result<Vec<SignedOp>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = events.len().div_ceil(workers).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = events
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|e| {
                            SignedOp::sign(&e.op, &people[e.signer].key)
                                .map_err(anyhow::Error::from)
                        })
                        .collect::<anyhow::Result<Vec<_>>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(events.len());
        for h in handles {
            out.extend(
                h.join()
                    .map_err(|_| anyhow::anyhow!("a signing thread panicked"))??,
            );
        }
        Ok(out)
    })
}

/// Markdown text in the style of a software team.
struct Text {
    words: WeightedIndex<f64>,
    handles: Vec<String>,
}

impl Text {
    fn new(people: &[Person]) -> Text {
        let w: Vec<f64> = (0..VOCAB.len()).map(|i| 1.0 / (i as f64 + 1.0)).collect();
        Text {
            words: WeightedIndex::new(&w).expect("positive weights"),
            handles: people.iter().map(|p| p.handle.clone()).collect(),
        }
    }

    fn word(&self, rng: &mut StdRng) -> &'static str {
        VOCAB[self.words.sample(rng)]
    }

    fn sentence(&self, rng: &mut StdRng, min: usize, max: usize) -> String {
        let n = rng.gen_range(min..=max);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            let w = self.word(rng);
            match rng.gen_range(0..40) {
                0 => s.push_str(&format!("`{w}()`")),
                1 => s.push_str(&format!("**{w}**")),
                2 => s.push_str(&format!("_{w}_")),
                3 => s.push_str(&format!(
                    "[{w}](https://git.example.com/acme/{w}/pull/{})",
                    rng.gen_range(10..9999)
                )),
                4 => s.push_str(&format!(
                    "v{}.{}.{}",
                    rng.gen_range(0..4),
                    rng.gen_range(0..20),
                    rng.gen_range(0..10)
                )),
                _ => s.push_str(w),
            }
        }
        if let Some(first) = s.get(..1) {
            let up = first.to_uppercase();
            s.replace_range(..1, &up);
        }
        s.push(['.', '.', '.', '?', '!'][rng.gen_range(0..5)]);
        s
    }

    fn title(&self, rng: &mut StdRng) -> String {
        let mut t = self.sentence(rng, 3, 8);
        t.retain(|c| !matches!(c, '`' | '*' | '_' | '[' | ']' | '(' | ')'));
        t.pop();
        t.chars().take(120).collect()
    }

    fn body(&self, rng: &mut StdRng, mentions: &[usize], long: bool) -> String {
        let mut b = String::new();
        let paragraphs = if long {
            rng.gen_range(1..=4)
        } else {
            rng.gen_range(1..=2)
        };
        for p in 0..paragraphs {
            if p > 0 {
                b.push_str("\n\n");
            }
            if p == 0 && !mentions.is_empty() {
                for m in mentions {
                    b.push('@');
                    b.push_str(&self.handles[*m]);
                    b.push(' ');
                }
            }
            let sentences = rng.gen_range(1..=3);
            for s in 0..sentences {
                if s > 0 {
                    b.push(' ');
                }
                b.push_str(&self.sentence(rng, 4, 16));
            }
        }
        if rng.gen_bool(if long { 0.35 } else { 0.12 }) {
            b.push_str("\n\n");
            for _ in 0..rng.gen_range(2..=5) {
                let item = self.sentence(rng, 2, 8);
                if rng.gen_bool(0.3) {
                    b.push_str(&format!(
                        "- [{}] {item}\n",
                        if rng.gen_bool(0.5) { "x" } else { " " }
                    ));
                } else {
                    b.push_str(&format!("- {item}\n"));
                }
            }
        }
        if rng.gen_bool(if long { 0.3 } else { 0.08 }) {
            let lang = ["rust", "sh", "json", "python", "ts"][rng.gen_range(0..5)];
            b.push_str(&format!("\n\n```{lang}\n"));
            for _ in 0..rng.gen_range(2..=8) {
                let (a, c) = (self.word(rng), self.word(rng));
                b.push_str(&format!(
                    "let {a}_{c} = {a}::{c}({});\n",
                    rng.gen_range(0..1000)
                ));
            }
            b.push_str("```");
        }
        if rng.gen_bool(0.05) {
            b.push_str("\n\n> ");
            b.push_str(&self.sentence(rng, 5, 12));
        }
        b
    }
}
