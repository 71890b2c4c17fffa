//! The Activity collector against real servers: sessions in each state, a lock chain and a long
//! query, read back through pgscope's own monitoring session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::collector;
use pgscope::collect::sampler::Config;
use pgscope::collect::{self, session};
use pgscope::conn::{self, ConnArgs};
use pgscope::lab::{self, Cluster};
use pgscope::panes::Pane;
use pgscope::snapshot::{Backend, Link, Snapshot};

fn target(cluster: &Cluster) -> conn::Target {
    let args = ConnArgs {
        conninfo: Some(cluster.conninfo("postgres")),
        ..ConnArgs::default()
    };
    conn::resolve(&args, &|_| None).unwrap()
}

fn find(snap: &Snapshot, pid: i32) -> Backend {
    let activity = snap.activity.as_ref().unwrap();
    activity
        .backends
        .iter()
        .find(|b| b.pid == pid)
        .cloned()
        .unwrap_or_else(|| panic!("pid {pid} missing"))
}

#[test]
fn states_lock_chain_and_long_query_are_collected() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let chain = lab::lock_chain(cluster, 3).await.unwrap();
            let idle_tx = lab::idle_in_transaction(cluster).await.unwrap();
            let long = lab::long_query(cluster, 60.0).await.unwrap();

            let s = session::open(&target(cluster)).await.unwrap();
            let snap = collect::refresh_once(&s, Pane::Activity).await.unwrap();

            let info = snap.server.as_ref().unwrap();
            assert_eq!(info.version_num / 10_000, major as i32, "PG {major}");
            assert!(!info.in_recovery && info.max_connections > 0);
            assert!(info.now >= info.start_time);

            let activity = snap.activity.as_ref().unwrap();
            assert_eq!(activity.own_pid, s.own_pid);
            assert!(
                activity.backends.iter().all(|b| b.pid != s.own_pid),
                "own session listed"
            );

            let pids = chain.pids();
            let root = find(&snap, pids[0]);
            assert_eq!(
                root.state.as_deref(),
                Some("idle in transaction"),
                "PG {major}"
            );
            assert!(root.blocked_by.is_empty() && root.xact_start.is_some());
            for level in 1..3 {
                let b = find(&snap, pids[level]);
                assert_eq!(
                    b.wait_event_type.as_deref(),
                    Some("Lock"),
                    "PG {major} level {level}"
                );
                assert_eq!(
                    b.blocked_by,
                    vec![pids[level - 1]],
                    "PG {major} level {level}"
                );
                assert_eq!(b.state.as_deref(), Some("active"));
            }

            let tx = find(&snap, idle_tx.pid());
            assert_eq!(tx.state.as_deref(), Some("idle in transaction"));
            assert_eq!(tx.usename.as_deref(), Some("batch"));

            let l = find(&snap, long.pid());
            assert_eq!(l.state.as_deref(), Some("active"));
            assert!(l.query.starts_with("SELECT pg_sleep"), "{}", l.query);
            assert!(l.blocked_by.is_empty());
            assert_eq!(l.application_name, "metabase");
            assert_eq!(l.client.as_deref(), Some("[local]"));
            let age = activity.now - l.query_start.unwrap();
            assert!((0..60_000_000).contains(&age), "query age {age}");

            // Background processes are there too, with their NULLs.
            assert!(
                activity
                    .backends
                    .iter()
                    .any(|b| b.backend_type == "checkpointer" && b.usename.is_none())
            );
        }
    });
}

#[test]
fn monitoring_session_honours_the_safety_contract() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let s = session::open(&target(cluster)).await.unwrap();
            collect::refresh_once(&s, Pane::Activity).await.unwrap();
            let show = |name: &'static str| {
                let c = &s.client;
                async move {
                    c.query_one(&format!("SHOW {name}"), &[])
                        .await
                        .unwrap()
                        .get::<_, String>(0)
                }
            };
            assert_eq!(show("statement_timeout").await, "3s");
            assert_eq!(show("lock_timeout").await, "200ms");
            assert_eq!(show("default_transaction_read_only").await, "on");

            // Seen from another session: named, idle, no transaction or snapshot held open.
            let other = cluster
                .connect("postgres", "postgres", "test")
                .await
                .unwrap();
            let row = other
                .query_one(
                    "SELECT application_name, state, xact_start IS NULL, backend_xmin IS NULL \
                     FROM pg_stat_activity WHERE pid = $1",
                    &[&s.own_pid],
                )
                .await
                .unwrap();
            assert_eq!(row.get::<_, String>(0), "pgscope");
            assert_eq!(row.get::<_, String>(1), "idle");
            assert!(row.get::<_, bool>(2) && row.get::<_, bool>(3));
        }
    });
}

/// An admin kill of pgscope's backend is reported and followed by a reconnect.
#[test]
fn reconnects_after_admin_termination() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let t = target(&cluster);
        let first = session::open(&t).await.unwrap();
        let killed_pid = first.own_pid;
        let c = collector::spawn(t, first, Duration::from_millis(250), Config::default());
        let (mut snap_rx, mut link_rx, task) = (c.snaps, c.link, c.task);

        tokio::time::timeout(Duration::from_secs(10), snap_rx.changed())
            .await
            .unwrap()
            .unwrap();
        let admin = cluster
            .connect("postgres", "postgres", "test")
            .await
            .unwrap();
        admin
            .execute("SELECT pg_terminate_backend($1)", &[&killed_pid])
            .await
            .unwrap();

        let down = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                link_rx.changed().await.unwrap();
                if let Link::Down { cause, .. } = link_rx.borrow_and_update().clone() {
                    return cause;
                }
            }
        })
        .await
        .unwrap();
        assert!(down.message.contains("connection"), "{down}");
        // Killed by an administrator: a lost connection, not a server error in a pane.
        assert_eq!(down.kind, pgscope::failure::Kind::Connection, "{down}");

        let fresh = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                snap_rx.changed().await.unwrap();
                let snap = snap_rx.borrow_and_update().clone().unwrap();
                if let Ok(a) = &snap.activity
                    && a.own_pid != killed_pid
                {
                    return a.own_pid;
                }
            }
        })
        .await
        .unwrap();
        assert_ne!(fresh, killed_pid);
        assert_eq!(*link_rx.borrow(), Link::Connected);
        task.abort();
    });
}

/// The collect task measures what one read of the sessions costs the server and reports the
/// interval in effect: at a lab server's few sessions, the one asked for.
#[test]
fn refreshes_report_their_server_cost() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let t = target(&cluster);
        let first = session::open(&t).await.unwrap();
        let c = collector::spawn(t, first, Duration::from_secs(1), Config::default());
        let (mut snap_rx, task) = (c.snaps, c.task);
        for _ in 0..3 {
            tokio::time::timeout(Duration::from_secs(10), snap_rx.changed())
                .await
                .unwrap()
                .unwrap();
        }
        let snap = snap_rx.borrow().clone().unwrap();
        let p = snap.pacing;
        assert_eq!(
            (p.asked, p.every),
            (Duration::from_secs(1), Duration::from_secs(1))
        );
        let us = p.read_us.unwrap();
        assert!(us > 0.0 && us < 1_000_000.0, "{p:?}");
        // The cost row is not a session.
        let activity = snap.activity.as_ref().unwrap();
        assert!(activity.backends.iter().all(|b| b.pid != 0), "{activity:?}");
        task.abort();
    });
}
