//! Time and id sources, passed in so tests can fix them. Core logic never
//! calls `Utc::now()` or a random generator directly.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Where "now" comes from.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move (for tests and replays).
#[derive(Debug)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock fixed at `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        FixedClock(AtomicI64::new(at.timestamp_millis()))
    }
    /// Moves the clock to `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        self.0.store(at.timestamp_millis(), Ordering::SeqCst);
    }
    /// Moves the clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        self.0.fetch_add(by.num_milliseconds(), Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0.load(Ordering::SeqCst)).unwrap_or_default()
    }
}

/// Where new entity ids come from.
pub trait IdSource: Send + Sync {
    /// A fresh, unique 128-bit id.
    fn next_id(&self) -> u128;
}

/// ULIDs: 48 bits of milliseconds then 80 random bits, so ids sort roughly
/// by creation and never collide in practice.
#[derive(Debug, Default, Clone, Copy)]
pub struct UlidIds;

impl IdSource for UlidIds {
    fn next_id(&self) -> u128 {
        ulid::Ulid::new().0
    }
}

/// Deterministic ids for tests: a seed in the high bits and a counter.
#[derive(Debug)]
pub struct SeqIds {
    seed: u64,
    next: AtomicU64,
}

impl SeqIds {
    /// Ids `seed:1`, `seed:2`, …
    pub fn new(seed: u64) -> Self {
        SeqIds {
            seed,
            next: AtomicU64::new(1),
        }
    }
}

impl IdSource for SeqIds {
    fn next_id(&self) -> u128 {
        (u128::from(self.seed) << 64) | u128::from(self.next.fetch_add(1, Ordering::SeqCst))
    }
}
