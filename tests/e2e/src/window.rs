//! Top-level windows on the world's X display, seen and handled as a
//! window manager would: found by title, mapped or not, and asked to
//! close with `WM_DELETE_WINDOW` (what a title bar's close button sends).
//!
//! WebDriver's "close window" cannot stand in for that: it tears down the
//! browsing context, and the app exits instead of hiding to the tray.
//! There is no window manager under Xvfb, so top-level windows are direct
//! children of the root window.

use x11rb::connection::Connection;
use x11rb::errors::ReplyError;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt as _, EventMask, MapState, Window,
};
use x11rb::rust_connection::RustConnection;

/// A connection to one display.
pub struct Windows {
    conn: RustConnection,
    root: Window,
}

impl Windows {
    /// Connects to `display` (`:N`).
    pub fn connect(display: &str) -> Windows {
        let (conn, screen) = x11rb::connect(Some(display))
            .unwrap_or_else(|e| panic!("cannot connect to X display {display}: {e}"));
        let root = conn.setup().roots[screen].root;
        Windows { conn, root }
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
}
