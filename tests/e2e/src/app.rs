//! The app under test, as one WebDriver session: launch on a data folder,
//! find things by the UI's test hooks (ui/HOOKS.md), act as a person
//! would (click, type, press keys), call IPC commands the way the UI does,
//! take screenshots, quit.
//!
//! Every lookup waits for its element with a deadline instead of assuming
//! the UI is already there. [`App::invoke`] goes through
//! `window.__TAURI_INTERNALS__.invoke`, the same path the generated
//! bindings use, and returns the command's value or its error object
//! untouched, so tests can check the error's shape.

use std::path::{Path, PathBuf};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use crate::paths::{app_bin, screenshot_dir};
use crate::poll::{until, DEADLINE};
use crate::proc::{alive, find_pids};
use crate::world::World;

/// An error a command returned, as the page received it (expected to be
/// `{code, message}`; anything else is kept as is for the assertion).
#[derive(Clone, Debug, PartialEq)]
pub struct IpcError(pub Value);

impl IpcError {
    /// The `code` field when it is a string.
    pub fn code(&self) -> Option<&str> {
        self.0.get("code")?.as_str()
    }
    /// The `message` field when it is a string.
    pub fn message(&self) -> Option<&str> {
        self.0.get("message")?.as_str()
    }
}

/// A running app with a WebDriver session on its window.
pub struct App<'w> {
    world: &'w World,
    client: Option<Client>,
    data_dir: PathBuf,
    pid: u32,
}

/// The main window's title (src-tauri/tauri.conf.json).
pub const WINDOW_TITLE: &str = "Tidings";

const INVOKE: &str = r#"
const [cmd, args, done] = arguments;
const internals = window.__TAURI_INTERNALS__;
if (!internals) { done({ err: { harness: "window.__TAURI_INTERNALS__ is missing" } }); return; }
internals.invoke(cmd, args).then(
  (v) => done({ ok: v === undefined ? null : v }),
  (e) => done({ err: e === undefined ? null : e }),
);
"#;

impl<'w> App<'w> {
    /// Launches the app on `data_dir` with extra arguments and waits until
    /// the UI says it is ready (`body[data-ready]`).
    pub async fn launch(world: &'w World, data_dir: &Path, extra: &[String]) -> App<'w> {
        std::fs::create_dir_all(data_dir).expect("create the data dir");
        world.note_data_dir(data_dir);
        let bin = app_bin();
        let mut args = vec!["--data-dir".to_string(), data_dir.display().to_string()];
        args.extend_from_slice(extra);
        let client = world.driver().session(&bin, &args).await;
        let dir = data_dir.display().to_string();
        let pid = until("the app's process to appear", DEADLINE, || {
            let pids = find_pids(&bin, &dir);
            async move { pids.first().copied() }
        })
        .await;
        let app = App {
            world,
            client: Some(client),
            data_dir: data_dir.to_path_buf(),
            pid,
        };
        app.wait_for("body[data-ready]").await;
        app
    }

    /// The WebDriver client.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open")
    }

    /// The app's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The data folder it runs on.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The world it runs in.
    pub fn world(&self) -> &'w World {
        self.world
    }

    /// The first element matching `css`, if any, now.
    pub async fn find(&self, css: &str) -> Option<Element> {
        self.client().find(Locator::Css(css)).await.ok()
    }

    /// Every element matching `css`, now.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client()
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
    }

    /// Waits for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> Element {
        until(&format!("an element matching `{css}`"), DEADLINE, || {
            self.find(css)
        })
        .await
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        until(
            &format!("no element to match `{css}`"),
            DEADLINE,
            || async { self.find(css).await.is_none().then_some(()) },
        )
        .await;
    }

    /// Waits until `count` elements match `css`.
    pub async fn wait_count(&self, css: &str, count: usize) -> Vec<Element> {
        until(
            &format!("{count} elements matching `{css}`"),
            DEADLINE,
            || async {
                let all = self.find_all(css).await;
                (all.len() == count).then_some(all)
            },
        )
        .await
    }

    /// Waits until the text of the element matching `css` satisfies `ok`;
    /// returns that text.
    pub async fn wait_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        until(&format!("`{css}` to show {what}"), DEADLINE, || async {
            let el = self.find(css).await?;
            let text = el.text().await.ok()?;
            ok(&text).then_some(text)
        })
        .await
    }

    /// Waits until some element matching `css` has text satisfying `ok`;
    /// returns that text.
    pub async fn wait_any_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        until(
            &format!("some `{css}` to show {what}"),
            DEADLINE,
            || async {
                for el in self.find_all(css).await {
                    if let Ok(text) = el.text().await {
                        if ok(&text) {
                            return Some(text);
                        }
                    }
                }
                None
            },
        )
        .await
    }

    /// The text of the first element matching `css` (waiting for it).
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap_or_default()
    }

    /// An attribute of the first element matching `css` (waiting for it).
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.wait_for(css).await.attr(name).await.ok().flatten()
    }

    /// The current value of the form field matching `css` (its property,
    /// not its initial attribute).
    pub async fn value(&self, css: &str) -> String {
        self.wait_for(css)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Waits until the form control matching `css` holds `want` (the UI
    /// updates bound values after the event that changes them).
    pub async fn wait_value(&self, css: &str, want: &str) {
        until(&format!("`{css}` to hold {want:?}"), DEADLINE, || async {
            let v = self.find(css).await?.prop("value").await.ok().flatten()?;
            (v == want).then_some(())
        })
        .await
    }

    /// Clicks the element matching `css` once it is there and clickable.
    pub async fn click(&self, css: &str) {
        until(&format!("a click on `{css}` to land"), DEADLINE, || async {
            let el = self.find(css).await?;
            el.click().await.ok()
        })
        .await;
    }

    /// Replaces the text of the field matching `css` by typing `text`.
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.wait_for(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clear `{css}`: {e}"));
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into `{css}`: {e}"));
    }

    /// Picks the option with `value` in the select matching `css`.
    pub async fn select(&self, css: &str, value: &str) {
        let el = self.wait_for(css).await;
        el.select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value:?} in `{css}`: {e}"));
    }

    /// Sets a form control's value the way a picker does (time inputs
    /// cannot be typed into reliably over WebDriver): the native setter,
    /// then `input` and `change` events.
    pub async fn set_value(&self, css: &str, value: &str) {
        let el = self.wait_for(css).await;
        let el = serde_json::to_value(el).expect("element reference");
        self.eval(
            "const [el, v] = arguments;
             const proto = Object.getPrototypeOf(el);
             Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, v);
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![el, json!(value)],
        )
        .await;
    }

    /// Presses keys one after another on whatever has focus; a character
    /// may be a WebDriver key such as `Key::Enter`.
    pub async fn press(&self, keys: &[char]) {
        let mut actions = KeyActions::new("keyboard".to_string());
        for k in keys {
            actions = actions
                .then(KeyAction::Down { value: *k })
                .then(KeyAction::Up { value: *k });
        }
        self.perform(actions).await;
    }

    /// Presses `key` with `modifier` held (e.g. Control + 'k').
    pub async fn chord(&self, modifier: Key, key: char) {
        let m: char = modifier.into();
        let actions = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: m })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: m });
        self.perform(actions).await;
    }

    async fn perform(&self, actions: KeyActions) {
        self.client()
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("key actions failed: {e}"));
    }

    /// Runs a synchronous script in the page; its return value.
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Value {
        self.client()
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Calls a command as the UI does; `Ok(value)` or the error object.
    /// Panics when no answer comes (the page's script timeout, 30 s).
    pub async fn invoke(&self, cmd: &str, args: Value) -> Result<Value, IpcError> {
        self.try_invoke(cmd, args)
            .await
            .unwrap_or_else(|e| panic!("invoke {cmd}: {e}"))
    }

    /// Like [`App::invoke`], with a missing answer (the command hung past
    /// the page's script timeout) as `Err` instead of a panic.
    pub async fn try_invoke(
        &self,
        cmd: &str,
        args: Value,
    ) -> Result<Result<Value, IpcError>, String> {
        let reply = self
            .client()
            .execute_async(INVOKE, vec![json!(cmd), args])
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        if let Some(v) = reply.get("ok") {
            return Ok(Ok(v.clone()));
        }
        match reply.get("err") {
            Some(e) if e.get("harness").is_some() => Err(e.to_string()),
            Some(e) => Ok(Err(IpcError(e.clone()))),
            None => Err(format!("unexpected reply {reply}")),
        }
    }

    /// Calls a command that must succeed; its value.
    pub async fn call(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args.clone())
            .await
            .unwrap_or_else(|e| panic!("{cmd}({args}) failed: {}", e.0))
    }

    /// Saves the window as `<repo>/target/e2e-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // The page paints after the DOM changes that a test waits for: two
        // animation frames put them on screen before the capture.
        self.client()
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("wait for a paint before {name}: {e}"));
        let png = self
            .client()
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    /// Closes the window as its close button would (`WM_DELETE_WINDOW`).
    pub fn close_window(&self) {
        let asked = self.world.display().windows().request_close(WINDOW_TITLE);
        assert_eq!(
            asked, 1,
            "expected one shown window titled {WINDOW_TITLE:?} to close"
        );
    }

    /// How many of the app's windows are shown.
    pub fn windows_shown(&self) -> usize {
        self.world.display().windows().shown(WINDOW_TITLE)
    }

    /// Whether the app's process is still running.
    pub fn running(&self) -> bool {
        alive(self.pid)
    }

    /// Waits until the app's process has exited.
    pub async fn wait_exit(&self, why: &str) {
        let pid = self.pid;
        until(
            &format!("the app (pid {pid}) to exit {why}"),
            DEADLINE,
            || async move { (!alive(pid)).then_some(()) },
        )
        .await;
        // Gone for the kernel too: its folder lock (and the socket a next
        // launch would hand over to) is released only when every file it
        // held is closed. A relaunch before that hands over to the dying
        // instance and exits.
        let lock = self.data_dir.join("tidings.lock");
        until(
            &format!("the app (pid {pid}) to release {}", lock.display()),
            DEADLINE,
            || {
                let lock = lock.clone();
                async move { folder_free(&lock).then_some(()) }
            },
        )
        .await;
    }

    /// Ends the WebDriver session (as the driver quits the app) and waits
    /// until the process has exited.
    pub async fn quit(mut self) {
        if let Some(client) = self.client.take() {
            client
                .close()
                .await
                .unwrap_or_else(|e| panic!("closing the session failed: {e}"));
        }
        self.wait_exit("after its WebDriver session ended").await;
    }

    /// Quits the app the way logging out does (SIGTERM): it shuts down as
    /// from the tray's Quit (stops sync, saves the search index, prepares
    /// a compaction when one is due), then the process exits. Ending the
    /// WebDriver session instead kills the app without a shutdown.
    pub async fn terminate(mut self) {
        let pid = libc::pid_t::try_from(self.pid).expect("a pid fits pid_t");
        // SAFETY: kill(2) on the app's process, which the harness started
        // and which is still alive (waited for below); no memory is shared.
        let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM to the app (pid {pid}) failed");
        self.wait_exit("after SIGTERM").await;
        // The driver still counts its session (one at a time): end it. The
        // browser it drove is gone, so the driver may answer with an error.
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }

    /// Forgets the session without closing it (the app quit by itself).
    pub fn detach(mut self) {
        self.client.take();
    }
}

/// Whether nobody holds the store's lock file (absent counts as free).
fn folder_free(lock: &Path) -> bool {
    match std::fs::OpenOptions::new().write(true).open(lock) {
        Ok(file) => file.try_lock().is_ok(),
        Err(_) => true,
    }
}
