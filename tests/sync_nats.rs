//! Sync through a real nats-server on loopback (started by the harness):
//! replicas converge after working offline, a person's devices share their
//! personal state, the server can die mid-exchange, and a 3-node cluster
//! keeps going when a node is killed.

use std::thread;
use std::time::{Duration, Instant};

use tidings::store::NewThread;
use tidings::sync::config::{NatsAuth, NatsConfig, TargetConfig};
use tidings::sync::{invites, SyncEngine};
use tidings::views::PageRequest;

use crate::support::nats_server::{LocalStream, NatsCluster, NatsServer};
use crate::util::{person, Replica};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn nats(urls: Vec<String>, replicas: usize) -> TargetConfig {
    TargetConfig::Nats(NatsConfig {
        servers: urls,
        auth: NatsAuth::None,
        tls: false,
        replicas,
    })
}

/// One server as a sync target.
pub fn nats_target(server: &NatsServer) -> TargetConfig {
    nats(vec![server.url()], 1)
}

/// One catch-up-and-send pass; panics on a sync error.
pub fn sync_once(r: &Replica) -> tidings::sync::run::PassReport {
    let engine = SyncEngine::new(r.store.clone()).unwrap();
    let mut reports = rt().block_on(engine.run_once()).unwrap();
    let report = reports.remove(0);
    assert!(report.error.is_none(), "sync failed: {:?}", report.error);
    report
}

/// Ana founds a workspace syncing through `target`; the others join by invite.
pub fn team(
    target: TargetConfig,
    names: &[&str],
) -> (Vec<Replica>, tidings::model::ids::ChannelId) {
    team_in("Acme", target, names)
}

/// [`team`] with a workspace named `workspace`.
pub fn team_in(
    workspace: &str,
    target: TargetConfig,
    names: &[&str],
) -> (Vec<Replica>, tidings::model::ids::ChannelId) {
    let ana = Replica::new_in_ram(1);
    ana.store
        .create_workspace(workspace, person(names[0], "Europe/Lisbon"))
        .unwrap();
    let general = ana.store.create_channel("general", "").unwrap();
    ana.store.add_sync_target(target).unwrap();
    sync_once(&ana);
    let code = invites::invite_code(&ana.store).unwrap();
    let mut all = vec![ana];
    for (i, name) in names.iter().enumerate().skip(1) {
        let r = Replica::new_in_ram(i as u64 + 1);
        invites::join_with_code(&r.store, &code, person(name, "Asia/Tokyo")).unwrap();
        sync_once(&r);
        all.push(r);
    }
    for r in &all {
        sync_once(r);
    }
    (all, general)
}

fn assert_converged(replicas: &[&Replica]) {
    let first = replicas[0].store.shared_digest().unwrap();
    for r in replicas {
        assert_eq!(r.store.shared_digest().unwrap(), first, "replicas differ");
        for t in r.store.sync_targets().unwrap() {
            assert_eq!(
                r.store.outbox_len(t.id),
                0,
                "something is left in an outbox"
            );
        }
    }
}

#[test]
fn three_teammates_converge_through_nats_after_working_offline() {
    let server = NatsServer::start();
    let (team, general) = team(nats(vec![server.url()], 1), &["Ana", "Ben", "Carla"]);
    let [ana, ben, carla] = &team[..] else {
        unreachable!()
    };
    assert_eq!(ben.store.workspace().unwrap().unwrap().name, "Acme");
    assert_eq!(carla.store.members().unwrap().len(), 3);

    // Everyone works offline for a while.
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Plans".into(),
            body: "What next?".into(),
            notify: vec![],
        })
        .unwrap();
    let random = ben.store.create_channel("random", "").unwrap();
    ben.store
        .create_thread(NewThread {
            channel: random,
            title: "Lunch".into(),
            body: "Sushi?".into(),
            notify: vec![],
        })
        .unwrap();
    carla.store.create_channel("design", "").unwrap();
    for r in [ana, ben, carla] {
        sync_once(r);
    }
    ben.store.add_comment(t, "Ship sync").unwrap();
    carla.store.add_comment(t, "And search").unwrap();
    for r in [ana, ben, carla, ana, ben, carla] {
        sync_once(r);
    }
    assert_converged(&[ana, ben, carla]);
    let v = ana
        .store
        .thread(t, &PageRequest::first(10), Default::default())
        .unwrap();
    assert_eq!(v.comments.items.len(), 2);
    assert_eq!(ana.store.channels().unwrap().len(), 3);
}

#[test]
fn a_thread_read_on_one_of_my_devices_is_read_on_the_other() {
    let server = NatsServer::start();
    let (team, general) = team(nats(vec![server.url()], 1), &["Ana", "Ben"]);
    let [ana, ben] = &team[..] else {
        unreachable!()
    };
    let laptop = Replica::new_in_ram(9);
    let code = invites::link_code(&ana.store, laptop.store.device()).unwrap();
    invites::add_device_with_code(&laptop.store, &code).unwrap();
    sync_once(ana);
    sync_once(&laptop);
    // Only the device the code names can use it.
    let other = Replica::new_in_ram(10);
    assert_eq!(
        invites::add_device_with_code(&other.store, &code)
            .unwrap_err()
            .code,
        tidings::ErrorCode::BadCode
    );
    assert_eq!(laptop.store.me(), ana.store.me());

    let t = ben
        .store
        .create_thread(NewThread {
            channel: general,
            title: "For Ana".into(),
            body: "@ana have a look".into(),
            notify: vec![],
        })
        .unwrap();
    sync_once(ben);
    sync_once(ana);
    sync_once(&laptop);
    assert_eq!(
        laptop
            .store
            .inbox(&PageRequest::first(10))
            .unwrap()
            .items
            .len(),
        1
    );
    ana.store.mark_read(t, None).unwrap();
    sync_once(ana);
    sync_once(&laptop);
    assert!(
        laptop
            .store
            .inbox(&PageRequest::first(10))
            .unwrap()
            .items
            .is_empty(),
        "read on the desktop, read on the laptop"
    );
    // Ben never receives Ana's personal ops, which are sealed with her personal key.
    sync_once(ben);
    assert_converged(&[ana, ben, &laptop]);
    assert!(ben.store.op_count().unwrap() < ana.store.op_count().unwrap());
}

#[test]
fn nothing_acknowledged_is_lost_or_doubled_when_the_server_dies_mid_exchange() {
    let mut server = NatsServer::start();
    let (team, general) = team(nats(vec![server.url()], 1), &["Ana", "Ben"]);
    let [ana, ben] = &team[..] else {
        unreachable!()
    };
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Bulk".into(),
            body: "many comments follow".into(),
            notify: vec![],
        })
        .unwrap();
    let n = 10_000;
    for i in 0..n {
        ana.store.add_comment(t, &format!("comment {i}")).unwrap();
    }
    let target = ana.store.sync_targets().unwrap()[0].id;
    let start = ana.store.outbox_len(target);
    assert!(start > n);

    let store = ana.store.clone();
    let sender = thread::spawn(move || {
        let engine = SyncEngine::new(store).unwrap();
        rt().block_on(engine.run_once()).unwrap()
    });
    // Kill the server once a good part has been acknowledged.
    let deadline = Instant::now() + Duration::from_secs(120);
    while ana.store.outbox_len(target) > start - 3_000 {
        assert!(Instant::now() < deadline, "publishing made no progress");
        thread::sleep(Duration::from_millis(5));
    }
    server.kill();
    let first = sender.join().unwrap();
    server.restart();
    // Keep syncing until the outbox is empty (a pass may end early on a timeout).
    let deadline = Instant::now() + Duration::from_secs(120);
    while ana.store.outbox_len(target) > 0 {
        assert!(
            Instant::now() < deadline,
            "the outbox did not drain after the restart"
        );
        let engine = SyncEngine::new(ana.store.clone()).unwrap();
        let _ = rt().block_on(engine.run_once());
    }
    let _ = first;
    sync_once(ben);
    let v = ben
        .store
        .thread(t, &PageRequest::first(1), Default::default())
        .unwrap();
    assert_eq!(v.summary.comments as usize, n, "every comment arrived");
    assert_converged(&[ana, ben]);
    // Exactly one message per op in the stream: no duplicates.
    let mine = |r: &Replica| {
        r.ops()
            .iter()
            .filter(|o| o.decode_unverified().unwrap().id.device == r.store.device())
            .count()
    };
    let expected = mine(ana) + mine(ben);
    let last = rt().block_on(async {
        let cfg = NatsConfig {
            servers: vec![server.url()],
            auth: NatsAuth::None,
            tls: false,
            replicas: 1,
        };
        let target = tidings::sync::nats::NatsTarget::connect(
            &cfg,
            ana.store.workspace_id().unwrap().unwrap(),
        )
        .await
        .unwrap();
        target.last_sequence().await.unwrap()
    });
    assert_eq!(
        last as usize, expected,
        "the stream holds each op exactly once"
    );
}

#[test]
fn a_three_node_cluster_keeps_syncing_when_a_node_dies_and_catches_it_up() {
    let mut cluster = NatsCluster::start(3);
    let (team, general) = team(nats(cluster.urls(), 3), &["Ana", "Ben"]);
    let [ana, ben] = &team[..] else {
        unreachable!()
    };
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Cluster".into(),
            body: "replicated".into(),
            notify: vec![],
        })
        .unwrap();
    for i in 0..300 {
        ana.store.add_comment(t, &format!("before {i}")).unwrap();
    }
    sync_once(ana);
    cluster.kill(0);
    for i in 0..300 {
        ana.store.add_comment(t, &format!("during {i}")).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(90);
    let target = ana.store.sync_targets().unwrap()[0].id;
    while ana.store.outbox_len(target) > 0 {
        assert!(
            Instant::now() < deadline,
            "the cluster did not accept ops with one node down"
        );
        let engine = SyncEngine::new(ana.store.clone()).unwrap();
        let _ = rt().block_on(engine.run_once());
    }
    sync_once(ben);
    assert_eq!(
        ben.store
            .thread(t, &PageRequest::first(1), Default::default())
            .unwrap()
            .summary
            .comments,
        600
    );
    cluster.restart(0);
    // The returning node itself holds everything again: its own copy of the
    // stream, as its monitoring endpoint reports it, matches the others'.
    let ws = ana.store.workspace_id().unwrap().unwrap();
    let stream = tidings::sync::nats::stream_name(ws);
    let deadline = Instant::now() + Duration::from_secs(60);
    let leader = loop {
        let states: Vec<_> = (0..3).map(|i| cluster.local_stream(i, &stream)).collect();
        if let [Some(n0), Some(n1), Some(n2)] = &states[..] {
            let same = |s: &LocalStream| {
                (s.messages, s.last_seq, &s.leader) == (n0.messages, n0.last_seq, &n0.leader)
            };
            if n0.messages > 600 && n0.leader.is_some() && same(n1) && same(n2) {
                break n0.leader.clone().unwrap();
            }
        }
        assert!(
            Instant::now() < deadline,
            "the restarted node n0 did not catch up itself: {states:?}"
        );
        thread::sleep(Duration::from_millis(20));
    };
    // With the stream's leader gone (another node when n0 leads), two nodes
    // still form a quorum.
    let gone = (1..3).find(|&i| cluster.name(i) == leader).unwrap_or(1);
    cluster.kill(gone);
    // A teammate using only the returning node sees everything through it.
    let carla = Replica::new_in_ram(3);
    let code = invites::invite_code(&ana.store).unwrap();
    invites::join_with_code(&carla.store, &code, person("Carla", "UTC")).unwrap();
    carla
        .store
        .remove_sync_target(carla.store.sync_targets().unwrap()[0].id)
        .unwrap();
    carla
        .store
        .add_sync_target(nats(vec![cluster.url(0)], 3))
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let engine = SyncEngine::new(carla.store.clone()).unwrap();
        let r = rt().block_on(engine.run_once()).unwrap();
        let done = r[0].error.is_none()
            && carla
                .store
                .thread(t, &PageRequest::first(1), Default::default())
                .map(|v| v.summary.comments)
                == Ok(600);
        if done {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the restarted node did not catch up"
        );
    }
}
