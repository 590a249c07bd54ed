//! Opening the index folder: reuse a healthy index, otherwise wipe the
//! folder and start fresh.
//!
//! The index is a cache of the store (it can always be rebuilt from the
//! ops), so anything we cannot trust — a schema from another version, a
//! damaged or missing file, foreign files — is deleted rather than
//! repaired, and the caller is told to reindex. Two failures are *not*
//! treated as damage, because wiping would not fix them and could destroy a
//! healthy index: another process holding the writer lock, and an I/O
//! error such as a permission problem or a full disk.

use std::io;
use std::path::Path;

use tantivy::directory::error::{OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

use super::schema::{analyzer, build_schema, Fields, ANALYZER};
use crate::error::{Error, ErrorCode, Result};

/// The indexing memory budget, shared by tantivy's indexing threads.
const WRITER_HEAP_BYTES: usize = 32_000_000;

/// Everything an open index needs.
pub(crate) struct Opened {
    pub fields: Fields,
    pub writer: IndexWriter,
    pub reader: IndexReader,
    /// The store's search-log epoch the last commit covers (0: none).
    pub epoch: u64,
}

/// Why an existing index could not be used.
enum Failure {
    /// Wiping would not help: report to the caller.
    Fatal(Error),
    /// The contents are unusable: wipe and recreate.
    Damaged(String),
}

/// Opens the index in `dir`, or wipes `dir` and creates a fresh one.
/// The flag is true when the index is new, so the caller must reindex.
pub(crate) fn open_or_recreate(dir: &Path) -> Result<(Opened, bool)> {
    std::fs::create_dir_all(dir)?;
    match try_open(dir) {
        Ok(Some(opened)) => return Ok((opened, false)),
        Ok(None) => {
            // No index here. Leftover or foreign files would linger beside
            // the new index forever, so clear them out first.
            if std::fs::read_dir(dir)?.next().is_some() {
                tracing::warn!(dir = %dir.display(), "search folder holds no index; wiping it");
                wipe(dir)?;
            }
        }
        Err(Failure::Fatal(e)) => return Err(e),
        Err(Failure::Damaged(why)) => {
            tracing::warn!(dir = %dir.display(), %why, "search index unusable; wiping it for a rebuild");
            wipe(dir)?;
        }
    }
    let (schema, _) = build_schema();
    let index = Index::create_in_dir(dir, schema).map_err(|e| match classify(e) {
        Failure::Fatal(e) => e,
        Failure::Damaged(why) => Error::new(
            ErrorCode::Search,
            format!(
                "Could not create the search index in {} ({why})",
                dir.display()
            ),
        ),
    })?;
    let opened = finish(index).map_err(|f| match f {
        Failure::Fatal(e) => e,
        Failure::Damaged(why) => Error::new(
            ErrorCode::Search,
            format!("Could not open the new search index ({why})"),
        ),
    })?;
    Ok((opened, true))
}

/// `Ok(None)` when `dir` holds no index at all.
fn try_open(dir: &Path) -> std::result::Result<Option<Opened>, Failure> {
    if !dir.join("meta.json").exists() {
        return Ok(None);
    }
    let index = Index::open_in_dir(dir).map_err(classify)?;
    let (expected, _) = build_schema();
    if index.schema() != expected {
        return Err(Failure::Damaged(
            "it was written with another schema".into(),
        ));
    }
    // Reads every file once (tens of ms for 100k docs); catches truncated
    // or bit-flipped files that opening alone would only hit mid-search.
    let bad = index.validate_checksum().map_err(classify)?;
    if !bad.is_empty() {
        return Err(Failure::Damaged(format!(
            "{} files fail their checksum",
            bad.len()
        )));
    }
    finish(index).map(Some)
}

/// Registers the analyzer and opens the writer and reader. Opening the
/// reader opens every segment, which is where missing or truncated files
/// show up.
fn finish(index: Index) -> std::result::Result<Opened, Failure> {
    index.tokenizers().register(ANALYZER, analyzer());
    let (_, fields) = build_schema();
    let writer: IndexWriter = index.writer(WRITER_HEAP_BYTES).map_err(classify)?;
    // A process killed mid-commit leaves files no commit refers to; the
    // next commits would reuse their names ("file already exists").
    writer.garbage_collect_files().wait().map_err(classify)?;
    let reader = index
        .reader_builder()
        // Manual: we reload right after each commit, so a commit is visible
        // the moment `commit()` returns, with no file-watcher thread.
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(classify)?;
    // A payload that is not a number (an index from before the search
    // log) covers nothing: the store replays its whole log, if any.
    let epoch = index
        .load_metas()
        .map_err(classify)?
        .payload
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    Ok(Opened {
        fields,
        writer,
        reader,
        epoch,
    })
}

fn classify(e: TantivyError) -> Failure {
    let io_error = match &e {
        TantivyError::LockFailure(..) => {
            return Failure::Fatal(Error::new(
                ErrorCode::AlreadyRunning,
                "The search index is in use by another Tidings process: close it and try again",
            ))
        }
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => {
            Some(io_error)
        }
        TantivyError::OpenDirectoryError(_) => {
            return Failure::Fatal(Error::new(ErrorCode::Io, e.to_string()))
        }
        TantivyError::IoError(io_error)
        | TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. })
        | TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => Some(io_error),
        _ => None,
    };
    match io_error {
        Some(io) if is_environmental(io.kind()) => {
            Failure::Fatal(io::Error::new(io.kind(), e.to_string()).into())
        }
        _ => Failure::Damaged(e.to_string()),
    }
}

/// I/O failures that say nothing about the index contents.
fn is_environmental(kind: io::ErrorKind) -> bool {
    matches!(
        kind,
        io::ErrorKind::PermissionDenied
            | io::ErrorKind::StorageFull
            | io::ErrorKind::ReadOnlyFilesystem
    )
}

fn wipe(dir: &Path) -> Result<()> {
    std::fs::remove_dir_all(dir)?;
    std::fs::create_dir_all(dir)?;
    Ok(())
}
