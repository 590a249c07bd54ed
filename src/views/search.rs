//! Search as a person uses it: the index's hits, checked against the store
//! (a comment deleted a moment ago is not shown) and completed with names
//! and times for display.

use serde::{Deserialize, Serialize};

use super::people::{People, PersonRef};
use super::time::{time_view, TimeView};
use crate::error::{Error, ErrorCode, Result};
use crate::render::clean_label;
use crate::search::{SearchHit, SearchQuery};
use crate::store::Store;

/// Longest search text, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// One search result, ready to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchResult {
    /// What the index found (ids, highlighted title and snippet).
    pub hit: SearchHit,
    /// Who wrote it.
    pub author: PersonRef,
    /// Its channel's name.
    pub channel_name: String,
    /// When, in my time and the author's.
    pub time: TimeView,
}

impl Store {
    /// Full-text search over threads, comments and check-in answers.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<SearchResult>> {
        let n = q.text.chars().count();
        if n > MAX_QUERY_CHARS {
            return Err(Error::new(
                ErrorCode::TooLarge,
                format!("The search has {n} characters; search for at most {MAX_QUERY_CHARS}"),
            ));
        }
        if let Some(c) = q.channel {
            self.channel_row(c)?;
        }
        if let Some(t) = q.thread {
            self.thread_row(t)?;
        }
        if let Some(m) = q.author {
            self.member_row(m)?;
        }
        let people = People::load(self)?;
        let now = self.now();
        let mut out = Vec::new();
        for hit in self.search_index().search(q)? {
            if let Some(c) = hit.comment {
                if !self.comment_row(c).is_ok_and(|r| r.deleted.is_none()) {
                    continue;
                }
            }
            // An answer withdrawn (or cut by a stop) a moment ago.
            if let (Some(c), Some(date)) = (hit.checkin, hit.date) {
                if !self.answer_in_force(c, date, hit.author)? {
                    continue;
                }
            }
            let channel_name = self.channel_label(hit.channel);
            let author_zone = people
                .get(hit.author)
                .map(|p| (p.display_name.as_str(), people.tz_of(hit.author)));
            // The title is HTML-escaped with `<mark>`s; cleaning removes
            // only invisible characters, so the markup stays intact.
            let hit = SearchHit {
                title_html: clean_label(&hit.title_html),
                ..hit
            };
            out.push(SearchResult {
                author: people.person(hit.author),
                channel_name,
                time: time_view(hit.created, people.my_tz(), author_zone, now),
                hit,
            });
        }
        Ok(out)
    }
}
