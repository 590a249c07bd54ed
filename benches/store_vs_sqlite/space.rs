//! Where the Tidings store's bytes are: live rows per kind against the
//! files on disk (`Store::space`), printed when the run reaches a point
//! worth looking at (after the load, after the closing re-snapshot).

use tidings::store::{KindBytes, Space};

const MIB: f64 = 1048576.0;

/// Prints `space` under `label`, largest kinds first.
pub fn print(label: &str, space: &Space) {
    let live = space.live();
    println!(
        "tidings space {label}: files {:.0} MiB (sled log {:.0}, sled other {:.0}, search {:.0}); \
         live rows {:.0} MiB, so the log holds {:.1}× its live rows",
        space.on_disk() as f64 / MIB,
        space.log_file as f64 / MIB,
        space.sled_other as f64 / MIB,
        space.search as f64 / MIB,
        live as f64 / MIB,
        space.log_file as f64 / (live as f64).max(1.0),
    );
    let mut kinds: Vec<_> = space.kinds.iter().collect();
    kinds.sort_by_key(|(_, k)| std::cmp::Reverse(k.key_bytes + k.value_bytes));
    for (name, k) in kinds.iter().take(8) {
        println!(
            "  {name:<16} {:>9} rows  keys {:>7.1} MiB  values {:>7.1} MiB  ({:.0} B/row)",
            k.rows,
            k.key_bytes as f64 / MIB,
            k.value_bytes as f64 / MIB,
            (k.key_bytes + k.value_bytes) as f64 / (k.rows as f64).max(1.0),
        );
    }
}

/// Prints what the session wrote per kind, largest first, per op applied.
pub fn print_written(label: &str, written: &[(String, KindBytes)], ops: usize) {
    let total: u64 = written
        .iter()
        .map(|(_, k)| k.key_bytes + k.value_bytes)
        .sum();
    let per_op = |b: u64| b as f64 / (ops as f64).max(1.0);
    println!(
        "tidings wrote {label}: {:.0} MiB of rows, {:.0} B per op ({ops} ops)",
        total as f64 / MIB,
        per_op(total),
    );
    let mut kinds: Vec<_> = written.iter().collect();
    kinds.sort_by_key(|(_, k)| std::cmp::Reverse(k.key_bytes + k.value_bytes));
    for (name, k) in kinds.iter().take(10) {
        println!(
            "  {name:<16} {:>6.2} keys/op  {:>6.0} B/op  ({:.0} B per key)",
            k.rows as f64 / (ops as f64).max(1.0),
            per_op(k.key_bytes + k.value_bytes),
            (k.key_bytes + k.value_bytes) as f64 / (k.rows as f64).max(1.0),
        );
    }
}
