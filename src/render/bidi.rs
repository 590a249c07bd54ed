//! Names and titles that cannot spoof other text.
//!
//! Display names, channel names and thread titles come from other people.
//! Unicode lets such a string carry invisible characters that change how the
//! text *around* it is drawn: a RIGHT-TO-LEFT OVERRIDE (U+202E) in a name
//! reverses everything after it on the line ("\u{202E}Ana: ok" shows as "ko :anA"),
//! a stray isolate or embedding leaks direction into the next name, and
//! zero-width characters make "Ana" and "A\u{200B}na" look identical while
//! being different people. Two rules, applied to every such string:
//!
//! 1. [`clean_label`] drops the characters that are invisible by design and
//!    only ever steer or disguise: bidi embeddings, overrides, isolates and
//!    marks, zero-width spaces, word joiners, BOMs, soft hyphens, invisible
//!    fillers and stray tag characters. ZWJ and ZWNJ stay where scripts and
//!    emoji need them (between two non-ASCII characters: 👩‍💻, Persian
//!    "می‌خواهم", Devanagari conjuncts) and go where they can only disguise
//!    (next to ASCII letters, at either end, beside another invisible).
//!    Legitimate right-to-left names (עדי, سارة) contain none of these and
//!    pass unchanged.
//! 2. [`isolate`] wraps a cleaned string in FIRST STRONG ISOLATE (U+2068) …
//!    POP DIRECTIONAL ISOLATE (U+2069) for plain-text places (notification
//!    titles and bodies). The Unicode bidi algorithm then lays the name out
//!    on its own, so an Arabic or Hebrew name cannot pull the ": 3 new
//!    comments" after it into right-to-left order. A cleaned string with no
//!    right-to-left character (bidi class R, AL or AN) cannot re-order its
//!    neighbours, so it is left unwrapped: "Ana" stays "Ana" in every text
//!    and in daemons that draw unknown controls as boxes. The UI isolates
//!    with `<bdi>` / `dir="auto"`.
//!
//! The list is explicit rather than "every format (Cf) character" because
//! the exceptions (ZWJ in emoji, tag characters in flag sequences) are the
//! point, and a reviewer can read it in one screen.

use unicode_bidi::{bidi_class, BidiClass};

/// First strong isolate: starts a run laid out on its own.
pub const FSI: char = '\u{2068}';
/// Pop directional isolate: ends the run [`FSI`] started.
pub const PDI: char = '\u{2069}';

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';
/// WAVING BLACK FLAG: the only base of an emoji tag sequence (🏴󠁧󠁢󠁳󠁣󠁴󠁿).
const BLACK_FLAG: char = '\u{1F3F4}';

/// Characters that are never drawn and exist only to steer direction or
/// hide differences; always dropped from names and titles.
fn always_invisible(c: char) -> bool {
    matches!(c,
        // Bidi embeddings and overrides (LRE, RLE, PDF, LRO, RLO).
        '\u{202A}'..='\u{202E}'
        // Bidi isolates (LRI, RLI, FSI, PDI).
        | '\u{2066}'..='\u{2069}'
        // Bidi marks: LRM, RLM, ARABIC LETTER MARK.
        | '\u{200E}' | '\u{200F}' | '\u{061C}'
        // Zero-width space, word joiner and invisible operators, BOM.
        | '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        // Deprecated format controls (inhibit/activate swapping, shaping, digits).
        | '\u{206A}'..='\u{206F}'
        // Soft hyphen, combining grapheme joiner, Mongolian vowel separator.
        | '\u{00AD}' | '\u{034F}' | '\u{180E}'
        // Hangul fillers, drawn as blank and used to fake empty names.
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'
        // Interlinear annotation controls.
        | '\u{FFF9}'..='\u{FFFB}'
        // Line and paragraph separators (they would split a one-line label).
        | '\u{2028}' | '\u{2029}'
    )
}

fn is_tag(c: char) -> bool {
    matches!(c, '\u{E0000}'..='\u{E007F}')
}

/// A joiner may stay only between two characters that are themselves
/// visible and not ASCII: that is where emoji sequences and scripts such as
/// Arabic, Persian and the Indic scripts use it.
fn joiner_neighbour(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        !c.is_ascii()
            && !c.is_whitespace()
            && !always_invisible(c)
            && !is_tag(c)
            && c != ZWJ
            && c != ZWNJ
    })
}

/// `text` without the invisible characters that could disguise it or
/// re-order the text around it (see the module doc).
pub fn clean_label(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let keep = if always_invisible(c) {
            false
        } else if c == ZWJ || c == ZWNJ {
            joiner_neighbour(prev) && joiner_neighbour(next)
        } else if is_tag(c) {
            // Part of a flag's tag sequence: after the black flag or
            // another tag character, nowhere else.
            prev.is_some_and(|p| p == BLACK_FLAG || is_tag(p))
        } else {
            !c.is_control()
        };
        if keep {
            out.push(c);
        }
    }
    out
}

/// `text` cleaned, and isolated if it holds right-to-left characters, for
/// plain-text places such as notifications (see the module doc).
pub fn isolate(text: &str) -> String {
    let clean = clean_label(text);
    let rtl = clean
        .chars()
        .any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL | BidiClass::AN));
    if rtl {
        format!("{FSI}{clean}{PDI}")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_are_dropped_so_a_name_cannot_reverse_what_follows() {
        assert_eq!(clean_label("\u{202E}Ana"), "Ana");
        assert_eq!(clean_label("Ana\u{202E}nimda"), "Ananimda");
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            assert_eq!(clean_label(&format!("A{c}na")), "Ana", "U+{:04X}", c as u32);
        }
        assert_eq!(clean_label("\u{200F}Ana\u{200E}\u{061C}"), "Ana");
    }

    #[test]
    fn zero_width_characters_cannot_make_a_lookalike() {
        for c in ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'] {
            assert_eq!(clean_label(&format!("A{c}na")), "Ana", "U+{:04X}", c as u32);
            assert_eq!(
                clean_label(&format!("{c}Ana{c}")),
                "Ana",
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(clean_label("Ana\u{00AD}"), "Ana");
        assert_eq!(clean_label("\u{3164}"), "");
        // A stray tag character (invisible) is dropped.
        assert_eq!(clean_label("Ana\u{E0041}"), "Ana");
    }

    #[test]
    fn emoji_sequences_and_right_to_left_scripts_stay_as_written() {
        for keep in [
            "Dev 👩‍💻",                                                   // ZWJ between emoji
            "👨‍👩‍👧‍👦 family",                                                // several ZWJs
            "🏳️‍🌈", // ZWJ after a variation selector
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}", // flag tags
            "עדי כהן", // Hebrew
            "سارة", // Arabic
            "می‌خواهم", // Persian with ZWNJ between letters
            "Zoë Ødegård 東京",
        ] {
            assert_eq!(clean_label(keep), keep);
        }
    }

    #[test]
    fn right_to_left_text_is_isolated_once_and_left_to_right_text_is_left_alone() {
        assert_eq!(isolate("سارة"), "\u{2068}سارة\u{2069}");
        assert_eq!(isolate("Dev עדי 2"), "\u{2068}Dev עדי 2\u{2069}");
        // An attempt to close the isolate early is removed first.
        assert_eq!(isolate("עדי\u{2069}\u{202E}x"), "\u{2068}עדיx\u{2069}");
        // Nothing right-to-left left after cleaning: nothing to isolate.
        assert_eq!(isolate("\u{202E}Ana"), "Ana");
        assert_eq!(isolate("Zoë 👩‍💻"), "Zoë 👩‍💻");
    }
}
