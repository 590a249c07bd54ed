//! Waiting for a condition, never for a fixed time.
//!
//! Every wait in these tests polls a probe until it answers or a deadline
//! passes, then fails naming what it waited for. Polling every 50 ms costs
//! nothing next to the app's own latencies and keeps the tests as fast as
//! the app allows.

use std::future::Future;
use std::time::{Duration, Instant};

/// How long any one condition may take to come true.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Pause between probes.
const TICK: Duration = Duration::from_millis(50);

/// Polls `probe` until it returns `Some`, for at most `deadline`.
pub async fn until<T, F, Fut>(what: &str, deadline: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let end = Instant::now() + deadline;
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        if Instant::now() > end {
            panic!("timed out after {deadline:?} waiting for {what}");
        }
        tokio::time::sleep(TICK).await;
    }
}

/// Polls `probe` until it returns `Ok`, for at most `deadline`; on a
/// timeout fails naming what it waited for and what the last probe saw
/// instead (its `Err`), so the failure says how far things got.
pub async fn until_ok<T, E, F, Fut>(what: &str, deadline: Duration, mut probe: F) -> T
where
    E: std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let end = Instant::now() + deadline;
    loop {
        match probe().await {
            Ok(v) => return v,
            Err(seen) if Instant::now() > end => {
                panic!("timed out after {deadline:?} waiting for {what}; last seen:\n{seen}")
            }
            Err(_) => tokio::time::sleep(TICK).await,
        }
    }
}

/// Polls `probe` for the whole of `window` and fails as soon as it returns
/// `Some`: the way to check that something does *not* happen (no
/// notification) over a bounded time, with the failure naming what did.
pub async fn never<T: std::fmt::Debug, F, Fut>(what: &str, window: Duration, mut probe: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let end = Instant::now() + window;
    while Instant::now() < end {
        if let Some(v) = probe().await {
            panic!("{what} happened: {v:?}");
        }
        tokio::time::sleep(TICK).await;
    }
}

/// The blocking form of [`until`], for starting processes.
pub fn until_sync<T>(what: &str, deadline: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + deadline;
    loop {
        if let Some(v) = probe() {
            return v;
        }
        if Instant::now() > end {
            panic!("timed out after {deadline:?} waiting for {what}");
        }
        std::thread::sleep(TICK);
    }
}
