//! A terminate aimed at a session idle in transaction is pinned to that transaction: a session
//! that commits and starts new work between the selection and `y` is not terminated, and the
//! result says "transaction ended before the signal". Real servers, through update and the
//! signalling code the control task runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use pgscope::action::Action;
use pgscope::collect::{self, session};
use pgscope::control::signal::{self, SignalPermit};
use pgscope::effect::{Effect, Job, Outcome, SignalRequest};
use pgscope::lab::Cluster;
use pgscope::panes::Pane;
use pgscope::snapshot::Snapshot;
use pgscope::state::State;
use pgscope::update::{ConfirmKey, Msg, update};

async fn snapshot(cluster: &Cluster) -> Snapshot {
    let s = Box::pin(session::open(&common::target(cluster, "postgres")))
        .await
        .unwrap();
    Box::pin(collect::refresh_once(&s, Pane::Activity))
        .await
        .unwrap()
}

/// The operator's view of the server with `pid` selected, and the request `K y` makes.
async fn terminate_request(cluster: &Cluster, pid: i32) -> SignalRequest {
    let snap = common::eventually(Duration::from_secs(10), "idle in transaction", || async {
        let snap = snapshot(cluster).await;
        let idle_tx = snap
            .activity
            .as_ref()
            .unwrap()
            .backends
            .iter()
            .any(|b| b.pid == pid && b.state.as_deref() == Some("idle in transaction"));
        idle_tx.then_some(snap)
    })
    .await;
    let mut st = State::new(Duration::from_secs(1), snap.taken_at);
    st.views.activity.show_idle = true;
    let now = snap.taken_at;
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: Arc::new(snap),
            now,
        },
    );
    while st.views.activity.selected != Some(pid) {
        let before = st.views.activity.selected;
        update(&mut st, Msg::Action(Action::Down));
        assert_ne!(st.views.activity.selected, before, "pid {pid} not listed");
    }
    update(&mut st, Msg::Action(Action::Terminate));
    let effects = update(&mut st, Msg::Confirm(ConfirmKey::Yes));
    let [Effect::Control(Job::Signal(request))] = &effects[..] else {
        panic!("no signal job: {effects:?}");
    };
    assert!(request.targets[0].xact_start.is_some(), "not pinned");
    request.clone()
}

#[test]
fn a_session_that_committed_since_is_not_terminated() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let version = cluster.major() as i32 * 10_000;
            let permit = SignalPermit::unless_read_only(false).unwrap();
            let control = cluster
                .connect("postgres", "postgres", "pgscope-control")
                .await
                .unwrap();

            // Committed and went on with a new transaction: left alone.
            let app = cluster
                .connect("postgres", "postgres", "app")
                .await
                .unwrap();
            app.batch_execute("BEGIN; SELECT 1").await.unwrap();
            let pid: i32 = app
                .query_one("SELECT pg_backend_pid()", &[])
                .await
                .unwrap()
                .get(0);
            let request = terminate_request(cluster, pid).await;
            app.batch_execute("COMMIT; BEGIN; SELECT 2").await.unwrap();
            let report = signal::run(&permit, &control, version, request).await;
            assert_eq!(
                report.results[0].1,
                Outcome::XactEnded,
                "PG {}",
                cluster.major()
            );
            assert!(
                report.results[0]
                    .1
                    .describe()
                    .contains("transaction ended before the signal")
            );
            app.batch_execute("SELECT 3").await.unwrap();

            // Still in the same transaction: terminated.
            let request = terminate_request(cluster, pid).await;
            let report = signal::run(&permit, &control, version, request).await;
            assert_eq!(
                report.results[0].1,
                Outcome::Terminated,
                "PG {}",
                cluster.major()
            );
            assert!(app.batch_execute("SELECT 4").await.is_err());
        }
    });
}
