//! Sync between teammates and devices: ops travel signed and encrypted
//! through NATS JetStream or a synced folder. There is no authoritative
//! server: every replica merges what it receives.

pub mod config;
