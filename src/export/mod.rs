//! Getting a workspace out of Tidings and back in.
//!
//! - [`markdown`]: a folder per channel and a Markdown file per thread,
//!   readable without the app;
//! - [`json`]: the signed op log, documented in `docs/export-format.md`,
//!   which [`json`] can import again (into a new or an existing store).

pub mod json;
pub mod markdown;

use std::path::Path;

use crate::error::{Error, Result};

/// Refuses a target folder that holds files already, so an export never
/// mixes with or overwrites other files.
fn empty_target(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)?;
        if entries.next().is_some() {
            return Err(Error::invalid(format!(
                "{} is not empty: export into a new or empty folder",
                dir.display()
            )));
        }
    }
    std::fs::create_dir_all(dir)?;
    Ok(())
}

/// A file-name-safe slug of a title: lower case ASCII letters, digits and
/// dashes, at most 60 characters.
fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.len() >= 60 {
            break;
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "untitled".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(super::slug("Release plan: Q4!"), "release-plan-q4");
        assert_eq!(super::slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(super::slug("日本"), "untitled");
    }
}
