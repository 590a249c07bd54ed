//! The composer's preview: a draft rendered exactly as it will be shown
//! once posted (same markdown dialect, same sanitizer, same mentions), so
//! the UI never renders markdown itself.

use super::people::People;
use crate::error::Result;
use crate::model::limits;
use crate::render::{render_markdown, RenderOptions};
use crate::store::Store;

impl Store {
    /// Renders a draft body to sanitized HTML, resolving its @mentions.
    pub fn preview_markdown(&self, body: &str) -> Result<String> {
        if body.trim().is_empty() {
            return Ok(String::new());
        }
        limits::body("draft", body)?;
        let mentioned = self.resolve_mentions(body)?;
        let people = People::load(self)?;
        Ok(render_markdown(
            body,
            &people.mention_targets(&mentioned),
            RenderOptions::default(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::profile::Profile;
    use crate::store::{Options, Store};
    use crate::ErrorCode;

    #[test]
    fn preview_renders_sanitized_html_with_my_mention() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Options::default()).unwrap();
        store
            .create_workspace(
                "Acme",
                Profile {
                    display_name: "Ana Souza".into(),
                    time_zone: "Europe/Lisbon".into(),
                    working_hours: Default::default(),
                },
            )
            .unwrap();
        let html = store
            .preview_markdown("**hi** @anasouza <script>alert(1)</script>")
            .unwrap();
        assert!(html.contains("<strong>hi</strong>"), "{html}");
        assert!(html.contains("Ana Souza"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        let big = "x".repeat(200 * 1024);
        assert_eq!(
            store.preview_markdown(&big).unwrap_err().code,
            ErrorCode::TooLarge
        );
    }
}
