//! Where the binaries under test and the tools come from.
//!
//! Each can be overridden by an environment variable (CI may build
//! elsewhere); the defaults are what `make` builds and installs in this
//! repository, so a plain `cargo test -p tidings-e2e` works after a build.

use std::path::{Path, PathBuf};

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Where screenshots go: `<repo>/target/e2e-screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let dir = repo_root().join("target/e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("create target/e2e-screenshots");
    dir
}

fn from_env_or(var: &str, default: PathBuf, how_to_build: &str) -> PathBuf {
    let bin = std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or(default);
    assert!(
        bin.is_file(),
        "{} does not exist: {how_to_build}, or set {var} to the binary",
        bin.display()
    );
    bin
}

/// The desktop app: `TIDINGS_APP_BIN`, else `<repo>/target/debug/tidings-desktop`.
pub fn app_bin() -> PathBuf {
    from_env_or(
        "TIDINGS_APP_BIN",
        repo_root().join("target/debug/tidings-desktop"),
        "build it with `cargo build -p tidings-desktop` (after `npm --prefix ui run build`)",
    )
}

/// The CLI teammates use: `TIDINGS_CLI_BIN`, else `<repo>/target/debug/tidings`.
pub fn cli_bin() -> PathBuf {
    from_env_or(
        "TIDINGS_CLI_BIN",
        repo_root().join("target/debug/tidings"),
        "build it with `cargo build --bin tidings`",
    )
}

/// `tauri-driver`: `TAURI_DRIVER_BIN`, else `<repo>/.tools/bin/tauri-driver`,
/// else the first on `PATH`.
pub fn tauri_driver_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("TAURI_DRIVER_BIN").filter(|v| !v.is_empty()) {
        return from_env_or("TAURI_DRIVER_BIN", PathBuf::from(bin), "");
    }
    let local = repo_root().join(".tools/bin/tauri-driver");
    if local.is_file() {
        return local;
    }
    which("tauri-driver").unwrap_or_else(|| {
        panic!(
            "tauri-driver not found: install it with \
             `cargo install tauri-driver --locked --root {}/.tools`, or set TAURI_DRIVER_BIN",
            repo_root().display()
        )
    })
}

/// The first executable called `name` on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Panics with an install hint when a system tool is missing.
pub fn require_tool(name: &str, package: &str) -> PathBuf {
    which(name).unwrap_or_else(|| {
        panic!("`{name}` is not installed: `apt-get install {package}` (make test does this)")
    })
}
