//! Top-level windows on the world's X display, seen and handled as a
//! window manager would: found by title, mapped or not, and asked to
//! close with `WM_DELETE_WINDOW` (what a title bar's close button sends).
//!
//! WebDriver's "close window" cannot stand in for that: it tears down the
//! browsing context, and the app exits instead of hiding to the tray.
//! There is no window manager under Xvfb, so top-level windows are direct
//! children of the root window, the root's list of children is the
//! stacking order, and the input focus is whatever a client last set.
//! That lets a test put another window in front with the focus (a
//! [`Windows::cover_screen`]) and then see whether the app raised and
//! focused its own (what GTK does itself when no window manager runs).

use x11rb::connection::Connection;
use x11rb::cookie::VoidCookie;
use x11rb::errors::{ConnectionError, ReplyError};
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConfigureWindowAux, ConnectionExt as _, CreateWindowAux,
    EventMask, InputFocus, MapState, PropMode, StackMode, Window, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

/// A connection to one display. Windows it creates live as long as it.
pub struct Windows {
    conn: RustConnection,
    root: Window,
    size: (u16, u16),
}

impl Windows {
    /// Connects to `display` (`:N`).
    pub fn connect(display: &str) -> Windows {
        let (conn, screen) = x11rb::connect(Some(display))
            .unwrap_or_else(|e| panic!("cannot connect to X display {display}: {e}"));
        let screen = &conn.setup().roots[screen];
        let (root, size) = (
            screen.root,
            (screen.width_in_pixels, screen.height_in_pixels),
        );
        Windows { conn, root, size }
    }

    fn atom(&self, name: &str) -> u32 {
        self.conn
            .intern_atom(false, name.as_bytes())
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .map(|r| r.atom)
            .unwrap_or_else(|e| panic!("intern atom {name}: {e}"))
    }

    fn title(&self, w: Window) -> Option<String> {
        let utf8 = self.atom("UTF8_STRING");
        for (prop, kind) in [
            (self.atom("_NET_WM_NAME"), utf8),
            (AtomEnum::WM_NAME.into(), AtomEnum::STRING.into()),
        ] {
            let reply = self
                .conn
                .get_property(false, w, prop, kind, 0, 1024)
                .ok()?
                .reply()
                .ok()?;
            if !reply.value.is_empty() {
                return Some(String::from_utf8_lossy(&reply.value).to_string());
            }
        }
        None
    }

    /// Whether `w` is mapped and so are its ancestors (shown).
    fn is_shown(&self, w: Window) -> bool {
        self.conn
            .get_window_attributes(w)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|a| a.map_state == MapState::VIEWABLE)
    }

    /// Top-level windows titled exactly `title`, with whether each is
    /// mapped (shown).
    pub fn find(&self, title: &str) -> Vec<(Window, bool)> {
        let Ok(tree) = self
            .conn
            .query_tree(self.root)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
        else {
            return Vec::new();
        };
        tree.children
            .into_iter()
            .filter(|w| self.title(*w).as_deref() == Some(title))
            .map(|w| {
                let shown = self
                    .conn
                    .get_window_attributes(w)
                    .ok()
                    .and_then(|c| c.reply().ok())
                    .is_some_and(|a| a.map_state == MapState::VIEWABLE);
                (w, shown)
            })
            .collect()
    }

    /// How many top-level windows titled `title` are shown.
    pub fn shown(&self, title: &str) -> usize {
        self.find(title).iter().filter(|(_, shown)| *shown).count()
    }

    /// Asks every shown window titled `title` to close, as a window
    /// manager does when its close button is clicked; how many were asked.
    pub fn request_close(&self, title: &str) -> usize {
        let protocols = self.atom("WM_PROTOCOLS");
        let delete = self.atom("WM_DELETE_WINDOW");
        let shown: Vec<Window> = self
            .find(title)
            .into_iter()
            .filter(|(_, s)| *s)
            .map(|(w, _)| w)
            .collect();
        for w in &shown {
            let event =
                ClientMessageEvent::new(32, *w, protocols, [delete, x11rb::CURRENT_TIME, 0, 0, 0]);
            self.conn
                .send_event(false, *w, EventMask::NO_EVENT, event)
                .unwrap_or_else(|e| panic!("send WM_DELETE_WINDOW: {e}"))
                // A round trip: the connection is dropped right after, and
                // a busy Xvfb that sees it hang up may never read a request
                // only flushed (the window then stayed shown, 1 run in 2
                // under load).
                .check()
                .unwrap_or_else(|e| panic!("send WM_DELETE_WINDOW (checked): {e}"));
        }
        self.conn
            .flush()
            .unwrap_or_else(|e| panic!("flush the X connection: {e}"));
        shown.len()
    }

    /// Creates a plain window over the whole screen, titled `title`, maps
    /// it, raises it and gives it the input focus: another application in
    /// front of everything. It lives as long as this connection.
    pub fn cover_screen(&self, title: &str) -> Window {
        let w = self
            .conn
            .generate_id()
            .unwrap_or_else(|e| panic!("allocate a window id: {e}"));
        let (width, height) = self.size;
        check(
            "create a covering window",
            self.conn.create_window(
                x11rb::COPY_DEPTH_FROM_PARENT,
                w,
                self.root,
                0,
                0,
                width,
                height,
                0,
                WindowClass::INPUT_OUTPUT,
                x11rb::COPY_FROM_PARENT,
                &CreateWindowAux::new(),
            ),
        );
        check(
            "title the covering window",
            self.conn.change_property8(
                PropMode::REPLACE,
                w,
                AtomEnum::WM_NAME,
                AtomEnum::STRING,
                title.as_bytes(),
            ),
        );
        check("map the covering window", self.conn.map_window(w));
        self.raise_and_focus(w);
        w
    }

    /// Puts `w` on top of its siblings and gives it the input focus, as a
    /// window manager does when a person clicks it.
    pub fn raise_and_focus(&self, w: Window) {
        check(
            &format!("raise window {w:#x}"),
            self.conn
                .configure_window(w, &ConfigureWindowAux::new().stack_mode(StackMode::ABOVE)),
        );
        check(
            &format!("focus window {w:#x}"),
            self.conn
                .set_input_focus(InputFocus::PARENT, w, x11rb::CURRENT_TIME),
        );
    }

    /// Minimizes `w` as a window manager does (ICCCM 4.1.4): marks it
    /// Iconic in `WM_STATE` and unmaps it. The app sees the unmap of a
    /// window it did not hide and takes itself for minimized.
    pub fn iconify(&self, w: Window) {
        let wm_state = self.atom("WM_STATE");
        const ICONIC: u32 = 3;
        check(
            &format!("set WM_STATE of {w:#x}"),
            self.conn
                .change_property32(PropMode::REPLACE, w, wm_state, wm_state, &[ICONIC, 0]),
        );
        check(&format!("unmap {w:#x}"), self.conn.unmap_window(w));
    }

    /// The window holding the input focus (`None` (0) or `PointerRoot` (1)
    /// when no window does).
    pub fn focus(&self) -> Window {
        self.conn
            .get_input_focus()
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .map(|r| r.focus)
            .unwrap_or_else(|e| panic!("get the input focus: {e}"))
    }

    /// Whether the input focus is on `top` or on a window inside it.
    pub fn holds_focus(&self, top: Window) -> bool {
        let mut w = self.focus();
        // 0 and 1 are None and PointerRoot, not windows.
        while w > 1 && w != self.root {
            if w == top {
                return true;
            }
            match self.conn.query_tree(w).ok().and_then(|c| c.reply().ok()) {
                Some(tree) => w = tree.parent,
                None => return false,
            }
        }
        false
    }

    /// The root's children, bottom to top: the stacking order.
    pub fn stacking(&self) -> Vec<Window> {
        self.conn
            .query_tree(self.root)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .map(|t| t.children)
            .unwrap_or_else(|e| panic!("list the root's children: {e}"))
    }

    /// Whether top-level `upper` is stacked above top-level `lower`.
    pub fn stacked_above(&self, upper: Window, lower: Window) -> bool {
        let order = self.stacking();
        let at = |w| order.iter().position(|c| *c == w);
        matches!((at(upper), at(lower)), (Some(u), Some(l)) if u > l)
    }

    /// What X reports, for a failure message: the input focus and the
    /// titled top-level windows from top to bottom, each with whether it
    /// is shown.
    pub fn describe(&self) -> String {
        let mut lines = vec![format!("input focus: {:#x}", self.focus())];
        for w in self.stacking().into_iter().rev() {
            let Some(title) = self.title(w) else { continue };
            let shown = self.is_shown(w);
            lines.push(format!("  {w:#x} {title:?} shown: {shown}"));
        }
        lines.join("\n")
    }
}

/// Waits for the server to carry out a request, failing with `what` and
/// its error: a round trip, so what a test asserts next sees it done.
fn check(what: &str, sent: Result<VoidCookie<'_, RustConnection>, ConnectionError>) {
    sent.map_err(ReplyError::from)
        .and_then(|c| c.check())
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}
