//! The members, loaded once and shared by every view until they change.
//!
//! Every list and thread page names people, and reading and sorting every
//! member row was about a tenth of an inbox page. A members generation
//! counts the commits that changed a member, a profile, a device, an away
//! state or my identity: the store bumps it after such a commit lands
//! ([`Store::members_changed`], called from the commit path in
//! `store/mod.rs`, from `set_me` and from a rebuild), and a view whose
//! cached copy is of an older generation reads the rows again.
//!
//! The order matters for correctness: the generation is read *before* the
//! rows, and bumped *after* the commit. A view that reads the rows while a
//! commit lands keeps them under the generation it read first, which the
//! bump then makes old, so stale members are never kept past the commit's
//! bump. Nothing that depends on the clock is kept here: who is away now
//! is read against the clock each time it is shown (`Store::members`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use super::people::People;
use crate::error::Result;
use crate::events::Change;
use crate::store::Store;

/// The members generation and the members loaded at it.
#[derive(Default)]
pub(crate) struct PeopleCache {
    generation: AtomicU64,
    loaded: RwLock<Option<Arc<People>>>,
}

/// Whether a commit that changed `changes` may have changed what
/// [`People`] holds (members, profiles, devices; away and the workspace
/// ride along, being rare).
pub(crate) fn touches_people(changes: &std::collections::BTreeSet<Change>) -> bool {
    changes.contains(&Change::Members)
        || changes.contains(&Change::Workspace)
        || changes.contains(&Change::All)
}

impl PeopleCache {
    fn get(&self, store: &Store) -> Result<Arc<People>> {
        let me = store.me();
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(p) = self.loaded.read().ok().and_then(|l| l.clone()) {
            if p.generation == generation && p.me == me {
                return Ok(p);
            }
        }
        let fresh = Arc::new(People::read(store, me, generation)?);
        if let Ok(mut l) = self.loaded.write() {
            // Keep the newest: a slow reader must not replace members of a
            // later generation with older ones.
            if l.as_ref().is_none_or(|p| p.generation <= generation) {
                *l = Some(fresh.clone());
            }
        }
        Ok(fresh)
    }

    fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

impl Store {
    /// The members, from the cache while they have not changed.
    pub(crate) fn people(&self) -> Result<Arc<People>> {
        self.people_cache().get(self)
    }

    /// Makes every view read the members again: call after a commit that
    /// changed a member, profile or device row has landed (never before,
    /// see the module docs).
    pub(crate) fn members_changed(&self) {
        self.people_cache().bump();
    }
}
