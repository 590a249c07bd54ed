//! Statistics, the results table (Markdown, pasted as is into
//! BENCHMARKS.md) and the machine and version lines.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// One row of the results table.
pub struct Row {
    /// What is measured.
    pub metric: String,
    /// Tidings' number, or "not measured: why".
    pub tidings: String,
    /// The bare window's number, or the peer's (named).
    pub baseline: String,
    /// Tidings over the baseline (×), or "—".
    pub ratio: String,
    /// The requirement, or "—".
    pub target: String,
    /// Met (`Some(true)`), missed, or no target / not measured (`None`).
    pub met: Option<bool>,
}

/// The table as Markdown lines.
pub fn table(rows: &[Row]) -> String {
    let mut s = String::new();
    s.push_str("| metric | Tidings | bare window (or peer) | ratio | target | met? |\n");
    s.push_str("|---|---:|---:|---:|---|---|\n");
    for r in rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.metric, r.tidings, r.baseline, r.ratio, r.target, met
        ));
    }
    s
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

/// Milliseconds: two decimals below 10 ms, one below 1 s, else none.
pub fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1e3;
    if v < 10.0 {
        format!("{v:.2} ms")
    } else if v < 1000.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.0} ms")
    }
}

/// `a / b` as `1.23×`.
pub fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 || !a.is_finite() {
        return "—".into();
    }
    format!("{:.2}×", a / b)
}

/// KiB as `12.3 MiB (12.9 MB)`: the target is in MB (10^6 bytes), tools
/// such as `top` show MiB; both are printed.
pub fn mib(kib: u64) -> String {
    format!(
        "{:.1} MiB ({:.1} MB)",
        kib as f64 / 1024.0,
        kib as f64 * 1024.0 / 1e6
    )
}

/// The 1, 5 and 15 minute load averages.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// CPU model, cores, memory and kernel.
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
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kib| format!("{:.1} GiB RAM", kib / 1024.0 / 1024.0))
        .unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    format!("\"{model}\", {cpus} cores available, {mem}, Linux {kernel}")
}

/// First line of a command's output (stdout, else stderr), or "?".
pub fn version_of(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .and_then(|o| {
            let out = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&out)
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(String::from)
        })
        .unwrap_or_else(|| "?".into())
}

/// The version of a Debian package, or "?".
pub fn deb_version(package: &str) -> String {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", package])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "?".into())
}

/// Versions of crates as Cargo.lock resolves them.
pub fn locked(lock: &Path, crates: &[&str]) -> String {
    let text = std::fs::read_to_string(lock).unwrap_or_default();
    let mut out = Vec::new();
    for c in crates {
        let mut versions: Vec<&str> = Vec::new();
        let mut lines = text.lines();
        while let Some(l) = lines.next() {
            if l == format!("name = \"{c}\"") {
                if let Some(v) = lines
                    .next()
                    .and_then(|v| v.strip_prefix("version = \""))
                    .and_then(|v| v.strip_suffix('"'))
                {
                    versions.push(v);
                }
            }
        }
        if !versions.is_empty() {
            out.push(format!("{c} {}", versions.join("/")));
        }
    }
    out.join(", ")
}

/// `git describe`-like: short commit and whether the tree has changes.
pub fn commit(repo: &Path) -> String {
    let head = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let dirty = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .is_some_and(|o| !o.stdout.is_empty());
    if head.is_empty() {
        "?".into()
    } else if dirty {
        format!("{head} + uncommitted changes")
    } else {
        head
    }
}
