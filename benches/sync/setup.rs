//! The workspace every measurement runs in, built the way people build it:
//! Ana founds it with a NATS target, Ben joins by invite and syncs, Ana
//! opens threads that name Ben (so he follows them, and their comments
//! reach his inbox and his notification policy). Dan joins by invite too
//! but stays unsynced: he is the fresh replica that catches up. Carla is a
//! member whose ops are built and signed directly, without a store, as many
//! as the run asks for: her join, then comments in Ana's threads that
//! mention Dan now and then (the first one in each thread, so Dan follows
//! them all).

use std::path::{Path, PathBuf};

use anyhow::{ensure, Context, Result};
use ed25519_dalek::SigningKey;
use rand::{Rng, RngCore, SeedableRng};
use tidings::model::ids::{CommentId, DeviceId, Hlc, MemberId, OpId, ThreadId, WorkspaceId};
use tidings::model::op::{Op, OpKind};
use tidings::model::profile::{Profile, WorkingHours};
use tidings::model::signed::SignedOp;
use tidings::store::NewThread;
use tidings::sync::config::{NatsAuth, NatsConfig, TargetConfig};
use tidings::sync::envelope;
use tidings::sync::keys::{KeyKind, KeyRing, SecretKey};
use tidings::sync::run::PassReport;
use tidings::sync::{invites, SyncEngine};
use tidings::{Options, Store};
use tokio::runtime::Runtime;

/// Threads Ana opens; Carla's comments go round-robin through them.
pub const THREADS: usize = 50;
/// Every this many of Carla's comments mentions Dan.
const MENTION_EVERY: usize = 20;

/// The Tokio runtime the engines and the raw client share: two workers,
/// as the desktop app and the tests use.
pub fn runtime() -> Result<Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// A store in `dir`, with the real clock and ids (as the app opens it).
/// `SYNC_BENCH_CACHE_MB` overrides sled's cache size (default: the app's,
/// [`tidings::store::DEFAULT_CACHE_BYTES`]), for experiments.
pub fn open_store(dir: &Path) -> Result<Store> {
    let mut opts = Options::default();
    if let Some(mb) = crate::files::cache_mb("SYNC_BENCH_CACHE_MB")? {
        opts.cache_bytes = mb * 1024 * 1024;
    }
    Store::open(dir, opts).with_context(|| format!("open a store in {}", dir.display()))
}

/// A person who works around the clock, so the policy never holds their
/// notifications and a decision is always "now" or "fold".
pub fn person(name: &str) -> Profile {
    Profile {
        display_name: name.into(),
        time_zone: "Europe/Lisbon".into(),
        working_hours: WorkingHours::ALWAYS,
    }
}

/// The NATS target of the benchmark's server.
pub fn nats_target(url: &str) -> TargetConfig {
    TargetConfig::Nats(NatsConfig {
        servers: vec![url.to_string()],
        auth: NatsAuth::None,
        tls: false,
        replicas: 1,
    })
}

/// One catch-up-and-send pass; fails on a sync error.
pub fn sync_once(rt: &Runtime, store: &Store) -> Result<PassReport> {
    let engine = SyncEngine::new(store.clone())?;
    let mut reports = rt.block_on(engine.run_once())?;
    ensure!(reports.len() == 1, "expected one sync target");
    let report = reports.remove(0);
    if let Some(e) = &report.error {
        anyhow::bail!("sync failed: {e}");
    }
    Ok(report)
}

/// The people and their stores.
pub struct Team {
    /// The founder; posts in the latency test.
    pub ana: Store,
    /// Joined and synced; receives live in the latency test.
    pub ben: Store,
    /// Joined by invite, never synced: the catch-up replica.
    pub dan: Store,
    /// Dan's member id.
    pub dan_id: MemberId,
    /// The workspace.
    pub workspace: WorkspaceId,
    /// Its shared key (Carla seals with it).
    pub workspace_key: [u8; 32],
    /// Ana's threads, all naming Ben.
    pub threads: Vec<ThreadId>,
    /// Where every store of the run lives.
    pub root: PathBuf,
}

/// Builds the team on `url`'s server, with stores under `root`.
pub fn team(rt: &Runtime, root: &Path, url: &str) -> Result<Team> {
    let ana = open_store(&root.join("ana"))?;
    let workspace = ana.create_workspace("Acme", person("Ana"))?;
    let general = ana.create_channel("general", "Everything")?;
    ana.add_sync_target(nats_target(url))?;
    sync_once(rt, &ana)?;
    let code = invites::invite_code(&ana)?;

    let ben = open_store(&root.join("ben"))?;
    let (ben_id, _) = invites::join_with_code(&ben, &code, person("Ben"))?;
    sync_once(rt, &ben)?;
    sync_once(rt, &ana)?;

    let mut threads = Vec::with_capacity(THREADS);
    for i in 0..THREADS {
        threads.push(ana.create_thread(NewThread {
            channel: general,
            title: format!("Topic {i}: what we ship next"),
            body: "Let's collect the plan here. **Comments welcome.**".into(),
            notify: vec![ben_id],
        })?);
    }
    sync_once(rt, &ana)?;
    sync_once(rt, &ben)?;

    let dan = open_store(&root.join("dan"))?;
    let (dan_id, _) = invites::join_with_code(&dan, &code, person("Dan"))?;
    let workspace_key = ana
        .sync_secrets()?
        .context("Ana's store has no sync secrets")?
        .workspace_key;
    Ok(Team {
        ana,
        ben,
        dan,
        dan_id,
        workspace,
        workspace_key,
        threads,
        root: root.to_path_buf(),
    })
}

/// Carla's ops: her join, then `n` comments, each signed and sealed.
pub struct Carla {
    /// Her `MemberJoined` op.
    pub joined: SignedOp,
    /// Her comments, in op order.
    pub comments: Vec<SignedOp>,
    /// `(op id text, envelope)` for every op above, join first: what
    /// Tidings publishes.
    pub envelopes: Vec<(String, Vec<u8>)>,
}

impl Carla {
    /// Average envelope size in bytes.
    pub fn envelope_bytes(&self) -> usize {
        let total: usize = self.envelopes.iter().map(|(_, e)| e.len()).sum();
        total / self.envelopes.len().max(1)
    }
}

/// Builds Carla's join and `n` comments, stamped in the recent past one
/// millisecond apart, signed with her device key and sealed with the
/// workspace key.
pub fn carla(team: &Team, n: usize) -> Result<Carla> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut seed = [0u8; 32];
    rng.fill_bytes(&mut seed);
    let key = SigningKey::from_bytes(&seed);
    let device = DeviceId(key.verifying_key().to_bytes());
    let member = MemberId::for_device(device);
    let keys = KeyRing {
        workspace: team.workspace,
        workspace_key: SecretKey::from_bytes(team.workspace_key),
        member,
        personal_key: SecretKey::generate(),
    };
    let now = chrono::Utc::now().timestamp_millis() as u64;
    let start = now - n as u64 - 60_000;
    let sign = |ms: u64, kind: OpKind| -> Result<SignedOp> {
        let op = Op {
            id: OpId {
                hlc: Hlc { ms, counter: 0 },
                device,
            },
            author: member,
            kind,
        };
        Ok(SignedOp::sign(&op, &key)?)
    };
    let joined = sign(
        start,
        OpKind::MemberJoined {
            profile: person("Carla"),
        },
    )?;
    let mut comments = Vec::with_capacity(n);
    for i in 0..n {
        let mention = i < THREADS || i % MENTION_EVERY == 0;
        let mut body = if mention {
            "@dan ".to_string()
        } else {
            String::new()
        };
        body.push_str(&sentence(&mut rng));
        comments.push(sign(
            start + 1 + i as u64,
            OpKind::CommentAdded {
                // A ULID, as the app makes: time first, then random bits.
                comment: CommentId(ulid::Ulid::from_parts(start + 1 + i as u64, rng.gen()).0),
                thread: team.threads[i % team.threads.len()],
                body,
                mentions: if mention { vec![team.dan_id] } else { vec![] },
            },
        )?);
    }
    let mut envelopes = Vec::with_capacity(n + 1);
    for s in std::iter::once(&joined).chain(&comments) {
        let id = s.decode_unverified()?.id.to_text();
        envelopes.push((id, envelope::seal(&keys, KeyKind::Workspace, device, s)?));
    }
    Ok(Carla {
        joined,
        comments,
        envelopes,
    })
}

/// A comment body of 8–40 words (about 50–250 bytes), sometimes with
/// markdown.
pub fn sentence(rng: &mut impl Rng) -> String {
    const WORDS: &[&str] = &[
        "ship", "the", "sync", "today", "review", "branch", "tests", "pass", "on", "my", "machine",
        "latency", "looks", "fine", "but", "we", "should", "measure", "again", "after", "merge",
        "design", "doc", "is", "ready", "for", "feedback", "please", "check", "numbers", "in",
        "staging", "release", "notes", "need", "one", "more", "pass", "agree", "with", "plan",
        "let's", "pair", "tomorrow", "morning", "customer", "asked", "about", "export", "and",
        "search",
    ];
    let n = rng.gen_range(8..=40);
    let mut s = String::with_capacity(n * 7);
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let w = WORDS[rng.gen_range(0..WORDS.len())];
        if rng.gen_ratio(1, 15) {
            s.push_str("**");
            s.push_str(w);
            s.push_str("**");
        } else {
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// A fresh store acting as Dan that already holds the workspace (Ana's
/// ops, Dan's and Carla's joins), for measuring apply without NATS.
pub fn dan_receiver(team: &Team, carla: &Carla, dir: &Path) -> Result<Store> {
    let store = open_store(dir)?;
    store.set_local_member(team.dan_id)?;
    let mut base: Vec<SignedOp> = team.ana.ops().collect::<tidings::Result<_>>()?;
    base.extend(team.dan.ops().collect::<tidings::Result<Vec<_>>>()?);
    base.push(carla.joined.clone());
    let r = store.apply_remote(base)?;
    ensure!(
        r.rejected.is_empty() && r.pending == 0,
        "the base ops did not all apply: {} refused, {} pending",
        r.rejected.len(),
        r.pending
    );
    Ok(store)
}
