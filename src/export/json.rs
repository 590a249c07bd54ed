//! Export of the op log as JSON, and its import. The format is documented
//! in `docs/export-format.md`; changing it is a format change (bump
//! [`FORMAT_VERSION`]).
//!
//! Each op carries its signed bytes (`signed`, hex) — the only field import
//! trusts, since the signature covers it — and a readable copy of the op.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};
use tracing::instrument;

use crate::error::{Error, ErrorCode, Result};
use crate::model::ids::{MemberId, OpId, WorkspaceId};
use crate::model::op::{Op, OpKind};
use crate::model::signed::SignedOp;
use crate::store::Store;

/// The `format` field of every export.
pub const FORMAT: &str = "tidings-export";
/// The version of the export format.
pub const FORMAT_VERSION: u32 = 1;
/// Ops applied per batch while importing.
const IMPORT_BATCH: usize = 5_000;

/// The export's header.
#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    exported_at: chrono::DateTime<chrono::Utc>,
    workspace: Option<WorkspaceRef>,
    member: Option<MemberId>,
    op_count: usize,
}

#[derive(Serialize, Deserialize)]
struct WorkspaceRef {
    id: WorkspaceId,
    name: String,
}

/// One op line.
#[derive(Serialize, Deserialize)]
struct OpLine {
    id: OpId,
    author: MemberId,
    kind: String,
    op: Option<OpKind>,
    signed: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Ops that took effect.
    pub applied: usize,
    /// Ops the store had already.
    pub duplicates: usize,
    /// Ops waiting for others.
    pub pending: usize,
    /// Ops refused (bad signature, rules).
    pub rejected: usize,
}

impl Store {
    /// Writes the op log as JSON: a header object, then one op object per
    /// line inside `"ops": [...]`, so big exports stream.
    #[instrument(skip(self, out), err)]
    pub fn export_json(&self, out: &mut dyn Write) -> Result<usize> {
        let header = Header {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            exported_at: self.now(),
            workspace: self.workspace()?.map(|w| WorkspaceRef {
                id: w.id,
                name: w.name,
            }),
            member: self.me(),
            op_count: self.op_count()? - self.scheduled_hidden_from_me()?,
        };
        let head = serde_json::to_string(&header).map_err(json_err)?;
        // Re-open the header object to append the ops array.
        out.write_all(&head.as_bytes()[..head.len() - 1])?;
        out.write_all(b",\"ops\":[\n")?;
        let mut n = 0;
        for signed in self.ops() {
            let signed = signed?;
            let op: Op = signed.decode_unverified()?;
            // Someone else's post that is still to be delivered is not
            // mine to read yet, nor to export.
            if self.is_hidden_scheduled(&op)? {
                continue;
            }
            let line = OpLine {
                id: op.id,
                author: op.author,
                kind: op.kind.name().into(),
                op: Some(op.kind),
                signed: hex(signed.as_bytes()),
            };
            if n > 0 {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut *out, &line).map_err(json_err)?;
            n += 1;
        }
        out.write_all(b"\n]}\n")?;
        out.flush()?;
        Ok(n)
    }

    /// Imports a JSON export: every op is verified and merged, so importing
    /// into a store that has some of them already is safe. Into a store
    /// without a person yet, this device shows the workspace as the
    /// exporting person sees it (a restore); it can write as them once one
    /// of their devices adds it with `tidings device link`.
    #[instrument(skip(self, input), err)]
    pub fn import_json(&self, input: &mut dyn BufRead) -> Result<ImportReport> {
        #[derive(Deserialize)]
        struct Doc {
            format: String,
            version: u32,
            member: Option<MemberId>,
            ops: Vec<OpLine>,
        }
        let doc: Doc = serde_json::from_reader(input).map_err(|e| {
            Error::invalid(format!("This is not a Tidings JSON export ({e}): choose a file made by `tidings export --json`"))
        })?;
        if doc.format != FORMAT {
            return Err(Error::invalid("This JSON file is not a Tidings export"));
        }
        if doc.version > FORMAT_VERSION {
            return Err(Error::new(
                ErrorCode::UnsupportedVersion,
                format!(
                    "This export has format version {}; update Tidings to import it",
                    doc.version
                ),
            ));
        }
        let mut report = ImportReport::default();
        let mut batch = Vec::with_capacity(IMPORT_BATCH);
        for line in doc.ops {
            batch.push(SignedOp::from_bytes(unhex(&line.signed)?)?);
            if batch.len() == IMPORT_BATCH {
                self.import_batch(std::mem::take(&mut batch), &mut report)?;
            }
        }
        self.import_batch(batch, &mut report)?;
        if let (None, Some(member)) = (self.me(), doc.member) {
            if self.member_row(member).is_ok() {
                // Reads as that person at once; writes need one of their
                // devices to add this one (`tidings device link`).
                self.set_local_member(member)?;
            }
        }
        Ok(report)
    }

    fn import_batch(&self, batch: Vec<SignedOp>, report: &mut ImportReport) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let r = self.apply_remote(batch)?;
        report.applied += r.applied.len();
        report.duplicates += r.duplicates;
        report.pending += r.pending;
        report.rejected += r.rejected.len();
        Ok(())
    }
}

fn json_err(e: serde_json::Error) -> Error {
    Error::new(ErrorCode::Io, format!("Could not write the export: {e}"))
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push_str(&format!("{x:02x}"));
    }
    s
}

fn unhex(s: &str) -> Result<Vec<u8>> {
    let bad = || {
        Error::new(
            ErrorCode::MalformedOp,
            "An op in the export is not valid hex: the file is damaged",
        )
    };
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return Err(bad());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|_| bad()))
        .collect()
}
