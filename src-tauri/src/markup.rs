//! Notification text as the daemon reads it. The Desktop Notifications
//! spec lets a server that advertises `body-markup` (dunst, GNOME Shell,
//! KDE Plasma) parse the body as markup: a teammate's `<b>`, `<a href>`
//! or `<img src>` would be rendered or followed, and a bare `&` can make
//! the whole body unreadable. For those servers the body is escaped; the
//! summary is plain text by the spec and goes as is. macOS and Windows
//! show text as text.

use std::borrow::Cow;

/// `text` with the three characters the spec names escaped, so a markup
/// parser shows it literally.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The body to hand to the notification server.
pub fn body(text: &str) -> Cow<'_, str> {
    if server_parses_markup() {
        escape(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether the session's notification server parses bodies as markup
/// (asked once; when it cannot be asked, assumed, as escaping a body for
/// a server that does not parse it only shows an entity).
#[cfg(all(unix, not(target_os = "macos")))]
fn server_parses_markup() -> bool {
    use std::sync::OnceLock;
    static PARSES: OnceLock<bool> = OnceLock::new();
    if let Some(known) = PARSES.get() {
        return *known;
    }
    match notify_rust::get_capabilities() {
        Ok(caps) => *PARSES.get_or_init(|| caps.iter().any(|c| c == "body-markup")),
        Err(_) => true,
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn server_parses_markup() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_ampersands_are_shown_literally() {
        assert_eq!(
            escape(r#"<b>x</b> <a href="https://e.example">y</a> fish & chips"#),
            r#"&lt;b&gt;x&lt;/b&gt; &lt;a href="https://e.example"&gt;y&lt;/a&gt; fish &amp; chips"#
        );
        // An entity typed by the author stays what they typed.
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }

    #[test]
    fn plain_text_is_passed_through_uncopied() {
        assert!(matches!(
            escape("Ben: docs are ready"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(escape("5 > 4"), "5 &gt; 4");
    }
}
