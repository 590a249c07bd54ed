//! Rendered HTML kept per version of a text, so a thread page renders only
//! what changed since it was last shown.
//!
//! Rendering is most of a thread page's cost (ammonia's sanitizer alone is
//! about 70% of it), and the same page is rendered again and again: the UI
//! refetches an open thread on every change to it, and people go back and
//! forth between threads. What a text renders to depends on exactly what
//! [`HtmlKey`] holds: the text itself (named by its id and the op that set
//! its current version, so an edit is a new key), the members as they were
//! when the view loaded them (a rename or a new member changes the names
//! mentions show, so their generation is in the key), and the viewer's
//! [`RenderOptions`]. A delete needs no key of its own: deleted comments are
//! skipped before anything is rendered.
//!
//! Memory is bounded by bytes, not entries: a comment may be 100 KiB of
//! markdown or one word, so an entry count would bound nothing. The budget
//! ([`DEFAULT_HTML_CACHE_BYTES`], 8 MiB) holds some 20,000 typical comments
//! (a few hundred pages of 50), more than a session revisits, and is small
//! next to the process's memory target (issue 11: ≤ 160 MiB after a
//! session). Each entry is charged its HTML plus a fixed
//! [`ENTRY_OVERHEAD`] for its key and bookkeeping; the least recently used
//! go first. The LRU order is the `lru` crate's (already in the tree
//! through tantivy); only the byte accounting is ours.

use std::sync::Mutex;

use lru::LruCache;

use super::RenderOptions;
use crate::model::ids::{CommentId, OpId, ThreadId};

/// Bytes of HTML (plus per-entry overhead) the cache holds at most.
pub(crate) const DEFAULT_HTML_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// What one entry costs beyond its HTML: the key, the `String` header and
/// the LRU's node and table slot, rounded up.
pub(crate) const ENTRY_OVERHEAD: usize = 160;

/// Whose text was rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Subject {
    /// A thread's opening post.
    Thread(ThreadId),
    /// A comment.
    Comment(CommentId),
}

/// Everything a rendered text depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct HtmlKey {
    /// The text's owner.
    pub subject: Subject,
    /// The op that set the text's current version (its creation, or the
    /// edit that won).
    pub version: OpId,
    /// The members generation the mention names were taken from.
    pub members: u64,
    /// [`RenderOptions::allow_remote_images`].
    pub remote_images: bool,
}

impl HtmlKey {
    /// The key of `subject`'s text at `version`, rendered with the names of
    /// members generation `members` and `opts`.
    pub(crate) fn new(subject: Subject, version: OpId, members: u64, opts: RenderOptions) -> Self {
        HtmlKey {
            subject,
            version,
            members,
            remote_images: opts.allow_remote_images,
        }
    }
}

struct Lru {
    entries: LruCache<HtmlKey, String>,
    bytes: usize,
}

/// Rendered HTML by [`HtmlKey`], least recently used dropped first once
/// the byte budget is reached. Shared by every reader of a store.
pub(crate) struct HtmlCache {
    budget: usize,
    lru: Mutex<Lru>,
}

impl Default for HtmlCache {
    fn default() -> Self {
        HtmlCache::with_budget(DEFAULT_HTML_CACHE_BYTES)
    }
}

fn weight(html: &str) -> usize {
    html.len().saturating_add(ENTRY_OVERHEAD)
}

impl HtmlCache {
    /// An empty cache holding at most `budget` bytes.
    pub(crate) fn with_budget(budget: usize) -> Self {
        HtmlCache {
            budget,
            lru: Mutex::new(Lru {
                entries: LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    /// The HTML for `key`: the kept copy, or `render()`'s result, kept for
    /// next time. Rendering runs outside the lock, so readers never wait on
    /// each other's rendering; two that miss at once both render the same
    /// thing, which is harmless.
    pub(crate) fn get_or_render(&self, key: HtmlKey, render: impl FnOnce() -> String) -> String {
        if let Some(html) = self
            .lock()
            .as_mut()
            .and_then(|l| l.entries.get(&key).cloned())
        {
            return html;
        }
        let html = render();
        self.insert(key, &html);
        html
    }

    fn insert(&self, key: HtmlKey, html: &str) {
        let w = weight(html);
        // One text larger than the whole budget would only evict the rest.
        if w > self.budget {
            return;
        }
        let Some(mut l) = self.lock() else { return };
        if let Some(old) = l.entries.put(key, html.to_owned()) {
            l.bytes = l.bytes.saturating_sub(weight(&old));
        }
        l.bytes = l.bytes.saturating_add(w);
        while l.bytes > self.budget {
            match l.entries.pop_lru() {
                Some((_, old)) => l.bytes = l.bytes.saturating_sub(weight(&old)),
                None => break,
            }
        }
    }

    /// A poisoned lock (a panic while holding it, which nothing here does)
    /// turns the cache off rather than failing the view.
    fn lock(&self) -> Option<std::sync::MutexGuard<'_, Lru>> {
        self.lru.lock().ok()
    }

    /// Bytes held now (HTML plus overhead).
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.lock().map_or(0, |l| l.bytes)
    }

    /// Entries held now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().map_or(0, |l| l.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::{DeviceId, Hlc};

    fn key(n: u128) -> HtmlKey {
        let version = OpId {
            hlc: Hlc { ms: 1, counter: 0 },
            device: DeviceId([7; 32]),
        };
        HtmlKey::new(
            Subject::Comment(CommentId(n)),
            version,
            0,
            RenderOptions::default(),
        )
    }

    #[test]
    fn a_kept_text_is_not_rendered_again() {
        let cache = HtmlCache::default();
        let mut renders = 0;
        for _ in 0..3 {
            let html = cache.get_or_render(key(1), || {
                renders += 1;
                "<p>hi</p>".to_string()
            });
            assert_eq!(html, "<p>hi</p>");
        }
        assert_eq!(renders, 1);
    }

    #[test]
    fn the_byte_budget_holds_and_the_least_recently_used_go_first() {
        let html = "x".repeat(1000);
        let per = weight(&html);
        let cache = HtmlCache::with_budget(3 * per);
        for n in 0..3 {
            cache.get_or_render(key(n), || html.clone());
        }
        // Touch 0, so 1 is the least recently used when 3 arrives.
        cache.get_or_render(key(0), || unreachable!("kept"));
        cache.get_or_render(key(3), || html.clone());
        assert_eq!(cache.len(), 3);
        assert!(cache.bytes() <= 3 * per, "{} > {}", cache.bytes(), 3 * per);
        let mut rendered = Vec::new();
        for n in 0..4 {
            cache.get_or_render(key(n), || {
                rendered.push(n);
                html.clone()
            });
        }
        assert_eq!(rendered.first(), Some(&1), "{rendered:?}");
    }

    #[test]
    fn a_text_larger_than_the_budget_is_rendered_but_not_kept() {
        let cache = HtmlCache::with_budget(1024);
        cache.get_or_render(key(1), || "<p>small</p>".to_string());
        let big = cache.get_or_render(key(2), || "y".repeat(4096));
        assert_eq!(big.len(), 4096);
        assert_eq!(cache.len(), 1, "the small one stays");
        assert!(cache.bytes() <= 1024);
    }
}
