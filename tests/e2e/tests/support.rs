//! Set-ups the scenarios share: Ana and her teammate Ben on a real
//! nats-server, prepared with the CLI before Ana's app starts, and small
//! readings of the UI (inbox count, a thread's row).

use chrono::{DateTime, Utc};
use tidings_e2e::cli::Device;
use tidings_e2e::clock::rfc3339;
use tidings_e2e::nats::{self, NatsServer};
use tidings_e2e::{App, World};

/// Ana works from Lisbon, 09:00–17:00 Monday to Friday.
pub const ANA_TZ: &str = "Europe/Lisbon";
/// Ben works from Tokyo.
pub const BEN_TZ: &str = "Asia/Tokyo";
/// The channel the team talks in.
pub const CHANNEL: &str = "design";

/// Ana, Ben and the server they sync through.
pub struct Team {
    /// Kept running for the whole test.
    pub _nats: NatsServer,
    /// Ana's data folder (the app runs on it).
    pub ana: Device,
    /// Ben's device (the CLI).
    pub ben: Device,
}

/// Ana founds "Acme" with #design and syncs through a fresh nats-server;
/// Ben joins with her invite and catches up. `before_invite` lets Ana
/// write (threads) before Ben joins.
pub fn ana_and_ben(world: &World, before_invite: impl FnOnce(&Device)) -> Team {
    set_up(world, None, before_invite)
}

/// The same, with both CLI devices writing at `at` (RFC 3339 is built
/// here): for scenarios whose app runs on a test clock, so what the team
/// prepared is dated before the app's "now" rather than at the real time.
pub fn ana_and_ben_at(
    world: &World,
    at: DateTime<Utc>,
    before_invite: impl FnOnce(&Device),
) -> Team {
    set_up(world, Some(at), before_invite)
}

fn set_up(world: &World, at: Option<DateTime<Utc>>, before_invite: impl FnOnce(&Device)) -> Team {
    let nats = nats::start();
    let ana = world.device("ana");
    if let Some(at) = at {
        ana.set_clock(&rfc3339(at));
    }
    ana.create_workspace("Acme", "Ana", ANA_TZ, "09:00-17:00");
    ana.channel(CHANNEL);
    ana.add_nats(&nats.url());
    before_invite(&ana);
    ana.sync();
    let code = ana.invite();
    let ben = world.device("ben");
    if let Some(at) = at {
        ben.set_clock(&rfc3339(at));
    }
    ben.join(&code, "Ben", BEN_TZ);
    ben.sync();
    // Ana learns that Ben joined before her app starts.
    ana.sync();
    Team {
        _nats: nats,
        ana,
        ben,
    }
}

/// The team set up an hour before `now` (`before_invite` lets Ana write
/// first), Ana's app running on its test clock at `now` and live on sync,
/// and Ben's CLI at the same time: what most scenarios start from.
pub async fn ana_live_at<'w>(
    world: &'w World,
    now: DateTime<Utc>,
    before_invite: impl FnOnce(&Device),
) -> (Team, App<'w>) {
    let team = ana_and_ben_at(world, now - chrono::TimeDelta::hours(1), before_invite);
    let app = world.launch(team.ana.dir(), &clock_args(now)).await;
    team.ben.set_clock(&rfc3339(now));
    wait_live(&app).await;
    (team, app)
}

/// Checks for `window` that dunst gets no new notification; a violation
/// names what was shown.
pub async fn no_notification(world: &World, what: &str, window: std::time::Duration) {
    let before = world.dunst().total();
    tidings_e2e::poll::never(what, window, || async {
        (world.dunst().total() > before).then(|| world.dunst().close_all_and_read())
    })
    .await;
}

/// `--test-clock <at>`.
pub fn clock_args(at: DateTime<Utc>) -> Vec<String> {
    vec!["--test-clock".to_string(), rfc3339(at)]
}

/// The inbox count the sidebar shows (absent or empty means 0).
pub async fn inbox_count(app: &App<'_>) -> u32 {
    let Some(el) = app.find("[data-testid=inbox-count]").await else {
        return 0;
    };
    let text = el.text().await.unwrap_or_default();
    let text = text.trim();
    if text.is_empty() {
        return 0;
    }
    text.parse()
        .unwrap_or_else(|_| panic!("the inbox count shows {text:?}, not a number"))
}

/// Waits until the inbox count is `n`.
pub async fn wait_inbox_count(app: &App<'_>, n: u32) {
    tidings_e2e::poll::until(
        &format!("the inbox count to read {n}"),
        tidings_e2e::DEADLINE,
        || async { (inbox_count(app).await == n).then_some(()) },
    )
    .await;
}

/// CSS for a thread's row in a list.
pub fn row(thread: &str) -> String {
    format!("[data-testid=thread-item][data-thread-id='{thread}']")
}

/// CSS for the thread view of `thread`.
pub fn thread_view(thread: &str) -> String {
    format!("[data-testid=thread-view][data-thread-id='{thread}']")
}

/// Waits until sync with the server is live (caught up, listening).
pub async fn wait_live(app: &App<'_>) {
    app.wait_for("[data-testid=sync-indicator][data-state=live]")
        .await;
}

/// Chooses the theme the way a person does (Settings → Theme) and waits
/// until it applies; Settings stays open.
pub async fn set_theme(app: &App<'_>, theme: &str) {
    app.click("[data-testid=nav-settings]").await;
    app.select("#theme", theme).await;
    app.wait_for(&format!("body[data-theme={theme}]")).await;
    app.wait_for("[data-testid=settings]").await;
}
