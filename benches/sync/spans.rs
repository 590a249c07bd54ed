//! Time spent inside a few of the core's tracing spans, so a phase that
//! runs inside `SyncEngine::run_once` can be split without touching the
//! core: `apply_remote` (signature checks + apply + fsync) and the search
//! index's `upsert` (feeding tantivy, inside apply). Only those callsites
//! are enabled; every other span and event stays off (warnings still go to
//! stderr).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tracing::span::Id;
use tracing::Subscriber;
use tracing_subscriber::filter::{filter_fn, LevelFilter};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// Spans whose busy time is summed.
const TIMED: &[&str] = &["apply_remote", "upsert"];

/// Busy time per span name since the last [`SpanTimes::reset`].
#[derive(Clone, Default)]
pub struct SpanTimes {
    totals: Arc<Mutex<HashMap<&'static str, Duration>>>,
}

impl SpanTimes {
    /// Forgets what was summed so far.
    pub fn reset(&self) {
        if let Ok(mut t) = self.totals.lock() {
            t.clear();
        }
    }

    /// Time spent inside spans named `name`.
    pub fn get(&self, name: &str) -> Duration {
        self.totals
            .lock()
            .ok()
            .and_then(|t| t.get(name).copied())
            .unwrap_or_default()
    }
}

struct Entered(Instant);

struct Timer(SpanTimes);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Timer {
    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().replace(Entered(Instant::now()));
        }
    }

    fn on_exit(&self, id: &Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            if let Some(Entered(at)) = span.extensions_mut().remove::<Entered>() {
                if let Ok(mut t) = self.0.totals.lock() {
                    *t.entry(span.name()).or_default() += at.elapsed();
                }
            }
        }
    }
}

/// Installs the global subscriber: the span timer, and warnings to stderr.
pub fn install() -> anyhow::Result<SpanTimes> {
    let times = SpanTimes::default();
    let timer =
        Timer(times.clone()).with_filter(filter_fn(|m| m.is_span() && TIMED.contains(&m.name())));
    let warnings = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(LevelFilter::WARN);
    let subscriber = tracing_subscriber::registry().with(timer).with(warnings);
    tracing::subscriber::set_global_default(subscriber)?;
    Ok(times)
}
