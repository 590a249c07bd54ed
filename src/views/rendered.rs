//! The HTML of an opening post or a comment as a thread page shows it,
//! rendered once per version and kept (`render/cache.rs` says what the key
//! holds and why).

use super::people::People;
use crate::model::ids::{CommentId, ThreadId};
use crate::render::cache::{HtmlKey, Subject};
use crate::render::{render_markdown, RenderOptions};
use crate::store::rows::{CommentRow, ThreadRow};
use crate::store::Store;

impl Store {
    /// `c`'s current body, rendered for me with `people`'s names.
    pub(super) fn comment_html(
        &self,
        id: CommentId,
        c: &CommentRow,
        people: &People,
        opts: RenderOptions,
    ) -> String {
        let key = HtmlKey::new(Subject::Comment(id), c.body.at, people.generation, opts);
        self.html_cache().get_or_render(key, || {
            let (body, mentioned) = &c.body.value;
            render_markdown(body, &people.mention_targets(mentioned), opts)
        })
    }

    /// The opening post of thread `id` (its Markdown `body`), rendered for
    /// me with `people`'s names (the post is never edited: its version is
    /// its creation).
    pub(super) fn thread_body_html(
        &self,
        id: ThreadId,
        t: &ThreadRow,
        body: &str,
        people: &People,
        opts: RenderOptions,
    ) -> String {
        let key = HtmlKey::new(Subject::Thread(id), t.created, people.generation, opts);
        self.html_cache().get_or_render(key, || {
            render_markdown(body, &people.mention_targets(&t.mentions), opts)
        })
    }
}
