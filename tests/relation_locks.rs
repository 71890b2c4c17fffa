//! Nothing pgscope reads may wait on a relation lock (faults.md T12): with a table locked
//! exclusively and a session queued behind the lock, every pane refreshes at once; with a
//! catalog locked exclusively, a refresh ends in pane errors within the lock timeout, not a hang.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use pgscope::collect::{self, session};
use pgscope::lab;
use pgscope::panes::Pane;
use pgscope::snapshot::Snapshot;

/// Every pane's refresh, each within `limit`.
async fn every_pane(s: &session::Session, limit: Duration) -> Vec<(Pane, Snapshot)> {
    let mut out = Vec::new();
    for &pane in Pane::ALL {
        let started = Instant::now();
        let snap = Box::pin(collect::refresh_once(s, pane)).await.unwrap();
        let took = started.elapsed();
        assert!(took < limit, "{pane:?} took {took:?}");
        out.push((pane, snap));
    }
    out
}

#[test]
fn a_queue_behind_an_exclusive_lock_never_holds_a_refresh() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let holder = cluster
            .connect(lab::DB, "postgres", "holder")
            .await
            .unwrap();
        holder
            .batch_execute("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        let waiter = Arc::new(
            cluster
                .connect(lab::DB, "postgres", "waiter")
                .await
                .unwrap(),
        );
        let queued = Arc::clone(&waiter);
        let task = tokio::spawn(async move {
            let _ = queued.batch_execute("SELECT count(*) FROM accounts").await;
        });
        tokio::time::sleep(Duration::from_millis(300)).await;

        let s = session::open(&common::target(&cluster, lab::DB))
            .await
            .unwrap();
        for (pane, snap) in every_pane(&s, Duration::from_secs(2)).await {
            assert!(snap.server.is_ok() && snap.activity.is_ok(), "{pane:?}");
            if let Some(locks) = &snap.panes.locks {
                assert!(locks.is_ok(), "{locks:?}");
            }
            if let Some(Ok(p)) = &snap.panes.progress {
                assert!(p.ops.is_ok() && p.overdue.is_ok(), "{p:?}");
            }
        }
        // The waiter really was queued behind the lock the whole time.
        let activity = collect::refresh_once(&s, Pane::Activity).await.unwrap();
        let waiting = activity
            .activity
            .as_ref()
            .unwrap()
            .backends
            .iter()
            .any(|b| b.application_name == "waiter" && b.is_waiting_on_lock());
        assert!(waiting);
        holder.batch_execute("ROLLBACK").await.unwrap();
        let _ = task.await;
    });
}

#[test]
fn a_locked_catalog_gives_pane_errors_not_a_hang() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let s = session::open(&common::target(&cluster, lab::DB))
            .await
            .unwrap();
        let holder = cluster
            .connect(lab::DB, "postgres", "holder")
            .await
            .unwrap();
        holder
            .batch_execute("BEGIN; LOCK TABLE pg_catalog.pg_class IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        // Within the server's lock_timeout (0.2 s per statement) and well within the client's
        // deadline: whatever needs pg_class fails in its own pane.
        let _ = every_pane(&s, Duration::from_secs(3)).await;
        holder.batch_execute("ROLLBACK").await.unwrap();
        let snap = collect::refresh_once(&s, Pane::Activity).await.unwrap();
        assert!(snap.activity.is_ok(), "{:?}", snap.activity);
    });
}
