//! Tidings core: the local-first thread store.
//!
//! Everything a person does is an immutable, signed op ([`model::op`]); the
//! [`store`] keeps the op log in sled and derives every view ([`views`])
//! from it; [`search`] indexes threads with tantivy; [`render`] turns
//! markdown into sanitized HTML; [`policy`] decides which arrivals notify
//! whom and when. No desktop code lives here: see ARCHITECTURE.md.
#![deny(missing_docs)]

pub mod arrivals;
pub mod error;
pub mod events;
pub mod export;
pub mod model;
pub mod policy;
pub mod render;
pub mod search;
pub mod store;
pub mod sync;
pub mod views;

pub use error::{Error, ErrorCode, Result};
pub use store::{Options, Store, DEFAULT_DISK_RESERVE_BYTES};
