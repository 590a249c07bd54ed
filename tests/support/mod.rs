//! Test support: real servers the tests start and stop themselves.

pub mod nats_server;
