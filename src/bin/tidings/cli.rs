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
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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
    /// Start a thread.
    Post(PostArgs),
    /// Answer in a thread.
    Comment {
        /// Thread id.
        thread: String,
        /// Markdown text (or - to read standard input).
        body: String,
    },
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
}

#[derive(Args, Debug)]
pub struct ProfileArgs {
    /// My display name.
    #[arg(long = "as", value_name = "NAME")]
    pub name: String,
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
