//! `tidings scheduled`: my posts waiting for their time.

use clap::Subcommand;
use tidings::model::schedule::PostRef;
use tidings::store::ScheduledEdit;
use tidings::{Result, Store};

use crate::print::out;
use crate::when::WhenArgs;

#[derive(Subcommand, Debug)]
pub enum ScheduledCmd {
    /// List them, soonest first, with when each person gets them.
    List,
    /// Cancel one before its time: nobody ever sees it.
    Cancel {
        /// thread:<id> or comment:<id>, as listed.
        post: String,
    },
    /// Send one now instead of later.
    SendNow {
        /// thread:<id> or comment:<id>, as listed.
        post: String,
    },
    /// Change the text or the time of one before its time.
    Edit {
        /// thread:<id> or comment:<id>, as listed.
        post: String,
        /// New markdown text.
        #[arg(long)]
        body: Option<String>,
        /// New title (threads only).
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        when: WhenArgs,
    },
}

pub fn run(store: &Store, json: bool, cmd: Option<ScheduledCmd>) -> Result<()> {
    match cmd.unwrap_or(ScheduledCmd::List) {
        ScheduledCmd::List => {
            let list = store.scheduled()?;
            out(json, &list, |list| {
                if list.is_empty() {
                    println!("Nothing scheduled.");
                }
                for s in list {
                    let what = if s.is_thread {
                        "new thread"
                    } else {
                        "comment in"
                    };
                    println!(
                        "{}  {}  {what} \"{}\" #{}: {}",
                        s.post, s.at.label, s.title, s.channel_name, s.excerpt
                    );
                    for d in &s.deliveries {
                        println!("    {}: {}", d.person.name, d.label);
                    }
                }
            });
        }
        ScheduledCmd::Cancel { post } => {
            let post: PostRef = post.parse()?;
            store.cancel_scheduled(post)?;
            out(json, &post, |p| println!("Cancelled {p}."));
        }
        ScheduledCmd::SendNow { post } => {
            let new = store.send_scheduled_now(post.parse()?)?;
            store.release_due()?;
            out(json, &new, |p| println!("Sent {p}."));
        }
        ScheduledCmd::Edit {
            post,
            body,
            title,
            when,
        } => {
            let new = store.edit_scheduled(
                post.parse()?,
                ScheduledEdit {
                    title,
                    body: body.map(crate::commands::text_arg).transpose()?,
                    when: when.send_at()?,
                },
            )?;
            out(json, &new, |p| println!("Now {p}."));
        }
    }
    Ok(())
}
