//! What the Locks tree says a session holds, against a real server: a lock still queued is
//! not shown as held, a session's own xid lock is not shown as if held on the relation the row
//! waits for, the detail names the xid, and pgscope's own locks are not listed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use pgscope::action::Action;
use pgscope::collect::{self, session};
use pgscope::lab::{self, Cluster};
use pgscope::panes::Pane;
use pgscope::snapshot::Snapshot;
use pgscope::state::State;
use pgscope::update::{Msg, update};
use tokio_postgres::Client;

async fn session_of(cluster: &Cluster, app: &str) -> (Arc<Client>, i32) {
    let c = Arc::new(cluster.connect(lab::DB, "postgres", app).await.unwrap());
    let pid = c
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    (c, pid)
}

/// Runs `sql` in the background on `c` (it will wait on a lock).
fn start(c: &Arc<Client>, sql: &'static str) {
    let c = Arc::clone(c);
    tokio::spawn(async move {
        let _ = c.batch_execute(sql).await;
    });
}

/// A Locks snapshot once `n` sessions wait on a lock.
async fn locks_with_waiters(s: &session::Session, n: usize) -> Arc<Snapshot> {
    for _ in 0..200 {
        let snap = Box::pin(collect::refresh_once(s, Pane::Locks))
            .await
            .unwrap();
        let waiting = snap
            .activity
            .as_ref()
            .unwrap()
            .backends
            .iter()
            .filter(|b| b.is_waiting_on_lock())
            .count();
        if waiting >= n {
            return Arc::new(snap);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let snap = Box::pin(collect::refresh_once(s, Pane::Locks))
        .await
        .unwrap();
    let states: Vec<_> = snap
        .activity
        .as_ref()
        .unwrap()
        .backends
        .iter()
        .map(|b| {
            (
                b.pid,
                b.state.clone(),
                b.wait_event.clone(),
                b.query.clone(),
            )
        })
        .collect();
    panic!("never saw {n} lock waiters: {states:#?}");
}

fn screen_of(snap: Arc<Snapshot>, select: i32) -> String {
    let mut st = State::new(Duration::from_secs(1), snap.taken_at);
    update(&mut st, Msg::Resize(200, 40));
    update(&mut st, Msg::Action(Action::Pane(2)));
    let now = snap.taken_at;
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snap,
            now,
        },
    );
    for _ in 0..10 {
        if pgscope::update::pane::selected_pid(&st) == Some(select) {
            break;
        }
        update(&mut st, Msg::Action(Action::Down));
    }
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(select));
    fixtures::screen::screen(&st, 200, 40)
}

async fn cancel(c: &Client) {
    c.cancel_token()
        .cancel_query(tokio_postgres::NoTls)
        .await
        .unwrap();
}

fn row_of(screen: &str, pid: i32) -> String {
    screen
        .lines()
        .find(|l| {
            l.trim_start_matches(['└', '├', '─', '│', ' '])
                .starts_with(&format!("{pid} "))
        })
        .unwrap_or_else(|| panic!("no row for {pid}:\n{screen}"))
        .to_owned()
}

#[test]
fn held_means_granted_and_on_the_object_named() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let scope = session::open(&common::target(&cluster, lab::DB))
            .await
            .unwrap();
        // Nothing waits and nothing is locked but pgscope's own read: the list is empty.
        let idle = Box::pin(collect::refresh_once(&scope, Pane::Locks))
            .await
            .unwrap();
        let own = scope.own_pid;
        let locks = idle.panes.locks.as_ref().unwrap().as_ref().unwrap();
        assert!(
            locks.groups.iter().all(|l| l.pid != Some(own)) && locks.groups.is_empty(),
            "{:?}",
            locks.groups
        );

        // Queued: A reads orders, B wants ACCESS EXCLUSIVE on it, D's read queues behind B.
        let (reader, _) = session_of(&cluster, "a").await;
        let (locker, middle) = session_of(&cluster, "b").await;
        let (queued, _) = session_of(&cluster, "d").await;
        reader
            .batch_execute("BEGIN; SELECT count(*) FROM orders")
            .await
            .unwrap();
        start(&locker, "BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
        locks_with_waiters(&scope, 1).await;
        start(&queued, "SELECT count(*) FROM orders");
        let shown = screen_of(locks_with_waiters(&scope, 2).await, middle);
        let row = row_of(&shown, middle);
        assert!(row.contains("queued"), "{row}\n{shown}");
        for x in [&locker, &queued] {
            cancel(x).await;
        }
        reader.batch_execute("ROLLBACK").await.unwrap();
        locker.batch_execute("ROLLBACK").await.unwrap();

        // Another object: B holds its xid (a row of accounts) and waits for orders; C waits
        // for B's row, so for B's xid. B's row must not read as holding a lock on orders.
        reader
            .batch_execute("BEGIN; SELECT count(*) FROM orders")
            .await
            .unwrap();
        locker
            .batch_execute("BEGIN; UPDATE accounts SET balance = balance WHERE id = 1")
            .await
            .unwrap();
        let holder_xid: String = locker
            .query_one("SELECT txid_current()::text", &[])
            .await
            .unwrap()
            .get(0);
        start(&locker, "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
        locks_with_waiters(&scope, 1).await;
        let (row_waiter, _) = session_of(&cluster, "c").await;
        start(
            &row_waiter,
            "UPDATE accounts SET balance = balance WHERE id = 1",
        );
        let shown = screen_of(locks_with_waiters(&scope, 2).await, middle);
        let row = row_of(&shown, middle);
        assert!(row.contains(&format!("xid {holder_xid}")), "{row}\n{shown}");
        // The detail of B lists its own xid lock with the number.
        assert!(
            shown
                .lines()
                .any(|l| l.starts_with("held") && l.contains(&format!("xid {holder_xid}"))),
            "detail without the xid:\n{shown}"
        );
        for x in [&locker, &row_waiter] {
            cancel(x).await;
        }
    });
}
