//! Export to plain Markdown: `<dir>/README.md` lists the channels, then a
//! folder per channel with one file per thread (title, body, comments with
//! authors and UTC times). Deleted comments are left out.

use std::fmt::Write as _;
use std::path::Path;

use tracing::instrument;

use super::{empty_target, slug};
use crate::error::Result;
use crate::render::RenderOptions;
use crate::store::Store;
use crate::views::{PageRequest, MAX_PAGE};

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct MarkdownExport {
    /// Channel folders.
    pub channels: usize,
    /// Thread files.
    pub threads: usize,
    /// Comments written.
    pub comments: usize,
}

impl Store {
    /// Writes the whole workspace as Markdown into `dir` (new or empty).
    #[instrument(skip(self), err)]
    pub fn export_markdown(&self, dir: &Path) -> Result<MarkdownExport> {
        empty_target(dir)?;
        let mut stats = MarkdownExport::default();
        let name = self
            .workspace()?
            .map(|w| w.name)
            .unwrap_or_else(|| "Tidings".into());
        let mut index = format!("# {name}\n\nExported from Tidings.\n");
        for ch in self.channels()? {
            let folder = format!("{}-{}", slug(&ch.name), short(&ch.id.to_string()));
            std::fs::create_dir_all(dir.join(&folder))?;
            stats.channels += 1;
            let _ = write!(
                index,
                "\n## #{}{}\n\n",
                ch.name,
                if ch.archived { " (archived)" } else { "" }
            );
            if !ch.topic.is_empty() {
                let _ = writeln!(index, "{}\n", ch.topic);
            }
            let mut page = PageRequest::first(MAX_PAGE);
            loop {
                let p = self.channel_threads(ch.id, &page)?;
                for t in &p.items {
                    let file = format!("{}-{}.md", slug(&t.title), short(&t.id.to_string()));
                    let body = self.thread_markdown(t.id, &ch.name, &mut stats)?;
                    std::fs::write(dir.join(&folder).join(&file), body)?;
                    stats.threads += 1;
                    let _ = writeln!(
                        index,
                        "- [{}]({folder}/{file})",
                        t.title.replace(']', "\\]")
                    );
                }
                match p.next {
                    Some(n) => page.cursor = Some(n),
                    None => break,
                }
            }
        }
        std::fs::write(dir.join("README.md"), index)?;
        Ok(stats)
    }

    fn thread_markdown(
        &self,
        id: crate::model::ids::ThreadId,
        channel: &str,
        stats: &mut MarkdownExport,
    ) -> Result<String> {
        let mut page = PageRequest::first(MAX_PAGE);
        let mut out = String::new();
        loop {
            let v = self.thread(id, &page, RenderOptions::default())?;
            if page.cursor.is_none() {
                let _ = write!(
                    out,
                    "# {}\n\n*#{channel} · started by {} on {}{}*\n\n{}\n",
                    v.summary.title,
                    v.summary.author.name,
                    v.created.utc.format("%Y-%m-%d %H:%M UTC"),
                    if v.summary.closed { " · closed" } else { "" },
                    v.body_markdown.trim_end()
                );
            }
            for c in &v.comments.items {
                let _ = write!(
                    out,
                    "\n---\n\n**{}** · {}{}\n\n{}\n",
                    c.author.name,
                    c.created.utc.format("%Y-%m-%d %H:%M UTC"),
                    if c.edited { " (edited)" } else { "" },
                    c.body_markdown.trim_end()
                );
                stats.comments += 1;
            }
            match v.comments.next {
                Some(n) => page.cursor = Some(n),
                None => return Ok(out),
            }
        }
    }
}

/// The last 6 characters of an id: enough to keep file names apart.
fn short(id: &str) -> &str {
    &id[id.len().saturating_sub(6)..]
}
