//! Each subcommand: parse its arguments, call one core function, print.

use std::io::{Read, Write};
use std::path::Path;

use chrono::{Duration, Weekday};
use tidings::model::ids::{ChannelId, MemberId, ThreadId};
use tidings::model::profile::{Profile, WorkingHours};
use tidings::model::schedule::PostRef;
use tidings::render::RenderOptions;
use tidings::search::{SearchOrder, SearchQuery};
use tidings::store::{NewThread, Posted};
use tidings::views::PageRequest;
use tidings::{Error, Options, Result, Store};

use crate::cli::{ChannelCmd, Command, MarkArgs, ProfileArgs, WorkspaceCmd};
use crate::print::{self, out};

pub fn run(dir: &Path, json: bool, test_clock: Option<&str>, cmd: Command) -> Result<()> {
    if let Command::Demo = cmd {
        return crate::demo::run(dir);
    }
    let mut options = Options::default();
    if let Some(at) = test_clock {
        let at = chrono::DateTime::parse_from_rfc3339(at.trim()).map_err(|_| {
            Error::new(
                tidings::ErrorCode::InvalidTime,
                format!("--test-clock '{at}' is not an RFC 3339 instant"),
            )
        })?;
        options.clock = std::sync::Arc::new(tidings::model::clock::FixedClock::new(
            at.with_timezone(&chrono::Utc),
        ));
    }
    let store = Store::open(dir, options)?;
    // What was waiting for this moment (ops from a fast clock, scheduled
    // posts) takes effect before anything is read or written.
    store.release_due()?;
    match cmd {
        Command::Workspace(WorkspaceCmd::Create { name, me }) => {
            let id = store.create_workspace(&name, profile(&me)?)?;
            out(json, &id, |id| {
                println!("Created workspace {name} ({id}) in {}", dir.display())
            });
        }
        Command::Init => {
            let d = store.device();
            out(json, &d, |d| {
                println!(
                    "Data folder {} is ready; this device is {}",
                    dir.display(),
                    d.to_hex()
                )
            });
        }
        Command::Workspace(WorkspaceCmd::Invite) => {
            let code = tidings::sync::invites::invite_code(&store)?;
            out(json, &code, |c| {
                println!("{c}");
                eprintln!("Send this privately: whoever has it can join and read the workspace.");
            });
        }
        Command::Workspace(WorkspaceCmd::Join { code, me }) => {
            let (member, name) =
                tidings::sync::invites::join_with_code(&store, &code, profile(&me)?)?;
            out(json, &member, |m| {
                println!(
                    "Joined {name} as {m}. Run `tidings sync run --once` to fetch its threads."
                )
            });
        }
        Command::Device(d) => crate::sync_cmd::device(&store, json, d)?,
        Command::Sync(s) => crate::sync_cmd::sync(&store, json, s)?,
        Command::Workspace(WorkspaceCmd::Show) => {
            let w = store.workspace()?;
            out(json, &w, |w| match w {
                Some(w) => println!("{} ({})\nme: {}\ndevice: {}", w.name, w.id, w.me, w.device),
                None => {
                    println!("No workspace yet: run `tidings workspace create NAME --as YOUR_NAME`")
                }
            });
        }
        Command::Channel(c) => channel(&store, json, c)?,
        Command::Members => {
            let m = store.members()?;
            out(json, &m, |m| {
                for p in m {
                    println!(
                        "@{}  {}  {}{}",
                        p.handle,
                        p.display_name,
                        p.time_zone,
                        if p.is_me { "  (me)" } else { "" }
                    );
                }
            });
        }
        Command::Profile(p) => store.update_profile(profile(&p)?)?,
        Command::Post(p) => {
            let new = NewThread {
                channel: channel_id(&store, &p.channel)?,
                title: p.title,
                body: text_arg(p.body)?,
                notify: p
                    .notify
                    .iter()
                    .map(|h| member_by_handle(&store, h))
                    .collect::<Result<_>>()?,
            };
            let opts = crate::async_cmd::options(&p.when, &p.ask, |h| member_by_handle(&store, h))?;
            let posted = store.post_thread(new, &opts)?;
            print_posted(&store, json, &posted)?;
        }
        Command::Comment {
            thread,
            body,
            when,
            ask,
        } => {
            let opts = crate::async_cmd::options(&when, &ask, |h| member_by_handle(&store, h))?;
            let posted = store.post_comment(thread.parse()?, &text_arg(body)?, &opts)?;
            print_posted(&store, json, &posted)?;
        }
        Command::Edit { comment, body } => {
            store.edit_comment(comment.parse()?, &text_arg(body)?)?;
            if !json {
                println!("Edited {comment}");
            }
        }
        Command::Waiting { others } => crate::async_cmd::waiting(&store, json, others)?,
        Command::Answered { thread } => crate::async_cmd::answered(&store, thread.parse()?)?,
        Command::Withdraw { thread, ask } => store.withdraw_reply(thread.parse()?, ask.parse()?)?,
        Command::Away(cmd) => crate::async_cmd::away(&store, json, cmd)?,
        Command::Catchup { cmd } => crate::catchup_cmd::run(&store, json, cmd)?,
        Command::Checkin(cmd) => crate::checkin_cmd::run(
            &store,
            json,
            cmd,
            |c| channel_id(&store, c),
            |h| member_by_handle(&store, h),
        )?,
        Command::Remind(a) => crate::later_cmd::remind(&store, json, a)?,
        Command::Later { cmd } => crate::later_cmd::later(&store, json, cmd)?,
        Command::Scheduled { cmd } => crate::scheduled_cmd::run(&store, json, cmd)?,
        Command::Threads { channel, limit } => {
            let page =
                store.channel_threads(channel_id(&store, &channel)?, &PageRequest::first(limit))?;
            out(json, &page, |p| {
                p.items.iter().for_each(print::summary_line)
            });
        }
        Command::Thread { thread, read } => {
            let id: ThreadId = thread.parse()?;
            let v = store.thread(id, &PageRequest::first(200), RenderOptions::default())?;
            out(json, &v, print::thread);
            if read {
                store.mark_read(id, None)?;
            }
        }
        Command::Inbox { limit } => {
            let page = store.inbox(&PageRequest::first(limit))?;
            out(json, &page, |p| print::inbox(&p.items));
        }
        Command::Done => {
            let page = store.done_list(&PageRequest::first(200))?;
            out(json, &page, |p| {
                p.items.iter().for_each(print::summary_line)
            });
        }
        Command::Mark(m) => mark(&store, m)?,
        Command::Search(s) => {
            let q = SearchQuery {
                text: s.text,
                channel: s.channel.map(|c| channel_id(&store, &c)).transpose()?,
                author: s.author.map(|a| member_by_handle(&store, &a)).transpose()?,
                thread: None,
                order: if s.newest {
                    SearchOrder::Newest
                } else {
                    SearchOrder::Relevance
                },
                limit: s.limit,
            };
            let hits = store.search(&q)?;
            out(json, &hits, |hits| {
                if hits.is_empty() {
                    println!("No matches.");
                }
                for h in hits {
                    let at = match (h.hit.thread, h.hit.checkin, h.hit.date) {
                        (Some(t), _, _) => t.to_string(),
                        (None, Some(c), Some(d)) => format!("check-in {c} {d}"),
                        _ => String::new(),
                    };
                    println!(
                        "{at}  #{}  {} · {}",
                        h.channel_name, h.author.name, h.time.label
                    );
                    println!("    {}", strip_marks(&h.hit.snippet_html));
                }
            });
        }
        Command::Export(e) => match (e.markdown, e.json_file) {
            (Some(dir), None) => {
                let r = store.export_markdown(&dir)?;
                out(json, &r, |r| {
                    println!(
                        "Wrote {} channels, {} threads, {} comments to {}",
                        r.channels,
                        r.threads,
                        r.comments,
                        dir.display()
                    )
                });
            }
            (None, Some(file)) => {
                let f = std::fs::File::create(&file)?;
                let mut w = std::io::BufWriter::new(f);
                let n = store.export_json(&mut w)?;
                w.flush()?;
                out(json, &n, |n| {
                    println!("Wrote {n} ops to {}", file.display())
                });
            }
            _ => {
                return Err(Error::invalid(
                    "Say where to export: --markdown DIR or --json-file FILE",
                ))
            }
        },
        Command::Import { file } => {
            let f = std::fs::File::open(&file)?;
            let r = store.import_json(&mut std::io::BufReader::new(f))?;
            out(json, &r, |r| {
                println!(
                    "Imported {} ops ({} known already, {} waiting, {} refused)",
                    r.applied, r.duplicates, r.pending, r.rejected
                )
            });
        }
        Command::Rebuild => {
            store.rebuild()?;
            println!(
                "Rebuilt every view and the search index from {} ops",
                store.op_count()?
            );
        }
        Command::StressWrite { thread, count } => {
            let t: ThreadId = thread.parse()?;
            let stdout = std::io::stdout();
            let mut i = 0u64;
            while count == 0 || i < count {
                let c = store.add_comment(t, &format!("stress comment {i}"))?;
                let mut lock = stdout.lock();
                writeln!(lock, "{c}")?;
                lock.flush()?;
                i += 1;
            }
        }
        Command::Demo => unreachable!("handled above"),
    }
    // Crash tests: end the way a crash or SIGKILL would, right after the
    // command's writes returned (acknowledged, on disk): no destructor
    // runs, so the search index does not get its closing commit.
    if std::env::var_os("TIDINGS_TEST_CRASH_AFTER_WRITE").is_some() {
        std::process::abort();
    }
    // After a big sync or import, the next start replays nothing.
    store.close()?;
    Ok(())
}

fn channel(store: &Store, json: bool, cmd: ChannelCmd) -> Result<()> {
    match cmd {
        ChannelCmd::Create { name, topic } => {
            let id = store.create_channel(&name, &topic)?;
            out(json, &id, |id| println!("{id}"));
        }
        ChannelCmd::List => {
            let list = store.channels()?;
            out(json, &list, |l| {
                for c in l {
                    let badge = if c.unread_threads > 0 {
                        format!(" ({} unread)", c.unread_threads)
                    } else {
                        String::new()
                    };
                    println!(
                        "{}  #{}{}{}",
                        c.id,
                        c.name,
                        badge,
                        if c.archived { " [archived]" } else { "" }
                    );
                }
            });
        }
        ChannelCmd::Rename {
            channel,
            name,
            topic,
        } => store.rename_channel(channel_id(store, &channel)?, &name, &topic)?,
        ChannelCmd::Archive { channel, restore } => {
            store.archive_channel(channel_id(store, &channel)?, !restore)?
        }
    }
    Ok(())
}

fn mark(store: &Store, m: MarkArgs) -> Result<()> {
    let t: ThreadId = m.thread.parse()?;
    match m.what.as_str() {
        "read" => store.mark_read(t, None),
        "done" => store.set_done(t, true),
        "undone" => store.set_done(t, false),
        "mute" => store.mute(t, true),
        "unmute" => store.mute(t, false),
        "follow" => store.follow(t, true),
        "unfollow" => store.follow(t, false),
        "snooze" => store.snooze(t, Some(store.now() + Duration::hours(m.hours))),
        "unsnooze" => store.snooze(t, None),
        other => Err(Error::invalid(format!(
            "'{other}' is not a mark: use read, done, undone, mute, unmute, follow, unfollow, snooze or unsnooze"
        ))),
    }
}

/// A channel by id, or by name (with or without #).
fn channel_id(store: &Store, s: &str) -> Result<ChannelId> {
    if let Ok(id) = s.parse::<ChannelId>() {
        return Ok(id);
    }
    let name = s.trim_start_matches('#');
    store
        .channels()?
        .into_iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
        .map(|c| c.id)
        .ok_or_else(|| {
            Error::new(
                tidings::ErrorCode::NotFound,
                format!("No channel named #{name}: `tidings channel list` shows them"),
            )
        })
}

fn member_by_handle(store: &Store, h: &str) -> Result<MemberId> {
    let h = h.trim().trim_start_matches('@').to_lowercase();
    store
        .members()?
        .into_iter()
        .find(|m| m.handle == h)
        .map(|m| m.id)
        .ok_or_else(|| {
            Error::new(
                tidings::ErrorCode::NotFound,
                format!("Nobody is @{h}: `tidings members` lists the handles"),
            )
        })
}

fn profile(p: &ProfileArgs) -> Result<Profile> {
    let (start, end) = p.hours.split_once('-').ok_or_else(|| {
        Error::invalid(format!(
            "'{}' is not a range of hours: write e.g. 09:00-17:00",
            p.hours
        ))
    })?;
    let profile = Profile {
        display_name: p.display_name.clone(),
        time_zone: p.tz.clone(),
        working_hours: WorkingHours::parse(start, end, &days(&p.days)?)?,
    };
    profile.validate()?;
    Ok(profile)
}

fn days(s: &str) -> Result<Vec<Weekday>> {
    let day = |d: &str| {
        d.trim().parse::<Weekday>().map_err(|_| {
            Error::invalid(format!(
                "'{d}' is not a weekday: use mon, tue, wed, thu, fri, sat or sun"
            ))
        })
    };
    if let Some((a, b)) = s.split_once('-') {
        let (a, b) = (day(a)?, day(b)?);
        let mut out = vec![a];
        let mut d = a;
        while d != b {
            d = d.succ();
            out.push(d);
        }
        return Ok(out);
    }
    s.split(',').map(day).collect()
}

/// A text argument, or standard input for "-".
pub(crate) fn text_arg(s: String) -> Result<String> {
    if s == "-" {
        let mut buf = String::new();
        std::io::stdin().read_to_string(&mut buf)?;
        Ok(buf)
    } else {
        Ok(s)
    }
}

/// A highlighted snippet as one line of plain text.
fn strip_marks(html: &str) -> String {
    let text = html
        .replace("<mark>", "")
        .replace("</mark>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints what was posted: its id, and when it shows (per person) if
/// sent later, and each asked person's deadline.
fn print_posted(store: &Store, json: bool, posted: &Posted) -> Result<()> {
    // Sent "now" after all (someone at work already, a time just passed).
    store.release_due()?;
    let view = store
        .scheduled()?
        .into_iter()
        .find(|s| s.post == posted.post);
    let members = store.members()?;
    let name = |m: &MemberId| {
        members
            .iter()
            .find(|x| x.id == *m)
            .map_or_else(|| m.to_string(), |x| x.display_name.clone())
    };
    out(json, posted, |p| {
        match (&p.reveal, &view) {
            (Some(_), Some(v)) => {
                println!("{}  scheduled for {}", p.post, v.at.label);
                for d in &v.deliveries {
                    println!("    {}: {}", d.person.name, d.label);
                }
            }
            _ => match p.post {
                PostRef::Thread(t) => println!("{t}"),
                PostRef::Comment(c) => println!("{c}"),
            },
        }
        for (m, due) in &p.asks {
            println!("    asked {} to answer by {due}", name(m));
        }
    });
    Ok(())
}
