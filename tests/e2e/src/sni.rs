//! The tray, seen from the desktop's side: this harness owns
//! `org.kde.StatusNotifierWatcher` on the world's bus, so the app's
//! StatusNotifierItem registers with it (libayatana-appindicator registers
//! only when a watcher exists). A test then reads the item's properties
//! (label, title, icon) and clicks its menu entries through
//! `com.canonical.dbusmenu`, as a panel would.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use zbus::message::Header;
use zbus::object_server::SignalEmitter;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};
use zbus::Connection;

use crate::poll::{until, DEADLINE};

const WATCHER: &str = "org.kde.StatusNotifierWatcher";
const ITEM: &str = "org.kde.StatusNotifierItem";
const MENU: &str = "com.canonical.dbusmenu";

type Items = Arc<Mutex<Vec<(String, String)>>>;

/// A dbusmenu layout node: id, properties, children (each a node in a
/// variant).
type Layout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// The SNI `ToolTip`: icon name, icon pixmaps, title, text.
type ToolTip = (String, Vec<(i32, i32, Vec<u8>)>, String, String);

struct Watcher {
    items: Items,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    async fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        // An item names either its object path (on the caller's
        // connection) or a bus name (at the standard path).
        let (dest, path) = if service.starts_with('/') {
            (sender, service.to_string())
        } else {
            (service.to_string(), "/StatusNotifierItem".to_string())
        };
        let name = format!("{dest}{path}");
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((dest, path));
        let _ = Self::status_notifier_item_registered(&emitter, &name).await;
        let _ = self
            .registered_status_notifier_items_changed(&emitter)
            .await;
    }

    async fn register_status_notifier_host(
        &self,
        service: &str,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) {
        let _ = service;
        let _ = Self::status_notifier_host_registered(&emitter).await;
    }

    #[zbus(property)]
    async fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(d, p)| format!("{d}{p}"))
            .collect()
    }

    // This harness plays the tray host as well: it reads the items.
    #[zbus(property)]
    async fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    async fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_host_registered(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;
}

/// The watcher this world owns, and the items registered with it.
pub struct Tray {
    conn: Connection,
    items: Items,
}

impl Tray {
    /// Connects to the bus at `address` and owns the watcher name.
    pub async fn start(address: &str) -> Tray {
        let items = Items::default();
        let conn = zbus::connection::Builder::address(address)
            .and_then(|b| b.name(WATCHER))
            .and_then(|b| {
                b.serve_at(
                    "/StatusNotifierWatcher",
                    Watcher {
                        items: items.clone(),
                    },
                )
            })
            .unwrap_or_else(|e| panic!("cannot set up the StatusNotifierWatcher: {e}"))
            .build()
            .await
            .unwrap_or_else(|e| panic!("cannot own {WATCHER} on {address}: {e}"));
        Tray { conn, items }
    }

    /// Every registration so far, as `bus-name/path`.
    pub fn registered(&self) -> Vec<String> {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(d, p)| format!("{d}{p}"))
            .collect()
    }

    async fn has_owner(&self, name: &str) -> bool {
        let reply = self
            .conn
            .call_method(
                Some("org.freedesktop.DBus"),
                "/org/freedesktop/DBus",
                Some("org.freedesktop.DBus"),
                "NameHasOwner",
                &(name,),
            )
            .await;
        reply.is_ok_and(|m| m.body().deserialize::<bool>().unwrap_or(false))
    }

    /// The newest registered item whose owner is still on the bus, or None.
    pub async fn live_item(&self) -> Option<Item> {
        let items: Vec<(String, String)> =
            self.items.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for (dest, path) in items.into_iter().rev() {
            if self.has_owner(&dest).await {
                return Some(Item {
                    conn: self.conn.clone(),
                    dest,
                    path,
                });
            }
        }
        None
    }

    /// Waits until an item is registered and its owner is on the bus.
    pub async fn wait_item(&self) -> Item {
        until(
            "the app's tray item to register with the watcher",
            DEADLINE,
            || self.live_item(),
        )
        .await
    }
}

/// One StatusNotifierItem on the bus.
pub struct Item {
    conn: Connection,
    dest: String,
    path: String,
}

/// One entry of the item's menu.
#[derive(Clone, Debug)]
pub struct MenuEntry {
    /// The dbusmenu id (what a click names).
    pub id: i32,
    /// The label without mnemonic underscores ("" for a separator).
    pub label: String,
    /// Whether it can be clicked.
    pub enabled: bool,
    /// Its submenu.
    pub children: Vec<MenuEntry>,
}

impl MenuEntry {
    /// This entry and everything below it, depth first.
    pub fn flatten(&self) -> Vec<&MenuEntry> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.flatten());
        }
        out
    }

    /// The first entry with this label, anywhere below.
    pub fn find(&self, label: &str) -> Option<&MenuEntry> {
        self.flatten().into_iter().find(|e| e.label == label)
    }
}

impl Item {
    /// `bus-name/path`.
    pub fn name(&self) -> String {
        format!("{}{}", self.dest, self.path)
    }

    async fn property(&self, interface: &str, name: &str, path: &str) -> zbus::Result<OwnedValue> {
        let reply = self
            .conn
            .call_method(
                Some(self.dest.as_str()),
                path,
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &(interface, name),
            )
            .await?;
        reply.body().deserialize::<OwnedValue>()
    }

    /// A string property of the item; None when it has no such property.
    pub async fn string(&self, name: &str) -> Option<String> {
        let v = self.property(ITEM, name, &self.path).await.ok()?;
        String::try_from(v).ok()
    }

    /// The label panels show beside the icon (Ayatana's extension; the
    /// app puts its inbox count there, since Linux trays show no tooltip).
    pub async fn label(&self) -> String {
        self.string("XAyatanaLabel").await.unwrap_or_default()
    }

    /// The tooltip's title and text, when the item has a tooltip.
    pub async fn tooltip(&self) -> Option<(String, String)> {
        let v = self.property(ITEM, "ToolTip", &self.path).await.ok()?;
        let (_icon, _pixmaps, title, text): ToolTip = v.try_into().ok()?;
        Some((title, text))
    }

    /// The icon's name (with the app's tray, a file path).
    pub async fn icon_name(&self) -> String {
        self.string("IconName").await.unwrap_or_default()
    }

    /// The icon's image as the panel would load it: the file named by
    /// `IconName` (a path, or a name in `IconThemePath`). None when the item
    /// names a theme icon that is not a file.
    pub async fn icon_bytes(&self) -> Option<Vec<u8>> {
        let name = self.icon_name().await;
        let path = if name.starts_with('/') {
            std::path::PathBuf::from(&name)
        } else {
            let dir = self.string("IconThemePath").await.unwrap_or_default();
            std::path::Path::new(&dir).join(format!("{name}.png"))
        };
        std::fs::read(path).ok()
    }

    async fn menu_path(&self) -> String {
        let v = self
            .property(ITEM, "Menu", &self.path)
            .await
            .unwrap_or_else(|e| panic!("the tray item {} has no Menu property: {e}", self.name()));
        OwnedObjectPath::try_from(v)
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|e| panic!("the tray item's Menu is not an object path: {e}"))
    }

    /// The whole menu, as `GetLayout` reports it.
    pub async fn menu(&self) -> MenuEntry {
        let path = self.menu_path().await;
        let reply = self
            .conn
            .call_method(
                Some(self.dest.as_str()),
                path.as_str(),
                Some(MENU),
                "GetLayout",
                &(0i32, -1i32, Vec::<String>::new()),
            )
            .await
            .unwrap_or_else(|e| panic!("GetLayout on {}{path} failed: {e}", self.dest));
        let (_revision, root): (u32, Layout) = reply
            .body()
            .deserialize()
            .unwrap_or_else(|e| panic!("GetLayout answered an unexpected shape: {e}"));
        entry(root)
    }

    /// Clicks the menu entry labelled `label`, as a panel does.
    pub async fn click(&self, label: &str) {
        let menu = self.menu().await;
        let Some(entry) = menu.find(label) else {
            let labels: Vec<&str> = menu.flatten().iter().map(|e| e.label.as_str()).collect();
            panic!("the tray menu has no entry {label:?}; it has {labels:?}");
        };
        let id = entry.id;
        let path = self.menu_path().await;
        self.conn
            .call_method(
                Some(self.dest.as_str()),
                path.as_str(),
                Some(MENU),
                "Event",
                &(id, "clicked", Value::from(0i32), 0u32),
            )
            .await
            .unwrap_or_else(|e| panic!("clicking {label:?} (id {id}) failed: {e}"));
    }
}

fn entry((id, props, children): Layout) -> MenuEntry {
    let text = |k: &str| {
        props
            .get(k)
            .and_then(|v| String::try_from(v.try_clone().ok()?).ok())
    };
    let enabled = props
        .get("enabled")
        .and_then(|v| bool::try_from(v.try_clone().ok()?).ok())
        .unwrap_or(true);
    MenuEntry {
        id,
        label: text("label").unwrap_or_default().replace('_', ""),
        enabled,
        children: children
            .into_iter()
            .filter_map(|c| Layout::try_from(c).ok())
            .map(entry)
            .collect(),
    }
}
