//! Accessibility checks with axe-core (npm, under `ui/node_modules`) run
//! inside the app's own webview. The app's CSP forbids `eval`, so axe's
//! source is sent as the WebDriver script itself, followed by the call
//! that runs it (see `../shared/notes/desktop-linux-headless.md`).

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::app::App;
use crate::paths::repo_root;

/// One rule broken on the current screen.
#[derive(Debug, Deserialize)]
pub struct Violation {
    /// The axe rule ("color-contrast", "aria-required-children" …).
    pub id: String,
    /// "minor", "moderate", "serious" or "critical".
    pub impact: Option<String>,
    /// What the rule asks for.
    pub help: String,
    /// CSS paths of the offending elements, with what axe says of each.
    pub nodes: Vec<String>,
}

impl Violation {
    /// Serious and critical violations are the ones that block people.
    pub fn blocks(&self) -> bool {
        matches!(self.impact.as_deref(), Some("serious" | "critical"))
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}] {}",
            self.id,
            self.impact.as_deref().unwrap_or("?"),
            self.help
        )?;
        for n in &self.nodes {
            write!(f, "\n      {n}")?;
        }
        Ok(())
    }
}

/// Runs every axe rule against the page as it is now.
pub async fn run(app: &App<'_>) -> Vec<Violation> {
    let path = repo_root().join("ui/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "read {} ({e}): `make test` installs the UI's npm packages first",
            path.display()
        )
    });
    let script = format!(
        "{source}\n;return (async () => {{
            const r = await window.axe.run(document, {{ resultTypes: ['violations'] }});
            return r.violations.map((v) => ({{
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
            }}));
        }})();"
    );
    let found: Value = app.eval(&script, Vec::new()).await;
    serde_json::from_value(found.clone()).unwrap_or_else(|e| panic!("axe answered {found} ({e})"))
}
