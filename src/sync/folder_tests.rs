//! Tests of folder sync: two `FolderLog`s with different devices on one
//! temporary folder play two replicas, and the tests do to the files what
//! sync tools do (tear, damage, truncate, copy, litter).

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{Event, EventKind};

use super::*;
use crate::sync::framing;

const WS: WorkspaceId = WorkspaceId(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
const A: DeviceId = DeviceId([0xaa; 32]);
const B: DeviceId = DeviceId([0xbb; 32]);
const C: DeviceId = DeviceId([0xcc; 32]);

/// Long enough never to fire during a test.
const NO_RESCAN: Duration = Duration::from_secs(3600);
/// How long a test waits for a file-system event before failing.
const PATIENCE: Duration = Duration::from_secs(10);

fn replica(root: &Path, device: DeviceId) -> FolderLog {
    FolderLog::open(root, WS, device).unwrap()
}

fn env(i: usize) -> Vec<u8> {
    format!("sealed envelope number {i}").into_bytes()
}

fn name_of(device: DeviceId) -> String {
    format!("{}.log", device.to_hex())
}

fn payloads(batch: &ReadBatch) -> Vec<Vec<u8>> {
    batch.envelopes.iter().map(|(_, e)| e.clone()).collect()
}

fn append_raw(path: &Path, bytes: &[u8]) {
    let mut f = OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(bytes).unwrap();
}

/// Reads until nothing new comes, as the sync loop does on a tick.
fn read_all(
    log: &FolderLog,
    offsets: &mut BTreeMap<String, u64>,
) -> (Vec<Vec<u8>>, Vec<FolderProblem>) {
    let (mut got, mut problems) = (Vec::new(), Vec::new());
    for _ in 0..1000 {
        let batch = log.read_new(offsets).unwrap();
        let done = batch.envelopes.is_empty() && batch.offsets == *offsets;
        got.extend(payloads(&batch));
        problems.extend(batch.problems);
        *offsets = batch.offsets;
        if done {
            break;
        }
    }
    (got, problems)
}

#[test]
fn open_creates_the_workspace_folder_and_an_empty_own_log() {
    let tmp = tempfile::tempdir().unwrap();
    let a = replica(tmp.path(), A);
    let expected = tmp
        .path()
        .join("tidings")
        .join(WS.to_string())
        .join(name_of(A));
    assert_eq!(a.own_file(), expected);
    assert_eq!(fs::metadata(&expected).unwrap().len(), 0);
    assert_eq!(a.dir(), expected.parent().unwrap());
}

#[test]
fn open_on_a_missing_folder_says_to_choose_an_existing_writable_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("Dropbox");
    let err = FolderLog::open(&missing, WS, A).unwrap_err();
    assert_eq!(err.code, ErrorCode::SyncFailed);
    assert!(err.message.contains("does not exist"), "{}", err.message);
    assert!(err
        .message
        .contains("choose a folder that exists and that you can write"));
    // The missing folder is not created behind the user's back.
    assert!(!missing.exists());
}

#[test]
fn open_on_a_file_instead_of_a_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-folder");
    fs::write(&file, b"x").unwrap();
    let err = FolderLog::open(&file, WS, A).unwrap_err();
    assert_eq!(err.code, ErrorCode::SyncFailed);
    assert!(err
        .message
        .contains("choose a folder that exists and that you can write"));
}

/// Set in the child that re-runs a permission test without root's
/// privileges.
#[cfg(unix)]
const UNPRIVILEGED_CHILD: &str = "TIDINGS_TEST_UNPRIVILEGED_CHILD";

/// Root may write into a read-only folder, so as root (as on CI) a
/// permission test re-runs itself in a child process that has dropped to
/// the unprivileged uid/gid 65534 ("nobody") and passes only if that run
/// passed. Returns false in the child (the caller then runs the body).
#[cfg(unix)]
fn rerun_unprivileged_if_root(test: &str, privileged: bool) -> bool {
    use std::os::unix::process::CommandExt;
    if !privileged {
        return false;
    }
    assert!(
        std::env::var_os(UNPRIVILEGED_CHILD).is_none(),
        "{test}: even as uid 65534 the read-only folder was writable, so the test proves nothing"
    );
    // A copy nobody can reach: the checkout may sit under a folder only
    // root may enter (/root is 0700).
    use std::os::unix::fs::PermissionsExt;
    let copy = tempfile::tempdir().unwrap();
    fs::set_permissions(copy.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let exe = copy.path().join("unprivileged-test");
    fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
    fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).unwrap();
    let out = std::process::Command::new(&exe)
        .args([test, "--exact", "--test-threads=1"])
        .env(UNPRIVILEGED_CHILD, "1")
        .gid(65534)
        .uid(65534)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{test}: could not re-run {} as uid 65534 to test permissions without root's \
                 privileges ({e}); run the tests as a normal user or allow setuid",
                exe.display()
            )
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.contains("1 passed"),
        "{test} as uid 65534 did not pass:\n{text}"
    );
    true
}

#[cfg(unix)]
#[test]
fn open_on_a_read_only_folder_says_to_choose_a_writable_one() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let ro = tmp.path().join("ro");
    fs::create_dir(&ro).unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    let privileged = fs::write(ro.join("probe"), b"").is_ok();
    let (_crate, module) = module_path!().split_once("::").unwrap();
    let name = format!("{module}::open_on_a_read_only_folder_says_to_choose_a_writable_one");
    if rerun_unprivileged_if_root(&name, privileged) {
        return;
    }
    let err = FolderLog::open(&ro, WS, A).unwrap_err();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(err.code, ErrorCode::SyncFailed);
    assert!(
        err.message
            .contains("choose a folder that exists and that you can write"),
        "{}",
        err.message
    );
    assert!(
        !ro.join("tidings").exists(),
        "nothing was created in the read-only folder"
    );
}

#[test]
fn three_appended_envelopes_are_read_by_the_other_device_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    a.append(&[env(1), env(2), env(3)]).unwrap();

    let batch = b.read_new(&BTreeMap::new()).unwrap();
    assert_eq!(payloads(&batch), vec![env(1), env(2), env(3)]);
    assert!(batch.envelopes.iter().all(|(f, _)| *f == name_of(A)));
    assert!(batch.problems.is_empty(), "{:?}", batch.problems);
    let len = fs::metadata(a.own_file()).unwrap().len();
    assert_eq!(batch.offsets.get(&name_of(A)), Some(&len));

    let again = b.read_new(&batch.offsets).unwrap();
    assert!(again.envelopes.is_empty());
    assert_eq!(again.offsets, batch.offsets);

    a.append(&[env(4)]).unwrap();
    let more = b.read_new(&again.offsets).unwrap();
    assert_eq!(payloads(&more), vec![env(4)]);
}

#[test]
fn a_device_never_reads_its_own_log() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    b.append(&[env(1)]).unwrap();
    a.append(&[env(2)]).unwrap();
    let batch = b.read_new(&BTreeMap::new()).unwrap();
    assert_eq!(payloads(&batch), vec![env(2)]);
    assert!(!batch.offsets.contains_key(&name_of(B)));
}

#[test]
fn an_empty_append_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let a = replica(tmp.path(), A);
    a.append(&[]).unwrap();
    assert_eq!(fs::metadata(a.own_file()).unwrap().len(), 0);
}

#[test]
fn an_envelope_over_the_limit_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let a = replica(tmp.path(), A);
    let err = a
        .append(&[env(1), vec![0; framing::MAX_PAYLOAD + 1]])
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TooLarge);
    assert_eq!(fs::metadata(a.own_file()).unwrap().len(), 0);
}

#[test]
fn a_torn_tail_is_not_returned_until_it_is_completed() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    a.append(&[env(1)]).unwrap();
    let whole = fs::metadata(a.own_file()).unwrap().len();
    let frame = framing::encode(&env(2)).unwrap();
    let (first, second) = frame.split_at(frame.len() / 2);
    append_raw(&a.own_file(), first);

    let batch = b.read_new(&BTreeMap::new()).unwrap();
    assert_eq!(payloads(&batch), vec![env(1)]);
    assert_eq!(
        batch.offsets[&name_of(A)],
        whole,
        "the offset stays before the tail"
    );
    assert!(
        batch.problems.is_empty(),
        "a tail in progress is not damage"
    );

    append_raw(&a.own_file(), second);
    let rest = b.read_new(&batch.offsets).unwrap();
    assert_eq!(payloads(&rest), vec![env(2)]);
    assert!(rest.problems.is_empty());
}

#[test]
fn a_flipped_payload_byte_is_skipped_with_a_problem_and_later_frames_still_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    a.append(&[env(1), env(2), env(3)]).unwrap();
    let mut bytes = fs::read(a.own_file()).unwrap();
    let second = framing::encode(&env(1)).unwrap().len();
    bytes[second + framing::HEADER_LEN + 3] ^= 0x01;
    fs::write(a.own_file(), &bytes).unwrap();

    let batch = b.read_new(&BTreeMap::new()).unwrap();
    assert_eq!(payloads(&batch), vec![env(1), env(3)]);
    assert_eq!(batch.problems.len(), 1);
    let p = &batch.problems[0];
    assert_eq!(
        (p.file.as_str(), p.offset),
        (name_of(A).as_str(), second as u64)
    );
    assert!(p.reason.contains("checksum"), "{}", p.reason);
    assert_eq!(batch.offsets[&name_of(A)], bytes.len() as u64);
}

#[test]
fn garbage_bytes_between_frames_are_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    a.append(&[env(1)]).unwrap();
    append_raw(
        &a.own_file(),
        b"\0\0\0\0 some junk TDN and TDNG too \xff\xfe",
    );
    append_raw(&a.own_file(), &framing::encode(&env(2)).unwrap());

    let (got, problems) = read_all(&b, &mut BTreeMap::new());
    assert_eq!(got, vec![env(1), env(2)]);
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn a_damaged_tail_is_noted_once_and_skipped_once_a_frame_follows() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    a.append(&[env(1)]).unwrap();
    let end = fs::metadata(a.own_file()).unwrap().len();
    append_raw(&a.own_file(), &[0u8; 40]);

    let first = b.read_new(&BTreeMap::new()).unwrap();
    assert_eq!(payloads(&first), vec![env(1)]);
    assert_eq!(
        first.offsets[&name_of(A)],
        end,
        "damage at the end may still be arriving"
    );
    assert_eq!(first.problems.len(), 1);
    assert_eq!(first.problems[0].offset, end);
    let second = b.read_new(&first.offsets).unwrap();
    assert!(
        second.problems.is_empty(),
        "noted once: {:?}",
        second.problems
    );
    assert_eq!(second.offsets, first.offsets);

    append_raw(&a.own_file(), &framing::encode(&env(2)).unwrap());
    let third = b.read_new(&second.offsets).unwrap();
    assert_eq!(payloads(&third), vec![env(2)]);
    assert_eq!(third.problems.len(), 1);
    assert_eq!(third.problems[0].offset, end);
}

#[test]
fn an_append_after_a_crash_mid_frame_cuts_the_torn_tail() {
    let tmp = tempfile::tempdir().unwrap();
    let b = replica(tmp.path(), B);
    let a = replica(tmp.path(), A);
    a.append(&[env(1)]).unwrap();
    let good = fs::metadata(a.own_file()).unwrap().len();
    let frame = framing::encode(&env(2)).unwrap();
    append_raw(&a.own_file(), &frame[..frame.len() - 4]);
    drop(a);

    // The device restarts and writes again.
    let a = replica(tmp.path(), A);
    a.append(&[env(3)]).unwrap();
    let expected = good + framing::encode(&env(3)).unwrap().len() as u64;
    assert_eq!(fs::metadata(a.own_file()).unwrap().len(), expected);

    let (got, problems) = read_all(&b, &mut BTreeMap::new());
    assert_eq!(got, vec![env(1), env(3)]);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn an_append_after_a_power_loss_cuts_a_zero_filled_tail() {
    let tmp = tempfile::tempdir().unwrap();
    let a = replica(tmp.path(), A);
    a.append(&[env(1), env(2)]).unwrap();
    // The last frame's length survived but its bytes did not.
    let mut bytes = fs::read(a.own_file()).unwrap();
    let first = framing::encode(&env(1)).unwrap().len();
    for byte in &mut bytes[first + framing::HEADER_LEN..] {
        *byte = 0;
    }
    fs::write(a.own_file(), &bytes).unwrap();

    let a = replica(tmp.path(), A);
    a.append(&[env(3)]).unwrap();
    let b = replica(tmp.path(), B);
    let (got, problems) = read_all(&b, &mut BTreeMap::new());
    assert_eq!(got, vec![env(1), env(3)]);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn foreign_files_and_conflict_copies_are_ignored_with_one_note_each() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    a.append(&[env(1)]).unwrap();
    let copy = fs::read(a.own_file()).unwrap();
    let hex = A.to_hex();
    let foreign = [
        "notes.txt".to_string(),
        "README".to_string(),
        format!("{hex}.sync-conflict-20240101-120000-ABCDEFG.log"),
        format!("{hex} (1).log"),
        format!("{}.log", hex.to_uppercase()),
        format!("{}.log", &hex[..63]),
    ];
    for name in &foreign {
        fs::write(b.dir().join(name), &copy).unwrap();
    }
    // Sync tools' temporary files come and go: ignored without a note.
    fs::write(b.dir().join(format!(".syncthing.{hex}.log.tmp")), &copy).unwrap();
    fs::write(b.dir().join(".DS_Store"), b"x").unwrap();
    fs::create_dir(b.dir().join("subfolder")).unwrap();

    let batch = b.read_new(&BTreeMap::new()).unwrap();
    assert_eq!(payloads(&batch), vec![env(1)], "only A's real log is read");
    let mut noted: Vec<&str> = batch.problems.iter().map(|p| p.file.as_str()).collect();
    noted.sort();
    let mut expected: Vec<&str> = foreign.iter().map(String::as_str).collect();
    expected.push("subfolder");
    expected.sort();
    assert_eq!(noted, expected);
    assert_eq!(batch.offsets.keys().collect::<Vec<_>>(), vec![&name_of(A)]);

    let again = b.read_new(&batch.offsets).unwrap();
    assert!(
        again.problems.is_empty(),
        "noted once: {:?}",
        again.problems
    );
}

#[test]
fn a_file_shorter_than_its_offset_is_read_again_from_the_start() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    a.append(&[env(1)]).unwrap();
    let older = fs::read(a.own_file()).unwrap();
    a.append(&[env(2), env(3)]).unwrap();
    let first = b.read_new(&BTreeMap::new()).unwrap();
    assert_eq!(first.envelopes.len(), 3);

    // The sync tool restores an older version of A's log.
    fs::write(a.own_file(), &older).unwrap();
    let batch = b.read_new(&first.offsets).unwrap();
    assert_eq!(
        payloads(&batch),
        vec![env(1)],
        "duplicates are fine: the store dedups"
    );
    assert_eq!(batch.offsets[&name_of(A)], older.len() as u64);
    assert_eq!(batch.problems.len(), 1);
    assert!(batch.problems[0].reason.contains("from the start"));
}

#[test]
fn the_read_budget_splits_a_long_catch_up_into_several_batches() {
    let tmp = tempfile::tempdir().unwrap();
    let a = replica(tmp.path(), A);
    let budget = 10_000;
    let b = replica(tmp.path(), B).with_read_budget(budget);
    let big: Vec<Vec<u8>> = (0..50).map(|i| vec![i as u8; 1000]).collect();
    a.append(&big).unwrap();

    let mut offsets = BTreeMap::new();
    let mut got = Vec::new();
    let mut calls = 0;
    loop {
        let batch = b.read_new(&offsets).unwrap();
        if batch.envelopes.is_empty() {
            break;
        }
        calls += 1;
        let bytes: usize = batch
            .envelopes
            .iter()
            .map(|(_, e)| e.len() + framing::HEADER_LEN)
            .sum();
        assert!(
            bytes <= budget,
            "a batch of {bytes} bytes is over the budget"
        );
        got.extend(payloads(&batch));
        offsets = batch.offsets;
    }
    assert_eq!(got, big);
    assert!(calls >= 5, "{calls} calls");
}

#[test]
fn a_frame_larger_than_the_budget_still_comes_through() {
    let tmp = tempfile::tempdir().unwrap();
    let a = replica(tmp.path(), A);
    let b = replica(tmp.path(), B).with_read_budget(100);
    a.append(&[vec![7; 5000], vec![8; 5000]]).unwrap();
    let first = b.read_new(&BTreeMap::new()).unwrap();
    assert_eq!(payloads(&first), vec![vec![7; 5000]]);
    let second = b.read_new(&first.offsets).unwrap();
    assert_eq!(payloads(&second), vec![vec![8; 5000]]);
}

#[test]
fn files_with_least_to_read_go_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, c) = (replica(tmp.path(), A), replica(tmp.path(), C));
    let b = replica(tmp.path(), B).with_read_budget(5_000);
    let backlog: Vec<Vec<u8>> = (0..40).map(|_| vec![1; 1000]).collect();
    a.append(&backlog).unwrap();
    c.append(&[env(99)]).unwrap();
    let batch = b.read_new(&BTreeMap::new()).unwrap();
    assert_eq!(batch.envelopes[0], (name_of(C), env(99)));
}

#[test]
fn a_long_damaged_region_does_not_stall_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let a = replica(tmp.path(), A);
    let b = replica(tmp.path(), B).with_read_budget(64 << 10);
    append_raw(&a.own_file(), &vec![0u8; 5 << 20]);
    append_raw(&a.own_file(), &framing::encode(&env(1)).unwrap());

    let (got, problems) = read_all(&b, &mut BTreeMap::new());
    assert_eq!(got, vec![env(1)]);
    assert!(!problems.is_empty());
}

#[test]
fn a_log_that_vanished_keeps_its_offset_and_is_no_error() {
    let tmp = tempfile::tempdir().unwrap();
    let b = replica(tmp.path(), B);
    let offsets = BTreeMap::from([(name_of(A), 1234)]);
    let batch = b.read_new(&offsets).unwrap();
    assert!(batch.envelopes.is_empty() && batch.problems.is_empty());
    assert_eq!(batch.offsets, offsets);
}

#[test]
fn a_removed_workspace_folder_reads_as_empty_and_the_next_append_recreates_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    fs::remove_dir_all(tmp.path().join("tidings")).unwrap();
    assert_eq!(b.read_new(&BTreeMap::new()).unwrap(), ReadBatch::default());
    a.append(&[env(1)]).unwrap();
    assert_eq!(
        payloads(&b.read_new(&BTreeMap::new()).unwrap()),
        vec![env(1)]
    );
}

#[test]
fn a_vanished_shared_folder_is_an_error_that_says_to_check_the_drive() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("share");
    fs::create_dir(&root).unwrap();
    let a = replica(&root, A);
    fs::remove_dir_all(&root).unwrap();
    let err = a.read_new(&BTreeMap::new()).unwrap_err();
    assert_eq!(err.code, ErrorCode::SyncFailed);
    let err = a.append(&[env(1)]).unwrap_err();
    assert_eq!(err.code, ErrorCode::SyncFailed);
    assert!(err.message.contains("connected"), "{}", err.message);
    assert!(!root.exists(), "the shared folder is not recreated");
}

#[test]
fn names_are_classified_as_device_logs_temp_files_or_foreign() {
    let hex = B.to_hex();
    assert_eq!(classify(&format!("{hex}.log")), Name::Device(B));
    for transient in [
        format!(".syncthing.{hex}.log.tmp"),
        format!("~syncthing~{hex}.log.tmp"),
        ".DS_Store".to_string(),
        "~$notes.docx".to_string(),
        format!("{hex}.log~"),
    ] {
        assert_eq!(classify(&transient), Name::Transient, "{transient}");
    }
    for foreign in [
        format!("{hex}.log.bak"),
        format!("{hex}.LOG"),
        format!("{hex} (conflicted copy 2024-01-01).log"),
        "desktop.ini".to_string(),
        "log".to_string(),
    ] {
        assert_eq!(classify(&foreign), Name::Foreign, "{foreign}");
    }
}

#[test]
fn reads_and_own_appends_do_not_count_as_changes() {
    let own = name_of(B);
    let dir = Path::new("/shared/tidings/ws");
    let event = |kind, name: &str| Event::new(kind).add_path(dir.join(name));
    let other = name_of(A);

    assert!(worth_a_tick(
        &event(EventKind::Modify(ModifyKind::Any), &other),
        &own
    ));
    assert!(worth_a_tick(
        &event(EventKind::Create(CreateKind::File), &other),
        &own
    ));
    assert!(worth_a_tick(
        &event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &other
        ),
        &own
    ));
    assert!(!worth_a_tick(
        &event(EventKind::Access(AccessKind::Open(AccessMode::Any)), &other),
        &own
    ));
    assert!(!worth_a_tick(
        &event(
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            &other
        ),
        &own
    ));
    assert!(!worth_a_tick(
        &event(EventKind::Modify(ModifyKind::Any), &own),
        &own
    ));
    // No paths (e.g. "rescan needed"): look, to be safe.
    assert!(worth_a_tick(&Event::new(EventKind::Other), &own));
}

#[tokio::test]
async fn after_another_device_appends_the_watcher_ticks() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    let (guard, mut ticks) = b.watch(NO_RESCAN).unwrap();
    assert!(guard.watching_events());
    a.append(&[env(1)]).unwrap();
    let tick = tokio::time::timeout(PATIENCE, ticks.recv()).await;
    assert_eq!(tick, Ok(Some(())), "no tick after another device appended");
    assert_eq!(
        payloads(&b.read_new(&BTreeMap::new()).unwrap()),
        vec![env(1)]
    );
}

#[tokio::test]
async fn the_periodic_rescan_ticks_without_any_change() {
    let tmp = tempfile::tempdir().unwrap();
    let b = replica(tmp.path(), B);
    let (_guard, mut ticks) = b.watch(Duration::from_millis(50)).unwrap();
    for _ in 0..2 {
        let tick = tokio::time::timeout(PATIENCE, ticks.recv()).await;
        assert_eq!(tick, Ok(Some(())));
    }
}

#[tokio::test]
async fn dropping_the_watch_guard_stops_the_ticks() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (replica(tmp.path(), A), replica(tmp.path(), B));
    let (guard, mut ticks) = b.watch(Duration::from_millis(50)).unwrap();
    assert_eq!(
        tokio::time::timeout(PATIENCE, ticks.recv()).await,
        Ok(Some(()))
    );
    drop(guard);
    a.append(&[env(1)]).unwrap();
    // Ticks already queued drain, then the channel closes for good.
    let closed =
        tokio::time::timeout(PATIENCE, async { while ticks.recv().await.is_some() {} }).await;
    assert!(
        closed.is_ok(),
        "ticks kept coming after the guard was dropped"
    );
}

#[test]
fn watch_needs_no_tokio_runtime() {
    let tmp = tempfile::tempdir().unwrap();
    let b = replica(tmp.path(), B);
    // Started outside any runtime; a runtime only to wait with a timeout.
    let (guard, mut ticks) = b.watch(Duration::from_millis(10)).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let tick = rt.block_on(async { tokio::time::timeout(PATIENCE, ticks.recv()).await });
    assert_eq!(tick, Ok(Some(())));
    drop(guard);
}
