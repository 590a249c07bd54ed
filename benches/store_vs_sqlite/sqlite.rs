//! The SQLite peer: the storage design Joplin and Signal Desktop use
//! (rusqlite with the bundled SQLite, WAL, `synchronous=FULL`, FTS5 for
//! search), given the same workspace and asked the same questions.
//!
//! The schema is what a careful app would write, and is as denormalized as
//! Tidings' derived trees so the comparison is of engines, not of designs:
//! members, channels, threads (with comment count and last activity),
//! comments, participants, reactions, the local person's read markers and
//! a `my_threads` table holding their follow state and unread count per
//! thread, so the inbox is one indexed range (a partial index) rather than
//! a count over every followed thread. Integer primary keys (not the text
//! UUIDs those apps use) give SQLite its fastest layout. FTS5 indexes
//! title + body of every thread and comment with the same rules as
//! Tidings' analyzer (unicode61: lower case, diacritics folded, no
//! stemming) and the same weighting (title counts double), with prefix
//! indexes for 2, 3 and 4 characters (what a search-as-you-type app
//! configures: `"deplo"*` then reads one prefix term rather than merging
//! every term that starts with it), and its segments merged into one
//! (`optimize`) after the bulk load.
//!
//! Every query returns what Tidings' view returns, minus what only Tidings
//! computes (times formatted in two time zones, sanitized HTML unless
//! asked): names resolved, snippets excerpted, reactions grouped.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use tidings::model::ids::MemberId;
use tidings::render::{
    mention_handles, plain_excerpt, render_markdown, MentionTarget, RenderOptions,
};

use crate::gen::{Person, Row, RowTarget, SearchText};

/// The local person's member id (person 0).
pub const ME: i64 = 1;

/// Characters in a list snippet (as in Tidings).
const SNIPPET_CHARS: usize = 140;

const SCHEMA: &str = "
CREATE TABLE members(id INTEGER PRIMARY KEY, name TEXT NOT NULL, handle TEXT NOT NULL, tz TEXT NOT NULL);
CREATE INDEX members_by_handle ON members(handle);
CREATE TABLE channels(id INTEGER PRIMARY KEY, name TEXT NOT NULL, topic TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0);
CREATE TABLE threads(id INTEGER PRIMARY KEY, channel INTEGER NOT NULL, author INTEGER NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, mentions TEXT NOT NULL, created INTEGER NOT NULL,
    last_activity INTEGER NOT NULL, comments INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX threads_by_channel ON threads(channel, last_activity);
CREATE TABLE comments(id INTEGER PRIMARY KEY, thread INTEGER NOT NULL, author INTEGER NOT NULL,
    body TEXT NOT NULL, mentions TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER);
CREATE INDEX comments_by_thread ON comments(thread, created);
CREATE TABLE participants(thread INTEGER NOT NULL, member INTEGER NOT NULL,
    PRIMARY KEY(thread, member)) WITHOUT ROWID;
CREATE TABLE reactions(kind INTEGER NOT NULL, target INTEGER NOT NULL, emoji TEXT NOT NULL,
    member INTEGER NOT NULL, is_on INTEGER NOT NULL, PRIMARY KEY(kind, target, emoji, member)) WITHOUT ROWID;
CREATE TABLE read_markers(member INTEGER NOT NULL, thread INTEGER NOT NULL, up_to INTEGER NOT NULL,
    PRIMARY KEY(member, thread)) WITHOUT ROWID;
CREATE TABLE my_threads(thread INTEGER PRIMARY KEY, following INTEGER NOT NULL, muted INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0, unread INTEGER NOT NULL, last_activity INTEGER NOT NULL);
CREATE INDEX my_inbox ON my_threads(last_activity)
    WHERE following = 1 AND muted = 0 AND done = 0 AND unread > 0;
CREATE VIRTUAL TABLE fts USING fts5(title, body, kind UNINDEXED, thread UNINDEXED, comment UNINDEXED,
    channel UNINDEXED, author UNINDEXED, created UNINDEXED, prefix='2 3 4');
INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(2.0, 1.0)');
";

const INBOX: &str = "
SELECT t.id, t.title, t.author, t.channel, t.last_activity, t.comments, t.closed, mt.unread, t.body,
    (SELECT c.body FROM comments c WHERE c.thread = t.id AND c.deleted IS NULL ORDER BY c.created DESC LIMIT 1),
    (SELECT group_concat(p.member) FROM participants p WHERE p.thread = t.id)
FROM my_threads mt JOIN threads t ON t.id = mt.thread
WHERE mt.following = 1 AND mt.muted = 0 AND mt.done = 0 AND mt.unread > 0
ORDER BY mt.last_activity DESC LIMIT ?1";

const CHANNEL_PAGE: &str = "
SELECT t.id, t.title, t.author, t.channel, t.last_activity, t.comments, t.closed, coalesce(mt.unread, 0), t.body,
    (SELECT c.body FROM comments c WHERE c.thread = t.id AND c.deleted IS NULL ORDER BY c.created DESC LIMIT 1),
    (SELECT group_concat(p.member) FROM participants p WHERE p.thread = t.id)
FROM threads t LEFT JOIN my_threads mt ON mt.thread = t.id
WHERE t.channel = ?1 ORDER BY t.last_activity DESC LIMIT ?2";

// What posting a comment runs (prepared once per connection and cached).
const MEMBER_BY_HANDLE: &str = "SELECT id FROM members WHERE handle = ?1";
const INSERT_MY_COMMENT: &str =
    "INSERT INTO comments(thread, author, body, mentions, created) VALUES (?1, ?2, ?3, ?4, ?5)";
const BUMP_THREAD: &str =
    "UPDATE threads SET comments = comments + 1, last_activity = max(last_activity, ?2) WHERE id = ?1";
const ADD_PARTICIPANT: &str = "INSERT OR IGNORE INTO participants(thread, member) VALUES (?1, ?2)";
const INDEX_COMMENT: &str =
    "INSERT INTO fts(title, body, kind, thread, comment, channel, author, created)
     SELECT title, ?2, 1, id, ?3, channel, ?4, ?5 FROM threads WHERE id = ?1";
const MOVE_READ_MARKER: &str = "INSERT INTO read_markers(member, thread, up_to) VALUES (?1, ?2, ?3)
     ON CONFLICT(member, thread) DO UPDATE SET up_to = max(up_to, excluded.up_to)";
const MY_THREAD_I_POSTED: &str = "UPDATE my_threads SET unread = 0, following = 1,
     last_activity = max(last_activity, ?2) WHERE thread = ?1";
const MY_THREAD_NEWS: &str =
    "UPDATE my_threads SET unread = unread + 1, following = max(following, ?2),
     last_activity = max(last_activity, ?3) WHERE thread = ?1";
const POST_STATEMENTS: [&str; 8] = [
    MEMBER_BY_HANDLE,
    INSERT_MY_COMMENT,
    BUMP_THREAD,
    ADD_PARTICIPANT,
    INDEX_COMMENT,
    MOVE_READ_MARKER,
    MY_THREAD_I_POSTED,
    MY_THREAD_NEWS,
];

/// A thread in a list, display-ready.
// What a UI would display: built in full, never inspected here.
#[allow(dead_code)]
#[derive(Debug)]
pub struct Summary {
    /// Thread id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Channel name.
    pub channel: String,
    /// Author name.
    pub author: String,
    /// Everyone who wrote in it.
    pub participants: Vec<String>,
    /// Plain-text excerpt of the latest comment (or the post).
    pub snippet: String,
    /// Live comments.
    pub comments: i64,
    /// Unread items.
    pub unread: i64,
    /// Last activity (ms).
    pub last_activity: i64,
    /// Closed.
    pub closed: bool,
}

/// A comment as a thread page shows it.
// What a UI would display: built in full, never inspected here.
#[allow(dead_code)]
#[derive(Debug)]
pub struct CommentItem {
    /// Id.
    pub id: i64,
    /// Author name.
    pub author: String,
    /// Markdown.
    pub body: String,
    /// The people it mentions.
    pub mentions: Vec<MentionTarget>,
    /// HTML, once [`render`] ran.
    pub html: Option<String>,
    /// Unread by me.
    pub unread: bool,
    /// (emoji, names).
    pub reactions: Vec<(String, Vec<String>)>,
}

/// A thread page.
// What a UI would display: built in full, never inspected here.
#[allow(dead_code)]
#[derive(Debug)]
pub struct ThreadPage {
    /// Summary.
    pub summary: Summary,
    /// Opening post markdown.
    pub body: String,
    /// The people it mentions.
    pub mentions: Vec<MentionTarget>,
    /// Opening post HTML, once [`render`] ran.
    pub html: Option<String>,
    /// Reactions on the post.
    pub reactions: Vec<(String, Vec<String>)>,
    /// First page of comments.
    pub comments: Vec<CommentItem>,
}

/// One search hit, display-ready.
// What a UI would display: built in full, never inspected here.
#[allow(dead_code)]
#[derive(Debug)]
pub struct Hit {
    /// Thread.
    pub thread: i64,
    /// Comment (None for the post).
    pub comment: Option<i64>,
    /// Highlighted title.
    pub title_html: String,
    /// Highlighted snippet.
    pub snippet_html: String,
    /// Author name.
    pub author: String,
    /// Channel name.
    pub channel: String,
}

/// One connection to the SQLite database.
pub struct SqlitePeer {
    conn: Connection,
}

struct Member {
    name: String,
    handle: String,
}

impl SqlitePeer {
    /// Creates the database at `path` (which must not exist).
    pub fn create(path: &Path) -> Result<SqlitePeer> {
        let peer = SqlitePeer::open(path)?;
        peer.conn
            .execute_batch(SCHEMA)
            .context("creating the SQLite schema")?;
        Ok(peer)
    }

    /// Opens the database with the settings the apps use.
    pub fn open(path: &Path) -> Result<SqlitePeer> {
        let conn = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        conn.busy_timeout(Duration::from_secs(60))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        anyhow::ensure!(
            mode.eq_ignore_ascii_case("wal"),
            "SQLite refused WAL mode ({mode})"
        );
        // FULL: the WAL is fsynced at every commit (the default NORMAL
        // only at checkpoints, which loses the last commits on power loss).
        conn.pragma_update(None, "synchronous", "FULL")?;
        // The same 8 MiB page cache Tidings gives sled.
        conn.pragma_update(None, "cache_size", -8192)?;
        Ok(SqlitePeer { conn })
    }

    /// Stores a batch of generated rows in one transaction.
    pub fn load(&mut self, rows: &[Row], people: &[Person]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for row in rows {
            apply_row(&tx, row, people)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Merges the FTS5 index's segments into one, as an app does after a
    /// bulk import (Tidings' search index merges its own segments in the
    /// background). Returns how long it took.
    pub fn optimize_search(&self) -> Result<Duration> {
        let t = std::time::Instant::now();
        self.conn
            .execute("INSERT INTO fts(fts) VALUES('optimize')", [])
            .context("optimizing the FTS5 index")?;
        Ok(t.elapsed())
    }

    /// Prepares (and caches) every statement [`SqlitePeer::post`] runs, so
    /// a fresh connection's first timed post does not pay for parsing.
    pub fn prepare_post(&self) -> Result<()> {
        for sql in POST_STATEMENTS {
            self.conn.prepare_cached(sql)?;
        }
        Ok(())
    }

    /// Checkpoints the WAL into the database (as the apps' close does).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    fn members(&self) -> Result<HashMap<i64, Member>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id, name, handle FROM members")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Member {
                    name: r.get(1)?,
                    handle: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn channel_name(&self, id: i64) -> Result<String> {
        let mut st = self
            .conn
            .prepare_cached("SELECT name FROM channels WHERE id = ?1")?;
        Ok(st
            .query_row([id], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }

    fn summaries(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Summary>> {
        let members = self.members()?;
        let name = |id: i64| {
            members
                .get(&id)
                .map_or_else(|| "Unknown member".to_string(), |m| m.name.clone())
        };
        let mut st = self.conn.prepare_cached(sql)?;
        let raw = st
            .query_map(args, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, bool>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, Option<String>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(raw.len());
        for (id, title, author, channel, last, comments, closed, unread, body, latest, parts) in raw
        {
            out.push(Summary {
                id,
                title,
                channel: self.channel_name(channel)?,
                author: name(author),
                participants: ids(parts.as_deref().unwrap_or(""))
                    .into_iter()
                    .map(name)
                    .collect(),
                snippet: plain_excerpt(latest.as_deref().unwrap_or(&body), SNIPPET_CHARS),
                comments,
                unread,
                last_activity: last,
                closed,
            });
        }
        Ok(out)
    }

    /// First inbox page: threads I follow with news, newest activity first.
    pub fn inbox(&self, limit: usize) -> Result<Vec<Summary>> {
        self.summaries(INBOX, [limit as i64])
    }

    /// First page of a channel's threads, newest activity first.
    pub fn channel_page(&self, channel: i64, limit: usize) -> Result<Vec<Summary>> {
        self.summaries(CHANNEL_PAGE, [channel, limit as i64])
    }

    fn reactions(
        &self,
        kind: i64,
        target: i64,
        members: &HashMap<i64, Member>,
    ) -> Result<Vec<(String, Vec<String>)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT emoji, member FROM reactions WHERE kind = ?1 AND target = ?2 AND is_on = 1",
        )?;
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        let rows = st.query_map([kind, target], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (emoji, m) = row?;
            let who = members.get(&m).map_or_else(String::new, |m| m.name.clone());
            match out.iter_mut().find(|(e, _)| *e == emoji) {
                Some((_, v)) => v.push(who),
                None => out.push((emoji, vec![who])),
            }
        }
        Ok(out)
    }

    /// A thread with its first page of comments (oldest first), as rows
    /// (see [`render`] for the HTML).
    pub fn thread_page(&self, thread: i64, limit: usize) -> Result<ThreadPage> {
        let members = self.members()?;
        let targets = |mentions: &str| -> Vec<MentionTarget> {
            ids(mentions)
                .into_iter()
                .filter_map(|id| {
                    members.get(&id).map(|m| MentionTarget {
                        handle: m.handle.clone(),
                        member: MemberId(id as u128),
                        display_name: m.name.clone(),
                        is_me: id == ME,
                    })
                })
                .collect()
        };
        let name = |id: i64| {
            members
                .get(&id)
                .map_or_else(|| "Unknown member".to_string(), |m| m.name.clone())
        };
        let (title, body, author, channel, created, last, count, closed, mentions) = self.conn.prepare_cached(
            "SELECT title, body, author, channel, created, last_activity, comments, closed, mentions
             FROM threads WHERE id = ?1",
        )?.query_row(
            [thread],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, bool>(7)?,
                    r.get::<_, String>(8)?,
                ))
            },
        )?;
        let marker: Option<i64> = self
            .conn
            .prepare_cached("SELECT up_to FROM read_markers WHERE member = ?1 AND thread = ?2")?
            .query_row([ME, thread], |r| r.get(0))
            .optional()?;
        let unread: i64 = self
            .conn
            .prepare_cached("SELECT unread FROM my_threads WHERE thread = ?1")?
            .query_row([thread], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let latest: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT body FROM comments WHERE thread = ?1 AND deleted IS NULL ORDER BY created DESC LIMIT 1",
            )?
            .query_row([thread], |r| r.get(0))
            .optional()?;
        let parts: Option<String> = self
            .conn
            .prepare_cached("SELECT group_concat(member) FROM participants WHERE thread = ?1")?
            .query_row([thread], |r| r.get(0))?;
        let mut st = self.conn.prepare_cached(
            "SELECT id, author, body, created, mentions FROM comments
             WHERE thread = ?1 AND deleted IS NULL ORDER BY created LIMIT ?2",
        )?;
        let raw = st
            .query_map([thread, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut comments = Vec::with_capacity(raw.len());
        for (id, by, text, at, mentioned) in raw {
            comments.push(CommentItem {
                id,
                author: name(by),
                mentions: targets(&mentioned),
                html: None,
                body: text,
                unread: by != ME && marker.is_none_or(|m| m < at),
                reactions: self.reactions(1, id, &members)?,
            });
        }
        Ok(ThreadPage {
            summary: Summary {
                id: thread,
                title,
                channel: self.channel_name(channel)?,
                author: name(author),
                participants: ids(parts.as_deref().unwrap_or(""))
                    .into_iter()
                    .map(name)
                    .collect(),
                snippet: plain_excerpt(latest.as_deref().unwrap_or(&body), SNIPPET_CHARS),
                comments: count,
                unread,
                last_activity: last.max(created),
                closed,
            },
            mentions: targets(&mentions),
            html: None,
            body,
            reactions: self.reactions(0, thread, &members)?,
            comments,
        })
    }

    /// Top-`limit` search hits, best first, with highlighted title and snippet.
    pub fn search(&self, q: &SearchText, limit: usize) -> Result<Vec<Hit>> {
        let matcher = fts_match(q);
        let members = self.members()?;
        let mut st = self.conn.prepare_cached(
            "SELECT thread, comment, channel, author, highlight(fts, 0, '<mark>', '</mark>'),
                    snippet(fts, 1, '<mark>', '</mark>', '…', 24)
             FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let raw = st
            .query_map(params![matcher, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(raw.len());
        for (thread, comment, channel, author, title_html, snippet_html) in raw {
            out.push(Hit {
                thread,
                comment,
                title_html,
                snippet_html,
                author: members
                    .get(&author)
                    .map_or_else(String::new, |m| m.name.clone()),
                channel: self.channel_name(channel)?,
            });
        }
        Ok(out)
    }

    /// Top-`limit` documents with their BM25 score (higher is better),
    /// best first, for comparing rankings (not timed).
    pub fn ranked(&self, q: &SearchText, limit: usize) -> Result<Vec<(i64, Option<i64>, f64)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT thread, comment, rank FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = st.query_map(params![fts_match(q), limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, -r.get::<_, f64>(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Posts a comment as me, durably (its own transaction; with
    /// `synchronous=FULL` the commit fsyncs the WAL).
    pub fn post(&self, thread: i64, body: &str, at: i64) -> Result<i64> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let mut mentioned = Vec::new();
        for h in mention_handles(body) {
            let id: Option<i64> = tx
                .prepare_cached(MEMBER_BY_HANDLE)?
                .query_row([h], |r| r.get(0))
                .optional()?;
            mentioned.extend(id);
        }
        tx.prepare_cached(INSERT_MY_COMMENT)?.execute(params![
            thread,
            ME,
            body,
            join(&mentioned),
            at
        ])?;
        let id = tx.last_insert_rowid();
        comment_effects(&tx, id, thread, ME, body, at, &mentioned)?;
        tx.commit()?;
        Ok(id)
    }
}

/// Renders a page's markdown to sanitized HTML with Tidings' renderer,
/// as an app on SQLite would have to do too.
pub fn render(page: &mut ThreadPage) {
    page.html = Some(render_markdown(
        &page.body,
        &page.mentions,
        RenderOptions::default(),
    ));
    for c in &mut page.comments {
        c.html = Some(render_markdown(
            &c.body,
            &c.mentions,
            RenderOptions::default(),
        ));
    }
}

/// The FTS5 query for a search as typed: quoted words, or a quoted prefix.
fn fts_match(q: &SearchText) -> String {
    let quote = |w: &str| format!("\"{}\"", w.replace('"', "\"\""));
    match q {
        SearchText::Words(ws) => ws.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "),
        SearchText::Prefix(p) => format!("{}*", quote(p)),
    }
}

/// What a new comment changes besides its own row.
fn comment_effects(
    tx: &Transaction,
    id: i64,
    thread: i64,
    author: i64,
    body: &str,
    at: i64,
    mentions: &[i64],
) -> Result<()> {
    tx.prepare_cached(BUMP_THREAD)?.execute([thread, at])?;
    tx.prepare_cached(ADD_PARTICIPANT)?
        .execute([thread, author])?;
    tx.prepare_cached(INDEX_COMMENT)?
        .execute(params![thread, body, id, author, at])?;
    let involved = author == ME || mentions.contains(&ME);
    if author == ME {
        // As in Tidings, answering in a thread means I read what came
        // before: my read position moves to my post (comments arrive in
        // order here, so nothing after it is unread).
        tx.prepare_cached(MOVE_READ_MARKER)?
            .execute([ME, thread, at])?;
        tx.prepare_cached(MY_THREAD_I_POSTED)?
            .execute([thread, at])?;
    } else {
        tx.prepare_cached(MY_THREAD_NEWS)?
            .execute(params![thread, i64::from(involved), at])?;
    }
    Ok(())
}

fn apply_row(tx: &Transaction, row: &Row, people: &[Person]) -> Result<()> {
    let id = |i: usize| i as i64 + 1;
    match row {
        Row::Member { person } => {
            let p = &people[*person];
            tx.prepare_cached(
                "INSERT OR REPLACE INTO members(id, name, handle, tz) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id(*person), p.name, p.handle, p.tz])?;
        }
        Row::Channel {
            channel,
            name,
            topic,
        } => {
            tx.prepare_cached("INSERT INTO channels(id, name, topic) VALUES (?1, ?2, ?3)")?
                .execute(params![id(*channel), name, topic])?;
        }
        Row::Thread {
            thread,
            channel,
            author,
            title,
            body,
            at,
            notify,
            mentions,
        } => {
            let (t, a) = (id(*thread), id(*author));
            let mentions: Vec<i64> = mentions.iter().map(|m| id(*m)).collect();
            tx.prepare_cached(
                "INSERT INTO threads(id, channel, author, title, body, mentions, created, last_activity)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?
            .execute(params![t, id(*channel), a, title, body, join(&mentions), at])?;
            tx.prepare_cached(ADD_PARTICIPANT)?.execute([t, a])?;
            tx.prepare_cached(
                "INSERT INTO fts(title, body, kind, thread, comment, channel, author, created)
                 VALUES (?1, ?2, 0, ?3, NULL, ?4, ?5, ?6)",
            )?
            .execute(params![title, body, t, id(*channel), a, at])?;
            let involved = a == ME || mentions.contains(&ME) || notify.contains(&0);
            tx.prepare_cached(
                "INSERT INTO my_threads(thread, following, unread, last_activity) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![t, i64::from(involved), i64::from(a != ME), at])?;
        }
        Row::Comment {
            comment,
            thread,
            author,
            body,
            at,
            mentions,
        } => {
            let (c, t, a) = (id(*comment), id(*thread), id(*author));
            let mentions: Vec<i64> = mentions.iter().map(|m| id(*m)).collect();
            tx.prepare_cached(
                "INSERT INTO comments(id, thread, author, body, mentions, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![c, t, a, body, join(&mentions), at])?;
            comment_effects(tx, c, t, a, body, *at, &mentions)?;
        }
        Row::Reaction {
            target,
            member,
            emoji,
        } => {
            let (kind, target) = match target {
                RowTarget::Thread(t) => (0, id(*t)),
                RowTarget::Comment(c) => (1, id(*c)),
            };
            tx.prepare_cached(
                "INSERT OR REPLACE INTO reactions(kind, target, emoji, member, is_on) VALUES (?1, ?2, ?3, ?4, 1)",
            )?
            .execute(params![kind, target, emoji, id(*member)])?;
        }
        Row::Read { thread, up_to } => {
            let t = id(*thread);
            tx.prepare_cached(MOVE_READ_MARKER)?
                .execute([ME, t, *up_to])?;
            tx.prepare_cached(
                "UPDATE my_threads SET unread =
                    (SELECT count(*) FROM comments c, read_markers r
                      WHERE r.member = ?2 AND r.thread = ?1 AND c.thread = ?1 AND c.created > r.up_to
                        AND c.author != ?2 AND c.deleted IS NULL)
                  + (SELECT t.author != ?2 AND t.created > r.up_to FROM threads t, read_markers r
                      WHERE t.id = ?1 AND r.member = ?2 AND r.thread = ?1)
                 WHERE thread = ?1",
            )?
            .execute([t, ME])?;
        }
    }
    Ok(())
}

fn join(ids: &[i64]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn ids(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|p| p.trim().parse().ok()).collect()
}
