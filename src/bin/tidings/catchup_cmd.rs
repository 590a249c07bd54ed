//! `tidings catchup`: my catch-up, built from this device's store.

use clap::Subcommand;
use tidings::views::{CatchUpItem, CatchUpSection};
use tidings::{Error, Result, Store};

use crate::print::out;

#[derive(Subcommand, Debug)]
pub enum CatchUpCmd {
    /// Show it (the default).
    Show,
    /// Mark every thread of a section read: news, decisions or new-threads.
    Seen {
        /// news | decisions | new-threads
        section: String,
    },
}

fn section(s: &str) -> Result<CatchUpSection> {
    match s.trim().to_lowercase().replace('_', "-").as_str() {
        "news" => Ok(CatchUpSection::News),
        "decisions" => Ok(CatchUpSection::Decisions),
        "new-threads" | "new" => Ok(CatchUpSection::NewThreads),
        other => Err(Error::invalid(format!(
            "'{other}' is not a section that can be marked seen: use news, decisions or new-threads"
        ))),
    }
}

fn lines(title: &str, items: &[CatchUpItem]) {
    if items.is_empty() {
        return;
    }
    println!("{title}");
    for i in items {
        println!(
            "  {}  #{}  {} — {}",
            i.thread.id, i.thread.channel_name, i.thread.title, i.why
        );
    }
}

pub fn run(store: &Store, json: bool, cmd: Option<CatchUpCmd>) -> Result<()> {
    match cmd.unwrap_or(CatchUpCmd::Show) {
        CatchUpCmd::Show => {
            let c = store.catch_up()?;
            out(json, &c, |c| {
                if c.is_empty() {
                    println!("You are all caught up.");
                }
                lines("Waiting on you", &c.waiting);
                lines("News in threads you follow", &c.news);
                lines("Decisions", &c.decisions);
                for ch in &c.new_threads {
                    lines(&format!("New threads in #{}", ch.channel_name), &ch.items);
                }
                if !c.later.is_empty() {
                    println!("Later, today");
                    for l in &c.later {
                        println!(
                            "  {}  #{}  {}",
                            l.thread.id, l.thread.channel_name, l.thread.title
                        );
                    }
                }
            });
        }
        CatchUpCmd::Seen { section: s } => {
            let n = store.catch_up_seen(section(&s)?)?;
            out(json, &n, |n| println!("Marked {n} threads seen."));
        }
    }
    Ok(())
}
