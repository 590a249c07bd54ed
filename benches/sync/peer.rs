//! The peer: raw NATS doing only the transport part of each measurement,
//! with async-nats directly, on the same server in the same run. Its
//! numbers are the floor Tidings' sync is compared with.
//!
//! - catch-up: the same stream messages read with the same kind of
//!   consumer Tidings uses (ephemeral, unacknowledged, in-memory pull
//!   consumer, 500 messages per pull), payloads copied out;
//! - latency: core NATS publish → subscriber receive of a payload the size
//!   of a comment's envelope; and JetStream publish → pull-consumer receive;
//! - drain: pipelined JetStream publishes of same-size payloads, each with
//!   a `Nats-Msg-Id`, at most 256 awaiting their ack (Tidings' window).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use async_nats::jetstream::{self, consumer, stream, Context as Js};
use futures_util::StreamExt;

/// The stream the peer's JetStream measurements write to (its own, so the
/// Tidings replicas never see its messages).
const STREAM: &str = "BENCH_PEER";
/// Acks awaited at most, as in Tidings' publisher.
const WINDOW: usize = 256;
/// Messages per pull, as in Tidings' subscription.
const PULL_BATCH: usize = 500;

/// A client and its JetStream context.
pub async fn connect(url: &str) -> Result<(async_nats::Client, Js)> {
    let client = async_nats::connect(url).await?;
    let js = jetstream::new(client.clone());
    js.get_or_create_stream(stream::Config {
        name: STREAM.into(),
        subjects: vec!["peerjs.>".into()],
        storage: stream::StorageType::File,
        duplicate_window: Duration::from_secs(120),
        ..Default::default()
    })
    .await?;
    Ok((client, js))
}

fn pull_config(subject: &str, deliver: consumer::DeliverPolicy) -> consumer::pull::Config {
    consumer::pull::Config {
        filter_subject: subject.into(),
        deliver_policy: deliver,
        ack_policy: consumer::AckPolicy::None,
        max_deliver: 1,
        memory_storage: true,
        num_replicas: 1,
        inactive_threshold: Duration::from_secs(30),
        ..Default::default()
    }
}

async fn messages(
    js: &Js,
    stream: &str,
    subject: &str,
    deliver: consumer::DeliverPolicy,
) -> Result<consumer::pull::Stream> {
    let consumer: consumer::PullConsumer = js
        .get_stream(stream)
        .await?
        .create_consumer(pull_config(subject, deliver))
        .await?;
    Ok(consumer
        .stream()
        .max_messages_per_batch(PULL_BATCH)
        .expires(Duration::from_secs(10))
        .heartbeat(Duration::from_secs(2))
        .messages()
        .await?)
}

/// Reads `subject` of `stream` from its start up to stream sequence
/// `last`, copying every payload out; returns (messages, bytes, time),
/// the consumer's creation included.
pub async fn consume(
    js: &Js,
    stream: &str,
    subject: &str,
    last: u64,
) -> Result<(usize, usize, Duration)> {
    let t = Instant::now();
    let mut msgs = messages(js, stream, subject, consumer::DeliverPolicy::All).await?;
    let (mut count, mut bytes) = (0, 0);
    while let Some(m) = msgs.next().await {
        let m = m?;
        let seq = m.info().map_err(|e| anyhow!("{e}"))?.stream_sequence;
        let payload = m.payload.to_vec();
        bytes += payload.len();
        count += 1;
        if seq >= last {
            return Ok((count, bytes, t.elapsed()));
        }
    }
    Err(anyhow!("the peer's consumer ended after {count} messages"))
}

/// Core NATS publish → subscriber receive, `warmup + samples` times with
/// `gap` between them; returns the samples after the warm-up.
pub async fn core_latency(
    client: &async_nats::Client,
    size: usize,
    warmup: usize,
    samples: usize,
    gap: Duration,
) -> Result<Vec<Duration>> {
    let subject = "peer.latency";
    let mut sub = client.subscribe(subject).await?;
    client.flush().await?;
    let payload = vec![0x5a; size];
    let mut out = Vec::with_capacity(samples);
    for i in 0..warmup + samples {
        let t = Instant::now();
        client.publish(subject, payload.clone().into()).await?;
        let m = sub.next().await.context("the subscription ended")?;
        let d = t.elapsed();
        anyhow::ensure!(m.payload.len() == size, "a foreign message arrived");
        if i >= warmup {
            out.push(d);
        }
        tokio::time::sleep(gap).await;
    }
    Ok(out)
}

/// JetStream publish (stored, acknowledged) → pull-consumer receive, as
/// [`core_latency`].
pub async fn js_latency(
    js: &Js,
    size: usize,
    warmup: usize,
    samples: usize,
    gap: Duration,
) -> Result<Vec<Duration>> {
    let subject = "peerjs.latency";
    let mut msgs = messages(js, STREAM, subject, consumer::DeliverPolicy::New).await?;
    let payload = vec![0x5a; size];
    let mut out = Vec::with_capacity(samples);
    for i in 0..warmup + samples {
        let t = Instant::now();
        let ack = js
            .send_publish(
                subject,
                jetstream::message::PublishMessage::build()
                    .payload(payload.clone().into())
                    .message_id(format!("latency-{i}")),
            )
            .await?;
        let m = msgs.next().await.context("the consumer ended")??;
        let d = t.elapsed();
        ack.await?;
        anyhow::ensure!(m.payload.len() == size, "a foreign message arrived");
        if i >= warmup {
            out.push(d);
        }
        tokio::time::sleep(gap).await;
    }
    Ok(out)
}

/// Publishes `n` payloads of `size` bytes to the peer stream, pipelined
/// with at most [`WINDOW`] acks outstanding, each with its own message id;
/// returns the time until the last ack.
pub async fn publish_pipelined(js: &Js, tag: &str, size: usize, n: usize) -> Result<Duration> {
    let subject = format!("peerjs.{tag}");
    let payload = vec![0x5a; size];
    let mut inflight = VecDeque::with_capacity(WINDOW);
    let t = Instant::now();
    for i in 0..n {
        if inflight.len() == WINDOW {
            if let Some(ack) = inflight.pop_front() {
                ack.await?;
            }
        }
        let ack = js
            .send_publish(
                subject.clone(),
                jetstream::message::PublishMessage::build()
                    .payload(payload.clone().into())
                    .message_id(format!("{tag}-{i}")),
            )
            .await?;
        inflight.push_back(ack);
    }
    for ack in inflight {
        ack.await?;
    }
    Ok(t.elapsed())
}
