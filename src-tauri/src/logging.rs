//! tracing to stderr and to a daily log file in the log folder.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::prelude::*;
use tracing_subscriber::EnvFilter;

/// Starts logging; keep the guard alive until exit so the file is flushed.
/// `TIDINGS_LOG` sets the filter (default `info` for Tidings, `warn` for
/// libraries).
pub fn init(log_dir: &Path) -> Option<WorkerGuard> {
    let filter = || {
        EnvFilter::try_from_env("TIDINGS_LOG")
            .unwrap_or_else(|_| EnvFilter::new("warn,tidings=info,tidings_desktop=info"))
    };
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let (file, guard) = match std::fs::create_dir_all(log_dir) {
        Ok(()) => {
            let appender = tracing_appender::rolling::daily(log_dir, "tidings.log");
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(filter());
            (Some(layer), Some(guard))
        }
        Err(e) => {
            eprintln!(
                "Cannot create the log folder {}: {e}; logging to stderr only",
                log_dir.display()
            );
            (None, None)
        }
    };
    // Only a second call in one process (tests) finds one set up; there is
    // no logger to tell but stderr.
    if let Err(e) = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init()
    {
        eprintln!("logging was set up already: {e}");
    }
    guard
}
