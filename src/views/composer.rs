//! The recipients' day, shown in the composer while writing: for every
//! person the message will notify, their time now, whether they are at
//! work, away, when the message will actually reach them, and, when the
//! draft asks for a reply or is urgent, their deadline and whether the
//! urgent mark would break through.

use serde::{Deserialize, Serialize};

use super::people::{People, PersonRef};
use super::time::{time_view, TimeView};
use crate::error::Result;
use crate::model::ids::{ChannelId, CommentId, MemberId, ThreadId};
use crate::model::replyby::{due_instant, DueBy};
use crate::model::schedule::{self, ScheduledPost, SendAt};
use crate::policy::landing::{landing, DayState};
use crate::store::{Store, UrgentCheck};

/// What is being written, as far as who gets it is concerned.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Draft {
    /// Answering this thread (None: a new thread).
    pub thread: Option<ThreadId>,
    /// For a new thread: its channel.
    pub channel: Option<ChannelId>,
    /// For a new thread: the people named to notify.
    #[serde(default)]
    pub notify: Vec<MemberId>,
    /// The text so far (its @mentions count).
    #[serde(default)]
    pub body: String,
    /// It asks everyone it notifies for an answer by this deadline.
    #[serde(default)]
    pub reply_by: Option<DueBy>,
    /// It is marked urgent for everyone it notifies.
    #[serde(default)]
    pub urgent: bool,
}

/// One recipient's day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecipientDay {
    /// Who.
    pub person: PersonRef,
    /// Their time zone.
    pub time_zone: String,
    /// Their wall clock now: "Tue 22:14".
    pub local_now: String,
    /// At work, after hours, or away.
    pub state: DayState,
    /// Their away note, when away.
    pub away_note: Option<String>,
    /// When the message will notify them, in my time (and theirs).
    pub lands_at: TimeView,
    /// "in hours — now", "after hours — Tue 09:00 their time", …
    pub label: String,
    /// Their deadline, when the draft asks for a reply (in my time and
    /// theirs).
    pub reply_by: Option<TimeView>,
    /// Whether the urgent mark would break through for them, when the
    /// draft is urgent.
    pub urgent: Option<UrgentCheck>,
}

impl Store {
    /// The day of everyone `draft` will notify, if sent `when` (None: now),
    /// soonest landing first.
    pub fn recipients_day(
        &self,
        draft: &Draft,
        when: Option<&SendAt>,
    ) -> Result<Vec<RecipientDay>> {
        let me = self.require_me()?;
        let mentions = self.resolve_mentions(&draft.body)?;
        // The same recipients scheduling uses, from a stand-in post.
        let post = match draft.thread {
            Some(thread) => ScheduledPost::Comment {
                comment: CommentId(0),
                thread,
                body: String::new(),
                mentions,
            },
            None => ScheduledPost::Thread {
                thread: ThreadId(0),
                channel: draft.channel.unwrap_or(ChannelId(0)),
                title: String::new(),
                body: String::new(),
                notify: draft.notify.clone(),
                mentions,
            },
        };
        if draft.reply_by.is_some() && when.is_some() {
            return Err(crate::error::Error::invalid(
                "A post sent later cannot ask for replies yet: send it now, or add the reply-by once it is delivered",
            ));
        }
        let recipients = self.recipients(me, &post)?;
        let now = self.now();
        let reveal = match when {
            Some(w) if !recipients.is_empty() || *w != SendAt::AtTheirStart => {
                let my_profile = self.member_row(me)?.profile.value;
                Some(schedule::resolve(w, now, &my_profile, &recipients)?)
            }
            _ => None,
        };
        let people = People::load(self)?;
        let my_tz = people.my_tz();
        let ids: Vec<MemberId> = recipients.iter().map(|(m, _)| *m).collect();
        let urgent = if draft.urgent {
            self.urgent_preview(&ids)?
        } else {
            Vec::new()
        };
        let mut out = Vec::with_capacity(recipients.len());
        for (i, (m, profile)) in recipients.iter().enumerate() {
            let away = self.away_of(*m)?;
            let at = reveal.as_ref().map_or(now, |r| r.for_member(Some(*m)));
            let mut l = landing(profile, away.as_ref(), at, now);
            let urgent = urgent.get(i).cloned();
            if urgent.as_ref().is_some_and(|u| u.breaks_through) {
                l.lands_at = at;
                l.label = if reveal.is_some() {
                    "urgent — breaks through when sent".into()
                } else {
                    "urgent — breaks through now".into()
                };
            }
            let due = match &draft.reply_by {
                Some(by) => Some(due_instant(by, profile, away.as_ref(), now)?),
                None => None,
            };
            // "(Ben's 09:00)" names them as everywhere else: cleaned.
            let person = people.person(*m);
            let author = Some((person.name.as_str(), profile.tz()));
            out.push(RecipientDay {
                person: person.clone(),
                time_zone: profile.time_zone.clone(),
                local_now: l.local_now,
                state: l.state,
                away_note: away.map(|a| a.note).filter(|n| !n.is_empty()),
                lands_at: time_view(l.lands_at, my_tz, author, now),
                label: l.label,
                reply_by: due.map(|t| time_view(t, my_tz, author, now)),
                urgent,
            });
        }
        out.sort_by(|a, b| (a.lands_at.utc, &a.person.name).cmp(&(b.lands_at.utc, &b.person.name)));
        Ok(out)
    }
}
