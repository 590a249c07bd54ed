//! Export to Markdown and JSON, and importing the JSON into a new store.

use tidings::store::NewThread;
use tidings::views::PageRequest;
use tidings::ErrorCode;

use crate::util::{ana_and_ben, Replica};

fn seeded() -> (Replica, Replica, tidings::model::ids::ThreadId) {
    let (ana, ben, general) = ana_and_ben();
    let t = ana
        .store
        .create_thread(NewThread {
            channel: general,
            title: "Q4 roadmap / plans".into(),
            body: "# Goals\n\n- ship *sync*".into(),
            notify: vec![],
        })
        .unwrap();
    ana.send_to(&ben);
    let c = ben
        .store
        .add_comment(t, "Agreed, with one `caveat`.")
        .unwrap();
    ben.store
        .edit_comment(c, "Agreed, with two `caveats`.")
        .unwrap();
    ben.send_to(&ana);
    (ana, ben, t)
}

#[test]
fn markdown_export_is_a_readable_folder_per_channel_and_file_per_thread() {
    let (ana, _ben, _t) = seeded();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("export");
    let r = ana.store.export_markdown(&target).unwrap();
    assert_eq!((r.channels, r.threads, r.comments), (1, 1, 1));
    let index = std::fs::read_to_string(target.join("README.md")).unwrap();
    assert!(index.contains("# Acme") && index.contains("## #general"));
    let folder = std::fs::read_dir(&target)
        .unwrap()
        .flatten()
        .find(|e| e.path().is_dir())
        .unwrap()
        .path();
    assert!(folder
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("general-"));
    let file = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    assert!(file
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("q4-roadmap-plans-"));
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.starts_with("# Q4 roadmap / plans"));
    assert!(text.contains("started by Ana Souza"));
    assert!(text.contains("**Ben** · 2026-11-27 14:00 UTC (edited)"));
    assert!(text.contains("two `caveats`"));
    // Exporting again into the same folder is refused rather than mixed.
    assert_eq!(
        ana.store.export_markdown(&target).unwrap_err().code,
        ErrorCode::InvalidInput
    );
}

#[test]
fn json_export_imports_into_a_new_store_with_the_same_views() {
    let (ana, _ben, t) = seeded();
    let mut buf = Vec::new();
    let n = ana.store.export_json(&mut buf).unwrap();
    assert_eq!(n, ana.store.op_count().unwrap());
    let doc: serde_json::Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(doc["format"], "tidings-export");
    assert_eq!(doc["ops"].as_array().unwrap().len(), n);
    assert_eq!(doc["ops"][0]["kind"], "workspace_created");

    let restored = Replica::new(77);
    let r = restored.store.import_json(&mut buf.as_slice()).unwrap();
    assert_eq!(r.applied, n);
    assert_eq!(r.rejected, 0);
    // The restore shows Ana's view; writing needs one of her devices to add it.
    assert_eq!(restored.store.me(), ana.store.me());
    assert_eq!(restored.store.op_count().unwrap(), n);
    let inbox = restored.store.inbox(&PageRequest::first(10)).unwrap();
    assert_eq!(inbox.items.len(), 1);
    assert_eq!(inbox.items[0].thread.id, t);
    // Importing the same export again adds nothing.
    let again = restored.store.import_json(&mut buf.as_slice()).unwrap();
    assert_eq!((again.applied, again.duplicates), (0, n));
}

#[test]
fn a_damaged_or_foreign_json_file_is_refused_and_imports_nothing() {
    let r = Replica::new(5);
    for bad in [
        &b"not json"[..],
        br#"{"format":"other","version":1,"ops":[]}"#,
        br#"{"format":"tidings-export","version":99,"ops":[]}"#,
    ] {
        let err = r.store.import_json(&mut &bad[..]).unwrap_err();
        assert!(
            matches!(
                err.code,
                ErrorCode::InvalidInput | ErrorCode::UnsupportedVersion
            ),
            "{err}"
        );
    }
    let bad_hex = br#"{"format":"tidings-export","version":1,"ops":[{"id":"1.0@00","author":"x","kind":"k","op":null,"signed":"zz"}]}"#;
    assert!(r.store.import_json(&mut &bad_hex[..]).is_err());
    assert_eq!(r.store.op_count().unwrap(), 0);
}
