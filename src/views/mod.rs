//! What a person reads: the channel list, a channel's threads, a thread with
//! its comments, the inbox and the done list, check-ins and their boards. Each is a query over derived
//! trees, paged with opaque cursors, and returns display-ready values:
//! rendered, sanitized HTML and times in the viewer's (and author's) zone.

mod catchup;
mod channels;
mod checkins;
mod composer;
mod digest;
mod inbox;
mod later;
pub(crate) mod people;
pub(crate) mod people_cache;
mod preview;
mod rendered;
mod scheduled;
mod search;
mod thread;
mod thread_pages;
pub mod time;

pub use catchup::{CatchUp, CatchUpItem, CatchUpSection, ChannelNews, CATCH_UP_WINDOW};
pub use channels::ChannelView;
pub use checkins::{
    AnswerView, Board, BoardDay, CheckinAsk, CheckinView, DayMark, HistoryDay, PersonHistory,
    MAX_BOARD_DAYS,
};
pub use composer::{Draft, RecipientDay};
pub use inbox::InboxItem;
pub use later::{LaterItem, LaterList, LaterState, ReminderPreview};
pub use people::{MemberView, PersonRef, WorkspaceView};
pub use scheduled::{delivery_label, Delivery, ScheduledView};
pub use search::{SearchResult, MAX_QUERY_CHARS};
pub use thread::{CommentPage, CommentView, ReactionView, ThreadSummary, ThreadView};
pub use thread_pages::{ThreadAt, ThreadWindow};
pub use time::TimeView;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Most items one page may hold.
pub const MAX_PAGE: usize = 200;

/// Which page to read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PageRequest {
    /// Where the previous page ended (its `next`), or None for the first page.
    pub cursor: Option<String>,
    /// How many items (1..=200; 0 means 50).
    pub limit: usize,
}

impl PageRequest {
    /// The first page of `limit` items.
    pub fn first(limit: usize) -> Self {
        PageRequest {
            cursor: None,
            limit,
        }
    }

    pub(crate) fn limit(&self) -> Result<usize> {
        match self.limit {
            0 => Ok(50),
            n if n <= MAX_PAGE => Ok(n),
            n => Err(Error::invalid(format!(
                "A page holds at most {MAX_PAGE} items, not {n}"
            ))),
        }
    }

    pub(crate) fn cursor_key(&self) -> Result<Option<Vec<u8>>> {
        self.cursor.as_deref().map(decode_cursor).transpose()
    }
}

/// One page of results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Cursor for the next page, if there is more.
    pub next: Option<String>,
}

pub(crate) fn encode_cursor(key: &[u8]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// The error for a cursor Tidings did not give out (or not for this list).
pub(crate) fn bad_cursor() -> Error {
    Error::invalid("That page cursor is not one Tidings gave out: start again from the first page")
}

fn decode_cursor(s: &str) -> Result<Vec<u8>> {
    let bad = bad_cursor;
    if !s.len().is_multiple_of(2) || s.len() > 512 {
        return Err(bad());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).ok_or_else(bad)?, 16).map_err(|_| bad()))
        .collect()
}
