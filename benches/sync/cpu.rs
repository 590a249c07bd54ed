//! How much CPU other processes took while the benchmark ran: the machine
//! is shared, and a run during someone else's build or benchmark is slower
//! for reasons that have nothing to do with Tidings. Linux only (reads
//! `/proc`); elsewhere it reports nothing.

use std::time::Instant;

/// CPU counters at one instant.
pub struct Snapshot {
    at: Instant,
    /// Busy ticks of the whole machine.
    machine: u64,
    /// Ticks of this process and of the processes whose command line
    /// contains the marker (the nats-server it started).
    ours: u64,
}

fn machine_busy() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let f: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    Some(f.iter().take(8).sum::<u64>() - f.get(3)? - f.get(4)?)
}

/// utime + stime of one process, from its `stat` file.
fn process_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

fn ours(marker: &str) -> u64 {
    let mut total = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| process_ticks(&s))
        .unwrap_or(0);
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return total;
    };
    for e in dir.flatten() {
        let p = e.path();
        let Ok(cmd) = std::fs::read(p.join("cmdline")) else {
            continue;
        };
        if String::from_utf8_lossy(&cmd).contains(marker) {
            total += std::fs::read_to_string(p.join("stat"))
                .ok()
                .and_then(|s| process_ticks(&s))
                .unwrap_or(0);
        }
    }
    total
}

impl Snapshot {
    /// Takes the counters now; `marker` names our helper processes.
    pub fn take(marker: &str) -> Option<Snapshot> {
        Some(Snapshot {
            at: Instant::now(),
            machine: machine_busy()?,
            ours: ours(marker),
        })
    }

    /// "ours X s, others Y s of Z s": CPU seconds since `self`.
    pub fn report(&self, marker: &str) -> Option<String> {
        let now = Snapshot::take(marker)?;
        let hz = std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .unwrap_or(100.0);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let ours = now.ours.saturating_sub(self.ours) as f64 / hz;
        let machine = now.machine.saturating_sub(self.machine) as f64 / hz;
        let others = (machine - ours).max(0.0);
        let available = now.at.duration_since(self.at).as_secs_f64() * cores;
        Some(format!(
            "this benchmark and its nats-server used {ours:.1} CPU-s; other processes {others:.1} CPU-s ({:.0}% of the {available:.0} CPU-s the machine had)",
            100.0 * others / available.max(1e-9)
        ))
    }
}
