//! Nothing pgscope reads may wait on a relation lock (faults.md T12): with a table locked
//! exclusively and a session queued behind the lock, every pane refreshes at once; with a
//! catalog locked exclusively, a refresh ends in pane errors within the lock timeout, not a hang.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use pgscope::collect::{self, session};
use pgscope::lab;
use pgscope::panes::Pane;
use pgscope::snapshot::Snapshot;

/// Every pane's refresh. Each must come back: a refresh that hung past the client-side
/// deadline is a link failure, and `unwrap` fails the test.
async fn every_pane(s: &session::Session) -> Vec<(Pane, Snapshot)> {
    let mut out = Vec::new();
    for &pane in Pane::ALL {
        let snap = Box::pin(collect::refresh_once(s, pane)).await.unwrap();
        out.push((pane, snap));
    }
    out
}

/// The SQLSTATEs of every error anywhere in a snapshot (header, activity, the pane's parts),
/// read from its debug form so that the check holds whatever shape a pane's data has.
fn sqlstates(snap: &Snapshot) -> Vec<String> {
    let text = format!("{snap:?}");
    text.split("sqlstate: Some(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
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
        let s = session::open(&common::target(&cluster, lab::DB))
            .await
            .unwrap();
        common::eventually(Duration::from_secs(10), "the waiter queues", || async {
            let snap = collect::refresh_once(&s, Pane::Activity).await.unwrap();
            let queued = snap
                .activity
                .unwrap()
                .backends
                .iter()
                .any(|b| b.application_name == "waiter" && b.is_waiting_on_lock());
            queued.then_some(())
        })
        .await;
        // A read that waited on the lock would end in the session's lock_timeout (55P03) and
        // show as an error: no error anywhere means nothing waited.
        for (pane, snap) in every_pane(&s).await {
            assert_eq!(sqlstates(&snap), Vec::<String>::new(), "{pane:?}");
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
        // The server's lock_timeout (0.2 s per statement) ends each wait well within the client's
        // deadline: whatever needs pg_class fails in its own pane, with the lock timeout.
        let panes = every_pane(&s).await;
        // What every refresh reads (header, activity): the baseline of errors.
        let base = sqlstates(&panes[0].1).len();
        for (pane, snap) in &panes {
            let states = sqlstates(snap);
            assert!(states.iter().all(|c| c == "55P03"), "{pane:?}: {states:?}");
            assert!(
                matches!(&snap.activity, Err(e) if e.sqlstate.as_deref() == Some("55P03")),
                "{pane:?}: {:?}",
                snap.activity
            );
            // Panes that read catalogs of their own report the lock in their own part too.
            if matches!(pane, Pane::Locks | Pane::Progress | Pane::Replication) {
                assert!(
                    states.len() > base,
                    "{pane:?}: no error of its own: {states:?}"
                );
            }
        }
        holder.batch_execute("ROLLBACK").await.unwrap();
        let snap = collect::refresh_once(&s, Pane::Activity).await.unwrap();
        assert!(snap.activity.is_ok(), "{:?}", snap.activity);
    });
}
