//! Finding `@handle` mentions in markdown.
//!
//! One scanner serves both [`mention_handles`] (who gets notified) and the
//! renderer (who gets highlighted), so a person is notified exactly when
//! the message shows them highlighted. A mention only counts in ordinary
//! text: not in code, link text, image alt text or raw HTML, and not as the
//! middle of an e-mail address or URL.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

/// The @handles written in `src` (lowercased, deduplicated, in order of
/// first appearance), ignoring code spans, code blocks, link text and URLs,
/// image alt text, raw HTML and e-mail addresses (`ana@example.com` is not a
/// mention). A trailing `.` ends the sentence, not the handle.
pub fn mention_handles(src: &str) -> Vec<String> {
    let mut ctx = MentionContext::default();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for ev in super::parser(src) {
        if let Event::Text(text) = &ev {
            if ctx.allows_mentions() {
                for (_, handle) in find_mentions(text, ctx.prev()) {
                    if seen.insert(handle.clone()) {
                        out.push(handle);
                    }
                }
            }
        }
        ctx.observe(&ev);
    }
    out
}

/// Where the event stream is, as far as mentions care: inside code, a link
/// or an image (no mentions there), and the last character written before
/// the current event, so `**ana**@example.com` is still seen as an address.
#[derive(Debug, Default)]
pub(super) struct MentionContext {
    code: usize,
    link: usize,
    image: usize,
    prev: Option<char>,
}

impl MentionContext {
    /// Whether a text event arriving now may contain mentions.
    pub(super) fn allows_mentions(&self) -> bool {
        self.code == 0 && self.link == 0 && self.image == 0
    }

    /// Whether the stream is inside link text (an `<a>` may not nest).
    pub(super) fn in_link(&self) -> bool {
        self.link > 0
    }

    /// The character just before the current event; `None` at the start of
    /// a block or after a line break.
    pub(super) fn prev(&self) -> Option<char> {
        self.prev
    }

    /// Moves past `ev`. Call it for every event, in order.
    pub(super) fn observe(&mut self, ev: &Event<'_>) {
        match ev {
            Event::Start(tag) => {
                match tag {
                    Tag::CodeBlock(_) => self.code += 1,
                    Tag::Link { .. } => self.link += 1,
                    Tag::Image { .. } => self.image += 1,
                    _ => {}
                }
                if !is_inline(tag) {
                    self.prev = None;
                }
            }
            Event::End(end) => {
                match end {
                    TagEnd::CodeBlock => self.code = self.code.saturating_sub(1),
                    TagEnd::Link => self.link = self.link.saturating_sub(1),
                    TagEnd::Image => self.image = self.image.saturating_sub(1),
                    _ => {}
                }
                if !is_inline_end(end) {
                    self.prev = None;
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::InlineMath(t) => {
                if let Some(c) = t.chars().next_back() {
                    self.prev = Some(c);
                }
            }
            _ => self.prev = None,
        }
    }
}

/// Inline tags do not separate words: `**ana**@example.com` is one address.
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Characters a handle is made of. Unicode letters and digits count, as in
/// [`crate::model::profile::handle_of`], so "João" can be mentioned.
fn is_handle_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Whether an `@` right after `c` may start a mention. After a letter or
/// digit it is an e-mail address (`ana@x.org`); after `/`, `+`, `=` and the
/// like it is part of a URL or an identifier (`https://m.social/@ana`).
fn starts_word_after(c: char) -> bool {
    !(is_handle_char(c) || matches!(c, '@' | '/' | '\\' | '+' | '=' | '&' | '%' | '#'))
}

/// The mentions in one text run: the byte range of each `@handle` in `text`
/// and its lowercased handle. `prev` is the character before `text`.
pub(super) fn find_mentions(text: &str, prev: Option<char>) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut before = prev;
    for (i, c) in text.char_indices() {
        if c == '@' && before.is_none_or(starts_word_after) {
            // '@' is one byte, so `i + 1` is a char boundary.
            let rest = text.get(i + 1..).unwrap_or("");
            let run_len = rest.find(|c| !is_handle_char(c)).unwrap_or(rest.len());
            let run = rest.get(..run_len).unwrap_or("");
            let handle = run.trim_end_matches('.');
            let next = rest.get(run_len..).and_then(|r| r.chars().next());
            // `@ana@host` is a fediverse address or an e-mail, not a mention.
            if !handle.is_empty() && next != Some('@') {
                found.push((i..i + 1 + handle.len(), handle.to_lowercase()));
            }
        }
        before = Some(c);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handles(text: &str) -> Vec<String> {
        find_mentions(text, None)
            .into_iter()
            .map(|(_, h)| h)
            .collect()
    }

    #[test]
    fn mention_handles_are_lowercased_deduplicated_and_in_order() {
        let src = "@Bob and @ana, then @bob again; cc @Carol_1.";
        assert_eq!(mention_handles(src), ["bob", "ana", "carol_1"]);
    }

    #[test]
    fn a_trailing_period_is_not_part_of_the_handle() {
        assert_eq!(handles("thanks @ana."), ["ana"]);
        assert_eq!(handles("thanks @ana.souza..."), ["ana.souza"]);
    }

    #[test]
    fn e_mail_addresses_and_urls_are_not_mentions() {
        assert!(handles("write to ana@example.com").is_empty());
        assert!(handles("see https://m.social/@ana").is_empty());
        assert!(handles("@ana@m.social").is_empty());
        assert!(mention_handles("**ana**@example.com").is_empty());
    }

    #[test]
    fn mentions_in_code_links_images_and_raw_html_are_ignored() {
        let src = "`@a` [@b](https://x.org/@c) <d@e.org> ![@f](https://x.org/g.png) <i title=\"@h\">\n\n```\n@j\n```\n\n    @k\n\n@real";
        assert_eq!(mention_handles(src), ["real"]);
    }

    #[test]
    fn mentions_are_found_inside_emphasis_headings_and_lists() {
        let src = "# hi @one\n\n- **@two** and _@three_\n\n> @four";
        assert_eq!(mention_handles(src), ["one", "two", "three", "four"]);
    }

    #[test]
    fn punctuation_before_the_at_sign_still_starts_a_mention() {
        assert_eq!(handles("(@ana) \"@bob\" hi!@cid"), ["ana", "bob", "cid"]);
    }

    #[test]
    fn unicode_handles_match_profile_handles() {
        assert_eq!(handles("olá @JoãoSilva!"), ["joãosilva"]);
    }

    #[test]
    fn a_lone_at_sign_is_not_a_mention() {
        assert!(handles("meet @ 5, or @. or @").is_empty());
    }
}
