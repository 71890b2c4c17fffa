//! Pooler-only mode in a real terminal: pgscope's own target is a real PgBouncer's admin
//! console (`-d pgbouncer`), so it opens on the Pooler pane with the queue (pool_size 2, ten
//! clients in transactions: eight waiting, maxwait growing on screen), the database panes say
//! why they are empty, and a pooler restart shows down, then ok again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::Tmux;
use pgscope::lab;

/// A duration as `text::duration_us` writes it below an hour (`850ms`, `12s`, `4m05s`), in ms.
fn millis(text: &str) -> Option<u64> {
    if let Some(ms) = text.strip_suffix("ms") {
        return ms.parse().ok();
    }
    let secs = text.strip_suffix('s')?;
    let (m, s) = secs.split_once('m').unwrap_or(("0", secs));
    Some((m.parse::<u64>().ok()? * 60 + s.parse::<u64>().ok()?) * 1_000)
}

/// The MAXWAIT of the queueing database's row (its last cell).
fn maxwait(screen: &str) -> Option<u64> {
    let row = screen
        .lines()
        .find(|l| l.starts_with("postgres ") && l.contains("QUEUING"))?;
    millis(row.split_whitespace().last()?)
}

/// The header's second line (where the pooler's link is).
fn load_line(screen: &str) -> &str {
    screen.lines().nth(1).unwrap_or("")
}

#[test]
fn the_target_is_the_pooler_alone() {
    let cluster = common::cluster(common::majors()[0]);
    let mut pgb = lab::PgBouncer::start(
        &cluster,
        &lab::PoolerOptions {
            pool_size: 2,
            ..lab::PoolerOptions::default()
        },
    )
    .unwrap();
    let rt = common::runtime();
    // Ten clients in transactions: two hold the two server connections, eight queue.
    for _ in 0..10 {
        let ci = pgb.conninfo("postgres", "postgres");
        rt.spawn(async move {
            let (c, conn) = tokio_postgres::connect(&ci, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            c.simple_query("BEGIN; SELECT 1").await.unwrap();
            std::future::pending::<()>().await;
        });
    }
    let tmux = Tmux::start("pooler-only", 120, 40);
    let cmd = format!(
        "{} -h 127.0.0.1 -p {} -U postgres pgbouncer; echo EXIT=$?",
        env!("CARGO_BIN_EXE_pgscope"),
        pgb.port(),
    );
    tmux.keys(&[&cmd, "Enter"]);
    let screen = tmux.wait_for("the Pooler pane with eight clients queued", |s| {
        s.contains("QUEUING") && s.lines().filter(|l| l.starts_with("waiting ")).count() == 8
    });
    let first = maxwait(&screen).unwrap_or_else(|| panic!("no maxwait: {screen}"));
    tmux.wait_for("maxwait growing", |s| {
        maxwait(s).is_some_and(|now| now >= first + 1_000)
    });
    assert!(screen.contains("PgBouncer 1."), "{screen}");
    assert!(screen.contains("pooler only"), "{screen}");
    assert!(
        screen.contains("backends unknown: pgscope is not connected"),
        "{screen}"
    );
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .contains("PgBouncer admin console"),
        "{screen}"
    );
    assert!(load_line(&screen).contains("pooler ok"), "{screen}");
    assert!(
        !screen.contains("connecting…"),
        "no database link to wait for: {screen}"
    );

    // A database pane says why it is empty; Tab comes back to the pooler.
    tmux.keys(&["1"]);
    tmux.wait_for("Activity explains", |s| {
        s.contains("not available: the target is a PgBouncer admin console")
    });
    tmux.keys(&["Tab"]);
    tmux.wait_for("back on the Pooler pane", |s| s.contains(" POOLS "));

    // The pooler goes away: down with the cause, then read again once it is back.
    pgb.kill();
    tmux.wait_for("the pooler down", |s| {
        load_line(s).contains("pooler down") && s.contains("retry in")
    });
    pgb.restart().unwrap();
    tmux.wait_for("the pooler read again", |s| {
        load_line(s).contains("pooler ok") && s.contains(" CLIENTS ")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    drop(rt);
}

/// The payload of faults.md T01: title change, clipboard write, cursor move, status report.
const PAYLOAD: &str =
    "\u{1b}]0;pwned\u{7}\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[3;7777H\u{1b}[6n\u{1b}P+q544e\u{1b}\\";

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// A client of the pooler chooses its own application_name, and SHOW CLIENTS lists it: pgscope
/// must draw it as text, never let it reach the terminal as an escape sequence.
#[test]
fn a_hostile_application_name_through_the_pooler_is_drawn_as_text() {
    let cluster = common::cluster(common::majors()[0]);
    let pgb = lab::PgBouncer::start(&cluster, &lab::PoolerOptions::default()).unwrap();
    let rt = common::runtime();
    let ci = pgb.conninfo("postgres", "postgres");
    rt.spawn(async move {
        let mut cfg: tokio_postgres::Config = ci.parse().unwrap();
        cfg.application_name(PAYLOAD);
        let (c, conn) = cfg.connect(tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        c.simple_query("BEGIN; SELECT 1").await.unwrap();
        std::future::pending::<()>().await;
    });
    let tmux = Tmux::start("pooler-hostile", 200, 40);
    tmux.run(&["set", "-s", "set-clipboard", "on"]);
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw.bin");
    tmux.run(&[
        "pipe-pane",
        "-t",
        "t",
        "-O",
        &format!("cat >> {}", raw.display()),
    ]);
    let cmd = format!(
        "{} -h 127.0.0.1 -p {} -U postgres pgbouncer; echo EXIT=$?",
        env!("CARGO_BIN_EXE_pgscope"),
        pgb.port(),
    );
    tmux.keys(&[&cmd, "Enter"]);
    // PgBouncer 1.18 itself turns control bytes into `?`; a version that passes them on
    // gets pgscope's placeholders. Either way the name is visible text.
    let screen = tmux.wait_for("the client with the payload as its name", |s| {
        s.contains("]0;pwned") && s.contains("[3;7777H")
    });
    assert!(screen.contains(" CLIENTS "), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    let bytes = std::fs::read(&raw).unwrap_or_default();
    for marker in [
        "\u{1b}]0;pwned",
        "\u{1b}]52;c;cHduZWQ=",
        "\u{1b}[3;7777H",
        "\u{1b}[6n",
        "\u{1b}P+q",
    ] {
        assert_eq!(
            count(&bytes, marker.as_bytes()),
            0,
            "{marker:?} reached the terminal"
        );
    }
    assert_eq!(count(&bytes, b"\x07"), 0, "BEL reached the terminal");
    let title = tmux.run(&["display", "-p", "-t", "t", "#{pane_title}"]);
    assert!(!title.contains("pwned"), "{title}");
    drop(rt);
}

/// A PostgreSQL database that happens to be named `pgbouncer` is a database: the probe's
/// SHOW VERSION fails there, and pgscope opens as usual on Activity.
#[test]
fn a_postgresql_database_named_pgbouncer_is_watched_as_a_database() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    rt.block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "setup")
            .await
            .unwrap();
        admin
            .batch_execute("CREATE DATABASE pgbouncer")
            .await
            .unwrap();
    });
    let tmux = Tmux::start("pooler-named-db", 120, 30);
    let cmd = format!(
        "{} -h {} -p {} -U postgres pgbouncer; echo EXIT=$?",
        env!("CARGO_BIN_EXE_pgscope"),
        cluster.socket_dir().display(),
        cluster.port(),
    );
    tmux.keys(&[&cmd, "Enter"]);
    let screen = tmux.wait_for("the Activity table", |s| s.contains("QUERY AGE"));
    assert!(
        screen.lines().next().unwrap().contains("PRIMARY"),
        "{screen}"
    );
    assert!(!screen.contains("P Pooler"), "no pooler: {screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
}
