//! Hostile markup from a teammate renders inert: script tags, event
//! handlers in every casing, `javascript:`/`data:`/`vbscript:` links in
//! HTML and in Markdown (entity-encoded, spaced, autolinked, by
//! reference), frames, objects, styles, forms, SVG and MathML tricks.
//! Each payload tries to set a sentinel; the test reads every rendered
//! body, clicks every link, and checks that the sentinel stays unset, the
//! DOM holds nothing executable and the page is still the app.

use serde_json::{json, Value};
use tidings_e2e::poll::until;
use tidings_e2e::{App, World, DEADLINE};

use crate::support::{ana_and_ben, row, thread_view, CHANNEL};

/// The safe link: clicking it must reach the system opener.
const SAFE: &str = "https://example.com/xss-safe-link";

const PAYLOADS: &[&str] = &[
    "<script>window.__xss=1</script>",
    "<SCRIPT>window.__xss=1</SCRIPT>",
    "<script src=\"data:text/javascript,window.__xss=1\"></script>",
    "<scr<script>ipt>window.__xss=1</script>",
    "\"><script>document.title='pwned'</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<IMG SRC=x OnErRoR=window.__xss=1>",
    "<img src=\"x\" onerror=\"&#119;indow.__xss=1\">",
    "<img src=x:alert(1) onerror=eval(src)>",
    "<img srcset=\"x\" onerror=\"window.__xss=1\">",
    "<svg onload=\"window.__xss=1\"></svg>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg><animate onbegin=\"window.__xss=1\" attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:window.__xss=1\"><text x=\"20\" y=\"20\">svg link</text></a></svg>",
    "<body onload=\"window.__xss=1\">",
    "<iframe src=\"javascript:window.top.__xss=1\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<object data=\"javascript:window.__xss=1\"></object>",
    "<object data=\"data:text/html,<script>top.__xss=1</script>\"></object>",
    "<embed src=\"javascript:window.__xss=1\">",
    "<a href=\"javascript:window.__xss=1\">plain javascript link</a>",
    "<a href=\"JaVaScRiPt:window.__xss=1\">mixed-case scheme</a>",
    "<a href=\" javascript:window.__xss=1\">leading space</a>",
    "<a href=\"jav&#x09;ascript:window.__xss=1\">tab entity inside the scheme</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__xss=1\">decimal entities</a>",
    "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;window.__xss=1\">hex entities</a>",
    "<a href=\"java&#0;script:window.__xss=1\">NUL entity</a>",
    "[markdown link](javascript:window.__xss=1)",
    "[x](javascript:alert(1))",
    "[upper](JAVASCRIPT:window.__xss=1)",
    "[entity colon](javascript&#58;window.__xss=1)",
    "[angle brackets](<javascript:window.__xss=1>)",
    "[by reference][r]\n\n[r]: javascript:window.__xss=1",
    "<javascript:window.__xss=1>",
    "![image](javascript:window.__xss=1)",
    "![x](x\" onerror=\"window.__xss=1)",
    "[title trick](https://example.com/t \"a\\\" onclick=\\\"window.__xss=1\")",
    "<a href=\"data:text/html;base64,PHNjcmlwdD53aW5kb3cudG9wLl9feHNzPTE8L3NjcmlwdD4=\">data base64</a>",
    "<a href=\"data:text/html,<script>window.top.__xss=1</script>\">data html</a>",
    "[data in markdown](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<a href=\"vbscript:msgbox(1)\">vbscript</a>",
    "<div style=\"background:url(javascript:window.__xss=1)\">css url</div>",
    "<div style=\"width: expression(window.__xss=1)\">css expression</div>",
    "<style>body{background:url(\"javascript:window.__xss=1\")}</style>",
    "<style>*{display:none !important}</style>",
    "<link rel=stylesheet href=\"data:text/css,*{display:none}\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
    "<base href=\"javascript:window.__xss=1//\">",
    "<form action=\"javascript:window.__xss=1\"><button>submit</button></form>",
    "<input autofocus onfocus=\"window.__xss=1\">",
    "<details open ontoggle=\"window.__xss=1\">details</details>",
    "<video><source onerror=\"window.__xss=1\"></video>",
    "<audio src=x onerror=\"window.__xss=1\">",
    "<marquee onstart=\"window.__xss=1\">marquee</marquee>",
    "<div onmouseover=\"window.__xss=1\">hover me</div>",
    "<a href=\"#\" onclick=\"window.__xss=1\">onclick link</a>",
    "<a href=\"https://example.com/x\" ONCLICK=\"window.__xss=1\">uppercase handler</a>",
    "<p onclick\n=\"window.__xss=1\">newline before the equals sign</p>",
    "<x onclick=window.__xss=1>custom element</x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\">",
    "<template><script>window.__xss=1</script></template>",
    "<frameset onload=window.__xss=1>",
    "<isindex action=javascript:window.__xss=1 type=image>",
    "`<script>window.__xss=1</script>` in a code span",
    "xsssearch <img src=x onerror=\"window.__xss=1\"> <b>bold</b>",
];

/// Finds anything executable or escaping in the elements matched by the
/// selector: forbidden elements, `on*` and `style` attributes, script or
/// data URLs. Returns a list of findings (empty when inert).
const AUDIT: &str = r#"
const [selector] = arguments;
const forbidden = new Set(['SCRIPT','IFRAME','FRAME','FRAMESET','OBJECT','EMBED','STYLE','LINK','META','BASE',
  'FORM','INPUT','BUTTON','TEXTAREA','SELECT','SVG','MATH','TEMPLATE','APPLET','ISINDEX','NOSCRIPT']);
const urlAttrs = ['href','src','action','formaction','xlink:href','data','srcdoc','poster','background','srcset'];
const clean = (v) => v.replace(/[\u0000-\u0020]/g, '').toLowerCase();
const out = [];
const roots = document.querySelectorAll(selector);
for (const root of roots) {
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toUpperCase();
    if (forbidden.has(tag)) out.push('element <' + tag.toLowerCase() + '>');
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) out.push('handler ' + name + ' on <' + tag.toLowerCase() + '>');
      if (name === 'style') out.push('inline style on <' + tag.toLowerCase() + '>');
      if (urlAttrs.includes(name)) {
        const v = clean(a.value);
        if (v.startsWith('javascript:') || v.startsWith('vbscript:') || (v.startsWith('data:') && !(tag === 'IMG' && v.startsWith('data:image/') && !v.startsWith('data:image/svg'))))
          out.push(name + '=' + a.value + ' on <' + tag.toLowerCase() + '>');
      }
    }
  }
}
return { roots: roots.length, findings: out };
"#;

async fn audit(app: &App<'_>, selector: &str) -> Vec<String> {
    let v = app.eval(AUDIT, vec![json!(selector)]).await;
    assert!(
        v["roots"].as_u64().unwrap_or(0) > 0,
        "nothing matched `{selector}` to audit"
    );
    v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// What would show that a payload ran or the page left the app: the
/// sentinel, a defaced title, the page's address.
async fn page_state(app: &App<'_>) -> Value {
    app.eval(
        "return { xss: window.__xss === undefined ? null : String(window.__xss),
                  pwned: document.title === 'pwned', href: location.href };",
        vec![],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xss_payloads_render_inert() {
    let world = World::start("xss_inert").await;
    let team = ana_and_ben(&world, |_| {});
    let thread = team.ben.post(
        CHANNEL,
        "<img src=x onerror=window.__xss=1> Payloads <script>window.__xss=1</script>",
        &format!("Opening post with <script>window.__xss=1</script> and [a safe link]({SAFE})."),
    );
    for p in PAYLOADS {
        team.ben.comment(&thread, p);
    }
    team.ben.sync();
    team.ana.sync();

    let app = world.launch(team.ana.dir(), &[]).await;
    let origin = app.eval("return location.origin;", vec![]).await;

    // The channel list shows the hostile title and snippet as text.
    app.click("[data-testid=channel-link]").await;
    app.wait_for(&row(&thread)).await;
    let findings = audit(
        &app,
        "[data-testid=thread-item-title], [data-testid=thread-item-snippet]",
    )
    .await;
    assert!(
        findings.is_empty(),
        "the thread list renders markup from a title or body: {findings:#?}"
    );

    app.click(&row(&thread)).await;
    app.wait_for(&thread_view(&thread)).await;
    app.wait_count("[data-testid=comment]", PAYLOADS.len())
        .await;
    let bodies =
        "[data-testid=comment-body], [data-testid=thread-body], [data-testid=thread-title]";
    let findings = audit(&app, bodies).await;
    assert!(
        findings.is_empty(),
        "rendered bodies hold executable markup: {findings:#?}"
    );
    // The audit sees what it looks for: a planted handler is reported.
    let planted = app
        .eval(
            "const el = document.createElement('img');
             el.setAttribute('onerror', 'void 0');
             el.id = 'planted-by-test';
             document.querySelector('[data-testid=comment-body]').append(el);
             return true;",
            vec![],
        )
        .await;
    assert_eq!(planted, json!(true));
    let seen = audit(&app, bodies).await;
    assert!(
        seen.iter().any(|f| f.contains("onerror")),
        "the audit misses a planted onerror: {seen:?}"
    );
    app.eval(
        "document.getElementById('planted-by-test').remove();",
        vec![],
    )
    .await;

    let clean = page_state(&app).await;
    assert_eq!(
        clean["xss"],
        Value::Null,
        "a payload ran while rendering: {clean}"
    );
    assert_eq!(
        clean["pwned"],
        json!(false),
        "a payload changed the title: {clean}"
    );

    // Click every link in the bodies: none may run script or navigate
    // the webview; http(s) links go out through the app's opener.
    let links = app
        .find_all("[data-testid=comment-body] a, [data-testid=thread-body] a")
        .await;
    assert!(
        !links.is_empty(),
        "the payloads include links (at least the safe one)"
    );
    for (i, link) in links.iter().enumerate() {
        let href = link.attr("href").await.ok().flatten();
        // A click may fail on a zero-size link; what matters is the state.
        let _ = link.click().await;
        if let Ok(text) = app.client().get_alert_text().await {
            panic!("link {i} ({href:?}) opened an alert: {text:?}");
        }
        let now = page_state(&app).await;
        assert_eq!(now, clean, "clicking link {i} ({href:?}) changed the page");
        assert!(
            app.find(&thread_view(&thread)).await.is_some(),
            "after clicking link {i} ({href:?}) the thread is no longer shown"
        );
    }
    let windows = app.client().windows().await.map(|w| w.len()).unwrap_or(0);
    assert_eq!(windows, 1, "a link opened another webview window");
    until(
        "the safe link to reach the system opener",
        DEADLINE,
        || async { world.opened_links().iter().any(|l| l == SAFE).then_some(()) },
    )
    .await;
    for l in world.opened_links() {
        assert!(
            l.starts_with("https://") || l.starts_with("http://") || l.starts_with("mailto:"),
            "the app handed a non-web link to the system: {l}"
        );
    }

    // Search snippets are HTML too: only <mark> may come through.
    app.press(&['/']).await;
    app.fill("[data-testid=search-input]", "xsssearch").await;
    app.wait_for("[data-testid=search-result]").await;
    let findings = audit(&app, "[data-testid=search-result]").await;
    assert!(
        findings.is_empty(),
        "search results render markup: {findings:#?}"
    );
    let marks_only = app
        .eval(
            "return [...document.querySelectorAll('[data-testid=search-result] *')]
               .filter(e => e.closest('[data-testid=search-result]') && e.tagName === 'IMG').length;",
            vec![],
        )
        .await;
    assert_eq!(
        marks_only,
        json!(0),
        "an <img> from a comment appears in a search snippet"
    );
    let after = page_state(&app).await;
    assert_eq!(
        after["xss"],
        Value::Null,
        "a payload ran in search: {after}"
    );
    assert_eq!(
        after["pwned"],
        json!(false),
        "a payload changed the title: {after}"
    );
    assert_eq!(
        app.eval("return location.origin;", vec![]).await,
        origin,
        "the webview left the app"
    );
    app.quit().await;
}
