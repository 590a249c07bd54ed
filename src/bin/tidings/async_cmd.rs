//! `tidings waiting`, `tidings away`, `tidings answered`, `tidings
//! withdraw`, and the reply-by and urgent options of post and comment.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use tidings::model::ids::{MemberId, ThreadId};
use tidings::model::replyby::DueBy;
use tidings::store::{PostOptions, ReplyBy};
use tidings::{Error, ErrorCode, Result, Store};

use crate::print::out;
use crate::when::WhenArgs;

/// Reply-by and urgent, for `post` and `comment`.
#[derive(Args, Debug, Default)]
pub struct AskArgs {
    /// Ask these people (@handles, comma-separated) for an answer.
    #[arg(long, value_delimiter = ',', requires = "reply_by")]
    pub ask: Vec<String>,
    /// By when: next-working-day, <N>-working-days, or an RFC 3339 instant
    /// (counted in each asked person's own working days).
    #[arg(long, value_name = "WHEN", requires = "ask")]
    pub reply_by: Option<String>,
    /// Break through these people's hours and pauses (@handles,
    /// comma-separated; once a day per person).
    #[arg(long, value_delimiter = ',')]
    pub urgent: Vec<String>,
}

/// Parses a `--reply-by` value.
pub fn parse_due(s: &str) -> Result<DueBy> {
    let t = s.trim().to_lowercase();
    if t == "next-working-day" {
        return Ok(DueBy::EndOfNextWorkingDay);
    }
    if let Some(n) = t
        .strip_suffix("-working-days")
        .or(t.strip_suffix("-working-day"))
    {
        if let Ok(n) = n.parse::<u8>() {
            return Ok(DueBy::WorkingDays(n));
        }
    }
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|t| DueBy::Instant(t.with_timezone(&chrono::Utc)))
        .map_err(|_| {
            Error::new(
                ErrorCode::InvalidTime,
                format!("'{s}' is not a deadline: write next-working-day, 2-working-days or an RFC 3339 instant"),
            )
        })
}

/// The post options from the command line.
pub fn options(
    when: &WhenArgs,
    ask: &AskArgs,
    member: impl Fn(&str) -> Result<MemberId>,
) -> Result<PostOptions> {
    let reply_by = match &ask.reply_by {
        Some(by) => Some(ReplyBy {
            people: ask.ask.iter().map(|h| member(h)).collect::<Result<_>>()?,
            by: parse_due(by)?,
        }),
        None => None,
    };
    Ok(PostOptions {
        when: when.send_at()?,
        urgent: ask
            .urgent
            .iter()
            .map(|h| member(h))
            .collect::<Result<_>>()?,
        reply_by,
    })
}

#[derive(Subcommand, Debug)]
pub enum AwayCmd {
    /// I am away until I am back on DATE (YYYY-MM-DD, my time zone).
    Until {
        /// The day I am back.
        date: String,
        /// A note teammates see.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// I am back.
    Back,
    /// Show whether I am away.
    Show,
}

pub fn away(store: &Store, json: bool, cmd: AwayCmd) -> Result<()> {
    match cmd {
        AwayCmd::Until { date, note } => {
            let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
                Error::new(
                    ErrorCode::InvalidTime,
                    format!("'{date}' is not a date: write YYYY-MM-DD"),
                )
            })?;
            let a = store.set_away(day, &note)?;
            out(json, &a, |a| println!("Away until {}.", a.until));
        }
        AwayCmd::Back => {
            store.clear_away()?;
            out(json, &(), |_| println!("Welcome back."));
        }
        AwayCmd::Show => {
            let a = store.away_of(store.require_me()?)?;
            out(json, &a, |a| match a {
                Some(a) => println!("Away until {} {}", a.until, a.note),
                None => println!("Not away."),
            });
        }
    }
    Ok(())
}

pub fn waiting(store: &Store, json: bool, others: bool) -> Result<()> {
    let list = if others {
        store.waiting_on_others()?
    } else {
        store.waiting_on_me()?
    };
    out(json, &list, |list| {
        if list.is_empty() {
            println!("Nobody is waiting.");
        }
        for w in list {
            let who = if others {
                format!("{} owes", w.asked.name)
            } else {
                format!("{} asked", w.asker.name)
            };
            let late = if w.overdue { "  OVERDUE" } else { "" };
            println!(
                "{}  #{} \"{}\"  {who}, due {}{late}",
                w.thread, w.channel_name, w.title, w.due.label
            );
        }
    });
    Ok(())
}

pub fn answered(store: &Store, thread: ThreadId) -> Result<()> {
    store.mark_answered(thread)
}
