//! Where the app keeps its data and logs on each platform.

use std::path::{Path, PathBuf};

/// The data folder the app and the `tidings` CLI share by default:
/// `~/.local/share/tidings`, `~/Library/Application Support/tidings`,
/// `%APPDATA%\tidings`.
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .map(|d| d.join("tidings"))
        .unwrap_or_else(|| PathBuf::from(".tidings"))
}

/// The log folder: the platform's log location for the default profile
/// (`~/Library/Logs/Tidings` on macOS, `…/tidings/logs` elsewhere), and
/// `<data dir>/logs` for a profile in a chosen folder, so profiles run side
/// by side keep their logs apart.
pub fn log_dir(data_dir: &Path, chosen: bool) -> PathBuf {
    if chosen {
        return data_dir.join("logs");
    }
    #[cfg(target_os = "macos")]
    if let Some(home) = dirs::home_dir() {
        return home.join("Library/Logs/Tidings");
    }
    dirs::data_local_dir()
        .map(|d| d.join("tidings").join("logs"))
        .unwrap_or_else(|| data_dir.join("logs"))
}
