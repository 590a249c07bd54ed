//! Highlighted, HTML-escaped excerpts for search results.
//!
//! tantivy's `SnippetGenerator` only highlights the exact terms of a query,
//! so the word being typed ("deplo" → "deployment") would never be marked.
//! This does the same job with one extra rule: a token matches when it
//! equals a query word *or* starts with the query's prefix. Tokens come from
//! the index analyzer, so "Café" is marked for "cafe", and offsets point
//! into the original text, which is escaped piece by piece: only our own
//! `<mark>` tags are ever emitted unescaped.

use std::collections::HashSet;
use std::ops::Range;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Longest excerpt, in characters (ellipses aside).
pub(crate) const SNIPPET_CHARS: usize = 160;

/// Characters of context kept before the first match of an excerpt.
const LEAD_CHARS: usize = 30;

/// What to mark in a text.
pub(crate) struct Matcher {
    exact: HashSet<String>,
    prefixes: Vec<String>,
}

impl Matcher {
    pub(crate) fn new(exact: HashSet<String>, prefixes: Vec<String>) -> Self {
        Matcher { exact, prefixes }
    }

    fn matches(&self, token: &str) -> bool {
        self.exact.contains(token) || self.prefixes.iter().any(|p| token.starts_with(p.as_str()))
    }

    /// Byte ranges of matching tokens in `text`, in order.
    fn ranges(&self, analyzer: &mut TextAnalyzer, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if self.exact.is_empty() && self.prefixes.is_empty() {
            return out;
        }
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            if self.matches(&t.text) {
                out.push(t.offset_from..t.offset_to);
            }
        }
        out
    }
}

/// `text` escaped, with matches in `<mark>`. With `max_chars`, only the
/// window of that many characters holding the most matches is kept (the
/// start of the text when nothing matches), with "…" where text was cut.
pub(crate) fn highlight(
    analyzer: &mut TextAnalyzer,
    text: &str,
    m: &Matcher,
    max_chars: Option<usize>,
) -> String {
    let marks = m.ranges(analyzer, text);
    // Byte offset of every char boundary, so windows are measured in chars
    // and never cut a multi-byte character.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let chars = bounds.len() - 1;
    let window = match max_chars {
        Some(max) if chars > max => choose_window(text, &bounds, &marks, max),
        _ => 0..text.len(),
    };
    let mut out = String::with_capacity(window.len() + 32);
    if window.start > 0 {
        out.push('…');
    }
    let mut at = window.start;
    for r in marks
        .iter()
        .filter(|r| r.start >= window.start && r.end <= window.end)
    {
        escape_into(&mut out, &text[at..r.start]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[r.clone()]);
        out.push_str("</mark>");
        at = r.end;
    }
    escape_into(&mut out, &text[at..window.end]);
    if window.end < text.len() {
        out.push('…');
    }
    out
}

/// Picks the byte range of at most `max` chars to show.
fn choose_window(text: &str, bounds: &[usize], marks: &[Range<usize>], max: usize) -> Range<usize> {
    let char_of = |byte: usize| bounds.partition_point(|&b| b < byte);
    let chars = bounds.len() - 1;
    // Densest run of matches that fits: slide over the marks with two
    // pointers, counting those that end within `max` chars of mark i.
    let mut best = None::<(usize, usize)>; // (count, first mark)
    let mut j = 0;
    for (i, r) in marks.iter().enumerate() {
        let limit = char_of(r.start) + max;
        j = j.max(i);
        while j < marks.len() && char_of(marks[j].end) <= limit {
            j += 1;
        }
        if best.is_none_or(|(n, _)| j - i > n) {
            best = Some((j - i, i));
        }
    }
    let mut start = match best {
        None => 0,
        Some((_, i)) => {
            // Some context before the match, starting at a word when possible.
            let first = char_of(marks[i].start);
            let lead = first.saturating_sub(LEAD_CHARS);
            let lead_text = &text[bounds[lead]..bounds[first]];
            match lead_text.find(char::is_whitespace) {
                Some(ws) if lead > 0 => char_of(bounds[lead] + ws) + 1,
                _ => lead,
            }
        }
    };
    start = start.min(chars);
    let mut end = (start + max).min(chars);
    // End at a word boundary when one is reasonably close, unless that
    // would drop a match.
    if end < chars {
        let body = &text[bounds[start]..bounds[end]];
        if let Some(ws) = body.rfind(char::is_whitespace) {
            let cut = bounds[start] + ws;
            let last_mark_end = marks
                .iter()
                .map(|r| r.end)
                .filter(|&e| e <= bounds[end])
                .max()
                .unwrap_or(0);
            if char_of(cut) > start + max / 2 && cut >= last_mark_end {
                end = char_of(cut);
            }
        }
    }
    bounds[start]..bounds[end]
}

/// Escapes the five characters that matter in HTML text and attributes.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema::analyzer;

    fn hl(text: &str, exact: &[&str], prefixes: &[&str], max: Option<usize>) -> String {
        let m = Matcher::new(
            exact.iter().map(|s| s.to_string()).collect(),
            prefixes.iter().map(|s| s.to_string()).collect(),
        );
        highlight(&mut analyzer(), text, &m, max)
    }

    #[test]
    fn matches_are_marked_and_everything_else_is_escaped() {
        assert_eq!(
            hl("<b>Deploy</b> & \"ship\"", &["deploy"], &[], None),
            "&lt;b&gt;<mark>Deploy</mark>&lt;/b&gt; &amp; &quot;ship&quot;"
        );
    }

    #[test]
    fn prefixes_and_folded_words_are_marked_whole() {
        assert_eq!(
            hl("Deployments at the Café", &["cafe"], &["deplo"], None),
            "<mark>Deployments</mark> at the <mark>Café</mark>"
        );
    }

    #[test]
    fn a_long_text_is_cut_around_the_match_on_char_boundaries() {
        let text = format!("{} needle {}", "é".repeat(400), "ü".repeat(400));
        let out = hl(&text, &["needle"], &[], Some(SNIPPET_CHARS));
        assert!(out.contains("<mark>needle</mark>"));
        assert!(out.starts_with('…') && out.ends_with('…'));
        assert!(out.chars().count() <= SNIPPET_CHARS + "<mark></mark>".len() + 2);
    }

    #[test]
    fn without_a_match_the_start_of_the_text_is_shown() {
        let text = "word ".repeat(100);
        let out = hl(&text, &["absent"], &[], Some(SNIPPET_CHARS));
        assert!(out.starts_with("word word") && out.ends_with('…'));
        assert!(out.chars().count() <= SNIPPET_CHARS + 1);
    }
}
