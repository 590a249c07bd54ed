//! Output: plain text for people, JSON (`--json`) for scripts.

use serde::Serialize;
use tidings::views::{InboxItem, ThreadSummary, ThreadView};

/// Prints `value` as JSON, or runs `text` to print it for people.
pub fn out<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T)) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
    } else {
        text(value);
    }
}

pub fn summary_line(t: &ThreadSummary) {
    let unread = if t.unread > 0 {
        format!(" [{} unread]", t.unread)
    } else {
        String::new()
    };
    println!(
        "{}  #{}  {}{}  — {} · {} comments · {}",
        t.id, t.channel_name, t.title, unread, t.author.name, t.comments, t.last_activity.label
    );
    if !t.snippet.is_empty() {
        println!("    {}", t.snippet);
    }
}

pub fn inbox(items: &[InboxItem]) {
    if items.is_empty() {
        println!("Inbox zero: nothing new in the threads you follow.");
    }
    for i in items {
        summary_line(&i.thread);
    }
}

/// Shows the markdown source: a terminal cannot show HTML.
pub fn thread(v: &ThreadView) {
    let s = &v.summary;
    println!("{}{}", s.title, if s.closed { " (closed)" } else { "" });
    println!(
        "#{} · {} · {}",
        s.channel_name, s.author.name, v.created.label
    );
    println!();
    println!("{}", v.body_markdown.trim_end());
    for c in &v.comments.items {
        println!();
        println!(
            "── {} · {}{}{}",
            c.author.name,
            c.created.label,
            if c.edited { " · edited" } else { "" },
            if c.unread { " · NEW" } else { "" }
        );
        println!("{}", c.body_markdown.trim_end());
        for r in &c.reactions {
            println!("   {} {}", r.emoji, r.people.len());
        }
    }
}
