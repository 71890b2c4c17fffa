//! Faults from the server's side (faults.md T15, T16, T17): a frozen network, a restart, a full
//! server. The collector must notice within its deadline, say why, and come back by itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::collector::{self, Collector};
use pgscope::collect::sampler::Config;
use pgscope::collect::{self, session};
use pgscope::conn::{self, ConnArgs, Target};
use pgscope::failure::{Failure, Kind};
use pgscope::lab::ClusterOptions;
use pgscope::panes::Pane;
use pgscope::snapshot::Link;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn target(conninfo: String) -> Target {
    conn::resolve(
        &ConnArgs {
            conninfo: Some(conninfo),
            ..ConnArgs::default()
        },
        &|_| None,
    )
    .unwrap()
}

/// A TCP proxy to the cluster that can freeze: while `frozen`, bytes are held, like a server
/// under SIGSTOP or a dead network path.
async fn freezable_proxy(cluster_port: u16) -> (u16, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let frozen = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&frozen);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = TcpStream::connect(("127.0.0.1", cluster_port)).await else {
                continue;
            };
            let (cr, cw) = client.into_split();
            let (sr, sw) = server.into_split();
            tokio::spawn(pump(cr, sw, Arc::clone(&flag)));
            tokio::spawn(pump(sr, cw, Arc::clone(&flag)));
        }
    });
    (port, frozen)
}

async fn pump(
    mut from: impl AsyncReadExt + Unpin,
    mut to: impl AsyncWriteExt + Unpin,
    frozen: Arc<AtomicBool>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let Ok(n) = from.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            return;
        }
        while frozen.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

async fn start_collector(t: Target) -> Collector {
    let first = session::open(&t).await.unwrap();
    collector::spawn(t, first, Duration::from_millis(250), Config::default())
}

async fn until_down(w: &mut Collector, within: Duration) -> Failure {
    tokio::time::timeout(within, async {
        loop {
            if let Link::Down { cause, .. } = w.link.borrow_and_update().clone() {
                return cause;
            }
            w.link.changed().await.unwrap();
        }
    })
    .await
    .expect("the collector noticed")
}

/// Waits for a snapshot newer than `after` (sequence numbers restart with a new session, so
/// this compares the time it was taken).
async fn until_fresh(w: &mut Collector, after: i64, within: Duration) {
    tokio::time::timeout(within, async {
        loop {
            w.snaps.changed().await.unwrap();
            let snap = w.snaps.borrow_and_update().clone();
            if snap.is_some_and(|s| s.taken_at > after && s.activity.is_ok()) {
                return;
            }
        }
    })
    .await
    .expect("fresh data came back");
}

fn now_us() -> i64 {
    collect::rows::to_micros(std::time::SystemTime::now())
}

#[test]
fn a_frozen_server_is_noticed_and_recovered_from() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let (port, frozen) = freezable_proxy(cluster.port()).await;
        let t = target(format!(
            "host=127.0.0.1 port={port} user=postgres dbname=postgres"
        ));
        let mut w = start_collector(t).await;
        until_fresh(&mut w, 0, Duration::from_secs(5)).await;

        frozen.store(true, Ordering::SeqCst);
        let frozen_at = now_us();
        let cause = until_down(&mut w, Duration::from_secs(8)).await;
        assert!(cause.message.contains("did not answer"), "{cause}");
        assert_eq!(cause.kind, Kind::Timeout, "{cause}");

        frozen.store(false, Ordering::SeqCst);
        until_fresh(&mut w, frozen_at, Duration::from_secs(15)).await;
        assert_eq!(*w.link.borrow(), Link::Connected);
    });
}

#[test]
fn a_restart_is_reported_and_survived() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let mut w = start_collector(target(cluster.conninfo("postgres"))).await;
        until_fresh(&mut w, 0, Duration::from_secs(5)).await;
        let restarted_at = now_us();
        tokio::task::block_in_place(|| cluster.restart().unwrap());
        let cause = until_down(&mut w, Duration::from_secs(5)).await;
        assert_eq!(cause.kind, Kind::Connection, "{cause}");
        until_fresh(&mut w, restarted_at, Duration::from_secs(15)).await;
    });
}

#[test]
fn a_full_server_is_explained() {
    let opts = ClusterOptions {
        settings: vec![
            ("max_connections".into(), "6".into()),
            ("superuser_reserved_connections".into(), "3".into()),
        ],
    };
    let cluster = common::cluster_with(common::majors()[0], &opts);
    common::runtime().block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "test")
            .await
            .unwrap();
        admin.batch_execute("CREATE ROLE app LOGIN").await.unwrap();
        let mut held = Vec::new();
        // The superuser's session plus two app sessions fill the three ordinary slots.
        for _ in 0..2 {
            held.push(cluster.connect("postgres", "app", "app").await.unwrap());
        }
        let err = conn::connect(
            &target(format!("{} user=app", cluster.conninfo("postgres"))),
            "pgscope",
        )
        .await
        .unwrap_err();
        assert_eq!(err.sqlstate(), Some("53300"), "{err}");
        let text = err.to_string();
        assert!(text.contains("superuser_reserved_connections"), "{text}");
        // The superuser still gets in through the reserved slots, and pgscope works.
        let s = session::open(&target(cluster.conninfo("postgres")))
            .await
            .unwrap();
        collect::refresh_once(&s, Pane::Activity).await.unwrap();
        drop(held);
    });
}

/// The UI never waits on the database (faults.md T15): with the server frozen mid-session the
/// data turns STALE, the keys are still answered, and `q` quits. No timing is measured: once a
/// refresh is stuck, the collector never gets another byte through (the refresh hits its
/// deadline, then every reconnect hangs in the frozen proxy), so a UI that waited on it would
/// never answer, and `wait_for`'s deadline fails the test.
#[test]
fn keys_are_answered_while_the_server_is_frozen() {
    use common::tmux::Tmux;

    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let (port, frozen) = rt.block_on(freezable_proxy(cluster.port()));
    let tmux = Tmux::start("frozen", 160, 40);
    let cmd = format!(
        "{} -h 127.0.0.1 -p {port} -U postgres postgres; echo EXIT=$?",
        env!("CARGO_BIN_EXE_pgscope")
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the table", |s| s.contains("PRIMARY") && s.contains("PID"));

    frozen.store(true, Ordering::SeqCst);
    // STALE: no refresh has completed for a while, so one is stuck in flight. Help still opens
    // and closes, panes still switch.
    tmux.wait_for("the data marked stale", |s| s.contains("STALE"));
    tmux.keys(&["?"]);
    tmux.wait_for("help", |s| s.contains("Activity pane"));
    tmux.keys(&["x"]);
    tmux.wait_for("help closed", |s| !s.contains("Activity pane"));
    tmux.keys(&["4"]);
    tmux.wait_for("the Connections pane", |s| {
        s.contains("slots ") && s.contains("TOTAL")
    });

    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    frozen.store(false, Ordering::SeqCst);
}
