//! Integration tests of the Tidings core, one binary (ripgrep's layout):
//! real sled stores in temp dirs, real search indexes.

mod support;
mod util;

mod bad_input;
mod bad_input_ops;
mod big_batches;
mod big_thread;
mod catch_up;
mod checkins;
mod cli;
mod clock_skew;
mod close_snapshot;
mod compact;
mod concurrent_writers;
mod convergence;
mod crash;
#[cfg(target_os = "linux")]
mod disk_full;
mod export;
#[cfg(target_os = "linux")]
mod founding;
mod fsync_audit;
mod idle;
mod labels;
mod later;
mod list_pages;
mod notifications;
mod personal_toggles;
mod reply_by;
mod scenarios;
mod schema_upgrade;
mod search;
mod second_process;
mod send_later;
mod staged_ops;
mod sync_checkins;
mod sync_folder;
mod sync_later;
mod sync_nats;
mod sync_nats_transport;
mod sync_security;
mod thread_rows;
mod unicode;
mod urgent;
mod view_caches;
