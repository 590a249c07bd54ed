//! Which links may leave the app for the system's opener: web pages and
//! mail only. A link in a comment is written by a teammate (or by anyone
//! who can script the page), and the opener would hand `file:`,
//! `javascript:`, `data:` or a desktop handler's scheme to whatever
//! program claims it, so this is an allow-list, checked on the parsed URL
//! (the WHATWG parser lowercases the scheme and strips the blanks and
//! control characters a browser would, so `"  JaVaScRiPt:"` is seen as
//! `javascript:`), and what is opened is the parsed form, not the input.

use tidings::{Error, ErrorCode};

/// Longest link handed to the opener. Browsers and mail apps cope with
/// links much longer than any real one; past this it is a paste gone wrong
/// or an attempt to smuggle a payload.
pub const MAX_EXTERNAL_URL_BYTES: usize = 8 * 1024;

/// The schemes the system may open.
const ALLOWED: [&str; 3] = ["http", "https", "mailto"];

/// The link to open, or why it is refused (`too_large` for an overlong
/// one, `invalid_input` for any other).
pub fn checked_url(input: &str) -> Result<url::Url, Error> {
    if input.len() > MAX_EXTERNAL_URL_BYTES {
        return Err(Error::new(
            ErrorCode::TooLarge,
            format!(
                "The link is {} bytes long, more than the {MAX_EXTERNAL_URL_BYTES} Tidings opens: copy it into the browser yourself if you trust it",
                input.len()
            ),
        ));
    }
    // Control characters have no place in a link someone clicks; a parser
    // would drop or encode them, hiding what the link really was.
    if input.chars().any(char::is_control) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "'{}' contains control characters: Tidings does not open it",
                shown(input)
            ),
        ));
    }
    let parsed = url::Url::parse(input.trim()).map_err(|_| {
        Error::new(
            ErrorCode::InvalidInput,
            format!(
                "'{}' is not a web address: links must start with http://, https:// or mailto:",
                shown(input)
            ),
        )
    })?;
    if !ALLOWED.contains(&parsed.scheme()) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "Tidings opens only http, https and mailto links, not '{}:'",
                shown(parsed.scheme())
            ),
        ));
    }
    Ok(parsed)
}

/// `s` for a message: escaped and at most 80 characters.
fn shown(s: &str) -> String {
    let mut out: String = s.chars().take(80).flat_map(char::escape_debug).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_and_mail_links_open_in_their_parsed_form() {
        for (input, opened) in [
            ("https://example.com/a?b=c#d", "https://example.com/a?b=c#d"),
            ("http://example.com", "http://example.com/"),
            ("HTTPS://Example.COM/x", "https://example.com/x"),
            (" https://example.com/pasted ", "https://example.com/pasted"),
            ("mailto:ana@example.com", "mailto:ana@example.com"),
            (
                "MailTo:ana@example.com?subject=Hi",
                "mailto:ana@example.com?subject=Hi",
            ),
        ] {
            assert_eq!(checked_url(input).unwrap().as_str(), opened, "{input}");
        }
    }

    #[test]
    fn other_schemes_in_any_disguise_are_refused() {
        for input in [
            "file:///etc/passwd",
            "FILE:///home/ana/.ssh/id_ed25519",
            "javascript:alert(1)",
            "  JaVaScRiPt:alert(1)",
            "\u{1}javascript:alert(1)",
            "\tjavascript:alert(1)",
            "java\nscript:alert(1)",
            "\u{0}https://example.com",
            "https://exam\u{7f}ple.com",
            "https://example.com/\u{85}",
            "data:text/html,<script>alert(1)</script>",
            "DATA:text/html;base64,PHNjcmlwdD4=",
            "tidings://thread/01J00000000000000000000000",
            "vbscript:msgbox(1)",
            "VBScript:msgbox(1)",
            "ftp://example.com/x",
            "smb://server/share",
            "ssh://host",
            "x-scheme-handler:evil",
            "//example.com/no-scheme",
            "example.com",
            "",
            "   ",
            "http://",
            "https://[::1",
        ] {
            let e = checked_url(input).expect_err(input);
            assert_eq!(e.code, ErrorCode::InvalidInput, "{input:?}: {e}");
            assert!(e.message.contains("Tidings") || e.message.contains("web address"));
        }
    }

    #[test]
    fn an_overlong_link_is_refused_with_a_short_message() {
        let long = format!("https://example.com/{}", "a".repeat(MAX_EXTERNAL_URL_BYTES));
        let e = checked_url(&long).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
        assert!(e.message.len() < 300, "{}", e.message);
        let at_limit = format!(
            "https://example.com/{}",
            "a".repeat(MAX_EXTERNAL_URL_BYTES - "https://example.com/".len())
        );
        assert!(checked_url(&at_limit).is_ok());
        // A refused link is not echoed whole.
        let e = checked_url(&format!("javascript:{}", "a".repeat(5000))).unwrap_err();
        assert!(e.message.len() < 300, "{}", e.message);
    }
}
