//! Turns what a person typed into a tantivy query.
//!
//! The text is never parsed as a query language: whatever it contains, it
//! cannot be a syntax error. It runs through the same analyzer as the index
//! and every resulting word must match, in the title or the body. Text in
//! double quotes must match as a phrase (an unclosed quote runs to the end).
//! The word being typed — the last one, when nothing follows it — also
//! matches as a prefix, so "deplo" finds "deployment" while the person is
//! still typing; "deplo " (with a space) means the whole word.
//! Tokens written side by side with nothing between them ("東京" is two
//! tokens, one per character; "2026年" is two) were one written word and
//! must match side by side, as a phrase.

use std::collections::HashSet;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::Term;

use super::schema::Fields;
use super::SearchQuery;

/// Words beyond this many are ignored: longer "queries" are pasted text,
/// and thousands of required clauses would only make the search slow.
pub(crate) const MAX_WORDS: usize = 32;

/// Title matches count double: a word in the title says more about what a
/// thread is about than the same word somewhere in a comment.
const TITLE_BOOST: f32 = 2.0;

/// A prefix match scores below an exact word match (it has no BM25 score of
/// its own, just this constant).
const PREFIX_SCORE: f32 = 0.5;

/// Terms a prefix may expand to inside a phrase ("foo ba…"). A lone prefix
/// word has no cap: it is matched as a term range, which is cheap.
const PHRASE_PREFIX_EXPANSIONS: u32 = 1000;

/// One required part of the text.
#[derive(Debug, PartialEq)]
pub(crate) enum Clause {
    /// A single analyzed word.
    Word { token: String, prefix: bool },
    /// Two or more analyzed words that must be adjacent, in order.
    Phrase { tokens: Vec<String>, prefix: bool },
}

/// The analyzed text: required clauses and what to highlight.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub clauses: Vec<Clause>,
}

impl Parsed {
    /// Whether the text held anything searchable. Text of punctuation or
    /// emoji alone holds no words and is treated like empty text.
    pub(crate) fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// The words to highlight exactly, and the prefixes to highlight.
    pub(crate) fn highlight_terms(&self) -> (HashSet<String>, Vec<String>) {
        let mut exact = HashSet::new();
        let mut prefixes = Vec::new();
        for c in &self.clauses {
            match c {
                Clause::Word { token, prefix } => {
                    exact.insert(token.clone());
                    if *prefix {
                        prefixes.push(token.clone());
                    }
                }
                Clause::Phrase { tokens, prefix } => {
                    exact.extend(tokens.iter().cloned());
                    if let (true, Some(last)) = (*prefix, tokens.last()) {
                        prefixes.push(last.clone());
                    }
                }
            }
        }
        (exact, prefixes)
    }
}

/// Analyzes `text` into clauses.
pub(crate) fn parse(analyzer: &mut TextAnalyzer, text: &str) -> Parsed {
    let mut clauses = Vec::new();
    let mut words = 0;
    let mut last_end = 0; // byte offset where the last kept word ends
    let mut offset = 0;
    // Even pieces are outside quotes, odd pieces inside.
    for (i, piece) in text.split('"').enumerate() {
        // Runs of tokens that touch in the text: one written word each.
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut group_end = None;
        let mut stream = analyzer.token_stream(piece);
        while stream.advance() && words < MAX_WORDS {
            let t = stream.token();
            match groups.last_mut() {
                Some(g) if group_end == Some(t.offset_from) => g.push(t.text.clone()),
                _ => groups.push(vec![t.text.clone()]),
            }
            group_end = Some(t.offset_to);
            last_end = offset + t.offset_to;
            words += 1;
        }
        offset += piece.len() + 1; // + the quote
        if i % 2 == 1 {
            // Quoted: the whole piece is one phrase.
            groups = vec![groups.concat()];
        }
        for mut tokens in groups {
            match tokens.len() {
                0 => {}
                1 => clauses.push(Clause::Word {
                    token: tokens.remove(0),
                    prefix: false,
                }),
                _ => clauses.push(Clause::Phrase {
                    tokens,
                    prefix: false,
                }),
            }
        }
    }
    // Only a word touching the end of the text is still being typed.
    if last_end == text.len() {
        match clauses.last_mut() {
            Some(Clause::Word { prefix, .. }) | Some(Clause::Phrase { prefix, .. }) => {
                *prefix = true
            }
            None => {}
        }
    }
    Parsed { clauses }
}

/// Builds the query: all text clauses and all filters must match.
pub(crate) fn build(f: &Fields, parsed: &Parsed, q: &SearchQuery) -> Box<dyn Query> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for c in &parsed.clauses {
        must.push((Occur::Must, Box::new(BooleanQuery::new(alternatives(f, c)))));
    }
    // Filters only narrow the set; they must not add to the score.
    let filters = [
        (f.channel, q.channel.map(|id| id.to_string())),
        (f.author, q.author.map(|id| id.to_string())),
        (f.thread, q.thread.map(|id| id.to_string())),
    ];
    for (field, value) in filters {
        if let Some(v) = value {
            let term = TermQuery::new(Term::from_field_text(field, &v), IndexRecordOption::Basic);
            must.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(term), 0.0)),
            ));
        }
    }
    if must.is_empty() {
        Box::new(AllQuery)
    } else {
        Box::new(BooleanQuery::new(must))
    }
}

/// Ways one clause can match: in the title (boosted) or in the body.
fn alternatives(f: &Fields, c: &Clause) -> Vec<(Occur, Box<dyn Query>)> {
    let mut out = Vec::new();
    for (field, boost) in [(f.title, TITLE_BOOST), (f.body, 1.0)] {
        let mut add = |q: Box<dyn Query>, b: f32| {
            out.push((
                Occur::Should,
                Box::new(BoostQuery::new(q, b)) as Box<dyn Query>,
            ))
        };
        match c {
            Clause::Word { token, prefix } => {
                add(term_query(field, token), boost);
                if *prefix {
                    let mut p = PhrasePrefixQuery::new(vec![Term::from_field_text(field, token)]);
                    p.set_max_expansions(u32::MAX);
                    add(
                        Box::new(ConstScoreQuery::new(Box::new(p), PREFIX_SCORE)),
                        boost,
                    );
                }
            }
            Clause::Phrase { tokens, prefix } => {
                let terms: Vec<Term> = tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect();
                // Both constructors assert on their input; `parse` only
                // makes phrases of two or more words.
                if *prefix {
                    let mut p = PhrasePrefixQuery::new(terms);
                    p.set_max_expansions(PHRASE_PREFIX_EXPANSIONS);
                    add(Box::new(p), boost);
                } else {
                    add(Box::new(PhraseQuery::new(terms)), boost);
                }
            }
        }
    }
    out
}

fn term_query(field: Field, token: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, token),
        IndexRecordOption::WithFreqs,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema::analyzer;

    fn words(text: &str) -> Vec<Clause> {
        parse(&mut analyzer(), text).clauses
    }

    fn word(t: &str, prefix: bool) -> Clause {
        Clause::Word {
            token: t.into(),
            prefix,
        }
    }

    #[test]
    fn the_last_word_is_a_prefix_only_while_it_is_being_typed() {
        assert_eq!(
            words("Deploy Fail"),
            vec![word("deploy", false), word("fail", true)]
        );
        assert_eq!(
            words("deploy fail "),
            vec![word("deploy", false), word("fail", false)]
        );
        assert_eq!(
            words("deploy fail!"),
            vec![word("deploy", false), word("fail", false)]
        );
    }

    #[test]
    fn quoted_words_become_a_phrase_and_an_open_quote_runs_to_the_end() {
        let phrase = |p: bool| Clause::Phrase {
            tokens: vec!["release".into(), "notes".into()],
            prefix: p,
        };
        assert_eq!(
            words("\"Release notes\" x"),
            vec![phrase(false), word("x", true)]
        );
        assert_eq!(words("\"release notes"), vec![phrase(true)]);
        assert_eq!(words("\"release notes\""), vec![phrase(false)]);
        assert_eq!(words("\"solo\""), vec![word("solo", false)]);
    }

    #[test]
    fn punctuation_holds_no_words() {
        for t in ["", "   ", "\"", "\"\"\"", "*", "-:!"] {
            assert!(words(t).is_empty(), "{t:?}");
        }
        assert_eq!(words("a:b"), vec![word("a", false), word("b", true)]);
    }

    #[test]
    fn cjk_characters_and_emoji_are_tokens_and_a_written_run_of_them_a_phrase() {
        let phrase = |t: &[&str], prefix: bool| Clause::Phrase {
            tokens: t.iter().map(|s| s.to_string()).collect(),
            prefix,
        };
        assert_eq!(words("東京"), vec![phrase(&["東", "京"], true)]);
        assert_eq!(words("東京 "), vec![phrase(&["東", "京"], false)]);
        assert_eq!(words("2026年"), vec![phrase(&["2026", "年"], true)]);
        assert_eq!(words("🚀"), vec![word("🚀", true)]);
        assert_eq!(words("🎉🎉 "), vec![phrase(&["🎉", "🎉"], false)]);
        assert_eq!(
            words("launch 🚀"),
            vec![word("launch", false), word("🚀", true)]
        );
    }

    #[test]
    fn very_long_text_is_cut_to_the_first_words() {
        let text = "word ".repeat(5000);
        assert_eq!(words(&text).len(), MAX_WORDS);
    }
}
