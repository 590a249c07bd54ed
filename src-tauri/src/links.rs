//! `tidings://` links: `tidings://thread/<thread id>` and
//! `tidings://thread/<thread id>/comment/<comment id>`, `tidings://inbox`.

use tauri::AppHandle;
use tauri_specta::Event as _;
use tidings::model::ids::{CommentId, ThreadId};
use tidings::{Error, ErrorCode};
use tracing::warn;

use crate::events::Navigate;
use crate::log_err::LogErr;

/// Parses a link into where to go.
pub fn parse(link: &str) -> Result<Navigate, Error> {
    let bad = || {
        Error::new(
            ErrorCode::InvalidInput,
            format!(
                "'{link}' is not a Tidings link: expected tidings://thread/<id> or tidings://inbox"
            ),
        )
    };
    let rest = link.trim().strip_prefix("tidings://").ok_or_else(bad)?;
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        ["inbox"] => Ok(Navigate::Inbox),
        ["thread", t] => Ok(Navigate::Thread {
            thread: t.parse::<ThreadId>()?,
            comment: None,
        }),
        ["thread", t, "comment", c] => Ok(Navigate::Thread {
            thread: t.parse::<ThreadId>()?,
            comment: Some(c.parse::<CommentId>()?),
        }),
        _ => Err(bad()),
    }
}

/// Shows the window where the link points.
pub fn open(app: &AppHandle, link: &str) {
    match parse(link) {
        Ok(nav) => {
            crate::window::show_main(app);
            nav.emit(app).log_err("opening the link in the window");
        }
        Err(e) => warn!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_a_thread_a_comment_or_the_inbox() {
        let t = ThreadId(42);
        let c = CommentId(7);
        assert!(matches!(parse("tidings://inbox"), Ok(Navigate::Inbox)));
        match parse(&format!("tidings://thread/{t}")).unwrap() {
            Navigate::Thread { thread, comment } => {
                assert_eq!(thread, t);
                assert_eq!(comment, None);
            }
            other => panic!("{other:?}"),
        }
        match parse(&format!("tidings://thread/{t}/comment/{c}/")).unwrap() {
            Navigate::Thread { comment, .. } => assert_eq!(comment, Some(c)),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse("https://x").unwrap_err().code,
            ErrorCode::InvalidInput
        );
        assert_eq!(
            parse("tidings://thread/nope").unwrap_err().code,
            ErrorCode::InvalidId
        );
    }
}
