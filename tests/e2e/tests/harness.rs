//! The harness itself: a world starts, the app launches into it, its page
//! loads, IPC answers and the tray item registers. When this fails the
//! scenarios cannot tell anything, so it names the broken link first.

use serde_json::json;
use tidings_e2e::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_starts_in_a_private_desktop_and_answers_ipc() {
    let world = World::start("harness").await;
    let dir = world.data_dir("ana");
    let app = world.launch(&dir, &[]).await;

    let info = app.call("app_info", json!({})).await;
    assert_eq!(info["data_dir"], dir.display().to_string(), "{info}");
    assert_eq!(
        info["workspace"],
        json!(null),
        "a new data folder has no workspace: {info}"
    );
    assert_eq!(info["test_clock"], json!(false), "{info}");

    let item = world.tray().wait_item().await;
    let menu = item.menu().await;
    assert!(menu.find("Open Tidings").is_some(), "tray menu: {menu:#?}");

    app.quit().await;
}
