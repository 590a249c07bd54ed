//! What the benchmark reads from `/proc` (Linux only): process trees,
//! proportional memory, CPU ticks and TCP connections. An app is measured
//! as its whole tree — the Tauri process and every descendant (WebKit's
//! web and network processes, a sandbox launcher if any) — because that is
//! what a person's machine pays for it.

use std::collections::HashMap;

/// One process, as `/proc/<pid>/stat` shows it.
#[derive(Clone, Debug)]
pub struct Proc {
    /// Process id.
    pub pid: u32,
    /// Parent's id.
    pub ppid: u32,
    /// Its name (`comm`, at most 15 bytes).
    pub comm: String,
    /// Start time in clock ticks since boot: with `pid`, tells a process
    /// from a later one that reuses its id.
    pub start: u64,
    /// utime + stime, in ticks.
    pub ticks: u64,
    /// cutime + cstime: children it reaped, in ticks.
    pub child_ticks: u64,
}

/// Parses `/proc/<pid>/stat` (the name may hold spaces and parentheses:
/// split after the last `)`).
pub fn stat(pid: u32) -> Option<Proc> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = s.find('(')?;
    let close = s.rfind(')')?;
    let comm = s[open + 1..close].to_string();
    // Fields after the name, from field 3 (state) on.
    let f: Vec<&str> = s[close + 2..].split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok());
    Some(Proc {
        pid,
        ppid: num(1)? as u32,
        comm,
        ticks: num(11)? + num(12)?,
        child_ticks: num(13)? + num(14)?,
        start: num(19)?,
    })
}

/// Every process on the machine.
pub fn all() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(stat)
        .collect()
}

/// `root` and all its descendants, root first.
pub fn tree(root: u32) -> Vec<Proc> {
    let procs = all();
    let mut children: HashMap<u32, Vec<&Proc>> = HashMap::new();
    for p in &procs {
        children.entry(p.ppid).or_default().push(p);
    }
    let mut out: Vec<Proc> = procs.iter().filter(|p| p.pid == root).cloned().collect();
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = children.get(&out[i].pid) {
            out.extend(kids.iter().map(|p| (*p).clone()));
        }
        i += 1;
    }
    out
}

/// Whether `p` still runs (and is the same process, not a reused id).
pub fn alive(p: &Proc) -> bool {
    match stat(p.pid) {
        Some(now) => now.start == p.start && !is_zombie(p.pid),
        None => false,
    }
}

fn is_zombie(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let close = s.rfind(')')?;
            s[close + 2..].chars().next()
        })
        .is_some_and(|state| state == 'Z' || state == 'X')
}

/// Sends `sig` to `p` if it is still that process.
pub fn signal(p: &Proc, sig: i32) {
    if alive(p) {
        // SAFETY: kill(2) with a pid we checked is the process we started
        // (same start time); no memory is shared.
        unsafe {
            libc::kill(p.pid as i32, sig);
        }
    }
}

/// Proportional set size and its parts, in KiB, from `smaps_rollup`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Memory {
    /// Proportional set size: private pages plus a share of shared ones.
    pub pss: u64,
    /// Of which anonymous (heaps, JIT).
    pub pss_anon: u64,
    /// Of which file-backed (libraries, mapped files).
    pub pss_file: u64,
    /// Of which shared memory (e.g. buffers shared between the processes).
    pub pss_shmem: u64,
    /// Resident set size (shared pages counted in full).
    pub rss: u64,
}

impl std::ops::AddAssign for Memory {
    fn add_assign(&mut self, o: Memory) {
        self.pss += o.pss;
        self.pss_anon += o.pss_anon;
        self.pss_file += o.pss_file;
        self.pss_shmem += o.pss_shmem;
        self.rss += o.rss;
    }
}

/// Memory of one process (zero when it is gone).
pub fn memory(pid: u32) -> Memory {
    let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
        return Memory::default();
    };
    let mut m = Memory::default();
    for line in s.lines() {
        let mut parts = line.split_whitespace();
        let (Some(key), Some(val)) = (parts.next(), parts.next()) else {
            continue;
        };
        let v: u64 = val.parse().unwrap_or(0);
        match key {
            "Pss:" => m.pss = v,
            "Pss_Anon:" => m.pss_anon = v,
            "Pss_File:" => m.pss_file = v,
            "Pss_Shmem:" => m.pss_shmem = v,
            "Rss:" => m.rss = v,
            _ => {}
        }
    }
    m
}

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`).
pub fn ticks_per_sec() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 {
        t as f64
    } else {
        100.0
    }
}

/// Busy ticks of the whole machine (all CPUs) since boot.
pub fn machine_busy() -> Option<u64> {
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

/// CPU ticks of a set of processes between two instants: what each live
/// process used (its own ticks plus what it reaped from children), keyed
/// by (pid, start) so a process that appeared meanwhile counts in full.
#[derive(Clone, Debug, Default)]
pub struct Ticks(HashMap<(u32, u64), (String, u64)>);

impl Ticks {
    /// The counters of `procs` now.
    pub fn of(procs: &[Proc]) -> Ticks {
        Ticks(
            procs
                .iter()
                .map(|p| ((p.pid, p.start), (p.comm.clone(), p.ticks + p.child_ticks)))
                .collect(),
        )
    }

    /// Ticks used since `before`, in all and per process name.
    pub fn since(&self, before: &Ticks) -> (u64, Vec<(String, u64)>) {
        let mut total = 0;
        let mut by_name: Vec<(String, u64)> = Vec::new();
        for (key, (comm, now)) in &self.0 {
            let then = before.0.get(key).map_or(0, |(_, t)| *t);
            let used = now.saturating_sub(then);
            total += used;
            match by_name.iter_mut().find(|(n, _)| n == comm) {
                Some((_, t)) => *t += used,
                None => by_name.push((comm.clone(), used)),
            }
        }
        by_name.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        (total, by_name)
    }
}

/// Established TCP connections (IPv4 or IPv6) from any of `pids` to
/// `port` on the remote side.
pub fn connections_to(pids: &[u32], port: u16) -> usize {
    let mut count = 0;
    for &pid in pids {
        let inodes = socket_inodes(pid);
        if inodes.is_empty() {
            continue;
        }
        for table in ["tcp", "tcp6"] {
            let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")) else {
                continue;
            };
            for line in s.lines().skip(1) {
                let f: Vec<&str> = line.split_whitespace().collect();
                // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
                let (Some(rem), Some(st), Some(inode)) = (f.get(2), f.get(3), f.get(9)) else {
                    continue;
                };
                let rport = rem
                    .rsplit(':')
                    .next()
                    .and_then(|p| u16::from_str_radix(p, 16).ok());
                let established = *st == "01";
                if established && rport == Some(port) && inodes.contains(&inode.to_string()) {
                    count += 1;
                }
            }
        }
    }
    count
}

fn socket_inodes(pid: u32) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .filter_map(|l| {
            let l = l.to_string_lossy().to_string();
            l.strip_prefix("socket:[")
                .and_then(|r| r.strip_suffix(']'))
                .map(String::from)
        })
        .collect()
}
