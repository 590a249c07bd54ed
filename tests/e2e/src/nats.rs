//! The repository's nats-server harness (tests/support/nats_server.rs),
//! shared rather than copied.
//!
//! That file finds the server binary through `NATS_SERVER_BIN`, else
//! relative to the crate that compiles it, which for this crate would be
//! `tests/e2e/.tools`. [`start`] therefore points `NATS_SERVER_BIN` at the
//! repository's `.tools/nats/bin/nats-server` when it is unset. Tests call
//! it inside their world, whose lock keeps every other test of this binary
//! waiting, so no other thread reads the environment meanwhile.

#[path = "../../support/nats_server.rs"]
mod nats_server;

pub use nats_server::NatsServer;

use crate::paths::repo_root;

/// A JetStream server on a free loopback port.
pub fn start() -> NatsServer {
    if std::env::var_os("NATS_SERVER_BIN").is_none_or(|v| v.is_empty()) {
        let bin = repo_root().join(".tools/nats/bin/nats-server");
        assert!(
            bin.is_file(),
            "nats-server is not installed at {}: run `.ci/install-nats` (make test does), or set NATS_SERVER_BIN",
            bin.display()
        );
        std::env::set_var("NATS_SERVER_BIN", bin);
    }
    NatsServer::start()
}
