//! The Progress collector against real servers: a throttled VACUUM with a growing %, CREATE
//! INDEX and COPY progress (COPY "n/a" before 14), the xmin horizon's holders, and freeze ages
//! as the server computes them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use pgscope::collect::{self, session};
use pgscope::conn::{self, ConnArgs};
use pgscope::lab::{self, Cluster};
use pgscope::panes::Pane;
use pgscope::panes::progress::data::{HolderKind, OpKind, Operation, Progress};
use pgscope::panes::progress::eta as progress_eta;

fn target(cluster: &Cluster, db: &str) -> conn::Target {
    let args = ConnArgs {
        conninfo: Some(cluster.conninfo(db)),
        ..ConnArgs::default()
    };
    conn::resolve(&args, &|_| None).unwrap()
}

async fn progress(s: &session::Session) -> Progress {
    let snap = collect::refresh_once(s, Pane::Progress).await.unwrap();
    snap.panes
        .progress
        .clone()
        .expect("progress collected when focused")
        .unwrap()
}

fn op(p: &Progress, pid: i32) -> Option<Operation> {
    p.ops
        .as_ref()
        .unwrap()
        .iter()
        .find(|o| o.pid == pid)
        .cloned()
}

#[test]
fn throttled_vacuum_shows_its_phase_and_a_growing_percentage() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let vacuum = lab::throttled_vacuum(cluster, 60_000).await.unwrap();
            // Connected to the table's database, so the relation name resolves.
            let s = session::open(&target(cluster, lab::DB)).await.unwrap();

            let first = progress(&s).await;
            let a = op(&first, vacuum.pid()).expect("vacuum listed");
            let fa = a.fraction().unwrap();
            // The next snapshot in which the throttled vacuum has moved on.
            let second =
                common::eventually(Duration::from_secs(15), "vacuum progresses", || async {
                    let p = progress(&s).await;
                    let moved = op(&p, vacuum.pid())
                        .and_then(|b| b.fraction())
                        .is_some_and(|f| f > fa);
                    moved.then_some(p)
                })
                .await;
            let b = op(&second, vacuum.pid()).expect("vacuum still listed");

            assert_eq!(b.kind, Some(OpKind::Vacuum), "PG {major}");
            assert_eq!(b.relname.as_deref(), Some("public.events"), "PG {major}");
            assert_eq!(b.phase, "scanning heap", "PG {major}");
            assert!(!b.autovacuum && !b.wraparound);
            assert!(b.total.unwrap() > 100, "PG {major}: {b:?}");
            let fb = b.fraction().unwrap();
            assert!(fb > fa, "PG {major}: {fa} then {fb}");
            assert!(fb < 1.0, "PG {major}: finished too fast");
            let unit = if major >= 17 { "bytes" } else { "tuples" };
            assert_eq!(b.dead_unit.as_deref(), Some(unit), "PG {major}");
            assert!(b.dead_max.unwrap() > 0 && b.index_cycles == Some(0));
            assert_eq!(b.parts_total.is_some(), major >= 17, "PG {major}: indexes");
            // The VACUUM's own snapshot holds nothing back for other vacuums: not a holder.
            let holders = second.horizon.as_ref().unwrap();
            assert!(
                holders.iter().all(|h| h.pid != Some(vacuum.pid())),
                "PG {major}: {holders:?}"
            );

            let etas = progress_eta::etas(Some(&first), &second);
            let i = second
                .ops
                .as_ref()
                .unwrap()
                .iter()
                .position(|o| o.pid == vacuum.pid())
                .unwrap();
            let eta = etas[i].expect("an ETA from two snapshots");
            assert!(eta.rate > 0.0 && eta.remaining.unwrap() > 0, "{eta:?}");
        }
    });
}

#[test]
fn create_index_and_copy_show_progress_and_copy_is_na_before_14() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let s = session::open(&target(cluster, lab::DB)).await.unwrap();

            let index = lab::slow_create_index(cluster, 5_000).await.unwrap();
            let p = progress(&s).await;
            let o = op(&p, index.pid()).expect("create index listed");
            assert_eq!(o.kind, Some(OpKind::CreateIndex), "PG {major}");
            assert_eq!(o.command, "CREATE INDEX");
            assert_eq!(o.relname.as_deref(), Some("public.order_archive"));
            assert!(!o.phase.is_empty(), "PG {major}");
            drop(index);

            let copy = lab::slow_copy(cluster, 5_000).await.unwrap();
            let p = progress(&s).await;
            if major >= 14 {
                let o = op(&p, copy.pid()).expect("copy listed");
                assert_eq!(o.kind, Some(OpKind::Copy), "PG {major}");
                assert_eq!(o.command, "COPY FROM");
                assert_eq!(o.relname.as_deref(), Some("public.audit_log"));
                assert_eq!(o.phase, "file");
                assert!(o.total.unwrap() > 500_000, "PG {major}: {o:?}");
                assert!(p.unavailable.is_empty(), "PG {major}");
            } else {
                assert!(op(&p, copy.pid()).is_none());
                assert!(p.unavailable.contains(&OpKind::Copy), "PG {major}");
                assert_eq!(p.unavailable.contains(&OpKind::Analyze), major < 13);
            }
        }
    });
}

#[test]
fn the_oldest_snapshot_is_named_as_the_horizon_holder() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let old = lab::old_snapshot(cluster).await.unwrap();
            let admin = cluster
                .connect("postgres", "postgres", "test")
                .await
                .unwrap();
            for _ in 0..5 {
                admin.batch_execute("SELECT txid_current()").await.unwrap();
            }
            admin
                .batch_execute("BEGIN; SELECT txid_current(); PREPARE TRANSACTION 'pgscope-test';")
                .await
                .unwrap();
            let s = session::open(&target(cluster, "postgres")).await.unwrap();
            let p = progress(&s).await;
            let holders = p.horizon.as_ref().unwrap();
            let top = &holders[0];
            assert_eq!(top.kind, HolderKind::Backend, "PG {major}: {holders:?}");
            assert_eq!(top.pid, Some(old.pid()), "PG {major}: {holders:?}");
            assert_eq!(top.state.as_deref(), Some("idle in transaction"));
            assert_eq!(top.what, "xmin");
            assert_eq!(top.name, "quarterly-report");
            assert!(top.xid_age >= 5, "PG {major}: {top:?}");
            assert!(holders.iter().all(|h| h.pid != Some(s.own_pid)));
            let prepared = holders
                .iter()
                .find(|h| h.kind == HolderKind::Prepared)
                .expect("prepared transaction listed");
            assert_eq!(prepared.name, "pgscope-test");
            assert_eq!(
                pgscope::panes::progress::view::horizon_culprit(&p),
                Some(old.pid())
            );
            admin
                .batch_execute("ROLLBACK PREPARED 'pgscope-test'")
                .await
                .unwrap();
        }
    });
}

#[test]
fn wraparound_ages_match_the_server_and_no_relation_lock_is_awaited() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let admin = cluster.connect(lab::DB, "postgres", "test").await.unwrap();
            for _ in 0..3 {
                admin.batch_execute("SELECT txid_current()").await.unwrap();
            }
            // A table locked exclusively, with a waiter queued behind: nothing we read may wait.
            admin
                .batch_execute("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
                .await
                .unwrap();
            let s = session::open(&target(cluster, lab::DB)).await.unwrap();
            // A read that waited on the lock would end in the session's lock_timeout (55P03)
            // and show as an error: success means nothing waited.
            let p = progress(&s).await;
            assert!(p.overdue.is_ok() && p.ops.is_ok(), "PG {major}: {p:?}");

            let other = cluster
                .connect("postgres", "postgres", "test")
                .await
                .unwrap();
            let rows = other
                .query(
                    "SELECT datname, age(datfrozenxid)::int8, mxid_age(datminmxid)::int8 \
                     FROM pg_database",
                    &[],
                )
                .await
                .unwrap();
            let freeze = p.freeze.as_ref().unwrap();
            assert_eq!(freeze.total, rows.len() as i64);
            assert_eq!(freeze.freeze_max_age, 200_000_000);
            for row in rows {
                let name: String = row.get(0);
                let db = freeze.databases.iter().find(|d| d.datname == name).unwrap();
                assert_eq!(db.xid_age, row.get::<_, i64>(1), "PG {major} {name}");
                assert_eq!(db.mxid_age, row.get::<_, i64>(2), "PG {major} {name}");
            }
            let ages: Vec<i64> = freeze.databases.iter().map(|d| d.xid_age).collect();
            assert!(ages.windows(2).all(|w| w[0] >= w[1]), "oldest first");
            admin.batch_execute("ROLLBACK").await.unwrap();
        }
    });
}

#[test]
fn overdue_tables_honour_per_table_settings() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let admin = cluster.connect(lab::DB, "postgres", "test").await.unwrap();
        admin
            .batch_execute(
                "CREATE TABLE tiny (id int) WITH (autovacuum_enabled = off, \
                   autovacuum_vacuum_threshold = 5, autovacuum_vacuum_scale_factor = 0); \
                 INSERT INTO tiny SELECT generate_series(1, 100); DELETE FROM tiny WHERE id <= 40;",
            )
            .await
            .unwrap();
        let s = session::open(&target(&cluster, lab::DB)).await.unwrap();
        // The statistics arrive asynchronously (up to a second before 15).
        let deadline = Instant::now() + Duration::from_secs(10);
        let table = loop {
            // Before 15 a backend sends its counts only when a later statement ends.
            admin.batch_execute("SELECT 1").await.unwrap();
            let p = progress(&s).await;
            let overdue = p.overdue.unwrap();
            if let Some(t) = overdue.tables.iter().find(|t| t.relname == "public.tiny") {
                break t.clone();
            }
            assert!(Instant::now() < deadline, "tiny never listed: {overdue:?}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        };
        assert_eq!(table.dead, 40);
        assert_eq!(table.threshold, 5);
        assert!(table.autovacuum_disabled && table.last_autovacuum.is_none());
    });
}

/// A REPEATABLE READ snapshot taken before rows were deleted, then a VACUUM of that table: the
/// horizon section says how old the snapshot is and what it keeps the vacuum from removing.
#[test]
fn a_held_horizon_says_how_long_and_what_it_blocks() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let old = lab::old_snapshot(cluster).await.unwrap();
            // 60,000 rows, a third deleted after the snapshot, then a slowed VACUUM.
            let vacuum = lab::throttled_vacuum(cluster, 60_000).await.unwrap();
            let s = session::open(&target(cluster, lab::DB)).await.unwrap();
            // The deletes reach the statistics within a second or so.
            let p = common::eventually(Duration::from_secs(15), "dead rows counted", || async {
                let p = progress(&s).await;
                p.blocked()
                    .is_some_and(|b| b.dead_rows >= 20_000)
                    .then_some(p)
            })
            .await;
            let top = &p.horizon.as_ref().unwrap()[0];
            assert_eq!(top.pid, Some(old.pid()), "PG {major}: {top:?}");
            let held = p.now
                - top
                    .since
                    .expect("a session holds since its transaction began");
            assert!(held > 0, "PG {major}: {top:?}");
            let b = p.blocked().unwrap();
            assert_eq!(b.vacuums, 1, "PG {major}: {b:?}");
            let v = op(&p, vacuum.pid()).expect("vacuum listed");
            assert_eq!(v.table_dead, Some(b.dead_rows), "PG {major}: {v:?}");
            assert!(
                p.horizon
                    .as_ref()
                    .unwrap()
                    .iter()
                    .all(|h| h.pid != Some(vacuum.pid())),
                "PG {major}: the VACUUM is no holder"
            );
            // The snapshot ends: nothing holds the horizon back, nothing is blocked.
            drop(old);
            let p = common::eventually(Duration::from_secs(15), "horizon released", || async {
                let p = progress(&s).await;
                p.blocked().is_none().then_some(p)
            })
            .await;
            assert!(
                p.horizon
                    .as_ref()
                    .unwrap()
                    .iter()
                    .all(|h| h.kind != HolderKind::Backend || h.pid == Some(vacuum.pid())),
                "PG {major}: {:?}",
                p.horizon
            );
        }
    });
}
