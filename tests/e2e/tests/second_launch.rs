//! Launching Tidings again on a data folder it already runs on: the
//! second launch hands over to the first, whose window comes back, and
//! exits at once with success; the first keeps running, alone.

use std::process::{Command, Stdio};

use tidings_e2e::paths::app_bin;
use tidings_e2e::poll::until;
use tidings_e2e::proc::find_pids;
use tidings_e2e::{World, DEADLINE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_launch_brings_the_hidden_window_back_and_exits() {
    let world = World::start("second_launch").await;
    let dir = world.data_dir("ana");
    let app = world.launch(&dir, &[]).await;
    app.wait_for("[data-testid=first-run]").await;

    // Closed to the tray: the app runs on, its window hidden.
    app.close_window();
    until("the window to be hidden", DEADLINE, || async {
        (app.windows_shown() == 0).then_some(())
    })
    .await;

    let log = world.dir().join("second-launch.log");
    let out = std::fs::File::create(&log).expect("create the second launch's log");
    let mut second = Command::new(app_bin())
        .arg("--data-dir")
        .arg(&dir)
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

    until("the first window to show again", DEADLINE, || async {
        (app.windows_shown() == 1).then_some(())
    })
    .await;
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
