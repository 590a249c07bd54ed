//! The Scheduled list: my posts waiting for their time, on every device of
//! mine, with when each person will see them in their own time and mine.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::people::{People, PersonRef};
use super::time::{time_view, TimeView};
use crate::error::Result;
use crate::model::ids::{ChannelId, ThreadId};
use crate::model::schedule::{PostRef, ScheduledPost};
use crate::render::{clean_label, plain_excerpt};
use crate::store::rows::{dec, ScheduledRow};
use crate::store::trees::T;
use crate::store::Store;

/// When one person will see a scheduled post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Delivery {
    /// Who.
    pub person: PersonRef,
    /// The instant.
    pub at: DateTime<Utc>,
    /// "Mon 10:00 their time (Mon 01:30 yours)", or just "Mon 10:00" when
    /// we share a zone.
    pub label: String,
}

/// One of my scheduled posts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScheduledView {
    /// Which post (use it to edit, cancel or send now).
    pub post: PostRef,
    /// The thread it starts or answers.
    pub thread: ThreadId,
    /// Its channel.
    pub channel: ChannelId,
    /// The channel's name.
    pub channel_name: String,
    /// The new thread's title, or the title of the thread it answers.
    pub title: String,
    /// True for a new thread, false for a comment.
    pub is_thread: bool,
    /// Markdown source (for editing).
    pub body_markdown: String,
    /// One plain line of it.
    pub excerpt: String,
    /// When it shows for everyone not listed below, in my time.
    pub at: TimeView,
    /// People who get it at their own time ("at their start").
    pub deliveries: Vec<Delivery>,
}

/// "Mon 10:00 their time (Mon 01:30 yours)" for `at` seen from `mine` by
/// someone in `theirs`.
pub fn delivery_label(at: DateTime<Utc>, theirs: Tz, mine: Tz) -> String {
    let there = at.with_timezone(&theirs).format("%a %H:%M").to_string();
    let here = at.with_timezone(&mine).format("%a %H:%M").to_string();
    if theirs == mine || there == here {
        there
    } else {
        format!("{there} their time ({here} yours)")
    }
}

impl Store {
    /// Whether `r`, if it replaces a post, is the replacement that won
    /// (of two made concurrently, the later op).
    fn wins_its_replacement(&self, r: &ScheduledRow) -> Result<bool> {
        let Some(old) = r.replaces else {
            return Ok(true);
        };
        let replaced: Option<ScheduledRow> = self
            .trees()
            .get(T::Scheduled)
            .get(old.to_key())?
            .map(|v| dec(&v))
            .transpose()?;
        Ok(replaced.and_then(|o| o.replaced_by).map(|(_, p)| p) == Some(r.post.post_ref()))
    }

    /// My scheduled posts not yet delivered, soonest first.
    pub fn scheduled(&self) -> Result<Vec<ScheduledView>> {
        let Some(me) = self.me() else {
            return Ok(Vec::new());
        };
        let people = People::load(self)?;
        let my_tz = people.my_tz();
        let now = self.now();
        let mut out = Vec::new();
        for kv in self.trees().get(T::Scheduled).iter() {
            let (_, v) = kv?;
            let r: ScheduledRow = dec(&v)?;
            if r.author != me
                || r.shown.is_some()
                || r.cancelled.is_some()
                || r.replaced_by.is_some()
                || !self.wins_its_replacement(&r)?
            {
                continue;
            }
            let (thread, channel, title, is_thread) = match &r.post {
                ScheduledPost::Thread {
                    thread,
                    channel,
                    title,
                    ..
                } => (*thread, *channel, clean_label(title), true),
                ScheduledPost::Comment { thread, .. } => {
                    let t = self.thread_row(*thread)?;
                    (*thread, t.channel, clean_label(&t.title.value), false)
                }
            };
            let channel_name = self.channel_label(channel);
            let mut deliveries: Vec<Delivery> = r
                .reveal
                .per_person
                .iter()
                .map(|(m, at)| Delivery {
                    person: people.person(*m),
                    at: *at,
                    label: delivery_label(*at, people.tz_of(*m), my_tz),
                })
                .collect();
            deliveries.sort_by(|a, b| (a.at, &a.person.name).cmp(&(b.at, &b.person.name)));
            out.push(ScheduledView {
                post: r.post.post_ref(),
                thread,
                channel,
                channel_name,
                title,
                is_thread,
                body_markdown: r.post.body().to_string(),
                excerpt: plain_excerpt(r.post.body(), 140),
                at: time_view(r.reveal.at, my_tz, None, now),
                deliveries,
            });
        }
        out.sort_by_key(|s| s.at.utc);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_reads_in_their_time_and_mine() {
        let at: DateTime<Utc> = "2026-11-30T00:00:00Z".parse().unwrap();
        assert_eq!(
            delivery_label(at, chrono_tz::Asia::Tokyo, chrono_tz::Asia::Kolkata),
            "Mon 09:00 their time (Mon 05:30 yours)"
        );
        assert_eq!(
            delivery_label(at, chrono_tz::Asia::Tokyo, chrono_tz::America::New_York),
            "Mon 09:00 their time (Sun 19:00 yours)"
        );
        assert_eq!(
            delivery_label(at, chrono_tz::Asia::Tokyo, chrono_tz::Asia::Tokyo),
            "Mon 09:00"
        );
    }
}
