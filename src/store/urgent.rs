//! Urgent marks and urgent settings: their rows, the commands, and whether
//! a mark breaks through for me (see [`crate::model::urgent`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::apply::Applier;
use super::rows::{dec, Lww};
use super::trees::{key, T};
use super::Store;
use crate::error::{Error, Result};
use crate::events::Change;
use crate::model::ids::{MemberId, OpId, OP_KEY_LEN};
use crate::model::op::{Op, OpKind};
use crate::model::schedule::PostRef;
use crate::model::urgent::{breaking_through, next_allowed, UrgentSettings};
use crate::views::time::{time_view, TimeView};
use crate::views::PersonRef;

/// Writes the rows of an urgent op.
pub fn take_effect(a: &mut Applier, op: &Op) -> Result<()> {
    match &op.kind {
        OpKind::UrgentMarked { post, people } => {
            for m in people {
                a.tx.put(
                    T::UrgentMarks,
                    key(&[&m.to_bytes(), &op.author.to_bytes(), &op.id.to_key()]),
                    post.to_key(),
                );
                a.tx.put(
                    T::UrgentPosts,
                    key(&[&post.to_key(), &m.to_bytes()]),
                    op.id.to_key().to_vec(),
                );
            }
        }
        OpKind::UrgentSettingsSet { settings } => {
            if a.offer_lww(
                T::UrgentSettings,
                op.author.to_bytes().to_vec(),
                settings.clone(),
                op.id,
            )? && Some(op.author) == a.me
            {
                a.fx.changes.insert(Change::Settings);
            }
        }
        _ => return Err(Error::corrupt("not an urgent op")),
    }
    Ok(())
}

/// Whether an urgent mark from me would break through for one person now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UrgentCheck {
    /// Who.
    pub person: PersonRef,
    /// It would break through their hours and pauses (unless they turned
    /// urgent off, which only they know).
    pub breaks_through: bool,
    /// When it would again, if not now.
    pub again_at: Option<TimeView>,
}

impl Store {
    /// My urgent settings.
    pub fn urgent_settings(&self) -> Result<UrgentSettings> {
        let Some(me) = self.me() else {
            return Ok(UrgentSettings::default());
        };
        let row: Option<Lww<UrgentSettings>> = self
            .trees()
            .get(T::UrgentSettings)
            .get(me.to_bytes())?
            .map(|v| dec(&v))
            .transpose()?;
        Ok(row.map(|r| r.value).unwrap_or_default())
    }

    /// Changes my urgent settings (on all my devices).
    pub fn set_urgent_settings(&self, settings: UrgentSettings) -> Result<()> {
        let me = self.require_me()?;
        let mut settings = settings;
        settings.off_from.sort();
        settings.off_from.dedup();
        for m in &settings.off_from {
            self.member_row(*m)?;
        }
        if settings == self.urgent_settings()? {
            return Ok(());
        }
        self.commit_local(me, vec![OpKind::UrgentSettingsSet { settings }])
            .map(drop)
    }

    /// The instants of `sender`'s urgent marks for `recipient`.
    fn urgent_mark_times(
        &self,
        recipient: MemberId,
        sender: MemberId,
    ) -> Result<Vec<DateTime<Utc>>> {
        let prefix = key(&[&recipient.to_bytes(), &sender.to_bytes()]);
        let mut out = Vec::new();
        for kv in self.trees().get(T::UrgentMarks).scan_prefix(prefix) {
            let (k, _) = kv?;
            out.push(OpId::from_key(&k[32..32 + OP_KEY_LEN])?.time());
        }
        Ok(out)
    }

    /// Whether `post`, written by `sender`, breaks through for me: marked
    /// urgent for me, within the once-a-day allowance, and not turned off.
    pub fn is_urgent_for_me(&self, post: PostRef, sender: MemberId) -> Result<bool> {
        let Some(me) = self.me() else {
            return Ok(false);
        };
        let Some(mark) = self
            .trees()
            .get(T::UrgentPosts)
            .get(key(&[&post.to_key(), &me.to_bytes()]))?
        else {
            return Ok(false);
        };
        if !self.urgent_settings()?.allows(sender) {
            return Ok(false);
        }
        let at = OpId::from_key(&mark)?.time();
        Ok(breaking_through(self.urgent_mark_times(me, sender)?).contains(&at))
    }

    /// Before sending: for each person, whether an urgent mark from me
    /// would break through now, or from when it would again.
    pub fn urgent_preview(&self, people: &[MemberId]) -> Result<Vec<UrgentCheck>> {
        let me = self.require_me()?;
        let everyone = crate::views::people::People::load(self)?;
        let now = self.now();
        people
            .iter()
            .map(|m| {
                let next = next_allowed(self.urgent_mark_times(*m, me)?, now);
                Ok(UrgentCheck {
                    person: everyone.person(*m),
                    breaks_through: next.is_none(),
                    again_at: next.map(|t| time_view(t, everyone.my_tz(), None, now)),
                })
            })
            .collect()
    }
}
