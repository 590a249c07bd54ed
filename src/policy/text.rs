//! Every user-visible string of the notification policy, in one place.
//!
//! Kept apart from the logic so wording, plurals and (later) translation can
//! change without touching the state machine, and so each phrase is tested on
//! its own. Functions here are pure formatting: they never decide anything.
//!
//! Every name, channel name and title placed into a sentence goes through
//! [`label`]: invisible steering characters are dropped and right-to-left
//! text is isolated, so one person's name cannot re-order or disguise the
//! words around it (see [`crate::render::bidi`]).

use crate::render::isolate;

/// Longest excerpt a notification body shows, in characters. Operating
/// systems cut bodies at around this length anyway; cutting ourselves keeps
/// the "…" honest and the persisted queue small.
pub const MAX_EXCERPT_CHARS: usize = 140;

/// Longest thread title listed in a summary body, in characters.
const MAX_LISTED_TITLE_CHARS: usize = 60;

/// How many thread titles a summary body names before "and N more".
pub(crate) const LISTED_TITLES: usize = 3;

/// `n` followed by the singular or plural noun: "1 new comment", "2 new comments".
pub fn count_of(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What happened, counted: "3 new comments", "1 new thread",
/// "1 new thread and 2 new comments". Opening posts are counted as threads
/// rather than comments so the numbers match what the reader will find.
pub fn activity(threads_started: u32, comments: u32) -> String {
    let threads = count_of(threads_started, "new thread", "new threads");
    let comments_text = count_of(comments, "new comment", "new comments");
    match (threads_started, comments) {
        (0, _) => comments_text,
        (_, 0) => threads,
        _ => format!("{threads} and {comments_text}"),
    }
}

/// A name, channel name or title as placed in a sentence: cleaned of
/// invisible steering characters and isolated when right-to-left.
pub fn label(name: &str) -> String {
    isolate(name)
}

/// Joins names for a sentence: "Ana", "Ana and Ben", "Ana, Ben and Cy",
/// and beyond three "Ana, Ben and 2 others" (a long list of names is noise).
pub fn names(list: &[String]) -> String {
    let list: Vec<String> = list.iter().map(|n| label(n)).collect();
    match list.as_slice() {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} others", rest.len()),
    }
}

/// Collapses runs of whitespace (excerpts may contain line breaks, which
/// notification popups render badly) and cuts to `max` characters with "…".
pub fn cap(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// The excerpt as a notification shows it (see [`MAX_EXCERPT_CHARS`]).
pub fn excerpt(text: &str) -> String {
    cap(text, MAX_EXCERPT_CHARS)
}

/// Body for one event: "Ana: first words…", "Ana mentioned you: …" or, for a
/// new thread, "Ana started a thread in #design: …".
pub fn single_body(author: &str, excerpt: &str, mentioned: bool, channel: Option<&str>) -> String {
    let author = label(author);
    let lead = if mentioned {
        format!("{author} mentioned you")
    } else if let Some(channel) = channel {
        format!(
            "{author} started a thread in #{}",
            label(channel.trim_start_matches('#'))
        )
    } else {
        author
    };
    if excerpt.is_empty() {
        lead
    } else {
        format!("{lead}: {excerpt}")
    }
}

/// Body for events folded into one live notification:
/// "3 new comments from Ana and Ben".
pub fn fold_body(
    threads_started: u32,
    comments: u32,
    authors: &[String],
    mentioned: bool,
) -> String {
    let mut body = format!(
        "{} from {}",
        activity(threads_started, comments),
        names(authors)
    );
    if mentioned {
        body.push_str(" (you were mentioned)");
    }
    body
}

/// Body for a digest of held events: "4 new comments while you were away —
/// Ben: latest words…". The latest message is the one worth reading first.
pub fn away_body(
    threads_started: u32,
    comments: u32,
    latest_author: &str,
    latest_excerpt: &str,
) -> String {
    let what = activity(threads_started, comments);
    let latest_author = label(latest_author);
    if latest_excerpt.is_empty() {
        format!("{what} while you were away — latest from {latest_author}")
    } else {
        format!("{what} while you were away — {latest_author}: {latest_excerpt}")
    }
}

/// Title of the one summary shown instead of many: "12 new comments in 5 threads".
pub fn summary_title(threads_started: u32, comments: u32, threads: u32) -> String {
    format!(
        "{} in {}",
        activity(threads_started, comments),
        count_of(threads, "thread", "threads")
    )
}

/// Body of the summary: the first few thread titles, then "and N more".
pub fn summary_body(titles: &[String], threads: u32) -> String {
    let shown: Vec<String> = titles
        .iter()
        .take(LISTED_TITLES)
        .map(|t| cap(t, MAX_LISTED_TITLE_CHARS))
        .collect();
    let more = threads.saturating_sub(shown.len() as u32);
    match (shown.as_slice(), more) {
        ([], _) => String::new(),
        (list, 0) => names(list),
        (list, more) => format!(
            "{} and {more} more",
            list.iter().map(|t| label(t)).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(list: &[&str]) -> Vec<String> {
        list.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn counts_use_the_singular_only_for_one() {
        assert_eq!(activity(0, 1), "1 new comment");
        assert_eq!(activity(0, 2), "2 new comments");
        assert_eq!(activity(0, 0), "0 new comments");
        assert_eq!(activity(1, 0), "1 new thread");
        assert_eq!(activity(1, 2), "1 new thread and 2 new comments");
        assert_eq!(summary_title(0, 12, 5), "12 new comments in 5 threads");
        assert_eq!(summary_title(0, 1, 1), "1 new comment in 1 thread");
    }

    #[test]
    fn names_beyond_three_become_others() {
        assert_eq!(names(&s(&["Ana"])), "Ana");
        assert_eq!(names(&s(&["Ana", "Ben"])), "Ana and Ben");
        assert_eq!(names(&s(&["Ana", "Ben", "Cy"])), "Ana, Ben and Cy");
        assert_eq!(
            names(&s(&["Ana", "Ben", "Cy", "Dee"])),
            "Ana, Ben and 2 others"
        );
    }

    #[test]
    fn long_excerpts_are_cut_to_140_characters_with_an_ellipsis() {
        let long = "word ".repeat(100);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), MAX_EXCERPT_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt("two\n\nlines  here"), "two lines here");
        // Multi-byte characters are counted as characters, never split.
        assert_eq!(excerpt(&"é".repeat(200)).chars().count(), MAX_EXCERPT_CHARS);
    }

    #[test]
    fn bodies_read_like_sentences() {
        assert_eq!(
            single_body("Ana", "first words…", false, None),
            "Ana: first words…"
        );
        assert_eq!(
            single_body("Ana", "hi", true, None),
            "Ana mentioned you: hi"
        );
        assert_eq!(
            single_body("Ana", "Plan", false, Some("#design")),
            "Ana started a thread in #design: Plan"
        );
        assert_eq!(
            fold_body(0, 3, &s(&["Ana", "Ben"]), false),
            "3 new comments from Ana and Ben"
        );
        assert_eq!(
            away_body(0, 4, "Ben", "latest words…"),
            "4 new comments while you were away — Ben: latest words…"
        );
        assert_eq!(summary_body(&s(&["A", "B", "C"]), 5), "A, B, C and 2 more");
        assert_eq!(summary_body(&s(&["A", "B"]), 2), "A and B");
    }

    #[test]
    fn names_and_titles_in_bodies_are_cleaned_and_isolated() {
        let (fsi, pdi) = ('\u{2068}', '\u{2069}');
        // An override in a name cannot reach the words after it.
        assert_eq!(single_body("\u{202E}Ana", "hi", false, None), "Ana: hi");
        assert_eq!(
            single_body("Ana", "Plan", false, Some("#\u{202E}design")),
            "Ana started a thread in #design: Plan"
        );
        assert_eq!(
            fold_body(0, 2, &s(&["עדי", "A\u{200B}na"]), false),
            format!("2 new comments from {fsi}עדי{pdi} and Ana")
        );
        assert_eq!(
            away_body(0, 2, "سارة", "ok"),
            format!("2 new comments while you were away — {fsi}سارة{pdi}: ok")
        );
        assert_eq!(
            summary_body(&s(&["خطة", "B", "C"]), 5),
            format!("{fsi}خطة{pdi}, B, C and 2 more")
        );
        assert_eq!(single_body("Dev 👩‍💻", "hi", false, None), "Dev 👩‍💻: hi");
    }
}
