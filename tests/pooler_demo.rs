//! `pgscope demo` and its pooler: with PgBouncer installed an application queues in front of
//! `shop`; without it the demo runs as before.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::time::{Duration, Instant};

use pgscope::pooler::{Admin, Pooler, admin};

const WITHIN: Duration = Duration::from_secs(20);

/// Reads until `done` holds for a read, or panics with the last one after the deadline.
async fn read_until(a: &Admin, what: &str, done: impl Fn(&Pooler) -> bool) -> Pooler {
    let deadline = Instant::now() + WITHIN;
    loop {
        let p = a.read().await.unwrap();
        if done(&p) {
            return p;
        }
        assert!(Instant::now() < deadline, "{what}; last read: {p:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs `pgscope demo` in a terminal until its table is up; returns the terminal and what the
/// demo printed before the UI started.
fn demo(name: &str, env: &str) -> (common::tmux::Tmux, String) {
    let tmux = common::tmux::Tmux::start(name, 120, 30);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("demo.log");
    let cmd = format!(
        "env {env} {} demo 2> {}",
        env!("CARGO_BIN_EXE_pgscope"),
        log.display()
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the demo's table", |s| s.contains("PID"));
    let text = fs::read_to_string(&log).unwrap();
    (tmux, text)
}

#[test]
fn the_demo_runs_without_pgbouncer() {
    let (tmux, text) = demo("demo-no-pooler", "PGSCOPE_PGBOUNCER=/nonexistent");
    assert!(!text.contains("PgBouncer"), "{text}");
    drop(tmux);
}

/// `pgscope demo` with PgBouncer installed: an application queues in a pool of two, and the
/// pooler goes away with the demo.
#[test]
fn the_demo_puts_a_queueing_pooler_in_front_of_shop() {
    let (tmux, text) = demo("demo-pooler", "");
    let conninfo = text
        .split("admin console: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!("no pooler in {text:?}"))
        .to_owned();
    let port: u16 = conninfo
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("port="))
        .unwrap()
        .parse()
        .unwrap();
    common::runtime().block_on(async {
        let t = admin::resolve(&conninfo, &|_| None).unwrap();
        let a = admin::open(&t).await.unwrap();
        read_until(&a, "orders-worker clients queue for shop", |p| {
            let waiting = p.pools.as_ref().is_ok_and(|pools| {
                pools
                    .iter()
                    .any(|x| x.database == "shop" && x.cl_waiting.unwrap_or(0) > 0)
            });
            let apps = p.clients.as_ref().is_ok_and(|c| {
                c.iter()
                    .any(|c| c.application_name.as_deref() == Some("orders-worker"))
            });
            waiting && apps
        })
        .await;
    });
    drop(tmux); // SIGHUP: the demo stops everything it started
    let deadline = Instant::now() + WITHIN;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(Instant::now() < deadline, "the pooler outlived the demo");
        std::thread::sleep(Duration::from_millis(100));
    }
}
