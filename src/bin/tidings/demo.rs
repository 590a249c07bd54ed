//! `tidings demo`: a small team in three time zones, so a first run has
//! something to read. Teammates write on their own stores (temp folders,
//! as their own devices); their ops then arrive here the way sync delivers
//! them.

use std::path::Path;

use tidings::model::profile::{Profile, WorkingHours};
use tidings::render::RenderOptions;
use tidings::search::SearchQuery;
use tidings::store::NewThread;
use tidings::views::PageRequest;
use tidings::{Options, Result, Store};

fn person(name: &str, tz: &str) -> Profile {
    Profile {
        display_name: name.into(),
        time_zone: tz.into(),
        working_hours: WorkingHours::default(),
    }
}

pub fn run(dir: &Path) -> Result<()> {
    let me = Store::open(dir, Options::default())?;
    if me.workspace()?.is_none() {
        seed(&me)?;
        println!("Created a demo workspace in {}\n", dir.display());
    } else {
        println!("Using the workspace in {}\n", dir.display());
    }
    let w = me.workspace()?.map(|w| w.name).unwrap_or_default();
    println!("== {w}: channels ==");
    for c in me.channels()? {
        println!("#{:<12} {} unread", c.name, c.unread_threads);
    }
    println!("\n== Inbox ==");
    let inbox = me.inbox(&PageRequest::first(10))?;
    crate::print::inbox(&inbox.items);
    if let Some(first) = inbox.items.first() {
        println!("\n== {} ==", first.thread.title);
        let v = me.thread(
            first.thread.id,
            &PageRequest::first(20),
            RenderOptions::default(),
        )?;
        crate::print::thread(&v);
    }
    println!("\n== Search: \"deploy\" ==");
    me.flush_search()?;
    for h in me.search(&SearchQuery {
        text: "deploy".into(),
        ..SearchQuery::default()
    })? {
        println!(
            "#{} {} · {}",
            h.channel_name, h.author.name, h.hit.title_html
        );
    }
    println!(
        "\nTry: tidings --data-dir {0} inbox | tidings --data-dir {0} search WORD | tidings --help",
        dir.display()
    );
    Ok(())
}

fn seed(me: &Store) -> Result<()> {
    me.create_workspace("Acme Remote", person("Ana Souza", "Europe/Lisbon"))?;
    let general = me.create_channel("general", "Anything the whole team should read")?;
    let releases = me.create_channel("releases", "Shipping and deploys")?;
    me.create_channel("design", "Sketches, reviews, naming")?;
    let kickoff = me.create_thread(NewThread {
        channel: general,
        title: "Welcome to Tidings".into(),
        body: "Threads instead of chat: answer when it suits **you**.\n\n- Your inbox holds what concerns you\n- Notifications wait for your working hours".into(),
        notify: vec![],
    })?;

    let tmp_ben = tempdir()?;
    let tmp_carla = tempdir()?;
    let ben = Store::open(&tmp_ben, Options::default())?;
    let carla = Store::open(&tmp_carla, Options::default())?;
    ben.apply_remote(me.ops().collect::<Result<_>>()?)?;
    ben.join_as(person("Ben Ito", "Asia/Tokyo"))?;
    carla.apply_remote(ben.ops().collect::<Result<_>>()?)?;
    carla.join_as(person("Carla Diaz", "America/New_York"))?;
    ben.apply_remote(carla.ops().collect::<Result<_>>()?)?;

    ben.add_comment(
        kickoff,
        "Hello from Tokyo! Replying at my 09:00, your night. 🌏",
    )?;
    let deploy = ben.create_thread(NewThread {
        channel: releases,
        title: "Friday deploy of 2.4".into(),
        body: "Plan: deploy 2.4 on Friday 10:00 UTC.\n\n```sh\nmake release VERSION=2.4\n```\n\n@anasouza can you check the migration?".into(),
        notify: vec![],
    })?;
    carla.apply_remote(ben.ops().collect::<Result<_>>()?)?;
    carla.add_comment(
        deploy,
        "Looks good. I'll watch the dashboards during my morning.",
    )?;
    me.apply_remote(carla.ops().collect::<Result<_>>()?)?;
    drop((ben, carla));
    let _ = std::fs::remove_dir_all(&tmp_ben);
    let _ = std::fs::remove_dir_all(&tmp_carla);
    Ok(())
}

fn tempdir() -> Result<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!(
        "tidings-demo-{}-{}",
        std::process::id(),
        ulid::Ulid::new()
    ));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
