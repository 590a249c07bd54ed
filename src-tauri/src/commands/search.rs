//! Full-text search.

use tauri::State;
use tidings::search::SearchQuery;
use tidings::views::SearchResult;

use crate::ctx::Shared;
use crate::ipc::{Arg, IpcResult};

/// Threads and comments matching the words (the last one as a prefix).
#[tauri::command]
#[specta::specta]
pub async fn search(
    ctx: State<'_, Shared>,
    query: Arg<SearchQuery>,
) -> IpcResult<Vec<SearchResult>> {
    let query = query.get("query")?;
    ctx.run(move |s| s.search(&query)).await
}
