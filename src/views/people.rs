//! The workspace and its people, and how a person is referred to in views.

use std::collections::HashMap;
use std::sync::Arc;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::away::Away;
use crate::model::ids::{DeviceId, MemberId, WorkspaceId};
use crate::model::profile::WorkingHours;
use crate::render::{clean_label, MentionTarget};
use crate::store::rows::{dec, MemberRow};
use crate::store::trees::T;
use crate::store::Store;

/// The workspace as the UI shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WorkspaceView {
    /// Its id.
    pub id: WorkspaceId,
    /// Its name.
    pub name: String,
    /// Who I am in it.
    pub me: MemberId,
    /// This device.
    pub device: DeviceId,
}

/// A member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemberView {
    /// Their id.
    pub id: MemberId,
    /// Display name.
    pub display_name: String,
    /// The @handle that mentions them.
    pub handle: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Working hours in their zone.
    pub working_hours: WorkingHours,
    /// This is me.
    pub is_me: bool,
    /// Away now, until when and why (filled by [`Store::members`], the
    /// member list; other views leave it out).
    pub away: Option<Away>,
}

/// A person as named next to what they wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PersonRef {
    /// Their id.
    pub id: MemberId,
    /// Display name ("Unknown member" if their profile has not arrived).
    pub name: String,
}

/// A display name as lists show it: without invisible steering characters
/// (a "\u{202E}Ana" shows as "Ana", see [`crate::render::bidi`]); a name
/// that was nothing but invisible characters shows as a placeholder.
fn shown_name(raw: &str) -> String {
    shown_label(raw, "Unnamed member")
}

/// `raw` cleaned, or `placeholder` when nothing visible is left.
fn shown_label(raw: &str, placeholder: &str) -> String {
    let name = clean_label(raw);
    if name.trim().is_empty() {
        placeholder.to_string()
    } else {
        name
    }
}

/// The members as views need them: sorted by name, indexed by id. Built
/// from the rows once per members generation and shared by every view
/// until a member, profile or device changes (`people_cache.rs`).
pub(crate) struct People {
    pub members: Vec<MemberView>,
    pub me: Option<MemberId>,
    /// The members generation these were loaded at: rendered HTML that
    /// shows their names is kept under it (`render::cache`).
    pub generation: u64,
    /// Position in `members` of each id.
    index: HashMap<MemberId, usize>,
}

impl People {
    /// The members, from the store's cache while no member, profile or
    /// device changed since they were loaded.
    pub fn load(store: &Store) -> Result<Arc<Self>> {
        store.people()
    }

    /// The members read from the rows, as of members generation
    /// `generation`, for `me`.
    pub(super) fn read(store: &Store, me: Option<MemberId>, generation: u64) -> Result<Self> {
        let mut members = Vec::new();
        for kv in store.trees().get(T::Members).iter() {
            let (k, v) = kv?;
            let row: MemberRow = dec(&v)?;
            let id = MemberId::from_bytes(
                k.as_ref()
                    .try_into()
                    .map_err(|_| Error::corrupt("member key"))?,
            );
            let p = row.profile.value;
            members.push(MemberView {
                id,
                handle: p.handle(),
                display_name: shown_name(&p.display_name),
                time_zone: p.time_zone.clone(),
                working_hours: p.working_hours,
                is_me: Some(id) == me,
                away: None,
            });
        }
        members.sort_by_cached_key(|m| m.display_name.to_lowercase());
        let index = members.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
        Ok(People {
            members,
            me,
            generation,
            index,
        })
    }

    pub fn get(&self, id: MemberId) -> Option<&MemberView> {
        self.index.get(&id).and_then(|i| self.members.get(*i))
    }

    pub fn person(&self, id: MemberId) -> PersonRef {
        PersonRef {
            id,
            name: self
                .get(id)
                .map_or_else(|| "Unknown member".to_string(), |m| m.display_name.clone()),
        }
    }

    pub fn tz_of(&self, id: MemberId) -> Tz {
        self.get(id)
            .and_then(|m| m.time_zone.parse().ok())
            .unwrap_or(Tz::UTC)
    }

    /// The viewer's zone (UTC before a workspace exists).
    pub fn my_tz(&self) -> Tz {
        self.me.map_or(Tz::UTC, |m| self.tz_of(m))
    }

    pub fn mention_targets(&self, mentioned: &[MemberId]) -> Vec<MentionTarget> {
        mentioned
            .iter()
            .filter_map(|id| self.get(*id))
            .map(|m| MentionTarget {
                handle: m.handle.clone(),
                member: m.id,
                display_name: m.display_name.clone(),
                is_me: m.is_me,
            })
            .collect()
    }
}

impl Store {
    /// The workspace, once created or joined.
    pub fn workspace(&self) -> Result<Option<WorkspaceView>> {
        let (Some(w), Some(me)) = (self.workspace_row()?, self.me()) else {
            return Ok(None);
        };
        Ok(Some(WorkspaceView {
            id: w.id,
            name: shown_label(&w.name, "Unnamed workspace"),
            me,
            device: self.device(),
        }))
    }

    /// Everyone in the workspace, by name, with who is away.
    pub fn members(&self) -> Result<Vec<MemberView>> {
        // Away is read now, against the clock, never kept with the members:
        // it ends by itself when its time is up.
        let mut members = People::load(self)?.members.clone();
        for m in &mut members {
            m.away = self.away_of(m.id)?;
        }
        Ok(members)
    }
}
