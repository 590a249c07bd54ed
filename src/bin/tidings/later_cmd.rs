//! `tidings remind` and `tidings later`: my Later list from the terminal.

use chrono::{DateTime, NaiveDateTime, Utc};
use clap::{Args, Subcommand};
use tidings::model::later::RemindAt;
use tidings::views::LaterState;
use tidings::{Error, ErrorCode, Result, Store};

use crate::print::out;

/// `tidings remind <thread> [<when>] [--on-reply]`.
#[derive(Args, Debug)]
pub struct RemindArgs {
    /// Thread id.
    pub thread: String,
    /// later (3 hours from now), tomorrow (at my start), monday (at my
    /// start), YYYY-MM-DDTHH:MM in my time zone, an RFC 3339 instant, or
    /// save (keep it in Later without a reminder). A time outside my
    /// working hours moves to when they next start.
    pub when: Option<String>,
    /// Remind me when someone replies, or at <when>, whichever comes first.
    #[arg(long)]
    pub on_reply: bool,
}

#[derive(Subcommand, Debug)]
pub enum LaterCmd {
    /// List it: due first, then upcoming, saved and done.
    List,
    /// Mark an item done (the reminder is off; it stays under Done).
    Done {
        /// Thread id.
        thread: String,
    },
    /// Open a done item again.
    Undone {
        /// Thread id.
        thread: String,
    },
    /// Take a thread off the list.
    Remove {
        /// Thread id.
        thread: String,
    },
}

/// Parses a reminder time.
pub fn parse(s: &str) -> Result<RemindAt> {
    let t = s.trim().to_lowercase();
    Ok(match t.as_str() {
        "later" | "later-today" | "3h" => RemindAt::LaterToday,
        "tomorrow" => RemindAt::TomorrowAtMyStart,
        "monday" | "mon" => RemindAt::MondayAtMyStart,
        "save" | "saved" => RemindAt::Saved,
        _ => {
            if let Ok(at) = DateTime::parse_from_rfc3339(s.trim()) {
                RemindAt::Instant(at.with_timezone(&Utc))
            } else if let Ok(local) = NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M")
                .or_else(|_| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M"))
            {
                RemindAt::MyLocal(local)
            } else {
                return Err(Error::new(
                    ErrorCode::InvalidTime,
                    format!("'{s}' is not a reminder time: write later, tomorrow, monday, save, 2026-12-07T09:30 (your time zone) or an RFC 3339 instant"),
                ));
            }
        }
    })
}

pub fn remind(store: &Store, json: bool, a: RemindArgs) -> Result<()> {
    let when = match (&a.when, a.on_reply) {
        (Some(w), _) => parse(w)?,
        (None, true) => RemindAt::Saved,
        (None, false) => {
            return Err(Error::invalid(
                "Say when: tidings remind <thread> tomorrow (or later, monday, a time, save), or --on-reply",
            ))
        }
    };
    let thread = a.thread.parse()?;
    let time = store.remind(thread, &when, a.on_reply)?;
    let preview = time.map(|t| store.describe_reminder(&t)).transpose()?;
    out(json, &preview, |p| {
        match (p, a.on_reply) {
            (Some(p), true) => println!(
                "I'll remind you when someone replies, or on {}, whichever comes first.",
                p.when
            ),
            (Some(p), false) => println!("I'll remind you on {}.", p.when),
            (None, true) => println!("I'll remind you when someone replies."),
            (None, false) => println!("Saved in Later."),
        }
        if p.as_ref().is_some_and(|p| p.moved) {
            println!("(The time you picked is outside your working hours, so it moved to when they start.)");
        }
    });
    Ok(())
}

pub fn later(store: &Store, json: bool, cmd: Option<LaterCmd>) -> Result<()> {
    match cmd.unwrap_or(LaterCmd::List) {
        LaterCmd::List => {
            let list = store.later_list()?;
            out(json, &list, |list| {
                if list.items.is_empty() {
                    println!("Nothing in Later.");
                }
                for i in &list.items {
                    let when = match i.state {
                        LaterState::Due => match &i.replied {
                            Some(p) => format!("DUE ({} replied)", p.name),
                            None => format!("DUE since {}", label(&i.due)),
                        },
                        LaterState::Upcoming => match (&i.remind_at, i.on_reply) {
                            (Some(at), true) => format!("on reply or {}", at.local),
                            (Some(at), false) => at.local.clone(),
                            (None, _) => "on reply".into(),
                        },
                        LaterState::Saved => "saved".into(),
                        LaterState::Done => "done".into(),
                    };
                    println!(
                        "{}  {:<22}  #{}  {}",
                        i.thread.id, when, i.thread.channel_name, i.thread.title
                    );
                }
            });
        }
        LaterCmd::Done { thread } => {
            store.later_done(thread.parse()?, true)?;
            out(json, &true, |_| println!("Done."));
        }
        LaterCmd::Undone { thread } => {
            store.later_done(thread.parse()?, false)?;
            out(json, &false, |_| println!("Open again."));
        }
        LaterCmd::Remove { thread } => {
            store.later_remove(thread.parse()?)?;
            out(json, &(), |_| println!("Removed from Later."));
        }
    }
    Ok(())
}

fn label(t: &Option<tidings::views::TimeView>) -> String {
    t.as_ref().map(|t| t.local.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_form_parses_and_nonsense_is_refused() {
        assert_eq!(parse("later").unwrap(), RemindAt::LaterToday);
        assert_eq!(parse("Tomorrow").unwrap(), RemindAt::TomorrowAtMyStart);
        assert_eq!(parse("monday").unwrap(), RemindAt::MondayAtMyStart);
        assert_eq!(parse("save").unwrap(), RemindAt::Saved);
        assert!(matches!(
            parse("2026-12-07T09:30").unwrap(),
            RemindAt::MyLocal(_)
        ));
        assert!(matches!(
            parse("2026-12-07T09:30:00Z").unwrap(),
            RemindAt::Instant(_)
        ));
        assert_eq!(parse("whenever").unwrap_err().code, ErrorCode::InvalidTime);
    }
}
