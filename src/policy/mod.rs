//! The notification policy: the core decides, the shell delivers.
//!
//! People on a team spread across time zones should hear about what matters
//! to them, at a time that suits them, without a buzz per message. Two parts:
//!
//! - [`decide`] looks at one event against my settings, my working hours (in
//!   my time zone), what is on my screen and the clock, and answers notify
//!   now, hold until a given instant, fold into the last notification, or
//!   stay silent (with the reason).
//! - [`NotificationQueue`] is the small state the shell keeps and persists:
//!   it turns those decisions into the notifications to show — one per
//!   thread, digests when held events come due, one summary for a flood.
//!
//! Everything here is pure and deterministic: no I/O, and the time is always
//! a parameter (never read from the system clock), so the rules are tested
//! with fixed clocks and behave the same on every device. User-visible
//! wording lives in [`text`]. The one exception is [`persist`], which saves
//! the queue to a file so held notifications survive a restart.

mod decide;
mod digest;
pub mod landing;
pub mod morning;
mod notification;
pub mod persist;
mod queue;
pub mod reply_alerts;
mod summary;
pub mod text;
pub mod tray;

#[cfg(test)]
mod tests;

pub use decide::{decide, hold_time, Decision, Event, Focus, Me, Relation, Silence, FOLD_WINDOW};
pub use notification::{Notification, NotificationKey};
pub use queue::{NotificationQueue, CATCH_UP_THREADS, STALE_AFTER};
