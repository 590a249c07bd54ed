//! Formatting: percentiles, rates, the results table and the machine line.

use std::time::Duration;

/// One row of the results table.
pub struct Row {
    /// What is measured.
    pub metric: String,
    /// Tidings' number.
    pub tidings: String,
    /// Raw NATS doing the same transport work, or "—".
    pub peer: String,
    /// Tidings' cost over the peer's (×; above 1 = Tidings slower).
    pub ratio: String,
    /// The requirement, or "—".
    pub target: String,
    /// Whether it is met (`None` when there is no target).
    pub met: Option<bool>,
}

/// Prints the table as Markdown (pasted as is into BENCHMARKS.md).
pub fn print_table(rows: &[Row]) {
    println!();
    println!("| metric | tidings | peer (raw NATS) | ratio | target | met? |");
    println!("|---|---:|---:|---:|---|---|");
    for r in rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.metric, r.tidings, r.peer, r.ratio, r.target, met
        );
    }
    println!();
}

/// Nearest-rank percentile (`q` in 0..=1) of unsorted samples.
pub fn percentile(samples: &[Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut s = samples.to_vec();
    s.sort();
    let rank = ((q * s.len() as f64).ceil() as usize).clamp(1, s.len());
    s[rank - 1]
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Seconds with three decimals.
pub fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// Items per second.
pub fn per_sec(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

/// A rate such as `123.4k ops/s`.
pub fn rate(r: f64, unit: &str) -> String {
    if r >= 1e6 {
        format!("{:.2}M {unit}/s", r / 1e6)
    } else if r >= 1e3 {
        format!("{:.1}k {unit}/s", r / 1e3)
    } else {
        format!("{r:.0} {unit}/s")
    }
}

/// `a / b` as a ratio such as `3.4×`.
pub fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 {
        return "—".into();
    }
    format!("{:.1}×", a / b)
}

/// Share of `part` in `whole`, as a percentage.
pub fn share(part: Duration, whole: Duration) -> String {
    format!(
        "{:.0}%",
        100.0 * part.as_secs_f64() / whole.as_secs_f64().max(1e-9)
    )
}

/// `nproc`, the CPU model and the kernel, for the report header.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    format!("{cpus} CPUs available, {model}, Linux {kernel}")
}

/// Median time of a 4 KiB write + fdatasync in `dir`: what every durable
/// step (a local write, an applied batch, a saved cursor) pays at least.
pub fn fsync_probe(dir: &std::path::Path) -> anyhow::Result<Duration> {
    use std::io::Write;
    let path = dir.join("fsync-probe");
    let mut f = std::fs::File::create(&path)?;
    let block = [7u8; 4096];
    let mut samples = Vec::new();
    for _ in 0..50 {
        let t = std::time::Instant::now();
        f.write_all(&block)?;
        f.sync_data()?;
        samples.push(t.elapsed());
    }
    drop(f);
    std::fs::remove_file(&path)?;
    Ok(percentile(&samples, 0.5))
}
