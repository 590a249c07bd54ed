//! The ammonia allow-list every rendered message passes through.
//!
//! It allows exactly what the markdown writer and [`super::events`]
//! produce and nothing more: no `style`, no ids, no event handlers, only
//! `http`, `https` and `mailto` URLs, and classes only from fixed patterns
//! (`language-*` on code, `mention`/`mention-me` on spans, `remote-image` on
//! links). Relative URLs are refused because in a desktop webview they
//! would point into the app itself.
//!
//! Building an ammonia `Builder` allocates a few dozen sets, so the two
//! variants (with and without `<img>`) are built once and shared.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use ammonia::{Builder, UrlRelative};

use crate::model::ids::MemberId;

/// Sanitizes `html`; `<img>` is allowed only with `allow_images`, so a
/// slip elsewhere can never make a remote image load against the viewer's
/// choice.
pub(super) fn clean(html: &str, allow_images: bool) -> String {
    static WITHOUT_IMAGES: OnceLock<Builder<'static>> = OnceLock::new();
    static WITH_IMAGES: OnceLock<Builder<'static>> = OnceLock::new();
    let builder = if allow_images {
        WITH_IMAGES.get_or_init(|| build(true))
    } else {
        WITHOUT_IMAGES.get_or_init(|| build(false))
    };
    builder.clean(html).to_string()
}

fn build(allow_images: bool) -> Builder<'static> {
    let mut tags: HashSet<&'static str> = [
        "a",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "input",
        "li",
        "ol",
        "p",
        "pre",
        "span",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
    .into_iter()
    .collect();
    let mut attrs: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
    let mut allow = |tag: &'static str, names: &[&'static str]| {
        attrs.insert(tag, names.iter().copied().collect());
    };
    allow("a", &["href", "title", "class"]);
    allow("code", &["class"]);
    allow("span", &["class", "data-member"]);
    allow("input", &["type", "checked", "disabled"]);
    allow("ol", &["start"]);
    allow("th", &["align"]);
    allow("td", &["align"]);
    if allow_images {
        tags.insert("img");
        allow("img", &["src", "alt", "title", "loading"]);
    }

    let mut b = Builder::empty();
    b.tags(tags)
        .tag_attributes(attrs)
        .generic_attributes(HashSet::new())
        .clean_content_tags(["script", "style"].into_iter().collect())
        .url_schemes(["http", "https", "mailto", "tidings"].into_iter().collect())
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        // Checkboxes are a display of task state, never a form control.
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .attribute_filter(filter_attribute);
    if allow_images {
        b.set_tag_attribute_value("img", "loading", "lazy");
    }
    b
}

/// Narrows allowed attributes to allowed values: the tag/attribute
/// allow-list says which attributes may exist, this says what they may say.
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        ("code", "class") => keep_classes(value, is_language_class),
        ("span", "class") => keep_classes(value, |c| c == "mention" || c == "mention-me"),
        ("a", "class") => keep_classes(value, |c| c == "remote-image" || c == "app-link"),
        // The scheme passes ammonia's list; only the app's own link shapes
        // keep it (canonical spelling).
        ("a", "href")
            if value
                .get(..8)
                .is_some_and(|p| p.eq_ignore_ascii_case("tidings:")) =>
        {
            super::applinks::app_link(value).map(Cow::Owned)
        }
        ("span", "data-member") => value
            .parse::<MemberId>()
            .ok()
            .map(|m| Cow::Owned(m.to_string())),
        ("th" | "td", "align") => {
            matches!(value, "left" | "center" | "right").then_some(Cow::Borrowed(value))
        }
        ("ol", "start") => value.parse::<u64>().ok().map(|n| Cow::Owned(n.to_string())),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Keeps the whitespace-separated classes that pass `ok`; drops the
/// attribute when none do.
fn keep_classes<'u>(value: &'u str, ok: impl Fn(&str) -> bool) -> Option<Cow<'u, str>> {
    let kept: Vec<&str> = value.split_ascii_whitespace().filter(|c| ok(c)).collect();
    if kept.is_empty() {
        None
    } else {
        Some(Cow::Owned(kept.join(" ")))
    }
}

/// `language-` and a plausible language name (`rust`, `c++`, `c#`,
/// `objective-c`): enough for a syntax highlighter, too narrow to smuggle
/// anything in.
fn is_language_class(class: &str) -> bool {
    class.strip_prefix("language-").is_some_and(|lang| {
        !lang.is_empty()
            && lang.len() <= 32
            && lang
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_language_classes_survive_on_code() {
        let html = clean(
            r#"<pre><code class="language-rust evil x">x</code></pre>"#,
            false,
        );
        assert_eq!(html, r#"<pre><code class="language-rust">x</code></pre>"#);
        let html = clean(r#"<code class="language-">x</code>"#, false);
        assert_eq!(html, "<code>x</code>");
    }

    #[test]
    fn forged_classes_and_member_ids_are_removed() {
        let html = clean(
            r#"<span class="admin mention" data-member="nope">x</span>"#,
            false,
        );
        assert_eq!(html, r#"<span class="mention">x</span>"#);
        let html = clean(r#"<a class="button" href="https://x.org">x</a>"#, false);
        assert!(!html.contains("class"), "{html}");
    }

    #[test]
    fn images_are_removed_unless_allowed() {
        let src = r#"<img src="https://x.org/a.png" alt="a">"#;
        assert_eq!(clean(src, false), "");
        let kept = clean(src, true);
        assert!(kept.contains(r#"loading="lazy""#), "{kept}");
    }

    #[test]
    fn checkboxes_are_always_disabled_checkboxes() {
        let html = clean(r#"<input type="text" checked="">"#, false);
        assert!(html.contains(r#"type="checkbox""#), "{html}");
        assert!(html.contains(r#"disabled="""#), "{html}");
    }

    #[test]
    fn table_alignment_accepts_only_the_three_directions() {
        assert_eq!(
            clean(
                r#"<table><tbody><tr><td align="justify">x</td></tr></tbody></table>"#,
                false
            ),
            "<table><tbody><tr><td>x</td></tr></tbody></table>"
        );
    }
}
