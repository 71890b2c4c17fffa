//! A catalog locked ACCESS EXCLUSIVE (pg_authid): every sessions read ends in lock_timeout. The
//! header must not show zeros as fresh data, the holder is named, and the collector retries
//! within a few refreshes once the lock is gone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use common::collector::{self, Collector};
use pgscope::collect::{sampler, session};
use pgscope::panes::Pane;
use pgscope::snapshot::Snapshot;
use pgscope::state::State;
use pgscope::update::{Msg, update};

/// The next snapshot that satisfies `want`, within 20 s.
async fn until(w: &mut Collector, want: impl Fn(&Snapshot) -> bool) -> Arc<Snapshot> {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            w.snaps.changed().await.unwrap();
            if let Some(s) = w.snaps.borrow_and_update().clone()
                && want(&s)
            {
                return s;
            }
        }
    })
    .await
    .expect("the awaited snapshot came")
}

#[test]
fn a_locked_catalog_is_named_and_never_shown_as_zeros() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let t = common::target(&cluster, "postgres");
        // Sessions are opened before the lock: a login reads pg_authid too.
        let first = session::open(&t).await.unwrap();
        let locker = cluster
            .connect("postgres", "postgres", "locker")
            .await
            .unwrap();
        let locker_pid: i32 = locker
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .unwrap()
            .get(0);
        let mut w = collector::spawn(
            t,
            first,
            Duration::from_millis(250),
            sampler::Config::default(),
        );
        w.focus.send(Pane::Locks).unwrap();
        let good = until(&mut w, |s| s.activity.is_ok()).await;

        locker
            .batch_execute("BEGIN; LOCK TABLE pg_authid IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        let holder = format!("pid {locker_pid} holds ACCESS EXCLUSIVE on pg_authid");
        let failed = until(&mut w, |s| {
            s.activity
                .as_ref()
                .is_err_and(|e| e.sqlstate.as_deref() == Some("55P03"))
        })
        .await;
        let err = failed.activity.as_ref().unwrap_err();
        assert!(err.message.contains(&holder), "{err}");
        let locks = until(&mut w, |s| {
            s.panes.locks.as_ref().is_some_and(Result::is_err)
        })
        .await;
        let locks_err = locks.panes.locks.as_ref().unwrap().as_ref().unwrap_err();
        assert!(locks_err.message.contains(&holder), "{locks_err}");

        // The header: the counts are unknown, not zero, and the clock stays at the last good
        // data, which turns STALE once it is old enough.
        let mut st = State::new(Duration::from_millis(250), good.taken_at);
        update(&mut st, Msg::Resize(200, 24));
        update(
            &mut st,
            Msg::Snapshot {
                snapshot: Arc::clone(&good),
                now: good.taken_at,
            },
        );
        update(
            &mut st,
            Msg::Snapshot {
                snapshot: Arc::clone(&failed),
                now: good.taken_at + 10_000_000,
            },
        );
        let shown = fixtures::screen::screen(&st, 200, 24);
        // At 200 columns the header is one line.
        let header = shown.lines().next().unwrap();
        assert!(header.contains("sessions unknown"), "{header}");
        assert!(header.contains(&holder), "{header}");
        assert!(!header.contains("active 0"), "{header}");
        assert!(header.contains("STALE"), "{header}");

        // A login meanwhile hangs (it reads pg_authid): the timeout says why it may.
        let slow = pgscope::conn::resolve(
            &pgscope::conn::ConnArgs {
                conninfo: Some(format!(
                    "{} connect_timeout=2",
                    cluster.conninfo("postgres")
                )),
                ..pgscope::conn::ConnArgs::default()
            },
            &|_| None,
        )
        .unwrap();
        let e = pgscope::conn::connect(&slow, "pgscope").await.unwrap_err();
        assert!(e.to_string().contains("lock on a catalog"), "{e}");

        // Once the lock is gone, fresh data within a few refreshes, not a backoff of a minute.
        let seq = w.snaps.borrow().as_ref().unwrap().seq;
        locker.batch_execute("ROLLBACK").await.unwrap();
        let back = until(&mut w, |s| s.activity.is_ok()).await;
        assert!(
            back.seq <= seq + 4,
            "recovered at refresh {} after {seq}",
            back.seq
        );
    });
}
