//! Updates, deletes, commits, concurrency, and reopening good and bad
//! folders.

use std::time::Duration;

use super::*;
use crate::error::ErrorCode;

#[test]
fn upserting_the_same_key_replaces_the_document() {
    let (_d, idx) = index_with(&[comment(1, 100, "t", "first words", 0)]);
    idx.upsert(&[comment(1, 100, "t", "edited words", 0)])
        .unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.num_docs(), 1);
    assert!(found(&idx, &text("first")).is_empty());
    assert_eq!(found(&idx, &text("edited")), vec![(1, Some(100))]);
}

#[test]
fn removing_a_comment_leaves_the_rest_of_the_thread() {
    let (_d, idx) = index_with(&[
        root(1, "t", "alpha", 0),
        comment(1, 100, "t", "alpha", 1),
        comment(1, 101, "t", "alpha", 2),
    ]);
    idx.remove_comment(CommentId(100)).unwrap();
    idx.remove_comment(CommentId(999)).unwrap();
    idx.commit().unwrap();
    assert_eq!(
        sorted(found(&idx, &text("alpha"))),
        vec![(1, None), (1, Some(101))]
    );
}

#[test]
fn retitling_a_thread_updates_every_document_even_uncommitted_ones() {
    let (_d, idx) = index_with(&[
        root(1, "Old name", "a", 0),
        comment(1, 100, "Old name", "b", 1),
        root(2, "Old name", "c", 2),
    ]);
    idx.upsert(&[comment(1, 101, "Old name", "d", 3)]).unwrap(); // not committed
    idx.retitle_thread(ThreadId(1), "Fresh title").unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.num_docs(), 4);
    assert_eq!(
        sorted(found(&idx, &text("fresh"))),
        vec![(1, None), (1, Some(100)), (1, Some(101))]
    );
    assert_eq!(found(&idx, &text("old")), vec![(2, None)]);
    let hit = &idx
        .search(&SearchQuery {
            thread: Some(ThreadId(1)),
            ..text("d")
        })
        .unwrap()[0];
    assert_eq!(hit.title_html, "Fresh title");
}

#[test]
fn clearing_removes_everything_including_uncommitted_writes() {
    let (_d, idx) = index_with(&[root(1, "t", "a", 0)]);
    idx.upsert(&[root(2, "t", "b", 1)]).unwrap();
    idx.clear().unwrap();
    assert_eq!(idx.num_docs(), 0);
    idx.commit().unwrap();
    assert_eq!(idx.num_docs(), 0);
    assert!(found(&idx, &text("")).is_empty());
}

#[test]
fn a_doc_whose_kind_and_comment_disagree_is_rejected_without_writing() {
    let (_d, idx) = index_with(&[]);
    let mut bad = root(1, "t", "a", 0);
    bad.comment = Some(CommentId(5));
    let mut also_bad = comment(1, 5, "t", "a", 0);
    also_bad.comment = None;
    for d in [bad, also_bad] {
        let err = idx.upsert(&[root(9, "t", "fine", 0), d]).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
    }
    idx.commit().unwrap();
    assert_eq!(idx.num_docs(), 0);
}

#[test]
fn reopening_the_folder_keeps_the_documents() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (idx, fresh) = SearchIndex::open(dir.path()).unwrap();
        assert!(fresh);
        idx.upsert(&[root(1, "Persisted", "body", 0)]).unwrap();
        // No commit: dropping the index commits pending writes.
    }
    let (idx, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(!fresh);
    assert_eq!(found(&idx, &text("persisted")), vec![(1, None)]);
}

#[test]
fn a_second_open_of_a_folder_in_use_fails_and_leaves_it_intact() {
    let (dir, idx) = index_with(&[root(1, "Kept", "body", 0)]);
    let err = SearchIndex::open(dir.path()).err().map(|e| e.code);
    assert_eq!(err, Some(ErrorCode::AlreadyRunning));
    assert_eq!(found(&idx, &text("kept")), vec![(1, None)]);
    drop(idx);
    let (idx, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(!fresh);
    assert_eq!(idx.num_docs(), 1);
}

#[test]
fn a_corrupt_index_is_wiped_and_reported_for_reindexing() {
    let (dir, idx) = index_with(&[root(1, "t", "body", 0)]);
    drop(idx);
    std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
    let (idx, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(fresh);
    assert_eq!(idx.num_docs(), 0);
    idx.upsert(&[root(2, "t", "again", 0)]).unwrap();
    idx.commit().unwrap();
    assert_eq!(found(&idx, &text("again")), vec![(2, None)]);
}

#[test]
fn an_index_with_missing_segment_files_is_wiped() {
    let (dir, idx) = index_with(&[root(1, "t", "body", 0)]);
    drop(idx);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "term" || e == "idx") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let (idx, fresh) = SearchIndex::open(dir.path()).unwrap();
    assert!(fresh);
    assert_eq!(idx.num_docs(), 0);
}

#[test]
fn a_foreign_folder_or_another_schema_is_wiped() {
    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("notes.txt"), b"hello").unwrap();
    let (idx, fresh) = SearchIndex::open(foreign.path()).unwrap();
    assert!(fresh);
    drop(idx);
    assert!(!foreign.path().join("notes.txt").exists());

    let other = tempfile::tempdir().unwrap();
    let mut b = tantivy::schema::Schema::builder();
    b.add_text_field("something", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(other.path(), b.build()).unwrap();
    let (idx, fresh) = SearchIndex::open(other.path()).unwrap();
    assert!(fresh);
    idx.upsert(&[root(1, "t", "works", 0)]).unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.num_docs(), 1);
}

#[test]
fn writes_become_searchable_without_an_explicit_commit() {
    let (_d, idx) = index_with(&[]);
    idx.upsert(&[root(1, "Background", "committer", 0)])
        .unwrap();
    // Wait on the committer's signal, not on the clock.
    assert!(idx.wait_committed(Duration::from_secs(10)));
    assert_eq!(found(&idx, &text("committer")), vec![(1, None)]);
    // Nothing pending: returns at once, even with a zero or huge timeout.
    assert!(idx.wait_committed(Duration::ZERO));
    assert!(idx.wait_committed(Duration::MAX));
}

#[test]
fn the_index_is_shared_across_threads() {
    let (_d, idx) = index_with(&[]);
    let idx = Arc::new(idx);
    let workers: Vec<_> = (0..4u128)
        .map(|t| {
            let idx = idx.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    idx.upsert(&[comment(t, t * 100 + i, "shared", "words", 0)])
                        .unwrap();
                    idx.search(&text("shared")).unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    idx.commit().unwrap();
    assert_eq!(idx.num_docs(), 100);
}

#[test]
fn a_truncated_index_file_fails_its_checksum_and_is_wiped() {
    for ext in ["pos", "store", "term"] {
        let (dir, idx) = index_with(&[
            root(1, "t", "body words", 0),
            comment(1, 2, "t", "more body", 1),
        ]);
        drop(idx);
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == ext) {
                let len = std::fs::metadata(&path).unwrap().len();
                let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                f.set_len(len / 2).unwrap();
            }
        }
        let (idx, fresh) = SearchIndex::open(dir.path()).unwrap();
        assert!(fresh, "{ext}");
        assert!(idx.search(&text("body")).unwrap().is_empty());
    }
}

#[test]
fn an_index_from_the_previous_analyzer_is_wiped_for_a_rebuild() {
    // The same fields, analyzed by the v1 tokenizer (one token per run of
    // letters, so CJK sentences were single tokens): its postings cannot
    // answer the new analyzer's queries, so the index must be rebuilt.
    use tantivy::schema::{FieldEntry, FieldType, Schema};
    let (current, _) = crate::search::schema::build_schema();
    let mut b = Schema::builder();
    for (_, entry) in current.fields() {
        let ty = match entry.field_type() {
            FieldType::Str(opts) => match opts.get_indexing_options() {
                Some(ix) if ix.tokenizer() == crate::search::schema::ANALYZER => FieldType::Str(
                    opts.clone()
                        .set_indexing_options(ix.clone().set_tokenizer("tidings_fold_v1")),
                ),
                _ => entry.field_type().clone(),
            },
            other => other.clone(),
        };
        b.add_field(FieldEntry::new(entry.name().to_string(), ty));
    }
    let old = tempfile::tempdir().unwrap();
    tantivy::Index::create_in_dir(old.path(), b.build()).unwrap();
    let (idx, fresh) = SearchIndex::open(old.path()).unwrap();
    assert!(
        fresh,
        "an index from the old analyzer is reported for reindexing"
    );
    idx.upsert(&[root(1, "出張", "東京で会議", 0)]).unwrap();
    idx.commit().unwrap();
    assert_eq!(found(&idx, &text("東京")), vec![(1, None)]);
}
