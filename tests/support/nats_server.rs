//! A real `nats-server` for integration tests: one JetStream server or a
//! three-node cluster on loopback, each in its own temp dir, that a test can
//! SIGKILL and restart on the same port and store directory.
//!
//! The binary comes from `NATS_SERVER_BIN`, else from
//! `<crate>/.tools/nats/bin/nats-server`, which `.ci/install-nats` (run by
//! `make test`) installs. Each server's stdout and stderr go to a log file in
//! its temp dir; when a test panics, the temp dir is kept and the log's path
//! and tail are printed.

#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long a server may take to accept TCP connections after it starts.
const READY_TIMEOUT: Duration = Duration::from_secs(15);

/// The `nats-server` binary the tests run.
pub fn nats_server_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("NATS_SERVER_BIN").filter(|b| !b.is_empty()) {
        let bin = PathBuf::from(bin);
        assert!(
            bin.is_file(),
            "NATS_SERVER_BIN={} does not name a file: point it at a nats-server binary, \
             or unset it to use the one `.ci/install-nats` installs",
            bin.display()
        );
        return bin;
    }
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/nats/bin/nats-server");
    assert!(
        bin.is_file(),
        "nats-server is not installed at {}: run `make test` (or `.ci/install-nats`) once, \
         or set NATS_SERVER_BIN to a nats-server 2.10+ binary",
        bin.display()
    );
    bin
}

/// `n` distinct free loopback ports: each is bound to port 0 at the same time
/// (so none repeats), then all are released for the servers to take.
fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind a free loopback port"))
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().expect("local addr").port())
        .collect()
}

/// One server process: its fixed arguments, so a restart reuses port and store.
struct Node {
    name: String,
    port: u16,
    args: Vec<String>,
    store: PathBuf,
    log: PathBuf,
    /// HTTP monitoring port (`-m`), when enabled.
    monitor: Option<u16>,
    child: Option<Child>,
    /// `sh` reading a pipe from this process: when the test process dies
    /// without running `Drop` (killed by a timeout), the pipe closes and the
    /// watchdog SIGKILLs the server, so no server outlives its test.
    watchdog: Option<Child>,
}

impl Node {
    fn new(
        dir: &Path,
        name: &str,
        port: u16,
        monitor: Option<u16>,
        mut extra: Vec<String>,
    ) -> Node {
        let store = dir.join(format!("{name}-store"));
        std::fs::create_dir_all(&store).expect("create the store dir");
        let mut args = vec![
            "-js".to_string(),
            "-a".to_string(),
            "127.0.0.1".to_string(),
            "-p".to_string(),
            port.to_string(),
            "-sd".to_string(),
            store.display().to_string(),
            "-n".to_string(),
            name.to_string(),
        ];
        if let Some(m) = monitor {
            extra.extend(["-m".to_string(), m.to_string()]);
        }
        args.extend(extra);
        Node {
            name: name.to_string(),
            port,
            args,
            store,
            log: dir.join(format!("{name}.log")),
            monitor,
            child: None,
            watchdog: None,
        }
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Starts the process; returns false when it exited before accepting
    /// connections (e.g. its port was taken meanwhile).
    fn spawn(&mut self) -> bool {
        assert!(self.child.is_none(), "{} is already running", self.name);
        let log = File::options()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("open the server log");
        let err = log.try_clone().expect("clone the log handle");
        let child = Command::new(nats_server_bin())
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(err))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", nats_server_bin().display()));
        self.watchdog = Command::new("sh")
            .arg("-c")
            .arg(format!("read _; kill -9 {} 2>/dev/null", child.id()))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok();
        self.child = Some(child);
        self.wait_ready()
    }

    /// Polls the client port until it accepts, with a deadline.
    fn wait_ready(&mut self) -> bool {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return true;
            }
            let child = self.child.as_mut().expect("started");
            if let Ok(Some(status)) = child.try_wait() {
                eprintln!("{} exited early with {status}", self.name);
                self.kill();
                return false;
            }
            if Instant::now() > deadline {
                self.print_log();
                panic!(
                    "{} did not accept connections on port {} within {:?}; log: {}",
                    self.name,
                    self.port,
                    READY_TIMEOUT,
                    self.log.display()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// SIGKILL (by PID, through `Child::kill`) and reap.
    fn kill(&mut self) {
        // The watchdog first, so it never signals a reused PID.
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn restart(&mut self) {
        self.kill();
        if !self.spawn() {
            self.print_log();
            panic!(
                "{} could not restart on port {}; log: {}",
                self.name,
                self.port,
                self.log.display()
            );
        }
    }

    fn print_log(&self) {
        eprintln!(
            "--- nats-server log of {}: {}",
            self.name,
            self.log.display()
        );
        if let Ok(mut f) = File::open(&self.log) {
            let len = f.metadata().map(|m| m.len()).unwrap_or(0);
            let _ = f.seek(SeekFrom::Start(len.saturating_sub(4000)));
            let mut tail = String::new();
            let _ = f.read_to_string(&mut tail);
            eprintln!("{tail}");
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Keeps the temp dir (and prints the logs) when the test is panicking.
fn finish(nodes: &mut [Node], dir: &mut Option<TempDir>) {
    for n in nodes.iter_mut() {
        n.kill();
    }
    if std::thread::panicking() {
        for n in nodes.iter() {
            n.print_log();
        }
        if let Some(d) = dir.take() {
            eprintln!("kept nats-server temp dir {}", d.path().display());
            std::mem::forget(d);
        }
    }
}

/// One node's own copy of a stream, as its `/jsz` monitoring endpoint
/// reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalStream {
    pub messages: u64,
    pub last_seq: u64,
    /// The stream's Raft leader as this node knows it.
    pub leader: Option<String>,
}

/// A plain HTTP/1.0 GET on loopback; `None` on any failure.
fn http_get(port: u16, path: &str) -> Option<String> {
    use std::io::Write;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.").then_some(())?;
    head.contains(" 200 ").then(|| body.to_string())
}

/// One JetStream server on a free loopback port.
pub struct NatsServer {
    node: Node,
    dir: Option<TempDir>,
}

impl NatsServer {
    /// Starts a server (JetStream on, file storage in a temp dir) and waits
    /// until it accepts connections.
    pub fn start() -> NatsServer {
        let dir = tempfile::Builder::new()
            .prefix("tidings-nats-")
            .tempdir()
            .expect("temp dir");
        for _ in 0..5 {
            let port = free_ports(1)[0];
            let mut node = Node::new(dir.path(), "tidings-test", port, None, Vec::new());
            if node.spawn() {
                return NatsServer {
                    node,
                    dir: Some(dir),
                };
            }
            node.print_log();
        }
        panic!(
            "nats-server did not start; logs in {}",
            dir.path().display()
        );
    }

    /// `nats://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        self.node.url()
    }

    /// The client port.
    pub fn port(&self) -> u16 {
        self.node.port
    }

    /// The JetStream store directory (`-sd`).
    pub fn store_dir(&self) -> &Path {
        &self.node.store
    }

    /// The file that gets the server's stdout and stderr.
    pub fn log_path(&self) -> &Path {
        &self.node.log
    }

    /// Whether the process was started and not killed.
    pub fn is_running(&self) -> bool {
        self.node.child.is_some()
    }

    /// SIGKILL: no shutdown, no flush, like a power cut.
    pub fn kill(&mut self) {
        self.node.kill();
    }

    /// Starts again (after [`Self::kill`], or kills first) on the same port
    /// and store dir, and waits until it accepts connections.
    pub fn restart(&mut self) {
        self.node.restart();
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        finish(std::slice::from_mut(&mut self.node), &mut self.dir);
    }
}

/// A JetStream cluster of `n` nodes on loopback, routed to each other.
pub struct NatsCluster {
    nodes: Vec<Node>,
    dir: Option<TempDir>,
}

impl NatsCluster {
    /// Starts `n` nodes named `n0..` in cluster `tidings` and waits until
    /// each accepts clients. JetStream elects its meta leader a few seconds
    /// later: clients must retry stream creation meanwhile.
    pub fn start(n: usize) -> NatsCluster {
        assert!(n >= 1);
        let dir = tempfile::Builder::new()
            .prefix("tidings-nats-cluster-")
            .tempdir()
            .expect("temp dir");
        let ports = free_ports(3 * n);
        let (client, rest) = ports.split_at(n);
        let (route, monitor) = rest.split_at(n);
        let nodes: Vec<Node> = (0..n)
            .map(|i| {
                let routes: Vec<String> = (0..n)
                    .filter(|&j| j != i)
                    .map(|j| format!("nats://127.0.0.1:{}", route[j]))
                    .collect();
                let mut extra = vec![
                    "--cluster_name".to_string(),
                    "tidings".to_string(),
                    "--cluster".to_string(),
                    format!("nats://127.0.0.1:{}", route[i]),
                ];
                if !routes.is_empty() {
                    extra.push("--routes".to_string());
                    extra.push(routes.join(","));
                }
                Node::new(
                    dir.path(),
                    &format!("n{i}"),
                    client[i],
                    Some(monitor[i]),
                    extra,
                )
            })
            .collect();
        let mut cluster = NatsCluster {
            nodes,
            dir: Some(dir),
        };
        for node in cluster.nodes.iter_mut() {
            assert!(
                node.spawn(),
                "cluster node {} did not start; log: {}",
                node.name,
                node.log.display()
            );
        }
        cluster
    }

    /// Client URL of node `i`.
    pub fn url(&self, i: usize) -> String {
        self.nodes[i].url()
    }

    /// Client URLs of all nodes (give all of them to the client).
    pub fn urls(&self) -> Vec<String> {
        self.nodes.iter().map(Node::url).collect()
    }

    /// Store dir of node `i`.
    pub fn store_dir(&self, i: usize) -> &Path {
        &self.nodes[i].store
    }

    /// Log file of node `i`.
    pub fn log_path(&self, i: usize) -> &Path {
        &self.nodes[i].log
    }

    /// What node `i` itself stores of JetStream stream `stream`, from its
    /// monitoring endpoint (`/jsz`): `None` while the node is down, not yet
    /// serving, or holds no replica of the stream.
    pub fn local_stream(&self, i: usize, stream: &str) -> Option<LocalStream> {
        let node = &self.nodes[i];
        node.child.as_ref()?;
        let port = node.monitor.expect("cluster nodes have a monitoring port");
        let body = http_get(port, "/jsz?accounts=true&streams=true&config=true")?;
        let jsz: serde_json::Value = serde_json::from_str(&body).ok()?;
        let detail = jsz["account_details"]
            .as_array()?
            .iter()
            .filter_map(|a| a["stream_detail"].as_array())
            .flatten()
            .find(|s| s["name"] == stream)?;
        Some(LocalStream {
            messages: detail["state"]["messages"].as_u64()?,
            last_seq: detail["state"]["last_seq"].as_u64()?,
            leader: detail["cluster"]["leader"].as_str().map(str::to_string),
        })
    }

    /// The name (`n<i>`) of node `i`.
    pub fn name(&self, i: usize) -> &str {
        &self.nodes[i].name
    }

    /// SIGKILL node `i`.
    pub fn kill(&mut self, i: usize) {
        self.nodes[i].kill();
    }

    /// Restarts node `i` on its ports and store dir.
    pub fn restart(&mut self, i: usize) {
        self.nodes[i].restart();
    }
}

impl Drop for NatsCluster {
    fn drop(&mut self) {
        finish(&mut self.nodes, &mut self.dir);
    }
}
