//! Helpers for the core's integration tests: stores in temp dirs with a
//! fixed clock and deterministic ids, and people to put in them.

#![allow(dead_code)]

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tempfile::TempDir;
use tidings::model::clock::{FixedClock, SeqIds};
use tidings::model::ids::{CommentId, ThreadId};
use tidings::model::profile::{Profile, WorkingHours};
use tidings::model::signed::SignedOp;
use tidings::render::RenderOptions;
use tidings::views::{PageRequest, MAX_PAGE};
use tidings::{Options, Store};

/// A store in its own temp dir, with its clock.
pub struct Replica {
    pub store: Store,
    pub clock: Arc<FixedClock>,
    pub dir: TempDir,
    seed: u64,
}

/// The instant most tests start at: Friday 2026-11-27 14:00 UTC.
pub fn t0() -> DateTime<Utc> {
    "2026-11-27T14:00:00Z".parse().unwrap()
}

impl Replica {
    /// A fresh store whose ids start with `seed`.
    pub fn new(seed: u64) -> Self {
        Self::in_dir(seed, tempfile::tempdir().unwrap())
    }

    /// A fresh store on a RAM file system when there is one: for tests that
    /// write thousands of ops and are about something other than the disk.
    pub fn new_in_ram(seed: u64) -> Self {
        let ram = std::path::Path::new("/dev/shm");
        let dir = if ram.is_dir() {
            tempfile::tempdir_in(ram)
        } else {
            tempfile::tempdir()
        };
        Self::in_dir(seed, dir.unwrap())
    }

    fn in_dir(seed: u64, dir: TempDir) -> Self {
        let clock = Arc::new(FixedClock::new(t0()));
        let store = Store::open(
            dir.path(),
            Options {
                clock: clock.clone(),
                ids: Arc::new(SeqIds::new(seed)),
                ..Options::default()
            },
        )
        .unwrap();
        Replica {
            store,
            clock,
            dir,
            seed,
        }
    }

    /// Closes the store and opens it again on the same folder and clock, as
    /// a restart of the app would (new ids never repeat the old ones).
    pub fn reopen(&mut self) {
        self.seed += 1_000;
        let options = Options {
            clock: self.clock.clone(),
            ids: Arc::new(SeqIds::new(self.seed)),
            ..Options::default()
        };
        // The old store must release the folder lock before the new opens.
        let placeholder = tempfile::tempdir().unwrap();
        let old = std::mem::replace(
            &mut self.store,
            Store::open(placeholder.path(), Options::default()).unwrap(),
        );
        drop(old);
        self.store = Store::open(self.dir.path(), options).unwrap();
    }

    /// Every op this replica holds.
    pub fn ops(&self) -> Vec<SignedOp> {
        self.store.ops().map(Result::unwrap).collect()
    }

    /// Sends everything this replica holds to `other`.
    pub fn send_to(&self, other: &Replica) -> tidings::store::ApplyReport {
        other.store.apply_remote(self.ops()).unwrap()
    }
}

/// A profile in `tz` with office hours every day.
pub fn person(name: &str, tz: &str) -> Profile {
    Profile {
        display_name: name.into(),
        time_zone: tz.into(),
        working_hours: WorkingHours::default(),
    }
}

/// Ana (Lisbon) founds a workspace with #general; Ben (Tokyo) joins it.
pub fn ana_and_ben() -> (Replica, Replica, tidings::model::ids::ChannelId) {
    ana_and_ben_in(Replica::new(1), Replica::new(2))
}

/// [`ana_and_ben`] in the two given stores.
pub fn ana_and_ben_in(
    ana: Replica,
    ben: Replica,
) -> (Replica, Replica, tidings::model::ids::ChannelId) {
    ana.store
        .create_workspace("Acme", person("Ana Souza", "Europe/Lisbon"))
        .unwrap();
    let general = ana.store.create_channel("general", "Everything").unwrap();
    ana.send_to(&ben);
    ben.store.join_as(person("Ben", "Asia/Tokyo")).unwrap();
    ben.send_to(&ana);
    (ana, ben, general)
}

/// The markdown of every comment `r` shows in thread `t`, in order.
pub fn comment_bodies(r: &Replica, t: tidings::model::ids::ThreadId) -> Vec<String> {
    r.store
        .thread(
            t,
            &tidings::views::PageRequest::first(50),
            tidings::render::RenderOptions::default(),
        )
        .unwrap()
        .comments
        .items
        .into_iter()
        .map(|c| c.body_markdown)
        .collect()
}

/// Runs the `tidings` command on the data folder `dir`.
pub fn tidings_cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Every comment of a thread, read page by page as the app does.
pub fn all_comment_ids(store: &Store, t: ThreadId) -> HashSet<CommentId> {
    let mut seen = HashSet::new();
    let mut page = PageRequest::first(MAX_PAGE);
    loop {
        let v = store.thread(t, &page, RenderOptions::default()).unwrap();
        seen.extend(v.comments.items.iter().map(|c| c.id));
        match v.comments.next {
            Some(n) => page.cursor = Some(n),
            None => return seen,
        }
    }
}

/// The display names of the members `store` lists, in its order.
pub fn member_names(store: &Store) -> Vec<String> {
    store
        .members()
        .unwrap()
        .into_iter()
        .map(|m| m.display_name)
        .collect()
}
