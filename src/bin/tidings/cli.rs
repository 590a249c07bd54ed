//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Tidings: asynchronous team threads, local-first. This CLI drives the
/// same core as the desktop app, for scripts, bots and tests.
#[derive(Parser, Debug)]
#[command(name = "tidings", version, about)]
pub struct Cli {
    /// Data folder (default: the platform's data folder, e.g. ~/.local/share/tidings).
    #[arg(long, global = true, env = "TIDINGS_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print results as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// For end-to-end tests only: read the time from this RFC 3339
    /// instant instead of the system clock, as the desktop app's
    /// `--test-clock` does, so a teammate in a test writes at the app's
    /// "now". Never use it for real work.
    #[arg(long, global = true, hide = true, env = "TIDINGS_TEST_CLOCK")]
    pub test_clock: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the data folder and this device's key; print the device id.
    Init,
    /// Create or show the workspace.
    #[command(subcommand)]
    Workspace(WorkspaceCmd),
    /// Create, rename, archive or list channels.
    #[command(subcommand)]
    Channel(ChannelCmd),
    /// List the people in the workspace.
    Members,
    /// Change my profile.
    Profile(ProfileArgs),
    /// Link my other devices.
    #[command(subcommand)]
    Device(DeviceCmd),
    /// Configure and run sync.
    #[command(subcommand)]
    Sync(SyncCmd),
    /// Start a thread.
    Post(PostArgs),
    /// Answer in a thread.
    Comment {
        /// Thread id.
        thread: String,
        /// Markdown text (or - to read standard input).
        body: String,
        #[command(flatten)]
        when: crate::when::WhenArgs,
        #[command(flatten)]
        ask: crate::async_cmd::AskArgs,
    },
    /// Change the text of one of my comments.
    Edit {
        /// Comment id.
        comment: String,
        /// New Markdown text (or - to read standard input).
        body: String,
    },
    /// My posts scheduled for later (list by default).
    Scheduled {
        #[command(subcommand)]
        cmd: Option<crate::scheduled_cmd::ScheduledCmd>,
    },
    /// Put a thread in Later with a reminder (in my working hours).
    Remind(crate::later_cmd::RemindArgs),
    /// My Later list (list by default).
    Later {
        #[command(subcommand)]
        cmd: Option<crate::later_cmd::LaterCmd>,
    },
    /// My catch-up: what waits on me, news, decisions, new threads, Later.
    Catchup {
        #[command(subcommand)]
        cmd: Option<crate::catchup_cmd::CatchUpCmd>,
    },
    /// Reply-by asks: waiting on me (default) or on others.
    Waiting {
        /// What I asked of others instead.
        #[arg(long)]
        others: bool,
    },
    /// Mark every ask of me in a thread answered.
    Answered {
        /// Thread id.
        thread: String,
    },
    /// Withdraw my reply-by ask.
    Withdraw {
        /// Thread id.
        thread: String,
        /// The ask's op id (from `tidings waiting --others --json`).
        ask: String,
    },
    /// Recurring check-ins: a question a channel asks on a schedule.
    #[command(subcommand)]
    Checkin(crate::checkin_cmd::CheckinCmd),
    /// Say I am away until a day, or back.
    #[command(subcommand)]
    Away(crate::async_cmd::AwayCmd),
    /// Threads of a channel, latest activity first.
    Threads {
        /// Channel name or id.
        channel: String,
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Show a thread with its comments.
    Thread {
        /// Thread id.
        thread: String,
        /// Mark it read after showing it.
        #[arg(long)]
        read: bool,
    },
    /// My inbox: followed threads with news.
    Inbox {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Threads I marked done.
    Done,
    /// Mark a thread read, done, muted, followed or snoozed.
    Mark(MarkArgs),
    /// Full-text search.
    Search(SearchArgs),
    /// Export the workspace as Markdown files or as JSON.
    Export(ExportArgs),
    /// Import a JSON export.
    Import {
        /// The file made by `tidings export --json`.
        file: PathBuf,
    },
    /// Rebuild every view and the search index from the op log.
    Rebuild,
    /// Fill the data folder with a small demo team (only if it is empty).
    Demo,
    /// For crash tests: post comments in a loop, printing each id once it is durable.
    #[command(hide = true)]
    StressWrite {
        /// Thread to comment in.
        thread: String,
        /// How many (0 = until killed).
        #[arg(long, default_value_t = 0)]
        count: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum WorkspaceCmd {
    /// Found a workspace in this (empty) data folder.
    Create {
        /// Workspace name.
        name: String,
        #[command(flatten)]
        me: ProfileArgs,
    },
    /// Show the workspace and who I am.
    Show,
    /// Print an invite code for a teammate (share it privately).
    Invite,
    /// Join a workspace with an invite code.
    Join {
        /// The code from `tidings workspace invite`.
        code: String,
        #[command(flatten)]
        me: ProfileArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum DeviceCmd {
    /// Add my other computer (its id from `tidings init` there) and print
    /// the code to enter on it.
    Link {
        /// The new computer's device id (64 hex digits).
        device: String,
    },
    /// On a new computer: become a device of the person who made the code.
    Add {
        /// The code from `tidings device link`.
        code: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum SyncCmd {
    /// Sync through a NATS JetStream server (or cluster).
    AddNats {
        /// Server URL(s), e.g. nats://host:4222 (repeat for a cluster).
        #[arg(required = true)]
        urls: Vec<String>,
        /// User name (with --password).
        #[arg(long, requires = "password")]
        user: Option<String>,
        /// Password.
        #[arg(long, requires = "user")]
        password: Option<String>,
        /// Token.
        #[arg(long, conflicts_with_all = ["user", "creds"])]
        token: Option<String>,
        /// A .creds file.
        #[arg(long, conflicts_with = "user")]
        creds: Option<String>,
        /// Require TLS.
        #[arg(long)]
        tls: bool,
        /// Stream replicas (3 for a 3-node cluster).
        #[arg(long, default_value_t = 1)]
        replicas: usize,
    },
    /// Sync through a folder that Syncthing, Dropbox or a share keeps in sync.
    AddFolder {
        /// The shared folder.
        path: String,
    },
    /// Remove a target (its unsent ops stay in the store).
    Remove {
        /// Target id from `sync status`.
        id: u32,
    },
    /// Show each target: state, unsent ops, last problem.
    Status,
    /// Sync: catch up and send with --once, or stay live until Ctrl+C.
    Run {
        /// Catch up, send, and exit.
        #[arg(long)]
        once: bool,
    },
}

#[derive(Args, Debug)]
pub struct ProfileArgs {
    /// My display name.
    #[arg(long = "as", value_name = "NAME")]
    pub display_name: String,
    /// My IANA time zone (e.g. Europe/Lisbon).
    #[arg(long, default_value = "UTC")]
    pub tz: String,
    /// Working hours, HH:MM-HH:MM in my zone.
    #[arg(long, default_value = "09:00-17:00")]
    pub hours: String,
    /// Working days, e.g. mon-fri or mon,tue,thu.
    #[arg(long, default_value = "mon-fri")]
    pub days: String,
}

#[derive(Subcommand, Debug)]
pub enum ChannelCmd {
    /// Create a channel.
    Create {
        /// Name (without #).
        name: String,
        /// What it is for.
        #[arg(long, default_value = "")]
        topic: String,
    },
    /// List channels with unread counts.
    List,
    /// Rename a channel.
    Rename {
        /// Channel name or id.
        channel: String,
        /// New name.
        name: String,
        /// New topic.
        #[arg(long, default_value = "")]
        topic: String,
    },
    /// Archive a channel (--restore to undo).
    Archive {
        /// Channel name or id.
        channel: String,
        /// Restore instead.
        #[arg(long)]
        restore: bool,
    },
}

#[derive(Args, Debug)]
pub struct PostArgs {
    /// Channel name or id.
    #[arg(long)]
    pub channel: String,
    /// Title.
    #[arg(long)]
    pub title: String,
    /// Markdown body (or - to read standard input).
    #[arg(long)]
    pub body: String,
    /// People to notify, by @handle, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub notify: Vec<String>,
    #[command(flatten)]
    pub when: crate::when::WhenArgs,
    #[command(flatten)]
    pub ask: crate::async_cmd::AskArgs,
}

#[derive(Args, Debug)]
pub struct MarkArgs {
    /// Thread id.
    pub thread: String,
    /// read | unread-done | done | undone | mute | unmute | follow | unfollow | snooze | unsnooze
    pub what: String,
    /// For snooze: hours from now.
    #[arg(long, default_value_t = 3)]
    pub hours: i64,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words to find (the last one may be a prefix).
    pub text: String,
    /// Only in this channel (name or id).
    #[arg(long)]
    pub channel: Option<String>,
    /// Only by this person (@handle).
    #[arg(long)]
    pub author: Option<String>,
    /// Newest first instead of best match.
    #[arg(long)]
    pub newest: bool,
    /// How many.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Write Markdown files into this (new or empty) folder.
    #[arg(long, conflicts_with = "json_file")]
    pub markdown: Option<PathBuf>,
    /// Write the op log as JSON to this file.
    #[arg(long = "json-file")]
    pub json_file: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
