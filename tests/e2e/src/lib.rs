//! End-to-end harness for the Tidings desktop app.
//!
//! Every test builds a [`World`]: its own X server (Xvfb), its own session
//! bus, a notification daemon (dunst), a tray host (a StatusNotifierWatcher
//! owned on that bus) and a `tauri-driver` that launches the real app
//! binary and drives its webview over WebDriver. Teammates are the real
//! `tidings` CLI on other data folders, syncing through a real
//! `nats-server`. The one stand-in is the system browser, which cannot run
//! here: links the app hands to `xdg-open` reach a recorder instead.
//!
//! Worlds run one at a time (a file lock inside [`World::start`], shared
//! by every test process of this suite), so `cargo test` needs no
//! `--test-threads` flag and two scenarios never compete for the two CPU
//! cores a CI runner may have. Each module below owns one external process
//! or protocol and kills what it started (by PID, or the process group it
//! created) when dropped.

pub mod app;
pub mod axe;
pub mod bus;
pub mod cli;
pub mod clock;
pub mod display;
pub mod driver;
pub mod dunst;
pub mod nats;
pub mod paths;
pub mod poll;
pub mod proc;
pub mod sni;
pub mod window;
pub mod world;

pub use app::{App, IpcError};
pub use poll::DEADLINE;
pub use world::World;
