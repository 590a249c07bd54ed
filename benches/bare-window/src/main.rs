//! The desktop benchmark's baseline: a Tauri 2 window showing a static
//! page, and one command. The page calls `ready` once it has painted (two
//! animation frames after `load`); the command prints
//! `BARE_INTERACTIVE <ms since launch>` on stdout, the line the benchmark
//! waits for, as it waits for the app's `TIDINGS_INTERACTIVE`.
//!
//! Nothing else on purpose: no tray, no store, no plugins. Whatever
//! Tidings costs beyond this window is Tidings'.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::OnceLock;
use std::time::Instant;

/// When this process started.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// The page has painted: print the time since launch.
#[tauri::command]
fn ready() {
    let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
    println!("BARE_INTERACTIVE {ms}");
}

fn main() {
    STARTED.get_or_init(Instant::now);
    if let Err(e) = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
    {
        eprintln!("error: the window could not be created: {e}");
        std::process::exit(1);
    }
}
