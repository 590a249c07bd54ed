//! The data folder: export and search reindex, with progress events.

use tauri::{AppHandle, State};
use tauri_specta::Event as _;

use crate::ctx::Shared;
use crate::events::Progress;
use crate::ipc::IpcResult;
use crate::log_err::LogErr;

/// Exports the workspace as Markdown files and a JSON file (restorable
/// with `tidings import`) into a new dated folder beside the data folder's
/// `exports/`; returns that folder.
#[tauri::command]
#[specta::specta]
pub async fn export_workspace(ctx: State<'_, Shared>, app: AppHandle) -> IpcResult<String> {
    let task = "Exporting".to_string();
    Progress {
        task: task.clone(),
        done: 0,
        total: 2,
    }
    .emit(&app)
    .log_err("sending progress");
    let stamp = ctx.store.now().format("%Y-%m-%d-%H%M%S").to_string();
    let dir = ctx
        .data_dir
        .join("exports")
        .join(format!("tidings-{stamp}"));
    let out = dir.clone();
    let result = ctx
        .run(move |s| {
            s.export_markdown(&out.join("markdown"))?;
            let file = std::fs::File::create(out.join("workspace.json"))?;
            let mut w = std::io::BufWriter::new(file);
            s.export_json(&mut w)?;
            std::io::Write::flush(&mut w)?;
            Ok(())
        })
        .await;
    Progress {
        task,
        done: 2,
        total: 2,
    }
    .emit(&app)
    .log_err("sending progress");
    result.map(|()| dir.display().to_string())
}

/// Rebuilds the search index from the op log.
#[tauri::command]
#[specta::specta]
pub async fn reindex_search(ctx: State<'_, Shared>, app: AppHandle) -> IpcResult<()> {
    let task = "Rebuilding the search index".to_string();
    Progress {
        task: task.clone(),
        done: 0,
        total: 1,
    }
    .emit(&app)
    .log_err("sending progress");
    let result = ctx.run(|s| s.reindex_search()).await;
    Progress {
        task,
        done: 1,
        total: 1,
    }
    .emit(&app)
    .log_err("sending progress");
    result
}
