//! The NATS transport (tidings::sync::nats) against real nats-server
//! processes: order, de-duplication, filtering, restarts, offline start, a
//! 3-node cluster, and printed throughput and latency.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::support::nats_server::{self, NatsCluster, NatsServer};
use tidings::error::{ErrorCode, Result};
use tidings::model::ids::{MemberId, WorkspaceId};
use tidings::sync::config::{NatsAuth, NatsConfig};
use tidings::sync::nats::{stream_name, Batch, Channel, LinkState, NatsTarget};
use tokio::sync::mpsc::Receiver;

type Item = (String, Channel, Vec<u8>);

fn config(servers: Vec<String>, replicas: usize) -> NatsConfig {
    NatsConfig {
        servers,
        auth: NatsAuth::None,
        tls: false,
        replicas,
    }
}

fn workspace() -> WorkspaceId {
    WorkspaceId(ulid::Ulid::new().0)
}

/// Items whose payload is their id, so a reader can tell them apart.
fn items(prefix: &str, range: std::ops::Range<usize>, channel: Channel) -> Vec<Item> {
    range
        .map(|i| {
            let id = format!("{prefix}-{i:06}");
            let payload = id.clone().into_bytes();
            (id, channel, payload)
        })
        .collect()
}

/// Publishes until everything is acknowledged, calling again with the rest
/// after a failure, as the outbox does.
async fn publish_all(target: &NatsTarget, items: &[Item], limit: Duration) -> usize {
    let deadline = Instant::now() + limit;
    let mut done = 0;
    let mut calls = 0;
    while done < items.len() {
        assert!(Instant::now() < deadline, "publishing took over {limit:?}");
        calls += 1;
        let (n, err) = target.publish(&items[done..]).await;
        done += n;
        if let Some(e) = err {
            assert_eq!(e.code, ErrorCode::SyncFailed);
            eprintln!("publish call {calls}: {n} acked, then: {}", e.message);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    calls
}

/// Receives until `n` messages arrived; fails after `limit`.
async fn collect(
    rx: &mut Receiver<Result<Batch>>,
    n: usize,
    limit: Duration,
) -> Vec<(u64, Vec<u8>)> {
    let deadline = Instant::now() + limit;
    let mut got = Vec::new();
    while got.len() < n {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Some(Ok(batch))) => got.extend(batch),
            Ok(Some(Err(e))) => eprintln!("subscription error (non-fatal): {}", e.message),
            Ok(None) => panic!("subscription ended after {} of {n}", got.len()),
            Err(_) => panic!("received {} of {n} within {limit:?}", got.len()),
        }
    }
    got
}

/// Nothing more arrives within `wait`.
async fn assert_quiet(rx: &mut Receiver<Result<Batch>>, wait: Duration) {
    if let Ok(Some(Ok(batch))) = tokio::time::timeout(wait, rx.recv()).await {
        panic!("unexpected extra messages: {batch:?}");
    }
}

fn assert_in_order(got: &[(u64, Vec<u8>)]) {
    assert!(
        got.windows(2).all(|w| w[0].0 < w[1].0),
        "sequences not strictly increasing"
    );
}

fn payloads(got: &[(u64, Vec<u8>)]) -> Vec<String> {
    got.iter()
        .map(|(_, p)| String::from_utf8(p.clone()).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_1000_and_reads_them_in_order_from_zero_and_from_a_cursor() {
    let server = NatsServer::start();
    let target = NatsTarget::connect(&config(vec![server.url()], 1), workspace())
        .await
        .unwrap();
    assert_eq!(target.state().borrow().0, LinkState::Connected);
    assert_eq!(target.last_sequence().await.unwrap(), 0);

    let all = items("op", 0..1000, Channel::Shared);
    let start = Instant::now();
    let (n, err) = target.publish(&all).await;
    let took = start.elapsed();
    assert_eq!((n, err), (1000, None));
    println!(
        "MEASURE pipelined publish: 1000 in {took:?} = {:.0} msg/s (debug build of the crate)",
        1000.0 / took.as_secs_f64()
    );
    assert_eq!(target.last_sequence().await.unwrap(), 1000);

    let mut rx = target.subscribe(0, vec![Channel::Shared]);
    let got = collect(&mut rx, 1000, Duration::from_secs(10)).await;
    assert_in_order(&got);
    assert_eq!(payloads(&got), payloads_of(&all));
    assert_eq!(got[999].0, 1000);
    assert_quiet(&mut rx, Duration::from_millis(300)).await;

    // From a cursor: only newer ones, then live ones.
    let mut rx = target.subscribe(990, vec![Channel::Shared]);
    let got = collect(&mut rx, 10, Duration::from_secs(5)).await;
    assert_eq!(
        got.iter().map(|g| g.0).collect::<Vec<_>>(),
        (991..=1000).collect::<Vec<_>>()
    );
    let more = items("op", 1000..1005, Channel::Shared);
    assert_eq!(target.publish(&more).await, (5, None));
    let got = collect(&mut rx, 5, Duration::from_secs(5)).await;
    assert_eq!(payloads(&got), payloads_of(&more));
    assert_quiet(&mut rx, Duration::from_millis(300)).await;
}

fn payloads_of(items: &[Item]) -> Vec<String> {
    items.iter().map(|i| i.0.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_message_id_is_stored_once() {
    let server = NatsServer::start();
    let target = NatsTarget::connect(&config(vec![server.url()], 1), workspace())
        .await
        .unwrap();
    let batch = items("dup", 0..50, Channel::Shared);
    assert_eq!(target.publish(&batch).await, (50, None));
    // The whole batch again, and an overlapping one: acknowledged, not stored.
    assert_eq!(target.publish(&batch).await, (50, None));
    let overlap = items("dup", 40..60, Channel::Shared);
    assert_eq!(target.publish(&overlap).await, (20, None));
    assert_eq!(target.last_sequence().await.unwrap(), 60);
    let mut rx = target.subscribe(0, vec![Channel::Shared]);
    let got = collect(&mut rx, 60, Duration::from_secs(5)).await;
    assert_eq!(
        payloads(&got),
        payloads_of(&items("dup", 0..60, Channel::Shared))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_reads_shared_and_own_personal_messages_only() {
    let server = NatsServer::start();
    let ws = workspace();
    let me = MemberId(1);
    let other = MemberId(2);
    let target = NatsTarget::connect(&config(vec![server.url()], 1), ws)
        .await
        .unwrap();
    let mut all = Vec::new();
    for i in 0..30 {
        let channel = match i % 3 {
            0 => Channel::Shared,
            1 => Channel::Personal(me),
            _ => Channel::Personal(other),
        };
        all.extend(items(&format!("c{}", i % 3), i..i + 1, channel));
    }
    assert_eq!(target.publish(&all).await, (30, None));
    assert_eq!(
        Channel::Personal(me).subject(ws),
        format!("tidings.{ws}.personal.{me}")
    );

    let mut rx = target.subscribe(0, vec![Channel::Shared, Channel::Personal(me)]);
    let got = collect(&mut rx, 20, Duration::from_secs(5)).await;
    assert_in_order(&got);
    let expected: Vec<String> = all
        .iter()
        .filter(|i| i.1 != Channel::Personal(other))
        .map(|i| i.0.clone())
        .collect();
    assert_eq!(payloads(&got), expected);
    // Live: another member's personal message never arrives.
    let live = vec![
        items("live-other", 0..1, Channel::Personal(other)).remove(0),
        items("live-mine", 0..1, Channel::Personal(me)).remove(0),
    ];
    assert_eq!(target.publish(&live).await, (2, None));
    let got = collect(&mut rx, 1, Duration::from_secs(5)).await;
    assert_eq!(payloads(&got), vec!["live-mine-000000".to_string()]);
    assert_eq!(got[0].0, 32);
    assert_quiet(&mut rx, Duration::from_millis(300)).await;
    // Where a reader of these channels has caught up.
    assert_eq!(target.last_sequence().await.unwrap(), 32);
    assert_eq!(
        target
            .last_sequence_of(&[Channel::Shared, Channel::Personal(me)])
            .await
            .unwrap(),
        32
    );
    assert_eq!(
        target
            .last_sequence_of(&[Channel::Personal(other)])
            .await
            .unwrap(),
        31
    );
    assert_eq!(
        target
            .last_sequence_of(&[Channel::Personal(MemberId(3))])
            .await
            .unwrap(),
        0
    );

    // A single channel works too (one filter subject).
    let mut rx = target.subscribe(0, vec![Channel::Personal(other)]);
    let got = collect(&mut rx, 11, Duration::from_secs(5)).await;
    assert!(payloads(&got)
        .iter()
        .all(|p| p.starts_with("c2") || p.starts_with("live-other")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_while_publishing_5000_loses_and_duplicates_nothing() {
    let mut server = NatsServer::start();
    let target = NatsTarget::connect(&config(vec![server.url()], 1), workspace())
        .await
        .unwrap();
    let mut live = target.subscribe(0, vec![Channel::Shared]);
    let all = items("k", 0..5000, Channel::Shared);

    let publisher = {
        let target = target.clone();
        let all = all.clone();
        tokio::spawn(async move { publish_all(&target, &all, Duration::from_secs(40)).await })
    };
    // Kill once a fair share is stored.
    let mut state = target.state();
    let deadline = Instant::now() + Duration::from_secs(20);
    while target.last_sequence().await.unwrap_or(0) < 1000 {
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    let killed = Instant::now();
    assert!(
        !publisher.is_finished(),
        "the kill must come in the middle of publishing"
    );
    state
        .wait_for(|(s, _)| *s != LinkState::Connected)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.restart();
    state
        .wait_for(|(s, _)| *s == LinkState::Connected)
        .await
        .unwrap();
    println!("reconnected {:?} after the kill", killed.elapsed());

    let calls = tokio::time::timeout(Duration::from_secs(45), publisher)
        .await
        .expect("publisher finished")
        .unwrap();
    println!("publishing 5000 across a SIGKILL took {calls} publish calls");
    assert_eq!(
        target.last_sequence().await.unwrap(),
        5000,
        "a duplicate was stored"
    );

    let got = collect(&mut live, 5000, Duration::from_secs(30)).await;
    assert_in_order(&got);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for p in payloads(&got) {
        *seen.entry(p).or_default() += 1;
    }
    assert_eq!(seen.len(), 5000);
    assert!(seen.values().all(|&c| c == 1));
    assert_quiet(&mut live, Duration::from_millis(300)).await;

    // A fresh reader sees each id exactly once too.
    let mut rx = target.subscribe(0, vec![Channel::Shared]);
    let fresh = collect(&mut rx, 5000, Duration::from_secs(10)).await;
    let mut ids = payloads(&fresh);
    ids.sort();
    assert_eq!(ids, payloads_of(&all));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starting_offline_works_and_connects_when_the_server_appears() {
    let mut server = NatsServer::start();
    server.kill();
    let ws = workspace();
    let start = Instant::now();
    let target = NatsTarget::connect(&config(vec![server.url()], 1), ws)
        .await
        .expect("connect works offline");
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    let (state, error) = target.state().borrow().clone();
    assert_ne!(state, LinkState::Connected);
    println!("offline state: {state:?}, {error:?}");

    let mut rx = target.subscribe(0, vec![Channel::Shared]);
    let batch = items("off", 0..10, Channel::Shared);
    let start = Instant::now();
    let (n, err) = target.publish(&batch).await;
    assert_eq!(n, 0);
    let err = err.expect("publishing offline fails");
    assert_eq!(err.code, ErrorCode::SyncFailed);
    assert!(
        err.message.contains("Cannot reach the sync server"),
        "{}",
        err.message
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(target.last_sequence().await.is_err());

    server.restart();
    let mut state = target.state();
    tokio::time::timeout(
        Duration::from_secs(10),
        state.wait_for(|(s, _)| *s == LinkState::Connected),
    )
    .await
    .expect("connects once the server is up")
    .unwrap();
    assert_eq!(target.publish(&batch).await, (10, None));
    let got = collect(&mut rx, 10, Duration::from_secs(10)).await;
    assert_eq!(payloads(&got), payloads_of(&batch));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_addresses_and_tls_against_a_plain_server_fail_clearly() {
    let err = NatsTarget::connect(&config(vec![], 1), workspace())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::SyncFailed);
    assert!(err.message.contains("No sync server"), "{}", err.message);
    let err = NatsTarget::connect(&config(vec!["nats://host:notaport".into()], 1), workspace())
        .await
        .unwrap_err();
    assert!(
        err.message.contains("not a valid sync server address"),
        "{}",
        err.message
    );

    // A server without JetStream: a clear error at once, no 20 s of retries.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut plain = std::process::Command::new(nats_server::nats_server_bin())
        .args(["-a", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(5));
    }
    let start = Instant::now();
    let err = NatsTarget::connect(
        &config(vec![format!("nats://127.0.0.1:{port}")], 1),
        workspace(),
    )
    .await
    .unwrap_err();
    let _ = plain.kill();
    let _ = plain.wait();
    assert!(err.message.contains("JetStream"), "{}", err.message);
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    println!("no JetStream: {}", err.message);

    // tls: true against a server without TLS: never connects, says why.
    let server = NatsServer::start();
    let mut cfg = config(vec![server.url()], 1);
    cfg.tls = true;
    let target = NatsTarget::connect(&cfg, workspace()).await.unwrap();
    let (state, error) = target.state().borrow().clone();
    assert_ne!(state, LinkState::Connected);
    println!("tls against plain server: {state:?} {error:?}");
    let (n, err) = target.publish(&items("t", 0..1, Channel::Shared)).await;
    assert_eq!(n, 0);
    assert!(err.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_delivery_latency_is_measured() {
    let server = NatsServer::start();
    let target = NatsTarget::connect(&config(vec![server.url()], 1), workspace())
        .await
        .unwrap();
    let mut rx = target.subscribe(0, vec![Channel::Shared]);
    let mut latencies = Vec::new();
    for i in 0..300 {
        let item = items("lat", i..i + 1, Channel::Shared);
        let sent = Instant::now();
        let publish = target.publish(&item);
        let receive = collect(&mut rx, 1, Duration::from_secs(5));
        let (published, got) = tokio::join!(publish, async {
            let got = receive.await;
            (got, sent.elapsed())
        });
        assert_eq!(published, (1, None));
        assert_eq!(got.0.len(), 1);
        latencies.push(got.1);
    }
    latencies.sort();
    let p = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q) as usize];
    println!(
        "MEASURE live delivery latency (publish call to batch received, loopback): p50 {:?}, p99 {:?}",
        p(0.5),
        p(0.99)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_node_cluster_survives_losing_the_stream_leader() {
    let mut cluster = NatsCluster::start(3);
    let ws = workspace();
    let start = Instant::now();
    let target = NatsTarget::connect(&config(cluster.urls(), 3), ws)
        .await
        .unwrap();
    println!(
        "connected and created the R3 stream in {:?}",
        start.elapsed()
    );
    let first = items("c", 0..500, Channel::Shared);
    publish_all(&target, &first, Duration::from_secs(20)).await;

    let mut live = target.subscribe(0, vec![Channel::Shared]);
    assert_eq!(
        collect(&mut live, 500, Duration::from_secs(10)).await.len(),
        500
    );

    // Kill the stream leader, then publish more while it is down.
    let js = async_nats::jetstream::new(async_nats::connect(cluster.urls()).await.unwrap());
    let leader = stream_leader(&js, ws).await;
    let victim: usize = leader.trim_start_matches('n').parse().unwrap();
    println!("killing stream leader {leader}");
    cluster.kill(victim);
    let killed = Instant::now();
    let rest = items("c", 500..1500, Channel::Shared);
    let calls = publish_all(&target, &rest, Duration::from_secs(40)).await;
    println!(
        "published 1000 more with a node down in {:?} ({calls} calls)",
        killed.elapsed()
    );
    assert_eq!(target.last_sequence().await.unwrap(), 1500);

    let mut rx = target.subscribe(0, vec![Channel::Shared]);
    let got = collect(&mut rx, 1500, Duration::from_secs(20)).await;
    assert_in_order(&got);
    let mut ids = payloads(&got);
    ids.sort();
    let mut expected = payloads_of(&first);
    expected.extend(payloads_of(&rest));
    assert_eq!(ids, expected);
    // The subscriber that lived through the kill got the rest, once each.
    let got = collect(&mut live, 1000, Duration::from_secs(20)).await;
    assert_in_order(&got);
    assert_eq!(payloads(&got), payloads_of(&rest));
    assert_quiet(&mut live, Duration::from_millis(300)).await;

    // The node comes back and catches up.
    cluster.restart(victim);
    let back = Instant::now();
    let deadline = back + Duration::from_secs(20);
    loop {
        let info = js
            .get_stream(stream_name(ws))
            .await
            .unwrap()
            .cached_info()
            .clone();
        let c = info.cluster.unwrap_or_default();
        let replicas_ok = c.replicas.len() == 2
            && c.replicas
                .iter()
                .all(|r| r.current && !r.offline && r.lag.unwrap_or(0) == 0);
        if replicas_ok && info.state.messages == 1500 {
            println!("{leader} caught up {:?} after restart", back.elapsed());
            break;
        }
        assert!(Instant::now() < deadline, "not caught up: {c:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn stream_leader(js: &async_nats::jetstream::Context, ws: WorkspaceId) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(s) = js.get_stream(stream_name(ws)).await {
            if let Some(l) = s
                .cached_info()
                .cluster
                .as_ref()
                .and_then(|c| c.leader.clone())
            {
                return l;
            }
        }
        assert!(Instant::now() < deadline, "no stream leader");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
