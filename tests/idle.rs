//! An idle store does no work of its own. sled's periodic flusher, left on,
//! compacted segments every half second for as long as the app ran: about
//! 1 MB/s of rewrites and an fsync a second on a store that nobody touched
//! (measured with strace and perf on the desktop benchmark's store,
//! BENCHMARKS.md). The store makes every write durable itself
//! (`Durability::sync`), so nothing needs that thread.

use tidings::store::NewThread;
use tidings::{Options, Store};

use crate::util::person;

/// The names of this process's threads.
fn thread_names() -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .expect("read /proc/self/task")
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
        .map(|n| n.trim_end().to_string())
        .collect()
}

#[test]
fn an_open_store_runs_no_background_writer() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = Store::open(dir.path(), Options::default()).unwrap();
        s.create_workspace("Idle", person("Ana", "UTC")).unwrap();
        let c = s.create_channel("general", "").unwrap();
        let t = s
            .create_thread(NewThread {
                channel: c,
                title: "Quiet".into(),
                body: "nothing happens after this".into(),
                notify: vec![],
            })
            .unwrap();
        s.add_comment(t, "one more").unwrap();
    }
    // Reopened after writes, as the app is every morning.
    let s = Store::open(dir.path(), Options::default()).unwrap();
    assert!(s.me().is_some());
    let names = thread_names();
    assert!(
        !names.iter().any(|n| n == "log flusher"),
        "sled's periodic flusher runs beside an idle store: {names:?}"
    );
}
