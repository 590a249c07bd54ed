//! End-to-end scenarios of the Tidings desktop app: the real app binary
//! under Xvfb, driven through its UI over WebDriver, with teammates on the
//! real CLI syncing through a real nats-server, notifications going to a
//! real dunst and the tray to a StatusNotifierWatcher on a private bus.
//! One binary (the core's layout); each module holds related scenarios and
//! `support` the team set-ups they share. Worlds run one at a time.

mod support;

mod accessibility;
mod app_links;
mod bad_ipc;
mod checkins;
mod clock_skew;
mod empty_states;
mod first_run;
mod harness;
mod keyboard_only;
mod later;
mod long_thread;
mod notifications;
mod reply_by;
mod screens;
mod search_and_keys;
mod second_launch;
mod send_later;
mod tray;
mod unicode_names;
mod urgent;
mod xss;
