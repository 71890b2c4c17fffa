//! The Waits pane against real servers: sessions waiting on a lock, in pg_sleep, idle in
//! transaction and burning CPU are grouped right in the Now list and attributed right by the
//! sampler within seconds; a stream of 20 ms queries that a 1 s refresh would rarely see shows
//! up in the top queries with a plausible share; the collect task ships the history.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::collector;
use pgscope::collect::sampler::{Config, Sampler};
use pgscope::collect::{self, session};
use pgscope::conn::{self, ConnArgs};
use pgscope::lab::{self, Cluster};
use pgscope::panes::Pane;
use pgscope::panes::waits::data::{QueryKey, WaitClass, Waits, Window};
use pgscope::panes::waits::view::group;

fn target(cluster: &Cluster, db: &str) -> conn::Target {
    let args = ConnArgs {
        conninfo: Some(cluster.conninfo(db)),
        ..ConnArgs::default()
    };
    conn::resolve(&args, &|_| None).unwrap()
}

/// A session looping in PL/pgSQL: on CPU, no wait event, for up to a minute.
async fn cpu_burner(cluster: &Cluster) -> (tokio_postgres::Client, i32) {
    let c = cluster
        .connect(lab::DB, "postgres", "burner")
        .await
        .unwrap();
    let pid: i32 = c
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    c.batch_execute("SET statement_timeout = '60s'")
        .await
        .unwrap();
    (c, pid)
}

/// 20 ms queries with 80 ms pauses, until the returned handle is aborted.
async fn short_queries(cluster: &Cluster) -> tokio::task::JoinHandle<()> {
    let c = cluster.connect(lab::DB, "app_rw", "bursts").await.unwrap();
    tokio::spawn(async move {
        loop {
            let _ = c
                .batch_execute("SELECT pg_sleep(0.02) /* short-burst */")
                .await;
            tokio::time::sleep(Duration::from_millis(80)).await;
        }
    })
}

fn event(w: &Window, label: &str) -> f64 {
    w.events
        .iter()
        .find(|e| e.label == label)
        .map_or(0.0, |e| e.count as f64 / w.samples.max(1) as f64)
}

#[test]
fn now_groups_and_sampled_history() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let chain = lab::lock_chain(cluster, 2).await.unwrap();
            let waiter = chain.pids()[1];
            let iit = lab::idle_in_transaction(cluster).await.unwrap();
            let sleeper = lab::long_query(cluster, 60.0).await.unwrap();
            let (burner, burner_pid) = cpu_burner(cluster).await;
            let burn = tokio::spawn(async move {
                let _ = burner
                    .batch_execute("DO $$BEGIN LOOP PERFORM 1; END LOOP; END$$")
                    .await;
                drop(burner);
            });
            let bursts = short_queries(cluster).await;
            tokio::time::sleep(Duration::from_millis(300)).await;

            let s = session::open(&target(cluster, lab::DB)).await.unwrap();
            // Now: the refresh's activity rows, grouped.
            let snap = collect::refresh_once(&s, Pane::Waits).await.unwrap();
            let backends = &snap.activity.as_ref().unwrap().backends;
            let groups = group(backends);
            let pids_in = |label: &str| -> Vec<i32> {
                let g = groups.iter().find(|g| g.label == label);
                let g = g.unwrap_or_else(|| panic!("PG {major}: no {label} group in {groups:?}"));
                assert_eq!(
                    g.class,
                    WaitClass::of(label.split(':').next().filter(|t| *t != "CPU"))
                );
                backends
                    .iter()
                    .filter(|b| {
                        b.state.as_deref() != Some("idle")
                            && pgscope::panes::waits::data::wait_label(
                                b.wait_event_type.as_deref(),
                                b.wait_event.as_deref(),
                            ) == label
                    })
                    .map(|b| b.pid)
                    .collect()
            };
            assert!(
                pids_in("Lock:transactionid").contains(&waiter),
                "PG {major}"
            );
            assert!(
                pids_in("Timeout:PgSleep").contains(&sleeper.pid()),
                "PG {major}"
            );
            let client = pids_in("Client:ClientRead");
            assert!(client.contains(&iit.pid()) && client.contains(&chain.pids()[0]));
            assert!(
                pids_in("CPU").contains(&burner_pid),
                "PG {major}: {groups:?}"
            );

            // History: samples paced by the test at 20 a second, not by the sampler's own
            // ticker, whose back-off on a busy test machine would stretch this test out.
            let mut sampler = Sampler::new(Config {
                rate_hz: 20.0,
                ..Config::default()
            });
            let until = Instant::now() + Duration::from_secs(40);
            let mut taken = 0;
            while taken < 80 && Instant::now() < until {
                tokio::time::sleep(Duration::from_millis(50)).await;
                sampler.sample(&s).await.unwrap();
                taken += 1;
            }
            let now = chrono_now();
            let summary = sampler.summary(&s.caps, now);
            check_history(&summary, major);
            bursts.abort();
            burn.abort();
            drop((chain, iit, sleeper));
        }
    });
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .try_into()
        .unwrap()
}

fn check_history(w: &Waits, major: u32) {
    let s = &w.sampler;
    assert!(s.error.is_none(), "PG {major}: {:?}", s.error);
    assert!(s.samples >= 80, "PG {major}: {} samples: {s:?}", s.samples);
    eprintln!("PG {major}: sampler {s:?}");
    let us = s.server_us.unwrap();
    assert!(us > 0.0 && us < 5_000.0, "PG {major}: {us} µs per sample");
    let win = &w.windows[0];
    assert_eq!(win.secs, 60);
    let near_one = |v: f64, what: &str| {
        assert!((0.8..=1.2).contains(&v), "PG {major}: {what} averages {v}");
    };
    near_one(event(win, "Lock:transactionid"), "the lock waiter");
    near_one(
        event(win, "Timeout:PgSleep") - burst_share(win),
        "the sleeper",
    );
    assert!(
        event(win, "CPU") >= 0.8,
        "PG {major}: CPU {}",
        event(win, "CPU")
    );
    assert!(
        event(win, "Client:ClientRead") >= 1.8,
        "PG {major}: idle in transaction"
    );
    // 20 ms of every ~100 ms: about 0.2 sessions on average, caught though a 1 s refresh
    // would see it in about one refresh out of five.
    let share = burst_share(win);
    assert!(
        (0.05..=0.45).contains(&share),
        "PG {major}: short queries average {share}"
    );
    let burst = win
        .queries
        .iter()
        .find(|q| q.text.contains("short-burst"))
        .unwrap();
    assert_eq!(
        matches!(burst.key, QueryKey::Id(_)),
        major >= 14,
        "PG {major}"
    );
    assert_eq!(burst.events[0].label, "Timeout:PgSleep");
    let idle = win
        .queries
        .iter()
        .find(|q| q.key == QueryKey::IdleInTransaction);
    assert!(idle.is_some(), "PG {major}");
}

fn burst_share(w: &Window) -> f64 {
    w.queries
        .iter()
        .find(|q| q.text.contains("short-burst"))
        .map_or(0.0, |q| q.count as f64 / w.samples.max(1) as f64)
}

/// The collect task samples between refreshes on its one connection and ships the summary
/// while the Waits pane is focused, and only then.
#[test]
fn collect_task_ships_the_history() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let t = target(&cluster, "postgres");
        let first = session::open(&t).await.unwrap();
        let c = collector::spawn(t, first, Duration::from_millis(500), Config::default());
        let (mut snap_rx, focus_tx, task) = (c.snaps, c.focus, c.task);
        snap_rx.changed().await.unwrap();
        assert!(
            snap_rx
                .borrow_and_update()
                .as_ref()
                .unwrap()
                .panes
                .waits
                .is_none()
        );
        focus_tx.send_replace(Pane::Waits);
        let waits = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                snap_rx.changed().await.unwrap();
                let snap = snap_rx.borrow_and_update().clone().unwrap();
                if let Some(Ok(w)) = &snap.panes.waits
                    && w.sampler.samples >= 20
                {
                    return w.clone();
                }
            }
        })
        .await
        .unwrap();
        let s = &waits.sampler;
        assert!(s.enabled && (s.rate_hz - 10.0).abs() < 1e-9, "{s:?}");
        // Every refresh is a sample too.
        assert!((s.refresh_hz - 2.0).abs() < 1e-9 && !s.paused, "{s:?}");
        assert!(
            s.effective_hz >= 5.0,
            "backed off on an idle lab server: {s:?}"
        );
        assert!(!waits.seconds.is_empty());
        assert_eq!(
            waits.windows.iter().map(|w| w.secs).collect::<Vec<_>>(),
            [60, 300, 900]
        );
        // A local socket: the cores are this machine's.
        assert!(waits.cores.is_some());
        task.abort();
    });
}
