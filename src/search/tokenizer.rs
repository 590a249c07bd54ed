//! Splits text into tokens with one compiled regex shared by every use.
//!
//! tantivy's `RegexTokenizer` clones its `Regex` for every text it
//! tokenizes, and a cloned `regex::Regex` starts with an empty cache
//! (regex-automata 0.4 `impl Clone for Regex` makes a new pool), so the
//! lazy DFA behind our pattern's large Unicode classes was determinized
//! again for every field of every document and every query: 18% of all
//! CPU of the store benchmark (perf, scale 0.05). This tokenizer borrows
//! one `Regex` for the life of the process instead, so its caches stay
//! warm; the tokens are the same as `RegexTokenizer`'s.

use regex::Regex;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Tokens are the matches of a regex, left to right.
#[derive(Clone)]
pub(crate) struct SharedRegexTokenizer {
    regex: &'static Regex,
    token: Token,
}

impl SharedRegexTokenizer {
    /// A tokenizer for the matches of `regex`.
    pub(crate) fn new(regex: &'static Regex) -> Self {
        SharedRegexTokenizer {
            regex,
            token: Token::default(),
        }
    }
}

impl Tokenizer for SharedRegexTokenizer {
    type TokenStream<'a> = SharedRegexTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SharedRegexTokenStream<'a> {
        self.token.reset();
        SharedRegexTokenStream {
            regex: self.regex,
            text,
            token: &mut self.token,
            cursor: 0,
        }
    }
}

/// The tokens of one text.
pub(crate) struct SharedRegexTokenStream<'a> {
    regex: &'static Regex,
    text: &'a str,
    token: &'a mut Token,
    cursor: usize,
}

impl TokenStream for SharedRegexTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(m) = self.regex.find_at(self.text, self.cursor) else {
            return false;
        };
        if m.as_str().is_empty() {
            return false;
        }
        self.token.text.clear();
        self.token.text.push_str(m.as_str());
        self.token.offset_from = m.start();
        self.token.offset_to = m.end();
        self.token.position = self.token.position.wrapping_add(1);
        self.cursor = m.end();
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;
    use tantivy::tokenizer::RegexTokenizer;

    static WORDS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\p{Han}|\w+").unwrap());

    fn tokens<T: Tokenizer>(t: &mut T, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut s = t.token_stream(text);
        while s.advance() {
            let k = s.token();
            out.push((k.text.clone(), k.offset_from, k.offset_to, k.position));
        }
        out
    }

    #[test]
    fn tokens_and_offsets_are_those_of_tantivys_regex_tokenizer() {
        let mut ours = SharedRegexTokenizer::new(&WORDS);
        let mut theirs = RegexTokenizer::new(r"\p{Han}|\w+").unwrap();
        for text in [
            "",
            "launch plan, 東京 v2 — café",
            "  x  ",
            "東京タワー 🚀 go",
        ] {
            assert_eq!(
                tokens(&mut ours, text),
                tokens(&mut theirs, text),
                "{text:?}"
            );
        }
    }
}
