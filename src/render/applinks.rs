//! Links into the app: `tidings://inbox`, `tidings://thread/<id>` and
//! `tidings://thread/<id>/comment/<id>`. Pasted into a post, bare or as
//! Markdown, they become links the UI opens in place; anything else with
//! the `tidings:` scheme is not a link (ammonia drops its `href`).

use std::ops::Range;

use crate::model::ids::{CommentId, ThreadId};

/// The scheme, as typed at the start of a link.
const PREFIX: &str = "tidings://";

/// A link to a thread (and comment), in its one canonical spelling.
pub fn thread_link(thread: ThreadId, comment: Option<CommentId>) -> String {
    match comment {
        Some(c) => format!("{PREFIX}thread/{thread}/comment/{c}"),
        None => format!("{PREFIX}thread/{thread}"),
    }
}

/// `url` as a canonical in-app link, or None when it is not one (wrong
/// shape, an id that does not parse, anything after it).
pub fn app_link(url: &str) -> Option<String> {
    let rest = url
        .get(..PREFIX.len())
        .filter(|p| p.eq_ignore_ascii_case(PREFIX))
        .and_then(|_| url.get(PREFIX.len()..))?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["inbox"] => Some(format!("{PREFIX}inbox")),
        ["thread", t] => Some(thread_link(t.parse().ok()?, None)),
        ["thread", t, "comment", c] => Some(thread_link(t.parse().ok()?, Some(c.parse().ok()?))),
        _ => None,
    }
}

/// The in-app links written bare in `text`: their byte ranges and
/// canonical forms. A link ends at the first character that cannot be in
/// one; a trailing "/" belongs to it, other punctuation ("see it.") does
/// not.
pub fn find_app_links(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower.get(from..).and_then(|s| s.find(PREFIX)) {
        let start = from + at;
        let body_start = start + PREFIX.len();
        let len = text[body_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '/'))
            .unwrap_or(text.len() - body_start);
        let end = body_start + len;
        // Not the tail of a longer word ("xtidings://…").
        let joined = text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric());
        if !joined {
            if let Some(link) = app_link(&text[start..end]) {
                out.push((start..end, link));
            }
        }
        from = end.max(start + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "01JF0000000000000000000000";
    const C: &str = "01JF0000000000000000000001";

    #[test]
    fn the_three_shapes_are_links_in_their_canonical_spelling() {
        assert_eq!(
            app_link("tidings://inbox").as_deref(),
            Some("tidings://inbox")
        );
        assert_eq!(
            app_link(&format!("TIDINGS://thread/{}/", T.to_lowercase())),
            Some(format!("tidings://thread/{T}"))
        );
        assert_eq!(
            app_link(&format!("tidings://thread/{T}/comment/{C}")),
            Some(format!("tidings://thread/{T}/comment/{C}"))
        );
    }

    #[test]
    fn anything_else_with_the_scheme_is_not_a_link() {
        for bad in [
            "tidings://",
            "tidings://thread/",
            "tidings://thread/not-an-id",
            "tidings://thread/01JEXAMPLE/comment/x",
            "tidings://settings",
            "tidings://inbox/extra",
            "tidings:inbox",
            "http://example.com",
        ] {
            assert_eq!(app_link(bad), None, "{bad}");
        }
        assert_eq!(
            app_link(&format!("tidings://thread/{T}?x=<script>")),
            None,
            "a query is not part of an app link"
        );
    }

    #[test]
    fn bare_links_are_found_in_text_without_trailing_punctuation() {
        let text = format!("see tidings://thread/{T}. Or tidings://inbox, then x tidings://nope");
        let found = find_app_links(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&text[found[0].0.clone()], format!("tidings://thread/{T}"));
        assert_eq!(found[0].1, format!("tidings://thread/{T}"));
        assert_eq!(&text[found[1].0.clone()], "tidings://inbox");
    }

    #[test]
    fn a_scheme_glued_to_a_word_is_not_a_link() {
        assert!(find_app_links(&format!("xtidings://thread/{T}")).is_empty());
    }
}
