//! Statistics over timed samples and the final comparison table.
//!
//! Ratios are always "how many times better Tidings is": SQLite's latency
//! over Tidings' latency, or Tidings' throughput over SQLite's. Above 1.0
//! Tidings wins; below 1.0 SQLite does, and "1/N" means SQLite is N times
//! better.

use std::time::Duration;

/// Latencies of one measured operation.
#[derive(Clone, Debug, Default)]
pub struct Samples {
    sorted: Vec<Duration>,
}

impl Samples {
    /// Sorts the samples.
    pub fn new(mut v: Vec<Duration>) -> Samples {
        v.sort_unstable();
        Samples { sorted: v }
    }

    /// Nearest-rank percentile (`p` in 0..=100).
    pub fn pct(&self, p: f64) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.sorted.len() as f64).ceil() as usize;
        self.sorted[rank.clamp(1, self.sorted.len()) - 1]
    }

    /// "p50 a / p95 b / p99 c ms" for detail lines.
    pub fn summary(&self) -> String {
        format!(
            "p50 {} / p95 {} / p99 {} / max {} ms (n={})",
            ms(self.pct(50.0)),
            ms(self.pct(95.0)),
            ms(self.pct(99.0)),
            ms(self.pct(100.0)),
            self.sorted.len()
        )
    }
}

/// Milliseconds with sensible precision.
pub fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1000.0;
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// "0.774 ms", or "57.5 s" from a second up.
pub fn duration(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{} ms", ms(d))
    }
}

/// A rate with a thousands separator.
pub fn rate(per_sec: f64) -> String {
    let n = per_sec.round() as u64;
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether a line's target is met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Met {
    /// Met.
    Yes,
    /// Missed.
    No,
    /// No target.
    None,
}

impl Met {
    /// From a comparison.
    pub fn of(ok: bool) -> Met {
        if ok {
            Met::Yes
        } else {
            Met::No
        }
    }

    /// Both must hold.
    pub fn and(self, other: Met) -> Met {
        match (self, other) {
            (Met::No, _) | (_, Met::No) => Met::No,
            (Met::None, m) | (m, Met::None) => m,
            (Met::Yes, Met::Yes) => Met::Yes,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Met::Yes => "yes",
            Met::No => "NO",
            Met::None => "—",
        }
    }
}

/// One row of the table.
#[derive(Clone, Debug)]
pub struct Line {
    /// What was measured.
    pub metric: String,
    /// Tidings' value.
    pub tidings: String,
    /// SQLite's value.
    pub sqlite: String,
    /// Tidings advantage (×).
    pub ratio: String,
    /// The target.
    pub target: String,
    /// Met or not.
    pub met: Met,
}

impl Line {
    /// A latency line (lower is better): ratio = sqlite / tidings.
    pub fn latency(metric: &str, t: Duration, s: Option<Duration>, target: &str, met: Met) -> Line {
        Line {
            metric: metric.to_string(),
            tidings: duration(t),
            sqlite: s.map_or_else(|| "—".into(), duration),
            ratio: s.map_or_else(|| "—".into(), |s| ratio(s.as_secs_f64(), t.as_secs_f64())),
            target: target.to_string(),
            met,
        }
    }

    /// A throughput line (higher is better): ratio = tidings / sqlite.
    pub fn throughput(
        metric: &str,
        t: f64,
        s: Option<f64>,
        unit: &str,
        target: &str,
        met: Met,
    ) -> Line {
        Line {
            metric: metric.to_string(),
            tidings: format!("{} {unit}", rate(t)),
            sqlite: s.map_or_else(|| "—".into(), |s| format!("{} {unit}", rate(s))),
            ratio: s.map_or_else(|| "—".into(), |s| ratio(t, s)),
            target: target.to_string(),
            met,
        }
    }

    /// A line of plain values.
    pub fn plain(
        metric: &str,
        t: String,
        s: String,
        ratio: String,
        target: &str,
        met: Met,
    ) -> Line {
        Line {
            metric: metric.to_string(),
            tidings: t,
            sqlite: s,
            ratio,
            target: target.to_string(),
            met,
        }
    }
}

/// `a / b` as "1.23×".
pub fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 {
        return "—".into();
    }
    let r = a / b;
    if r >= 10.0 {
        format!("{r:.0}×")
    } else if r >= 0.1 {
        format!("{r:.2}×")
    } else {
        // "1/54": SQLite is 54 times better.
        format!("1/{:.0}", 1.0 / r)
    }
}

/// Prints the table as markdown (so it can be pasted into BENCHMARKS.md).
pub fn print_table(lines: &[Line]) {
    let head = [
        "metric",
        "tidings",
        "sqlite",
        "tidings advantage",
        "target",
        "met?",
    ];
    let rows: Vec<[String; 6]> = lines
        .iter()
        .map(|l| {
            [
                l.metric.clone(),
                l.tidings.clone(),
                l.sqlite.clone(),
                l.ratio.clone(),
                l.target.clone(),
                l.met.text().to_string(),
            ]
        })
        .collect();
    let mut width = head.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .zip(width)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        println!("| {} |", parts.join(" | "));
    };
    line(&head.map(String::from));
    println!(
        "|{}|",
        width
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    );
    for r in &rows {
        line(r);
    }
}
