//! Launching Tidings again on a data folder it already runs on: the
//! second launch hands over to the first and exits at once with success;
//! the first keeps running, alone, and brings its window forward, shown,
//! on top of what covered it and holding the input focus, whether it was
//! closed to the tray, left behind another application or minimized.
//!
//! "Forward" is read from X itself. There is no window manager under
//! Xvfb, so the test plays both the other application (a window of its
//! own over the whole screen, raised and focused) and, for minimizing,
//! the window manager; then it reads the root's stacking order and the
//! input focus.

use std::path::Path;
use std::process::{Command, Stdio};

use tidings_e2e::app::WINDOW_TITLE;
use tidings_e2e::paths::app_bin;
use tidings_e2e::poll::{until, until_ok};
use tidings_e2e::proc::find_pids;
use tidings_e2e::window::Windows;
use tidings_e2e::{App, World, DEADLINE};
use x11rb::protocol::xproto::Window;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_launch_brings_the_window_forward_and_exits() {
    let world = World::start("second_launch").await;
    let dir = world.data_dir("ana");
    let app = world.launch(&dir, &[]).await;
    app.wait_for("[data-testid=first-run]").await;
    let screen = world.display().windows();
    let other = screen.cover_screen("another application");

    // Closed to the tray: the app runs on, its window hidden.
    app.close_window();
    wait_hidden(&app, "closed to the tray").await;
    expect_behind(&screen, other, "closed to the tray");
    launch_again(&world, &dir, "tray").await;
    expect_forward(&screen, other, "closed to the tray").await;

    // Shown, but another application came to the front and took the focus.
    screen.raise_and_focus(other);
    expect_behind(&screen, other, "behind another application");
    launch_again(&world, &dir, "behind").await;
    expect_forward(&screen, other, "behind another application").await;

    // Minimized, as a person's window manager does it.
    screen.iconify(app_window(&screen).expect("the app's window"));
    wait_hidden(&app, "minimized").await;
    // The app took the unmap for a minimize (WebKit hides the page on the
    // toplevel's iconified state); launching before that would test a
    // window the app still thinks is shown.
    until("the app to know it is minimized", DEADLINE, || async {
        let state = app.eval("return document.visibilityState", vec![]).await;
        (state == "hidden").then_some(())
    })
    .await;
    screen.raise_and_focus(other);
    expect_behind(&screen, other, "minimized");
    launch_again(&world, &dir, "minimized").await;
    expect_forward(&screen, other, "minimized").await;

    assert!(app.running(), "the first app keeps running");
    assert_eq!(
        find_pids(&app_bin(), &dir.display().to_string()),
        vec![app.pid()],
        "one app on the folder"
    );
    // The window that came back is the live one, not a blank new one.
    app.wait_for("[data-testid=first-run]").await;
    app.quit().await;
}

async fn wait_hidden(app: &App<'_>, how: &str) {
    until(
        &format!("the window to be hidden ({how})"),
        DEADLINE,
        || async { (app.windows_shown() == 0).then_some(()) },
    )
    .await;
}

/// Starts the app again on `dir` as a person would and waits for it to
/// hand over and exit with success.
async fn launch_again(world: &World, dir: &Path, name: &str) {
    let log = world.dir().join(format!("second-launch-{name}.log"));
    let out = std::fs::File::create(&log).expect("create the second launch's log");
    let mut second = Command::new(app_bin())
        .arg("--data-dir")
        .arg(dir)
        .envs(world.env().iter().cloned())
        .stdout(Stdio::from(out.try_clone().expect("clone the log file")))
        .stderr(Stdio::from(out))
        .spawn()
        .expect("start a second app");
    let status = until("the second launch to exit", DEADLINE, || {
        let exited = second.try_wait().expect("poll the second launch");
        async move { exited }
    })
    .await;
    assert!(
        status.success(),
        "the second launch exits with success after handing over ({status}): {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}

/// The app's one top-level window (shown or not).
fn app_window(screen: &Windows) -> Result<Window, String> {
    match screen.find(WINDOW_TITLE)[..] {
        [(w, _)] => Ok(w),
        ref found => Err(format!(
            "expected one window titled {WINDOW_TITLE:?}, found {found:?}; X reports:\n{}",
            screen.describe()
        )),
    }
}

/// Checks the set-up before a second launch: `other` is above the app's
/// window and holds the input focus.
fn expect_behind(screen: &Windows, other: Window, how: &str) {
    let app = app_window(screen).unwrap_or_else(|e| panic!("{how}: {e}"));
    assert!(
        screen.focus() == other && screen.stacked_above(other, app),
        "{how}: the other application should be in front with the focus; X reports:\n{}",
        screen.describe()
    );
}

/// Waits until the app's window is shown, above `other` and holds the
/// input focus, failing with what X reports.
async fn expect_forward(screen: &Windows, other: Window, how: &str) {
    let what = format!("the app's window to come forward ({how})");
    until_ok(&what, DEADLINE, || {
        let seen = app_window(screen).and_then(|app| {
            let shown = screen.find(WINDOW_TITLE) == [(app, true)];
            let above = screen.stacked_above(app, other);
            let focused = screen.holds_focus(app);
            if shown && above && focused {
                Ok(())
            } else {
                Err(format!(
                    "app window {app:#x}: shown {shown}, above the other application {above}, \
                     holds the input focus {focused}; X reports:\n{}",
                    screen.describe()
                ))
            }
        });
        async move { seen }
    })
    .await;
}
