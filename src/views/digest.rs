//! A digest of everything a person can see, for convergence checks: two
//! replicas that hold the same ops (and the same local person) must produce
//! the same digest, whatever order the ops arrived in.

use sha2::{Digest as _, Sha256};

use super::{PageRequest, MAX_BOARD_DAYS, MAX_PAGE};
use crate::error::Result;
use crate::render::RenderOptions;
use crate::store::Store;

impl Store {
    /// SHA-256 over the workspace, members, channels, every channel's
    /// threads, every thread with all its comments and reactions, my inbox
    /// and my done list, my notification and urgent settings, my scheduled
    /// posts, both reply-by lists, who is away, and check-ins: the list,
    /// each board and each person's history, and what asks me.
    pub fn view_digest(&self) -> Result<String> {
        let mut h = Sha256::new();
        let mut feed = |v: &dyn erased::Json| h.update(v.json());
        feed(&self.workspace()?.map(|w| (w.id, w.name, w.me)));
        feed(&self.members()?);
        let channels = self.channels()?;
        feed(&channels);
        for c in &channels {
            let mut page = PageRequest::first(MAX_PAGE);
            loop {
                let p = self.channel_threads(c.id, &page)?;
                feed(&p.items);
                for t in &p.items {
                    let mut tp = PageRequest::first(MAX_PAGE);
                    loop {
                        let v = self.thread(t.id, &tp, RenderOptions::default())?;
                        feed(&v);
                        match v.comments.next {
                            Some(n) => tp.cursor = Some(n),
                            None => break,
                        }
                    }
                }
                match p.next {
                    Some(n) => page.cursor = Some(n),
                    None => break,
                }
            }
        }
        if self.me().is_some() {
            let mut page = PageRequest::first(MAX_PAGE);
            loop {
                let p = self.inbox(&page)?;
                feed(&p.items);
                match p.next {
                    Some(n) => page.cursor = Some(n),
                    None => break,
                }
            }
            feed(&self.done_list(&PageRequest::first(MAX_PAGE))?);
            feed(&self.notification_settings()?);
            feed(&self.scheduled()?);
            feed(&self.waiting_on_me()?);
            feed(&self.waiting_on_others()?);
            feed(&self.urgent_settings()?);
            feed(&self.later_list()?);
            for m in self.members()? {
                feed(&self.away_of(m.id)?);
            }
            feed(&self.checkin_asks_for_me()?);
            feed(&self.next_checkin_ask()?);
        }
        // Check-ins, their boards (every answer, and who stands where) and
        // each person's history with them.
        let checkins = self.checkins(None)?;
        feed(&checkins);
        for c in &checkins {
            feed(&self.checkin_board(c.id, MAX_BOARD_DAYS)?);
            for m in self.members()? {
                feed(&self.checkin_history(c.id, m.id, MAX_BOARD_DAYS)?);
            }
        }
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }
}

impl Store {
    /// SHA-256 over everything teammates share (members and their devices,
    /// channels, threads, comments, reactions, check-ins and their answers)
    /// and nothing personal, so
    /// replicas of different people can be compared.
    pub fn shared_digest(&self) -> Result<String> {
        use crate::store::trees::T;
        let mut h = Sha256::new();
        for t in [
            T::Devices,
            T::Members,
            T::Channels,
            T::Threads,
            T::ChanThreads,
            T::Comments,
            T::ThreadComments,
            T::Reactions,
            T::Checkins,
            T::CheckinAnswers,
        ] {
            h.update([t as u8]);
            for kv in self.trees().get(t).iter() {
                let (k, v) = kv?;
                h.update((k.len() as u32).to_be_bytes());
                h.update(&k);
                h.update((v.len() as u32).to_be_bytes());
                h.update(&v);
            }
        }
        Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }
}

impl Store {
    /// Whether any derived row (every tree but the op log, sync state and
    /// ops held from the future) contains `needle`: for tests and
    /// diagnostics that prove something is gone from what views read.
    pub fn derived_rows_contain(&self, needle: &[u8]) -> Result<bool> {
        use crate::store::trees::T;
        let has = |b: &[u8]| b.windows(needle.len().max(1)).any(|w| w == needle);
        for t in T::ALL.into_iter().filter(|t| t.is_derived()) {
            for kv in self.trees().get(t).iter() {
                let (k, v) = kv?;
                if has(&k) || has(&v) {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }
}

mod erased {
    /// Serializes any view to JSON bytes (views always serialize).
    pub trait Json {
        fn json(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> Vec<u8> {
            serde_json::to_vec(self).unwrap_or_default()
        }
    }
}
