//! Plain-text excerpts of markdown, for notification bodies ("Ana: first
//! words…") and thread-list snippets, where markup would show as noise.
//!
//! The text comes from the same parse as the rendered HTML, so an excerpt
//! reads like the message looks: link text without its URL, code without
//! backticks, raw HTML as typed. Collection stops as soon as the excerpt is
//! known to be cut, so a huge message costs no more than a short one.

use pulldown_cmark::Event;

/// Plain text of the markdown (no markup, whitespace collapsed), cut at a
/// word boundary to at most `max_chars` characters, ending in "…" when
/// cut. A single word longer than half the room is cut mid-word rather
/// than leaving almost nothing. Counts `char`s, not grapheme clusters.
pub fn plain_excerpt(src: &str, max_chars: usize) -> String {
    let mut text = Collapsed::default();
    for ev in super::parser(src) {
        match ev {
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => text.push_str(&t),
            // Block boundaries and breaks separate words even where the
            // source has no space ("# Title\nBody" → "Title Body").
            Event::Start(_)
            | Event::End(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::Rule
            | Event::TaskListMarker(_)
            | Event::FootnoteReference(_) => text.push_str(" "),
        }
        if text.chars > max_chars {
            break;
        }
    }
    cut(&text.out, text.chars, max_chars)
}

/// Text with every run of whitespace reduced to one space and none at
/// either end, plus its length in chars.
#[derive(Default)]
struct Collapsed {
    out: String,
    chars: usize,
    pending_space: bool,
}

impl Collapsed {
    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.pending_space = !self.out.is_empty();
                continue;
            }
            if self.pending_space {
                self.out.push(' ');
                self.chars += 1;
                self.pending_space = false;
            }
            self.out.push(c);
            self.chars += 1;
        }
    }
}

/// Cuts collapsed `text` (`len` chars) to at most `max_chars` chars.
fn cut(text: &str, len: usize, max_chars: usize) -> String {
    if len <= max_chars {
        return text.to_owned();
    }
    // The ellipsis takes one of the allowed characters.
    let Some(budget) = max_chars.checked_sub(1) else {
        return String::new();
    };
    let end = text
        .char_indices()
        .nth(budget)
        .map_or(text.len(), |(i, _)| i);
    let head = text.get(..end).unwrap_or("");
    let at_boundary = text.get(end..).is_some_and(|rest| rest.starts_with(' '));
    let kept = if at_boundary {
        head
    } else {
        match head.rfind(' ') {
            Some(space) if head.get(..space).unwrap_or("").chars().count() * 2 >= budget => {
                head.get(..space).unwrap_or(head)
            }
            _ => head,
        }
    };
    // "Hello, world" cut after the comma reads better as "Hello…".
    let kept = kept.trim_end_matches([' ', ',', ';', ':']);
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_returned_whole_without_ellipsis() {
        assert_eq!(plain_excerpt("Hello **team**", 80), "Hello team");
    }

    #[test]
    fn long_text_is_cut_at_a_word_boundary_with_an_ellipsis() {
        let out = plain_excerpt("The quick brown fox jumps over the lazy dog", 20);
        assert_eq!(out, "The quick brown fox…");
        assert!(out.chars().count() <= 20);
        assert_eq!(plain_excerpt("The quick brown fox jumps", 12), "The quick…");
    }

    #[test]
    fn punctuation_before_the_cut_is_dropped() {
        assert_eq!(plain_excerpt("Hello, wonderful world", 12), "Hello…");
    }

    #[test]
    fn markdown_is_stripped_links_show_text_and_code_spans_their_text() {
        let src =
            "# Plan\n\nSee [the doc](https://example.com/x) and run `cargo test`.\n\n- one\n- two";
        assert_eq!(
            plain_excerpt(src, 200),
            "Plan See the doc and run cargo test. one two"
        );
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(plain_excerpt("  a \t b\n\n\n   c  ", 80), "a b c");
    }

    #[test]
    fn a_single_long_word_is_cut_mid_word() {
        assert_eq!(plain_excerpt("Supercalifragilistic", 6), "Super…");
        assert_eq!(plain_excerpt("Hi Supercalifragilistic", 10), "Hi Superc…");
    }

    #[test]
    fn tiny_limits_never_exceed_the_limit() {
        assert_eq!(plain_excerpt("hello", 0), "");
        assert_eq!(plain_excerpt("hello", 1), "…");
        assert_eq!(plain_excerpt("", 5), "");
        for max in 0..30 {
            let out = plain_excerpt("ação — é **muito** boa, não é? Sim!", max);
            assert!(out.chars().count() <= max, "{max}: {out}");
        }
    }

    #[test]
    fn raw_html_and_image_alt_text_read_as_written() {
        assert_eq!(
            plain_excerpt("say <b>hi</b> ![a cat](https://x/c.png)", 80),
            "say <b>hi</b> a cat"
        );
    }

    #[test]
    fn a_huge_message_gives_a_short_excerpt() {
        let src = "word ".repeat(30_000);
        let out = plain_excerpt(&src, 50);
        assert!(out.ends_with('…') && out.chars().count() <= 50, "{out}");
    }
}
