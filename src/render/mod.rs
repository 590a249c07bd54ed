//! Markdown → sanitized HTML, in the core, so every shell (desktop, CLI
//! preview, future web) shows a comment the same way and none of them has
//! to be trusted to sanitize.
//!
//! The pipeline is: pulldown-cmark parses (CommonMark plus tables,
//! strikethrough and task lists), `events` rewrites the event stream
//! (mentions become spans, raw HTML becomes literal text, images obey
//! [`RenderOptions`]), pulldown-cmark writes HTML, and `sanitize` passes
//! it through ammonia with a strict allow-list. The rewrite makes the HTML
//! harmless by construction; ammonia is the second wall, so a mistake in
//! either one alone does not become an XSS hole.
//!
//! Every function here is total: any input, however large or deeply nested,
//! gives an output and never a panic.

pub mod applinks;
pub mod bidi;
pub(crate) mod cache;
mod events;
mod excerpt;
mod mentions;
mod output;
mod sanitize;

#[cfg(test)]
mod xss_tests;

use pulldown_cmark::{Options, Parser, TextMergeStream};

use crate::model::ids::MemberId;

pub use bidi::{clean_label, isolate};
pub use excerpt::plain_excerpt;
pub use mentions::mention_handles;

/// One person who can be @mentioned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MentionTarget {
    /// The handle typed after `@`, in lower case (e.g. `anasouza`; see
    /// [`crate::model::profile::handle_of`]).
    pub handle: String,
    /// Who the handle refers to; rendered as `data-member` so the UI can
    /// open their profile.
    pub member: MemberId,
    /// Shown in place of the handle ("@Ana Souza").
    pub display_name: String,
    /// True for the person viewing: their mentions get the `mention-me`
    /// class so they stand out.
    pub is_me: bool,
}

/// Choices the viewer makes about how markdown is shown.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// Load `http(s)` images inline. Off by default because fetching a
    /// remote image tells its host who read the message and when; when off,
    /// each image becomes a link the reader can choose to open.
    pub allow_remote_images: bool,
}

/// The markdown dialect every function here agrees on. Footnotes are left
/// out: their `#fragment` links and ids would need relative URLs and ids,
/// which the sanitizer refuses on purpose. Smart punctuation is left out so
/// what people type (often code-ish) is what they see.
fn parser(src: &str) -> TextMergeStream<'_, Parser<'_>> {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    // pulldown-cmark may split one run of text into several events (at
    // escapes, entities, brackets); merging them lets a mention or an
    // e-mail address be seen whole.
    TextMergeStream::new(Parser::new_ext(src, opts))
}

/// Markdown (CommonMark + tables, strikethrough, task lists) to sanitized
/// HTML.
///
/// - Raw HTML in `src` is shown literally ("<b>hi</b>" reads as typed),
///   never passed through as markup.
/// - Links keep only `http`, `https` and `mailto` targets and well-formed
///   in-app links ([`applinks`]: `tidings://thread/<id>` …, which a bare
///   one in the text also becomes, with the class `app-link`); anything
///   else, including relative URLs, loses its `href`, and every `<a>` gets
///   `rel="noopener noreferrer"`.
/// - `http(s)` images load only with [`RenderOptions::allow_remote_images`];
///   otherwise each becomes `<a class="remote-image">🖼 alt (image not
///   loaded)</a>`. Images with any other scheme are dropped.
/// - `@handle` matching a [`MentionTarget`] (case-insensitively) becomes
///   `<span class="mention" data-member="…">@Display Name</span>`, plus the
///   class `mention-me` for the viewer. Mentions are not looked for in code,
///   link text, image alt text or raw HTML.
pub fn render_markdown(src: &str, mentions: &[MentionTarget], opts: RenderOptions) -> String {
    let events = events::rewrite(parser(src), mentions, opts);
    // Markup is roughly as long as its source; reserving avoids regrowth
    // for the common case without trusting the input's size for more.
    let mut html = String::with_capacity(src.len().saturating_add(src.len() / 2));
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitize::clean(&html, opts.allow_remote_images)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn ana(is_me: bool) -> MentionTarget {
        MentionTarget {
            handle: "anasouza".into(),
            member: MemberId(0x0123_4567_89ab_cdef_0011_2233_4455_6677),
            display_name: "Ana Souza".into(),
            is_me,
        }
    }

    fn render(src: &str) -> String {
        render_markdown(src, &[ana(false)], RenderOptions::default())
    }

    const THREAD: &str = "01JF0000000000000000000000";

    #[test]
    fn a_bare_app_link_becomes_a_link_the_app_opens() {
        let html = render(&format!("see tidings://thread/{THREAD}. Thanks @anasouza"));
        assert!(
            html.contains(&format!(
                r#"<a href="tidings://thread/{THREAD}" class="app-link" rel="noopener noreferrer">tidings://thread/{THREAD}</a>."#
            )),
            "{html}"
        );
        // Mentions after it still work.
        assert!(html.contains(r#"class="mention""#), "{html}");
    }

    #[test]
    fn a_markdown_app_link_keeps_its_target_and_a_malformed_one_loses_it() {
        let html = render(&format!("[the plan](tidings://thread/{THREAD})"));
        assert!(
            html.contains(&format!(r#"href="tidings://thread/{THREAD}""#)),
            "{html}"
        );
        for bad in [
            "[x](tidings://settings)",
            "[x](tidings://thread/nope)",
            "[x](tidings://thread/01JF0000000000000000000000/../../etc)",
        ] {
            let html = render(bad);
            assert!(!html.contains("href"), "{bad} kept a target: {html}");
        }
    }

    #[test]
    fn app_links_in_code_or_inside_another_link_stay_text() {
        let html = render(&format!("`tidings://thread/{THREAD}`"));
        assert!(!html.contains("<a"), "{html}");
        let html = render(&format!(
            "[see tidings://thread/{THREAD}](https://example.com)"
        ));
        assert_eq!(html.matches("<a ").count(), 1, "links never nest: {html}");
    }

    #[test]
    fn links_get_rel_noopener_noreferrer() {
        let html = render("see [the docs](https://example.com/docs) and <https://example.org>");
        assert_eq!(html.matches("<a ").count(), 2, "{html}");
        assert_eq!(
            html.matches(r#"rel="noopener noreferrer""#).count(),
            2,
            "{html}"
        );
        assert!(
            html.contains(r#"href="https://example.com/docs""#),
            "{html}"
        );
    }

    #[test]
    fn mailto_links_survive_and_relative_links_lose_their_href() {
        let html = render("<ana@example.com> and [home](/settings)");
        assert!(html.contains(r#"href="mailto:ana@example.com""#), "{html}");
        assert!(!html.contains("/settings\""), "{html}");
        assert!(html.contains(">home</a>"), "{html}");
    }

    #[test]
    fn raw_html_is_shown_literally_instead_of_as_markup() {
        let html = render("say <b>hi</b>\n\n<div>\nblock\n</div>");
        assert!(html.contains("&lt;b&gt;hi&lt;/b&gt;"), "{html}");
        assert!(
            html.contains("&lt;div&gt;<br>\nblock<br>\n&lt;/div&gt;"),
            "{html}"
        );
        assert!(!html.contains("<b>") && !html.contains("<div"), "{html}");
    }

    #[test]
    fn remote_images_become_links_unless_allowed() {
        let src = "![a cat](https://img.example/cat.png)";
        let html = render(src);
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"href="https://img.example/cat.png""#),
            "{html}"
        );
        assert!(html.contains(r#"class="remote-image""#), "{html}");
        assert!(html.contains("🖼 a cat (image not loaded)"), "{html}");
        assert!(html.contains(r#"rel="noopener noreferrer""#), "{html}");

        let allowed = render_markdown(
            src,
            &[],
            RenderOptions {
                allow_remote_images: true,
            },
        );
        assert!(
            allowed.contains(r#"src="https://img.example/cat.png""#),
            "{allowed}"
        );
        assert!(allowed.contains(r#"alt="a cat""#), "{allowed}");
        assert!(allowed.contains(r#"loading="lazy""#), "{allowed}");
    }

    #[test]
    fn images_with_other_schemes_are_dropped_even_when_remote_images_are_allowed() {
        let opts = RenderOptions {
            allow_remote_images: true,
        };
        for src in [
            "![x](data:image/png;base64,AAAA)",
            "![x](file:///etc/passwd)",
            "![x](cat.png)",
        ] {
            let html = render_markdown(src, &[], opts);
            assert!(
                !html.contains("<img") && !html.contains("<a"),
                "{src} → {html}"
            );
        }
    }

    #[test]
    fn an_image_inside_a_link_does_not_nest_a_second_link() {
        let html = render("[![logo](https://x.example/l.png)](https://x.example)");
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
        assert!(html.contains("🖼 logo (image not loaded)"), "{html}");
    }

    #[test]
    fn code_blocks_keep_only_their_language_class() {
        let html = render("```rust\nfn main() {}\n```");
        assert!(html.contains(r#"<code class="language-rust">"#), "{html}");
        let odd = render("```\"><script>x\nbody\n```");
        assert!(!odd.contains("<script"), "{odd}");
    }

    #[test]
    fn tables_keep_their_alignment_without_style_attributes() {
        let html = render("| a | b |\n|:-:|--:|\n| 1 | 2 |");
        assert!(html.contains(r#"<th align="center">a</th>"#), "{html}");
        assert!(html.contains(r#"<td align="right">2</td>"#), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn task_list_checkboxes_are_disabled() {
        let html = render("- [x] done\n- [ ] todo");
        assert_eq!(html.matches("<input").count(), 2, "{html}");
        assert_eq!(html.matches(r#"disabled="""#).count(), 2, "{html}");
        assert_eq!(html.matches(r#"type="checkbox""#).count(), 2, "{html}");
        assert_eq!(html.matches("checked").count(), 1, "{html}");
    }

    #[test]
    fn common_markdown_blocks_render() {
        let html = render("# T\n\n> q\n\n1. a\n\n---\n\n*e* **s** ~~d~~");
        for tag in [
            "<h1>",
            "<blockquote>",
            "<ol>",
            "<hr>",
            "<em>",
            "<strong>",
            "<del>",
        ] {
            assert!(html.contains(tag), "{tag} missing in {html}");
        }
    }

    #[test]
    fn a_hundred_kib_input_renders() {
        let para = "Some **bold** text with @anasouza and a [link](https://example.com).\n\n";
        let src = para.repeat(100 * 1024 / para.len() + 1);
        let html = render(&src);
        assert!(html.matches("class=\"mention\"").count() > 1000);
    }

    #[test]
    fn nesting_beyond_the_cap_keeps_the_text_but_not_the_tags() {
        let html = render(&format!("{} deep @anasouza", ">".repeat(200)));
        assert!(html.contains("deep <span class=\"mention\""), "{html}");
        assert!(
            html.matches("<blockquote>").count() <= output::MAX_DEPTH,
            "{html}"
        );
        assert_eq!(
            html.matches("<blockquote>").count(),
            html.matches("</blockquote>").count()
        );
    }

    #[test]
    fn a_hundred_kib_of_nesting_renders_quickly() {
        // Uncapped, html5ever would need about a minute for this.
        let start = std::time::Instant::now();
        for unit in [">", "> - ", "- > ", "* ["] {
            let src = unit.repeat(100 * 1024 / unit.len());
            let _ = render(&src);
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(30));
    }

    #[test]
    fn pathological_nesting_does_not_panic() {
        for src in [
            ">".repeat(10_000),
            "[".repeat(10_000),
            "*".repeat(10_000),
            "- ".repeat(10_000),
            "![".repeat(5_000) + &"](x)".repeat(5_000),
            "<div>".repeat(10_000),
            "`".repeat(10_000),
            "> - ".repeat(5_000) + "x",
        ] {
            let _ = render(&src);
            let _ = mention_handles(&src);
            let _ = plain_excerpt(&src, 80);
        }
    }
}
