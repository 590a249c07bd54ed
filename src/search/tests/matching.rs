//! What a query finds, in what order, and how hits are rendered.

use super::*;

#[test]
fn whole_words_and_the_word_being_typed_find_documents() {
    let (_d, idx) = index_with(&[
        root(1, "Deployment checklist", "Steps before we ship", 0),
        root(2, "Lunch", "Pizza on friday", 1),
    ]);
    assert_eq!(found(&idx, &text("ship")), vec![(1, None)]);
    assert_eq!(found(&idx, &text("deplo")), vec![(1, None)]);
    assert_eq!(found(&idx, &text("Piz")), vec![(2, None)]);
    // A finished word (followed by a space) is not a prefix.
    assert!(found(&idx, &text("deplo ")).is_empty());
    assert!(found(&idx, &text("pasta")).is_empty());
}

#[test]
fn every_word_must_match_in_the_title_or_the_body() {
    let (_d, idx) = index_with(&[
        root(1, "Release notes", "draft for friday", 0),
        root(2, "Release party", "cake", 1),
    ]);
    assert_eq!(found(&idx, &text("release friday")), vec![(1, None)]);
    assert_eq!(
        sorted(found(&idx, &text("release"))),
        vec![(1, None), (2, None)]
    );
    assert!(found(&idx, &text("party friday")).is_empty());
}

#[test]
fn quoted_words_must_appear_together() {
    let (_d, idx) = index_with(&[
        root(1, "a", "the release notes are done", 0),
        root(2, "b", "notes about the release", 1),
    ]);
    assert_eq!(found(&idx, &text("\"release notes\"")), vec![(1, None)]);
    assert_eq!(found(&idx, &text("\"release no")), vec![(1, None)]);
}

#[test]
fn accents_and_case_do_not_matter() {
    let (_d, idx) = index_with(&[root(1, "Café meeting with Zoë", "Über cool", 0)]);
    for q in ["cafe", "CAFÉ", "zoe", "Zoë", "uber", "caf"] {
        assert_eq!(found(&idx, &text(q)), vec![(1, None)], "{q}");
    }
    let hit = &idx.search(&text("zoe")).unwrap()[0];
    assert_eq!(hit.title_html, "Café meeting with <mark>Zoë</mark>");
}

#[test]
fn filters_narrow_by_channel_author_and_thread() {
    let mut other = root(2, "Budget", "numbers", 1);
    other.channel = CH_B;
    other.author = BEN;
    let (_d, idx) = index_with(&[
        root(1, "Budget", "numbers", 0),
        other,
        comment(1, 100, "Budget", "more numbers", 2),
    ]);
    let by = |f: fn(&mut SearchQuery)| {
        let mut q = text("numbers");
        f(&mut q);
        sorted(found(&idx, &q))
    };
    assert_eq!(by(|q| q.channel = Some(CH_B)), vec![(2, None)]);
    assert_eq!(by(|q| q.author = Some(BEN)), vec![(2, None)]);
    assert_eq!(
        by(|q| q.thread = Some(ThreadId(1))),
        vec![(1, None), (1, Some(100))]
    );
    assert_eq!(
        by(|q| q.channel = Some(CH_A)),
        vec![(1, None), (1, Some(100))]
    );
    assert!(by(|q| q.channel = Some(ChannelId(99))).is_empty());
}

#[test]
fn relevance_ranks_title_matches_first_and_newest_ranks_by_time() {
    let (_d, idx) = index_with(&[
        root(1, "Kubernetes upgrade", "plan", 0),
        root(2, "Misc", "we might touch kubernetes later", 10),
        root(3, "Other", "kubernetes kubernetes", 5),
    ]);
    let rel = found(&idx, &text("kubernetes"));
    assert_eq!(rel[0], (1, None));
    let newest = found(
        &idx,
        &SearchQuery {
            order: SearchOrder::Newest,
            ..text("kubernetes")
        },
    );
    assert_eq!(newest, vec![(2, None), (3, None), (1, None)]);
    let hits = idx.search(&text("kubernetes")).unwrap();
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score) && hits[0].score > 0.0);
}

#[test]
fn without_words_the_newest_documents_matching_the_filters_come_back() {
    let mut elsewhere = root(3, "t", "b", 30);
    elsewhere.channel = CH_B;
    let (_d, idx) = index_with(&[root(1, "t", "b", 10), root(2, "t", "b", 20), elsewhere]);
    let q = SearchQuery {
        channel: Some(CH_A),
        ..text("  ")
    };
    assert_eq!(found(&idx, &q), vec![(2, None), (1, None)]);
    assert_eq!(
        found(&idx, &text("")),
        vec![(3, None), (2, None), (1, None)]
    );
    assert!(idx
        .search(&text(""))
        .unwrap()
        .iter()
        .all(|h| h.score == 0.0));
}

#[test]
fn snippets_escape_html_and_mark_matches() {
    let body = "<script>alert('x')</script> deploy & roll back";
    let (_d, idx) = index_with(&[root(1, "Deploy <now>", body, 0)]);
    let hit = &idx.search(&text("deploy")).unwrap()[0];
    assert_eq!(
        hit.snippet_html,
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <mark>deploy</mark> &amp; roll back"
    );
    assert_eq!(hit.title_html, "<mark>Deploy</mark> &lt;now&gt;");
    // The word being typed is marked whole.
    let hit = &idx.search(&text("dep")).unwrap()[0];
    assert!(hit.snippet_html.contains("<mark>deploy</mark>"));
}

#[test]
fn a_long_body_is_cut_to_a_snippet_around_the_match() {
    let body = format!(
        "{} the needle is here {}",
        "filler ".repeat(100),
        "tail ".repeat(100)
    );
    let (_d, idx) = index_with(&[root(1, "t", &body, 0)]);
    let hit = &idx.search(&text("needle")).unwrap()[0];
    assert!(
        hit.snippet_html.contains("<mark>needle</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.snippet_html.chars().count() < 200);
    // Found by its title alone: the snippet is the start of the body.
    let (_d2, idx2) = index_with(&[root(1, "Haystack", &body, 0)]);
    let hit = &idx2.search(&text("haystack")).unwrap()[0];
    assert!(hit.snippet_html.starts_with("filler filler") && hit.snippet_html.ends_with('…'));
    assert_eq!(hit.title_html, "<mark>Haystack</mark>");
}

#[test]
fn odd_queries_never_fail() {
    let (_d, idx) = index_with(&[root(1, "Party 🎉", "a:b AND c", 0)]);
    let long = "lorem ipsum ".repeat(900); // ~10 KB
    let odd = [
        "",
        "   ",
        "\"",
        "\"\"",
        "*",
        "AND OR NOT",
        "a:b",
        "🎉",
        "((",
        "title:x",
        "-",
        "\\",
        "\u{0}",
        &long,
    ];
    for t in odd {
        for order in [SearchOrder::Relevance, SearchOrder::Newest] {
            let q = SearchQuery { order, ..text(t) };
            assert!(idx.search(&q).is_ok(), "{t:?}");
        }
    }
    assert_eq!(found(&idx, &text("a:b")), vec![(1, None)]);
}

#[test]
fn the_limit_is_clamped() {
    let docs: Vec<_> = (0..250)
        .map(|i| root(i, "same", "words", i as i64))
        .collect();
    let (_d, idx) = index_with(&docs);
    assert_eq!(
        idx.search(&SearchQuery {
            limit: 0,
            ..text("same")
        })
        .unwrap()
        .len(),
        1
    );
    assert_eq!(
        idx.search(&SearchQuery {
            limit: usize::MAX,
            ..text("same")
        })
        .unwrap()
        .len(),
        MAX_LIMIT
    );
}

#[test]
fn a_query_from_the_ui_may_leave_out_fields() {
    let q: SearchQuery = serde_json::from_str(r#"{"text":"deplo","order":"newest"}"#).unwrap();
    assert_eq!(
        q,
        SearchQuery {
            order: SearchOrder::Newest,
            ..text("deplo")
        }
    );
    assert_eq!(q.limit, 20);
}

#[test]
fn words_inside_unspaced_cjk_text_are_found() {
    let (_d, idx) = index_with(&[
        root(1, "出張", "来週は東京で会議があります", 0),
        root(2, "旅行", "大阪に行きました", 1),
    ]);
    assert_eq!(found(&idx, &text("東京")), vec![(1, None)]);
    assert_eq!(found(&idx, &text("会議")), vec![(1, None)]);
    assert_eq!(found(&idx, &text("大阪")), vec![(2, None)]);
    assert!(found(&idx, &text("京都")).is_empty());
}

#[test]
fn emoji_are_found_as_written() {
    let (_d, idx) = index_with(&[
        root(1, "Launch 🚀", "ship it 🎉", 0),
        root(2, "Lunch", "pizza 🍕", 1),
    ]);
    assert_eq!(found(&idx, &text("🚀")), vec![(1, None)]);
    assert_eq!(found(&idx, &text("🍕")), vec![(2, None)]);
    assert_eq!(found(&idx, &text("launch 🎉")), vec![(1, None)]);
}

#[test]
fn accented_words_are_found_by_their_exact_and_their_plain_form() {
    let (_d, idx) = index_with(&[root(1, "Menu", "un café crème à côté", 0)]);
    for q in ["café", "cafe", "crème", "creme", "cote", "côté"] {
        assert_eq!(found(&idx, &text(q)), vec![(1, None)], "{q}");
    }
}
