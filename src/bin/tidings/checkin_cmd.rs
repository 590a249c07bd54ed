//! `tidings checkin`: recurring check-ins from the terminal.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use tidings::model::checkin::{parse_days, WEEKDAYS};
use tidings::model::ids::{CheckinId, MemberId};
use tidings::views::{Board, DayMark};
use tidings::{Error, Result, Store};

use crate::print::out;

/// Who is asked, and when.
#[derive(Args, Debug)]
pub struct Rule {
    /// People to ask, by @handle, comma-separated (default: everyone).
    #[arg(long, value_delimiter = ',')]
    pub people: Vec<String>,
    /// Ask everyone (on edit: instead of named people).
    #[arg(long, conflicts_with = "people")]
    pub everyone: bool,
    /// Days: weekdays, daily, weekends, mon,wed,fri or mon-thu (each
    /// person's own weekdays, at the start of their working hours).
    #[arg(long)]
    pub days: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum CheckinCmd {
    /// Ask a channel's people a question on a schedule.
    Create {
        /// Channel name or id.
        #[arg(long)]
        channel: String,
        /// The question.
        #[arg(long)]
        question: String,
        #[command(flatten)]
        rule: Rule,
    },
    /// Change the question, people or days (the creator only).
    Edit {
        /// Check-in id.
        id: String,
        /// A new question.
        #[arg(long)]
        question: Option<String>,
        #[command(flatten)]
        rule: Rule,
    },
    /// Pause it: it asks nobody until resumed (the creator only).
    Pause {
        /// Check-in id.
        id: String,
    },
    /// Resume it (the creator only).
    Resume {
        /// Check-in id.
        id: String,
    },
    /// Stop it for good (the creator only); its answers stay.
    Stop {
        /// Check-in id.
        id: String,
    },
    /// List check-ins, with when each next asks me.
    List {
        /// Only this channel (name or id).
        #[arg(long)]
        channel: Option<String>,
    },
    /// Answer (or change my answer).
    Answer {
        /// Check-in id.
        id: String,
        /// Markdown text (or - to read standard input).
        text: String,
        /// My local date it answers (default: the latest one that asked me).
        #[arg(long)]
        date: Option<String>,
    },
    /// Show the answers by date, newest first, with who has not answered.
    Board {
        /// Check-in id.
        id: String,
        /// How many dates.
        #[arg(long, default_value_t = 7)]
        days: usize,
    },
}

/// The people a rule names: `None` = not said, `Some(None)` = everyone.
fn people(
    rule: &Rule,
    member: &impl Fn(&str) -> Result<MemberId>,
) -> Result<Option<Option<Vec<MemberId>>>> {
    if rule.everyone {
        return Ok(Some(None));
    }
    if rule.people.is_empty() {
        return Ok(None);
    }
    let named = rule
        .people
        .iter()
        .map(|h| member(h.as_str()))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Some(named)))
}

fn date(s: &str) -> Result<NaiveDate> {
    s.trim().parse().map_err(|_| {
        Error::new(
            tidings::ErrorCode::InvalidTime,
            format!("'{s}' is not a date: write it as YYYY-MM-DD (your local date)"),
        )
    })
}

pub fn run(
    store: &Store,
    json: bool,
    cmd: CheckinCmd,
    channel_id: impl Fn(&str) -> Result<tidings::model::ids::ChannelId>,
    member: impl Fn(&str) -> Result<MemberId>,
) -> Result<()> {
    match cmd {
        CheckinCmd::Create {
            channel,
            question,
            rule,
        } => {
            let channel = channel_id(&channel)?;
            let days = rule.days.as_deref().map(parse_days).transpose()?;
            let who = people(&rule, &member)?.flatten();
            let id = store.create_checkin(channel, &question, who, days.unwrap_or(WEEKDAYS))?;
            out(json, &id, |id| println!("{id}"));
        }
        CheckinCmd::Edit { id, question, rule } => {
            let id: CheckinId = id.parse()?;
            let now = store.checkin(id)?;
            let who = match people(&rule, &member)? {
                Some(p) => p,
                None => now.people.map(|p| p.into_iter().map(|p| p.id).collect()),
            };
            let days = match &rule.days {
                Some(d) => parse_days(d)?,
                None => now.days,
            };
            let question = question.unwrap_or(now.question);
            store.edit_checkin(id, &question, who, days)?;
            let view = store.checkin(id)?;
            out(json, &view, |v| {
                println!("{}  {}  ({})", v.id, v.question, v.days_label)
            });
        }
        CheckinCmd::Pause { id } => {
            store.pause_checkin(id.parse()?, true)?;
            out(json, &true, |_| {
                println!("Paused: it asks nobody until resumed.")
            });
        }
        CheckinCmd::Resume { id } => {
            store.pause_checkin(id.parse()?, false)?;
            out(json, &false, |_| println!("Resumed."));
        }
        CheckinCmd::Stop { id } => {
            store.stop_checkin(id.parse()?)?;
            out(json, &(), |_| {
                println!("Stopped. Its answers stay on its board.")
            });
        }
        CheckinCmd::List { channel } => {
            let channel = channel.map(|c| channel_id(&c)).transpose()?;
            let list = store.checkins(channel)?;
            out(json, &list, |list| {
                if list.is_empty() {
                    println!("No check-ins.");
                }
                for c in list {
                    let state = if c.stopped {
                        "stopped".to_string()
                    } else if c.paused {
                        "paused".to_string()
                    } else if let Some(n) = &c.next_ask {
                        format!("next asks you {}", n.local)
                    } else if c.asks_me {
                        "asks you".to_string()
                    } else {
                        "does not ask you".to_string()
                    };
                    println!(
                        "{}  #{}  {}  ({}; {})",
                        c.id, c.channel_name, c.question, c.days_label, state
                    );
                }
            });
        }
        CheckinCmd::Answer { id, text, date: d } => {
            let d = d.as_deref().map(date).transpose()?;
            let body = crate::commands::text_arg(text)?;
            let answered = store.answer_checkin(id.parse()?, d, &body)?;
            out(json, &answered, |d| println!("Answered for {d}."));
        }
        CheckinCmd::Board { id, days } => {
            let board = store.checkin_board(id.parse()?, days)?;
            out(json, &board, print_board);
        }
    }
    Ok(())
}

/// The board as text: the markdown of each answer (a terminal cannot show
/// HTML), then who is pending, away or off.
fn print_board(b: &Board) {
    let c = &b.checkin;
    println!("{} — #{} · {}", c.question, c.channel_name, c.days_label);
    if b.days.is_empty() {
        println!("Nobody has been asked yet.");
    }
    let names = |p: &[tidings::views::PersonRef]| {
        p.iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for d in &b.days {
        println!();
        println!("{}", d.label);
        for a in &d.answers {
            println!(
                "  {} · {}{}",
                a.author.name,
                a.answered.label,
                if a.edited { " · edited" } else { "" }
            );
            for line in a.body_markdown.trim_end().lines() {
                println!("    {line}");
            }
        }
        for (what, who) in [
            ("not answered yet", &d.pending),
            ("not asked yet", &d.upcoming),
            ("away", &d.away),
            ("off", &d.off),
        ] {
            if !who.is_empty() {
                println!("  {what}: {}", names(who));
            }
        }
    }
    if !b.people.is_empty() {
        println!();
        for p in &b.people {
            let marks: String = p
                .marks
                .iter()
                .map(|m| match m {
                    DayMark::Answered => '✓',
                    DayMark::Pending => '·',
                    DayMark::Upcoming => ' ',
                    DayMark::Away => 'a',
                    DayMark::Off => '-',
                    DayMark::NotAsked => ' ',
                })
                .collect();
            println!(
                "  {:<20} {}/{}  {marks}",
                p.person.name, p.answered, p.asked
            );
        }
    }
}
