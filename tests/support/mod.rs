//! Test support: real servers the tests start and stop themselves.

pub mod nats_server;
#[cfg(target_os = "linux")]
pub mod small_disk;
