//! The Locks pane against real servers: a four-deep chain, a waiter under two blockers, a
//! prepared transaction blocker, an advisory lock queue and row-level waits, all at once; the
//! tree the collector's data builds is asserted node by node. Then the pane without privileges.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use pgscope::collect::{self, session};
use pgscope::conn::{self, ConnArgs};
use pgscope::lab::{self, Cluster};
use pgscope::panes::Pane;
use pgscope::panes::locks::data::{Lock, Locks};
use pgscope::panes::locks::tree::{LockTree, NodeKey, TreeRow, build};

fn target(cluster: &Cluster, user: &str) -> conn::Target {
    let args = ConnArgs {
        conninfo: Some(format!(
            "host={} port={} user={user} dbname={}",
            cluster.socket_dir().display(),
            cluster.port(),
            lab::DB
        )),
        ..ConnArgs::default()
    };
    conn::resolve(&args, &|_| None).unwrap()
}

/// Every line showing `pid`.
fn rows(tree: &LockTree, pid: i32) -> Vec<&TreeRow> {
    tree.rows
        .iter()
        .filter(|r| r.key == NodeKey::Pid(pid))
        .collect()
}

fn parents(tree: &LockTree, pid: i32) -> Vec<NodeKey> {
    let mut p: Vec<NodeKey> = rows(tree, pid)
        .iter()
        .filter_map(|r| r.parent.clone())
        .collect();
    p.sort();
    p
}

fn wants<'a>(locks: &'a Locks, row: &TreeRow) -> &'a Lock {
    &locks.contended[row.wants.expect("wants a lock")]
}

fn parent_holds<'a>(locks: &'a Locks, row: &TreeRow) -> &'a Lock {
    &locks.contended[row.parent_holds.expect("parent's lock")]
}

/// Four deep, each level a ShareLock on the previous one's transaction id.
fn check_chain(tree: &LockTree, locks: &Locks, pids: &[i32], major: u32) {
    let root = rows(tree, pids[0]);
    assert_eq!(root.len(), 1);
    assert_eq!((root[0].depth, root[0].blocked_below), (0, 3));
    for level in 1..4 {
        let line = rows(tree, pids[level]);
        assert_eq!(line.len(), 1, "level {level}");
        assert_eq!(line[0].depth, level);
        assert_eq!(line[0].parent, Some(NodeKey::Pid(pids[level - 1])));
        let want = wants(locks, line[0]);
        assert_eq!(
            (want.target.locktype.as_str(), want.mode.as_str()),
            ("transactionid", "ShareLock")
        );
        let held = parent_holds(locks, line[0]);
        assert!(held.granted && held.mode == "ExclusiveLock", "{held:?}");
        assert_eq!(
            want.waitstart.is_some(),
            major >= 14,
            "waitstart on {major}"
        );
    }
}

/// Blocked by two SHARE holders: listed under each, marked; the relation is named. The fourth
/// session only queues behind the third, which holds nothing yet.
fn check_two_blockers(tree: &LockTree, locks: &Locks, pids: &[i32]) {
    assert_eq!(
        parents(tree, pids[2]),
        [NodeKey::Pid(pids[0]), NodeKey::Pid(pids[1])]
    );
    let excl = rows(tree, pids[2]);
    assert!(excl.iter().all(|r| r.multi));
    assert_eq!(excl.iter().filter(|r| r.repeat).count(), 1);
    let want = wants(locks, excl[0]);
    assert_eq!(want.mode, "ExclusiveLock");
    assert_eq!(want.target.describe(), "public.ledger_close");
    assert_eq!(parent_holds(locks, excl[0]).mode, "ShareLock");
    assert_eq!(parents(tree, pids[3]), [NodeKey::Pid(pids[2])]);
    let queued = rows(tree, pids[3]);
    assert!(!parent_holds(locks, queued[0]).granted, "queued ahead");
}

/// The prepared transaction: a root of its own, named by gid, with its owner and age.
fn check_prepared(tree: &LockTree, locks: &Locks, waiter: i32) {
    let key = NodeKey::Prepared("px-test".into());
    let line = rows(tree, waiter);
    assert_eq!(line[0].parent, Some(key.clone()));
    let root = tree.rows.iter().find(|r| r.key == key).unwrap();
    assert_eq!(root.depth, 0);
    let info = root.prepared.as_ref().unwrap();
    assert_eq!(info.owner.as_deref(), Some("batch"));
    assert!(info.prepared_at.is_some());
    let want = wants(locks, line[0]);
    assert_eq!(
        (want.mode.as_str(), want.target.describe().as_str()),
        ("AccessShareLock", "public.ledger_export")
    );
    assert_eq!(parent_holds(locks, line[0]).mode, "AccessExclusiveLock");
}

/// Advisory: the second waiter queues behind the holder and the first waiter.
fn check_advisory(tree: &LockTree, locks: &Locks, pids: &[i32]) {
    assert_eq!(parents(tree, pids[1]), [NodeKey::Pid(pids[0])]);
    let mut both = vec![NodeKey::Pid(pids[0]), NodeKey::Pid(pids[1])];
    both.sort();
    assert_eq!(parents(tree, pids[2]), both);
    let want = wants(locks, rows(tree, pids[1])[0]);
    assert_eq!(want.target.describe(), "advisory 4242");
    // The holder's lock on that target, found in the one read of pg_locks.
    let held = parent_holds(locks, rows(tree, pids[1])[0]);
    assert_eq!(
        (held.pid, held.granted, held.target.describe().as_str()),
        (Some(pids[0]), true, "advisory 4242")
    );
}

/// Rows: the first waiter waits on the holder's xid, the next on the row lock it holds.
fn check_rows(tree: &LockTree, locks: &Locks, pids: &[i32]) {
    assert_eq!(parents(tree, pids[1]), [NodeKey::Pid(pids[0])]);
    let first = wants(locks, rows(tree, pids[1])[0]);
    assert_eq!(first.target.locktype, "transactionid");
    assert_eq!(parents(tree, pids[2]), [NodeKey::Pid(pids[1])]);
    let second = rows(tree, pids[2])[0];
    let tuple = wants(locks, second);
    assert_eq!(tuple.target.describe(), "public.ledger_rows row (0,1)");
    assert_eq!(parent_holds(locks, second).target.locktype, "tuple");
}
#[test]
fn the_tree_of_a_real_pile_up() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            lab::setup_lock_tables(cluster).await.unwrap();
            let chain = lab::lock_chain(cluster, 4).await.unwrap();
            let two = lab::two_blockers(cluster).await.unwrap();
            let px = lab::prepared_blocker(cluster, "px-test").await.unwrap();
            let adv = lab::advisory_queue(cluster, 4242, 2).await.unwrap();
            let rowp = lab::row_pileup(cluster, 2).await.unwrap();

            let s = session::open(&target(cluster, "postgres")).await.unwrap();
            let snap = collect::refresh_once(&s, Pane::Locks).await.unwrap();
            let activity = snap.activity.as_ref().unwrap();
            let locks = snap
                .panes
                .locks
                .as_ref()
                .expect("collected")
                .as_ref()
                .unwrap();
            let tree = build(&activity.backends, Some(locks));
            let ctx = format!("PG {major}");

            check_chain(&tree, locks, chain.pids(), major);
            check_two_blockers(&tree, locks, two.pids());
            check_prepared(&tree, locks, px.pids()[0]);
            check_advisory(&tree, locks, adv.pids());
            check_rows(&tree, locks, rowp.pids());
            let chain_root = NodeKey::Pid(chain.pids()[0]);
            let share_holder = two.pids()[0];

            // Roots by impact: the chain (3 below) before the rest.
            let roots: Vec<&NodeKey> = tree
                .rows
                .iter()
                .filter(|r| r.depth == 0)
                .map(|r| &r.key)
                .collect();
            assert_eq!(roots[0], &chain_root, "{ctx}: {roots:?}");
            assert_eq!(tree.hidden_waiters, 0, "{ctx}");

            // The grouped list and the selected backend's own locks.
            assert!(locks.locks_total > 0 && locks.groups_total >= locks.groups.len() as i64);
            assert!(
                locks.groups.iter().any(|g| !g.granted),
                "{ctx}: a waiting group"
            );
            assert!(
                locks
                    .by_pid
                    .iter()
                    .any(|l| l.pid == Some(share_holder) && l.mode == "ShareLock" && l.granted)
            );

            // Activity's blocked-by column and the tree agree.
            for row in &tree.rows {
                if let (NodeKey::Pid(pid), Some(NodeKey::Pid(parent))) = (&row.key, &row.parent) {
                    let b = activity.backends.iter().find(|b| b.pid == *pid).unwrap();
                    assert!(b.blocked_by.contains(parent), "{ctx}");
                }
            }

            // Another user's waits are hidden from a login without pg_read_all_stats: said so.
            let plain = session::open(&target(cluster, "app_rw")).await.unwrap();
            let snap = collect::refresh_once(&plain, Pane::Locks).await.unwrap();
            let locks = snap.panes.locks.as_ref().unwrap().as_ref().unwrap();
            let tree = build(&snap.activity.as_ref().unwrap().backends, Some(locks));
            assert!(tree.hidden_waiters > 0, "{ctx}");

            px.release().await.unwrap();
            drop((chain, two, adv, rowp));
        }
    });
}

#[test]
fn without_pg_lock_status_the_pane_says_which_grant_is_missing() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            lab::setup(cluster).await.unwrap();
            let admin = cluster
                .connect(lab::DB, "postgres", "pgscope-lab")
                .await
                .unwrap();
            admin
                .batch_execute(
                    "CREATE ROLE ops LOGIN; GRANT pg_monitor TO ops; \
                     REVOKE EXECUTE ON FUNCTION pg_lock_status() FROM PUBLIC",
                )
                .await
                .unwrap();
            let s = session::open(&target(cluster, "ops")).await.unwrap();
            let snap = collect::refresh_once(&s, Pane::Locks).await.unwrap();
            assert!(snap.activity.is_ok(), "only the Locks pane degrades");
            let err = snap.panes.locks.unwrap().unwrap_err();
            assert!(err.is_permission(), "{err:?}");
            let hint = pgscope::panes::locks::draw_shared::grant_hint(&err, "ops").unwrap();
            assert_eq!(hint, "GRANT EXECUTE ON FUNCTION pg_lock_status() TO ops");
            // Other panes do not read pg_locks at all.
            let snap = collect::refresh_once(&s, Pane::Activity).await.unwrap();
            assert!(snap.panes.locks.is_none());
        }
    });
}
