//! `tauri-driver` on free loopback ports, and WebDriver sessions through it.
//!
//! tauri-driver turns a session request with `tauri:options` into one for
//! `WebKitWebDriver`, which launches the app binary with the given
//! arguments and drives its webview. The app inherits this process group's
//! environment (display, bus, private XDG folders), so each world's driver
//! gets the world's environment. The client is fantoccini.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use crate::paths::{require_tool, tauri_driver_bin};
use crate::poll::until_sync;
use crate::proc::Proc;

/// How long the driver may take to start the app and open a session.
const SESSION_DEADLINE: Duration = Duration::from_secs(60);

/// A running tauri-driver (and, once a session exists, WebKitWebDriver and
/// the app in its process group).
pub struct Driver {
    proc: Proc,
    port: u16,
}

/// Two distinct free loopback ports.
fn free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let b = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let port = |l: &TcpListener| l.local_addr().expect("local addr").port();
    (port(&a), port(&b))
}

impl Driver {
    /// Starts tauri-driver with `env` and waits until it accepts connections.
    pub fn start(dir: &Path, env: &[(String, String)]) -> Driver {
        require_tool("WebKitWebDriver", "webkit2gtk-driver");
        let bin = tauri_driver_bin();
        for _ in 0..5 {
            let (port, native) = free_ports();
            let mut cmd = Command::new(&bin);
            cmd.args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .envs(env.iter().cloned());
            let (mut proc, _) = Proc::spawn(
                "tauri-driver (with WebKitWebDriver and the app)",
                cmd,
                &dir.join("driver.log"),
                false,
            );
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            let up = until_sync("tauri-driver to listen", Duration::from_secs(20), || {
                if proc.exited().is_some() {
                    return Some(false);
                }
                TcpStream::connect_timeout(&addr, Duration::from_millis(200))
                    .is_ok()
                    .then_some(true)
            });
            if up {
                return Driver { proc, port };
            }
            proc.print_tail(30);
        }
        panic!(
            "tauri-driver did not start; see {}",
            dir.join("driver.log").display()
        );
    }

    /// Opens a session: launches `app` with `args` and connects to its
    /// webview.
    pub async fn session(&self, app: &Path, args: &[String]) -> Client {
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({ "application": app.display().to_string(), "args": args }),
        );
        // WebKitWebDriver waits for the app's browser forever: an app that
        // exits at once (it handed over to one still running) would hang
        // the whole suite instead of failing this test.
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        match tokio::time::timeout(SESSION_DEADLINE, builder.connect(&url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => {
                self.proc.print_tail(80);
                panic!("no WebDriver session for {}: {e}", app.display())
            }
            Err(_) => {
                self.proc.print_tail(80);
                panic!(
                    "no WebDriver session for {} within {SESSION_DEADLINE:?}",
                    app.display()
                )
            }
        }
    }

    /// Prints the driver's log, which holds the app's stdout and stderr.
    pub fn print_log(&self) {
        self.proc.print_tail(100);
    }

    /// The log file (the app's stdout and stderr end up here).
    pub fn log(&self) -> &Path {
        self.proc.log()
    }
}
