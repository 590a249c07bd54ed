//! The XSS corpus: classic payloads, in raw HTML and in every markdown
//! construct that carries a URL, each rendered with and without remote
//! images and checked by reading the tags of the output. The checks are
//! written against the output, not against our implementation, so they
//! hold whichever layer (event rewrite or ammonia) stops the payload.

use super::{render_markdown, MentionTarget, RenderOptions};
use crate::model::ids::MemberId;

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script>alert(1)",
    "<scr<script>ipt>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "'';!--\"<XSS>=&{()}",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=\"x\" onerror=\"alert(1)\"/>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<img src=\"jav&#x09;ascript:alert(1)\">",
    "<img src=\"x\" onerror\u{0}=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=\"javascript:alert(1)\">x</math>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<object data=\"javascript:alert(1)\">",
    "<object type=\"text/x-scriptlet\" data=\"https://evil.example/x\">",
    "<embed src=\"javascript:alert(1)\">",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<isindex action=javascript:alert(1) type=image>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"\u{1}javascript:alert(1)\">x</a>",
    "<a href=javascript:alert(1)>unclosed",
    "<a onmouseover=\"alert(1)\">hover</a>",
    "<p onclick=alert(1)>x</p>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<table background=\"javascript:alert(1)\">",
    "<span class=\"mention\" onclick=\"alert(1)\">@x</span>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<div>\n<script>alert(1)</script>\n</div>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&colon;alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](\u{0}javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "[x](https://x.example \"t\\\" onmouseover=\\\"alert(1)\")",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[r]\n\n[r]: <javascript:alert(1)>",
    "[x][r]\n\n[r]: data:text/html,<script>alert(1)</script>",
    "![x](javascript:alert(1))",
    "![x](JaVaScRiPt:alert(1))",
    "![x](x\" onerror=\"alert(1))",
    "![x\" onerror=\"alert(1)](https://x.example/a.png)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x][i]\n\n[i]: javascript:alert(1)",
    "[<img src=x onerror=alert(1)>](https://x.example)",
    "[![x](https://x.example/a.png\" onerror=\"alert(1))](javascript:alert(1))",
    "[x](https://x.example)<img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "- [ ] <img src=x onerror=alert(1)>",
    "> <iframe src=javascript:alert(1)>",
    "```\"><script>alert(1)</script>\ncode\n```",
    "`<script>alert(1)</script>`",
    "@<img src=x onerror=alert(1)>",
    "@evil",
];

/// Tags the sanitizer may emit at all.
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

const FORBIDDEN_TAGS: &[&str] = &[
    "script", "iframe", "object", "embed", "style", "form", "meta", "base", "svg", "math", "link",
    "body",
];

/// One tag of the output: its name and attributes as (name, raw value).
struct OutTag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

/// Reads every tag in sanitized output. html5ever's serializer escapes `<`
/// in text and always double-quotes attribute values, so every `<` opens a
/// tag and a quote is the only thing that can hide a `>`.
fn tags(html: &str) -> Vec<OutTag> {
    let mut out = Vec::new();
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '<' {
            continue;
        }
        let mut inner = String::new();
        let mut quoted = false;
        for c in chars.by_ref() {
            match c {
                '"' => quoted = !quoted,
                '>' if !quoted => break,
                _ => {}
            }
            inner.push(c);
        }
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/').trim_end_matches('/');
        let (name, mut rest) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let end = rest
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(rest.len());
            let attr = rest[..end].to_ascii_lowercase();
            rest = &rest[end..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix("=\"") {
                let close = after.find('"').expect("attribute value is closed");
                value = after[..close].to_string();
                rest = &after[close + 1..];
            }
            attrs.push((attr, value));
        }
        out.push(OutTag {
            name: name.to_ascii_lowercase(),
            closing,
            attrs,
        });
    }
    out
}

fn assert_safe(payload: &str, html: &str, images_allowed: bool) {
    let lower = html.to_ascii_lowercase();
    for tag in FORBIDDEN_TAGS {
        assert!(
            !lower.contains(&format!("<{tag}")),
            "<{tag} in output of {payload:?}: {html}"
        );
    }
    for tag in tags(html) {
        assert!(
            ALLOWED_TAGS.contains(&tag.name.as_str()),
            "tag <{}> in output of {payload:?}: {html}",
            tag.name
        );
        assert!(
            images_allowed || tag.name != "img",
            "img without consent for {payload:?}: {html}"
        );
        for (attr, value) in &tag.attrs {
            assert!(
                !attr.starts_with("on"),
                "handler {attr} for {payload:?}: {html}"
            );
            assert_ne!(attr, "style", "style attribute for {payload:?}: {html}");
            if attr == "href" || attr == "src" {
                let v: String = value
                    .to_ascii_lowercase()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                for bad in ["javascript:", "vbscript:", "data:", "&#"] {
                    assert!(!v.contains(bad), "{bad} in {attr} for {payload:?}: {html}");
                }
                assert!(
                    ["http://", "https://", "mailto:"]
                        .iter()
                        .any(|s| v.starts_with(s)),
                    "unexpected {attr}={value:?} for {payload:?}: {html}"
                );
            }
        }
        if tag.name == "a" && !tag.closing {
            assert!(
                tag.attrs
                    .iter()
                    .any(|(a, v)| a == "rel" && v == "noopener noreferrer"),
                "<a> without rel for {payload:?}: {html}"
            );
        }
    }
}

fn evil_target() -> MentionTarget {
    MentionTarget {
        handle: "evil".into(),
        member: MemberId(42),
        display_name: "<img src=x onerror=alert(1)>\" onclick=\"alert(1)".into(),
        is_me: true,
    }
}

#[test]
fn the_corpus_is_large_enough_to_mean_something() {
    assert!(PAYLOADS.len() >= 50, "{}", PAYLOADS.len());
}

#[test]
fn no_payload_in_the_corpus_survives_rendering() {
    let targets = [evil_target()];
    for payload in PAYLOADS {
        for allow_remote_images in [false, true] {
            let html = render_markdown(
                payload,
                &targets,
                RenderOptions {
                    allow_remote_images,
                },
            );
            assert_safe(payload, &html, allow_remote_images);
        }
    }
}

#[test]
fn payloads_survive_nowhere_inside_markdown_structures_either() {
    let wrappers = [
        "> {}",
        "- {}",
        "# {}",
        "**{}**",
        "| h |\n|---|\n| {} |",
        "1. > - {}",
    ];
    for payload in PAYLOADS.iter().filter(|p| !p.contains('\n')) {
        for wrapper in wrappers {
            let src = wrapper.replace("{}", payload);
            let html = render_markdown(&src, &[evil_target()], RenderOptions::default());
            assert_safe(&src, &html, false);
        }
    }
}

#[test]
fn the_checker_itself_catches_what_it_looks_for() {
    let bad = [
        "<script>x</script>",
        r#"<a href="javascript:x" rel="noopener noreferrer">x</a>"#,
        r#"<p onclick="x">x</p>"#,
        r#"<p style="x">x</p>"#,
        r#"<a href="https://x.org">no rel</a>"#,
        r#"<img src="https://x.org/a.png">"#,
    ];
    for html in bad {
        let caught = std::panic::catch_unwind(|| assert_safe("self-test", html, false));
        assert!(caught.is_err(), "checker let through {html}");
    }
}
