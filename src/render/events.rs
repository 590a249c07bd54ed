//! Rewrites the markdown event stream before it is written as HTML.
//!
//! Working on events rather than on HTML text is what keeps this safe
//! without a home-made sanitizer: pulldown-cmark escapes every `Text`
//! event, so turning raw HTML into text makes it inert, and the only markup
//! we add ourselves (mention spans, image stand-ins) is built here from
//! escaped values. ammonia still checks all of it afterwards.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::mentions::{find_mentions, MentionContext};
use super::output::Output;
use super::{MentionTarget, RenderOptions};

/// Applies every rewrite to `events` and returns the events to write.
pub(super) fn rewrite<'a>(
    events: impl Iterator<Item = Event<'a>>,
    targets: &[MentionTarget],
    opts: RenderOptions,
) -> Vec<Event<'a>> {
    let mut by_handle = HashMap::new();
    for t in targets {
        // Two people with the same handle cannot both be meant; the first
        // listed wins so the result does not depend on hashing.
        by_handle.entry(t.handle.to_lowercase()).or_insert(t);
    }
    let mut r = Rewriter {
        targets: by_handle,
        opts,
        ctx: MentionContext::default(),
        out: Output::default(),
        image: None,
        html_block: None,
    };
    for ev in events {
        r.push(ev);
    }
    // pulldown-cmark always closes its blocks; this only guards against a
    // future version that does not, so no text is silently lost.
    if let Some(raw) = r.html_block.take() {
        r.literal_block(&raw);
    }
    r.out.into_events()
}

/// An image whose alt text is still being read.
struct PendingImage {
    url: String,
    title: String,
    alt: String,
    /// Images may nest inside alt text; the outer one ends at depth 0.
    depth: usize,
}

struct Rewriter<'a, 't> {
    targets: HashMap<String, &'t MentionTarget>,
    opts: RenderOptions,
    ctx: MentionContext,
    out: Output<'a>,
    image: Option<PendingImage>,
    html_block: Option<String>,
}

impl<'a> Rewriter<'a, '_> {
    fn push(&mut self, ev: Event<'a>) {
        let mentions_here = self.ctx.allows_mentions();
        let prev = self.ctx.prev();
        self.ctx.observe(&ev);

        if let Some(img) = &mut self.image {
            match ev {
                Event::Text(t) | Event::Code(t) => img.alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => img.alt.push(' '),
                Event::Start(Tag::Image { .. }) => img.depth += 1,
                Event::End(TagEnd::Image) => {
                    img.depth = img.depth.saturating_sub(1);
                    if img.depth == 0 {
                        if let Some(done) = self.image.take() {
                            self.finish_image(done);
                        }
                    }
                }
                _ => {}
            }
            return;
        }
        if let Some(buf) = &mut self.html_block {
            match ev {
                Event::Html(t) | Event::InlineHtml(t) | Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::HtmlBlock) => {
                    if let Some(raw) = self.html_block.take() {
                        self.literal_block(&raw);
                    }
                }
                _ => {}
            }
            return;
        }

        match ev {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                self.image = Some(PendingImage {
                    url: dest_url.into_string(),
                    title: title.into_string(),
                    alt: String::new(),
                    depth: 1,
                });
            }
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(String::new()),
            // Raw HTML is shown as typed: as text it is escaped on output.
            Event::Html(t) | Event::InlineHtml(t) => self.out.emit(Event::Text(t)),
            Event::Text(t) if mentions_here => self.text_with_links(t, prev),
            other => self.out.emit(other),
        }
    }

    /// Splits a text run around bare in-app links (`tidings://thread/…`),
    /// which become links, then around mentions.
    fn text_with_links(&mut self, text: CowStr<'a>, prev: Option<char>) {
        let links = super::applinks::find_app_links(&text);
        if links.is_empty() {
            return self.text_with_mentions(text, prev);
        }
        let mut last = 0;
        let mut before_char = prev;
        for (range, link) in links {
            if let Some(before) = text.get(last..range.start).filter(|s| !s.is_empty()) {
                self.text_with_mentions(before.to_owned().into(), before_char);
            }
            self.out.emit(Event::InlineHtml(
                format!(
                    "<a href=\"{}\" class=\"app-link\">{}</a>",
                    escape(&link),
                    escape(&text[range.clone()])
                )
                .into(),
            ));
            before_char = text[..range.end].chars().next_back();
            last = range.end;
        }
        if let Some(after) = text.get(last..).filter(|s| !s.is_empty()) {
            self.text_with_mentions(after.to_owned().into(), before_char);
        }
    }

    /// Splits a text run around the mentions of known people.
    fn text_with_mentions(&mut self, text: CowStr<'a>, prev: Option<char>) {
        let mut last = 0;
        for (range, handle) in find_mentions(&text, prev) {
            let Some(&target) = self.targets.get(&handle) else {
                continue;
            };
            if let Some(before) = text.get(last..range.start).filter(|s| !s.is_empty()) {
                self.out.emit(Event::Text(before.to_owned().into()));
            }
            self.out
                .emit(Event::InlineHtml(mention_span(target).into()));
            last = range.end;
        }
        if last == 0 {
            self.out.emit(Event::Text(text));
        } else if let Some(after) = text.get(last..).filter(|s| !s.is_empty()) {
            self.out.emit(Event::Text(after.to_owned().into()));
        }
    }

    /// An HTML block, shown as a paragraph of literal text that keeps its
    /// line breaks.
    fn literal_block(&mut self, raw: &str) {
        self.out.emit(Event::Start(Tag::Paragraph));
        for (i, line) in raw.trim_end_matches(['\n', '\r']).split('\n').enumerate() {
            if i > 0 {
                self.out.emit(Event::HardBreak);
            }
            let line = line.trim_end_matches('\r');
            self.out.emit(Event::Text(line.to_owned().into()));
        }
        self.out.emit(Event::End(TagEnd::Paragraph));
    }

    /// Emits what an image turns into under the viewer's options.
    fn finish_image(&mut self, img: PendingImage) {
        let url = img.url.trim();
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            // data:, file:, javascript: and relative images are dropped:
            // none of them is something a teammate can meaningfully share.
            return;
        }
        let alt = img.alt.split_whitespace().collect::<Vec<_>>().join(" ");
        let title = if img.title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(&img.title))
        };
        let html = if self.opts.allow_remote_images {
            format!(
                "<img src=\"{}\" alt=\"{}\"{title}>",
                escape(url),
                escape(&alt)
            )
        } else {
            let label = if alt.is_empty() {
                "🖼 (image not loaded)".to_owned()
            } else {
                format!("🖼 {alt} (image not loaded)")
            };
            if self.ctx.in_link() {
                // Links may not nest; the enclosing link stays clickable.
                self.out.emit(Event::Text(label.into()));
                return;
            }
            format!(
                "<a href=\"{}\" class=\"remote-image\"{title}>{}</a>",
                escape(url),
                escape(&label)
            )
        };
        self.out.emit(Event::InlineHtml(html.into()));
    }
}

/// The highlighted form of a mention.
fn mention_span(t: &MentionTarget) -> String {
    let class = if t.is_me {
        "mention mention-me"
    } else {
        "mention"
    };
    let name = t.display_name.trim();
    let name = if name.is_empty() {
        t.handle.as_str()
    } else {
        name
    };
    format!(
        "<span class=\"{class}\" data-member=\"{}\">@{}</span>",
        t.member,
        escape(name)
    )
}

/// Escapes text for use inside an HTML attribute value or element body.
/// This is escaping, not sanitizing: it only keeps our own markup well
/// formed, and ammonia checks the result.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::ana;
    use super::super::{render_markdown, MentionTarget, RenderOptions};
    use crate::model::ids::MemberId;

    fn bob() -> MentionTarget {
        MentionTarget {
            handle: "bob".into(),
            member: MemberId(7),
            display_name: "Bob <Builder>".into(),
            is_me: false,
        }
    }

    #[test]
    fn known_mentions_are_highlighted_with_display_name_and_member() {
        let html = render_markdown("hi @AnaSouza.", &[ana(false)], RenderOptions::default());
        let id = ana(false).member.to_string();
        let want = format!(r#"<span class="mention" data-member="{id}">@Ana Souza</span>."#);
        assert!(html.contains(&want), "{html}");
    }

    #[test]
    fn the_viewers_own_mentions_get_mention_me() {
        let html = render_markdown("@anasouza look", &[ana(true)], RenderOptions::default());
        assert!(html.contains(r#"class="mention mention-me""#), "{html}");
    }

    #[test]
    fn unknown_handles_stay_plain_text() {
        let html = render_markdown(
            "ping @nobody and @anasouza",
            &[ana(false)],
            RenderOptions::default(),
        );
        assert!(html.contains("ping @nobody and <span"), "{html}");
        assert_eq!(html.matches("<span").count(), 1, "{html}");
    }

    #[test]
    fn a_mention_inside_code_is_not_highlighted() {
        let html = render_markdown(
            "`@anasouza`\n\n```\n@anasouza\n```",
            &[ana(false)],
            RenderOptions::default(),
        );
        assert!(!html.contains("<span"), "{html}");
        assert!(html.contains("<code>@anasouza</code>"), "{html}");
    }

    #[test]
    fn an_e_mail_address_is_not_a_mention() {
        let html = render_markdown(
            "mail anasouza@anasouza.org",
            &[ana(false)],
            RenderOptions::default(),
        );
        assert!(!html.contains("<span"), "{html}");
    }

    #[test]
    fn display_names_are_escaped_inside_mentions() {
        let html = render_markdown("@bob", &[bob()], RenderOptions::default());
        assert!(html.contains("@Bob &lt;Builder&gt;</span>"), "{html}");
    }

    #[test]
    fn a_user_cannot_forge_a_mention_span() {
        let forged =
            r#"<span class="mention" data-member="01ARZ3NDEKTSV4RRFFQ69G5FAV">@boss</span>"#;
        let html = render_markdown(forged, &[], RenderOptions::default());
        assert!(!html.contains("<span"), "{html}");
    }
}
