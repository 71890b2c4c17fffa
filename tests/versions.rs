//! Version gates against real servers of every selected major: capabilities, SQL chosen by
//! version, "n/a" instead of zero, and the same scenario giving the same logical rows everywhere.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use pgscope::collect::{self, session};
use pgscope::conn::{self, ConnArgs};
use pgscope::lab::{self, Cluster};
use pgscope::panes::Pane;
use pgscope::snapshot::Snapshot;

fn target(cluster: &Cluster, user: &str) -> conn::Target {
    let conninfo = format!("{} user={user}", cluster.conninfo("postgres"));
    let args = ConnArgs {
        conninfo: Some(conninfo),
        ..ConnArgs::default()
    };
    conn::resolve(&args, &|_| None).unwrap()
}

#[test]
fn capabilities_follow_version_and_grants() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major() as i32;
            lab::setup(cluster).await.unwrap();
            let admin = cluster
                .connect("postgres", "postgres", "test")
                .await
                .unwrap();
            admin
                .batch_execute(
                    "CREATE ROLE ops LOGIN; GRANT pg_monitor TO ops; CREATE ROLE nobody LOGIN;",
                )
                .await
                .unwrap();

            let su = session::open(&target(cluster, "postgres")).await.unwrap();
            let caps = &su.caps;
            assert_eq!(caps.major(), major);
            assert!(caps.superuser && caps.sees_all_sessions() && !caps.in_recovery);
            assert_eq!(caps.login, "postgres");
            assert_eq!(
                caps.reserved_connections.is_some(),
                major >= 16,
                "PG {major}"
            );
            assert!(
                caps.pg_stat_statements.is_some(),
                "PG {major}: extension not seen"
            );
            assert_eq!(caps.track_activity_query_size, 1024);
            assert_eq!(caps.own_pid, su.own_pid);

            let ops = session::open(&target(cluster, "ops")).await.unwrap();
            assert!(!ops.caps.superuser && ops.caps.pg_monitor && ops.caps.pg_read_all_stats);
            assert!(!ops.caps.pg_signal_backend);

            // An unprivileged login still works; other users' rows are there but hidden.
            let long = lab::long_query(cluster, 60.0).await.unwrap();
            let nobody = session::open(&target(cluster, "nobody")).await.unwrap();
            assert!(!nobody.caps.sees_all_sessions());
            let snap = collect::refresh_once(&nobody, Pane::Activity)
                .await
                .unwrap();
            let row = snap
                .activity
                .as_ref()
                .unwrap()
                .backends
                .iter()
                .find(|b| b.pid == long.pid())
                .cloned()
                .unwrap();
            assert_eq!(row.query, "<insufficient privilege>");
            assert_eq!(row.state, None);
        }
    });
}

#[test]
fn query_id_and_leader_pid_only_where_the_server_has_them() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let long = lab::long_query(cluster, 60.0).await.unwrap();
            let s = session::open(&target(cluster, "postgres")).await.unwrap();
            let snap = collect::refresh_once(&s, Pane::Activity).await.unwrap();
            let row = snap
                .activity
                .as_ref()
                .unwrap()
                .backends
                .iter()
                .find(|b| b.pid == long.pid())
                .cloned()
                .unwrap();
            // pg_stat_statements is preloaded by the lab, so compute_query_id=auto computes it.
            assert_eq!(row.query_id.is_some(), major >= 14, "PG {major}");
            assert_eq!(row.leader_pid, None);
        }
    });
}

/// The logical shape of a lock chain as collected: per level, state, wait type and the level of
/// its blocker — independent of pids, so majors can be compared.
fn chain_shape(snap: &Snapshot, pids: &[i32]) -> Vec<(String, String, Vec<usize>)> {
    let backends = &snap.activity.as_ref().unwrap().backends;
    pids.iter()
        .map(|pid| {
            let b = backends.iter().find(|b| b.pid == *pid).unwrap();
            let blockers = b
                .blocked_by
                .iter()
                .map(|p| pids.iter().position(|x| x == p).unwrap())
                .collect();
            (
                b.state.clone().unwrap_or_default(),
                b.wait_event_type.clone().unwrap_or_default(),
                blockers,
            )
        })
        .collect()
}

#[test]
fn same_lock_chain_same_rows_on_every_major() {
    let clusters = common::clusters();
    let shapes: Vec<_> = common::runtime().block_on(async {
        let mut shapes = Vec::new();
        for cluster in &clusters {
            lab::setup(cluster).await.unwrap();
            let chain = lab::lock_chain(cluster, 4).await.unwrap();
            let s = session::open(&target(cluster, "postgres")).await.unwrap();
            let snap = collect::refresh_once(&s, Pane::Activity).await.unwrap();
            shapes.push((cluster.major(), chain_shape(&snap, chain.pids())));
        }
        shapes
    });
    let expected = vec![
        (
            "idle in transaction".to_owned(),
            "Client".to_owned(),
            vec![],
        ),
        ("active".to_owned(), "Lock".to_owned(), vec![0]),
        ("active".to_owned(), "Lock".to_owned(), vec![1]),
        ("active".to_owned(), "Lock".to_owned(), vec![2]),
    ];
    for (major, shape) in shapes {
        assert_eq!(shape, expected, "PG {major}");
    }
}

#[test]
fn version_thresholds_pick_the_right_file() {
    use pgscope::panes::activity::read::sql;
    use pgscope::panes::locks::read::sql as locks;
    assert!(!sql(120_022).contains("a.leader_pid"));
    assert!(sql(130_000).contains("a.leader_pid"));
    assert!(!sql(130_000).contains("a.query_id"));
    assert!(sql(180_004).contains("a.query_id"));
    assert!(sql(990_000).contains("a.query_id"));
    assert!(locks(130_000).contains("min(NULL::timestamptz)"));
    assert!(!locks(130_000).contains("min(waitstart)"));
    assert!(locks(140_000).contains("min(waitstart)"));
}

/// Without EXECUTE on pg_blocking_pids the activity pane still works; only blocked-by is
/// unknown (faults.md T18).
#[test]
fn revoked_pg_blocking_pids_degrades_only_blocked_by() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let admin = cluster
            .connect("postgres", "postgres", "test")
            .await
            .unwrap();
        admin
            .batch_execute(
                "CREATE ROLE ops LOGIN; GRANT pg_monitor TO ops; \
                 REVOKE EXECUTE ON FUNCTION pg_blocking_pids(integer) FROM PUBLIC",
            )
            .await
            .unwrap();
        let chain = lab::lock_chain(&cluster, 2).await.unwrap();
        let ops = session::open(&target(&cluster, "ops")).await.unwrap();
        assert!(!ops.caps.can_blocking_pids);
        let snap = collect::refresh_once(&ops, Pane::Activity).await.unwrap();
        let rows = &snap.activity.as_ref().unwrap().backends;
        let waiter = rows.iter().find(|b| b.pid == chain.pids()[1]).unwrap();
        assert_eq!(waiter.wait_event_type.as_deref(), Some("Lock"));
        assert!(waiter.blocked_by.is_empty());
    });
}

/// A REVOKE (and a GRANT back) on pg_blocking_pids while pgscope runs: the activity statement
/// follows it instead of failing the pane (and with it the header) until a reconnect.
#[test]
fn a_grant_changed_while_connected_is_followed() {
    use common::collector;
    use pgscope::collect::sampler::Config;
    use std::time::Duration;

    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let admin = cluster
            .connect("postgres", "postgres", "test")
            .await
            .unwrap();
        admin
            .batch_execute("CREATE ROLE ops LOGIN; GRANT pg_monitor TO ops")
            .await
            .unwrap();
        let t = target(&cluster, "ops");
        let first = session::open(&t).await.unwrap();
        assert!(first.caps.can_blocking_pids);
        let mut c = collector::spawn(t, first, Duration::from_millis(250), Config::default());
        let mut until = async |what: &str, ok: &dyn Fn(&Snapshot) -> bool| {
            tokio::time::timeout(Duration::from_secs(30), async {
                loop {
                    c.snaps.changed().await.unwrap();
                    let snap = c.snaps.borrow_and_update().clone().unwrap();
                    if ok(&snap) {
                        return;
                    }
                }
            })
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
        };
        until("a first refresh", &|s| s.activity.is_ok()).await;

        admin
            .batch_execute("REVOKE EXECUTE ON FUNCTION pg_blocking_pids(integer) FROM PUBLIC")
            .await
            .unwrap();
        until("blocked-by off, sessions still read", &|s| {
            s.activity.is_ok() && !s.caps.can_blocking_pids
        })
        .await;

        admin
            .batch_execute("GRANT EXECUTE ON FUNCTION pg_blocking_pids(integer) TO PUBLIC")
            .await
            .unwrap();
        until("blocked-by back", &|s| {
            s.activity.is_ok() && s.caps.can_blocking_pids
        })
        .await;
        c.task.abort();
    });
}

/// Every statement composed from a base and version-gated pieces is whole on every supported
/// major (the servers of `PGSCOPE_TEST_PG` prepare them in the other tests).
#[test]
fn composed_statements_have_no_slot_left() {
    use pgscope::panes::{activity, locks, progress, replication, waits};
    for major in 12..=18 {
        let v = major * 10_000;
        let all = [
            activity::read::sql(v),
            locks::read::sql(v),
            progress::read::ops_sql(v),
            replication::read::slots_sql(v),
            replication::read::receiver_sql(v),
            replication::read::conflicts_sql(v),
            replication::read::subscriptions_sql(v),
            waits::read::sample_sql(v),
        ];
        for sql in all {
            assert!(
                !sql.contains('{') && !sql.contains('}'),
                "PG {major}: {sql}"
            );
        }
    }
}
