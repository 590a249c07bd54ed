//! The one error type of the core. Every error carries a stable
//! [`ErrorCode`] that callers (the CLI, the desktop shell, the UI) match on,
//! and a message for a person that says what to do about it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable, machine-readable error codes. The serialized names
/// (`snake_case`) are part of the IPC contract: never rename one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorCode {
    /// Input failed validation (empty, too long, malformed).
    InvalidInput,
    /// A text id could not be parsed.
    InvalidId,
    /// The named workspace, channel, thread, comment or member does not exist.
    NotFound,
    /// The caller may not do this (e.g. edit someone else's comment).
    NotAuthor,
    /// The op's signature does not verify against its device key.
    BadSignature,
    /// The op could not be decoded or breaks a structural rule.
    MalformedOp,
    /// The op (or a field of it) exceeds a documented size limit.
    TooLarge,
    /// An IANA time zone name was not recognised.
    InvalidTimeZone,
    /// A workspace must exist first (or already exists).
    NoWorkspace,
    /// This store already holds a workspace.
    WorkspaceExists,
    /// The device is bound to another member.
    WrongMember,
    /// Another process holds this data folder.
    AlreadyRunning,
    /// The data folder could not be read or written.
    Io,
    /// The store's contents are damaged.
    Corrupt,
    /// The search index failed.
    Search,
    /// The store was written by a newer Tidings.
    UnsupportedVersion,
    /// A sync envelope could not be opened (wrong key, tampered, truncated,
    /// another workspace, unknown format).
    BadEnvelope,
    /// An invite or device-link code is mistyped or damaged.
    BadCode,
    /// A sync target (server or folder) failed; sync retries by itself.
    SyncFailed,
    /// A bug in Tidings (a caller that panicked, a task that died). The
    /// store is unchanged; the log has the details.
    Internal,
    /// A chosen time has already passed (sending later, reminders).
    TimeInPast,
    /// A chosen time cannot be used: more than a year ahead, or a local
    /// time that does not exist on that day (skipped by a DST change).
    InvalidTime,
    /// Too late: a scheduled post was already delivered, so it can no
    /// longer be cancelled or edited before delivery; or a check-in was
    /// stopped, so it can no longer be changed or answered.
    TooLate,
    /// Nobody would be notified, so "at their start" has no one to wait for.
    NoRecipients,
    /// The disk holding the data folder is full: nothing more could be
    /// written. What was acknowledged before is kept.
    DiskFull,
    /// The data folder is on a read-only file system.
    ReadOnly,
}

impl ErrorCode {
    /// The stable string form, as it appears over IPC and in CLI output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::InvalidId => "invalid_id",
            ErrorCode::NotFound => "not_found",
            ErrorCode::NotAuthor => "not_author",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::MalformedOp => "malformed_op",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::InvalidTimeZone => "invalid_time_zone",
            ErrorCode::NoWorkspace => "no_workspace",
            ErrorCode::WorkspaceExists => "workspace_exists",
            ErrorCode::WrongMember => "wrong_member",
            ErrorCode::AlreadyRunning => "already_running",
            ErrorCode::Io => "io",
            ErrorCode::Corrupt => "corrupt",
            ErrorCode::Search => "search",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::BadEnvelope => "bad_envelope",
            ErrorCode::BadCode => "bad_code",
            ErrorCode::SyncFailed => "sync_failed",
            ErrorCode::Internal => "internal",
            ErrorCode::TimeInPast => "time_in_past",
            ErrorCode::InvalidTime => "invalid_time",
            ErrorCode::TooLate => "too_late",
            ErrorCode::NoRecipients => "no_recipients",
            ErrorCode::DiskFull => "disk_full",
            ErrorCode::ReadOnly => "read_only",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A core error: a stable code and a human message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} [{code}]")]
// Named AppError in TypeScript, where `Error` is the built-in class.
#[cfg_attr(feature = "specta", derive(specta::Type), specta(rename = "AppError"))]
pub struct Error {
    /// What kind of failure, for programs.
    pub code: ErrorCode,
    /// What happened and what to do, for people.
    pub message: String,
}

/// Result with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    /// Validation failure.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    /// Missing entity.
    pub fn not_found(what: &str, id: impl fmt::Display) -> Self {
        Self::new(
            ErrorCode::NotFound,
            format!("No {what} with id {id} in this workspace: check the id, or sync to receive it first"),
        )
    }

    /// Damaged store contents.
    pub fn corrupt(message: impl Into<String>) -> Self {
        Self::new(
            ErrorCode::Corrupt,
            format!(
                "The store is damaged ({}): run `tidings rebuild`, or restore the data folder from a backup",
                message.into()
            ),
        )
    }
}

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Io(io) => io.into(),
            sled::Error::Corruption { .. } => Error::corrupt(e.to_string()),
            other => Error::new(ErrorCode::Io, format!("Storage error: {other}")),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if let Some(full) = environment_error(&e) {
            return full;
        }
        let hint = match e.kind() {
            std::io::ErrorKind::PermissionDenied => {
                ": the data folder is not writable; choose another with --data-dir"
            }
            _ => "",
        };
        Error::new(ErrorCode::Io, format!("File error: {e}{hint}"))
    }
}

/// A full disk or a read-only file system, with its own code and what to
/// do about it; `None` for any other I/O error. Matches the raw errno as
/// well as the kind, for errors a library rebuilt from the number alone.
fn environment_error(e: &std::io::Error) -> Option<Error> {
    const ENOSPC: i32 = 28;
    const EROFS: i32 = 30;
    const EDQUOT: i32 = 122;
    use std::io::ErrorKind as K;
    let errno = e.raw_os_error();
    if e.kind() == K::StorageFull
        || e.kind() == K::QuotaExceeded
        || matches!(errno, Some(ENOSPC | EDQUOT))
    {
        return Some(Error::new(
            ErrorCode::DiskFull,
            format!(
                "The disk holding the data folder is full ({e}): free some space, then try again. \
                 Everything saved before is kept; restart Tidings if it still refuses to save"
            ),
        ));
    }
    if e.kind() == K::ReadOnlyFilesystem || errno == Some(EROFS) {
        return Some(Error::new(
            ErrorCode::ReadOnly,
            format!(
                "The data folder is on a read-only file system ({e}): make it writable, \
                 or choose another data folder with --data-dir"
            ),
        ));
    }
    None
}

impl From<postcard::Error> for Error {
    fn from(e: postcard::Error) -> Self {
        Error::new(
            ErrorCode::MalformedOp,
            format!("The op could not be decoded: {e}"),
        )
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        use tantivy::directory::error::{OpenReadError, OpenWriteError};
        use tantivy::TantivyError as E;
        let io = match &e {
            E::IoError(io)
            | E::OpenWriteError(OpenWriteError::IoError { io_error: io, .. })
            | E::OpenReadError(OpenReadError::IoError { io_error: io, .. }) => Some(io),
            _ => None,
        };
        if let Some(full) = io.and_then(|io| environment_error(io)) {
            return full;
        }
        Error::new(
            ErrorCode::Search,
            format!("Search index error: {e}; run `tidings rebuild` to rebuild the index"),
        )
    }
}
