//! The standby's replay lag in time, against a real streaming standby: with the primary idle
//! for seconds after its last commit, the lag is 0 and the header says `caught up` (the time
//! since the last replayed commit is idle time, not lag); with replay paused and the primary
//! writing, the lag is the time since the last replayed commit, and it grows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fixtures;

use std::sync::Arc;
use std::time::{Duration, Instant};

use pgscope::collect::{self, session};
use pgscope::lab::ClusterOptions;
use pgscope::panes::Pane;
use pgscope::panes::replication::data::{ReplayDelay, Summary};
use pgscope::snapshot::Snapshot;
use pgscope::state::State;
use pgscope::update::{Msg, update};

fn summary(snap: &Snapshot) -> &Summary {
    snap.replication_summary
        .as_ref()
        .expect("read every refresh")
        .as_deref()
        .unwrap()
}

/// Refreshes until `ok` holds, or panics after 30 s.
async fn until(s: &session::Session, what: &str, ok: impl Fn(&Summary) -> bool) -> Snapshot {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let snap = collect::refresh_once(s, Pane::Activity).await.unwrap();
        if ok(summary(&snap)) {
            return snap;
        }
        assert!(Instant::now() < deadline, "{what}: {:#?}", summary(&snap));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The header line with the replication figures, drawn from a real snapshot.
fn header(snap: Snapshot) -> String {
    let now = snap.taken_at;
    let mut st = State::new(Duration::from_secs(1), now);
    update(&mut st, Msg::Resize(200, 20));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: Arc::new(snap),
            now,
        },
    );
    let screen = fixtures::screen::screen(&st, 200, 20);
    screen.lines().next().unwrap().to_owned()
}

#[test]
fn idle_primary_is_no_lag_paused_replay_is() {
    let rt = common::runtime();
    for major in common::majors() {
        let primary = common::cluster(major);
        rt.block_on(check(major, &primary));
    }
}

async fn check(major: u32, primary: &pgscope::lab::Cluster) {
    let ctx = format!("PG {major}");
    let standby = pgscope::lab::start_standby(primary, "standby1", &ClusterOptions::default())
        .await
        .unwrap();
    let admin = primary
        .connect("postgres", "postgres", "pgscope-lab")
        .await
        .unwrap();
    admin
        .batch_execute("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (0, '')")
        .await
        .unwrap();
    let on_standby = session::open(&common::target(&standby, "postgres"))
        .await
        .unwrap();

    // The last commit replayed, then nothing written for 2 s: caught up, not 2 s behind.
    let snap = until(&on_standby, "replayed and idle for 2 s", |s| {
        s.receiver_status.as_deref() == Some("streaming")
            && s.last_replay.is_some_and(|t| s.now - t > 2_000_000)
            && s.replay_lag_bytes == Some(0)
    })
    .await;
    assert_eq!(
        summary(&snap).replay_delay(),
        ReplayDelay::CaughtUp,
        "{ctx}"
    );
    let line = header(snap);
    assert!(
        line.contains("replay lag 0 B 0s caught up"),
        "{ctx}: {line}"
    );

    // Replay paused, the primary writes: behind by at least the idle time, and growing.
    let standby_admin = standby
        .connect("postgres", "postgres", "pgscope-lab")
        .await
        .unwrap();
    standby_admin
        .batch_execute("SELECT pg_wal_replay_pause()")
        .await
        .unwrap();
    admin
        .batch_execute("INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 5000) g")
        .await
        .unwrap();
    let behind = |s: &Summary| match s.replay_delay() {
        ReplayDelay::Behind(us) => Some(us),
        _ => None,
    };
    let first = until(&on_standby, "WAL received, not replayed", |s| {
        behind(s).is_some()
    })
    .await;
    let lag1 = behind(summary(&first)).unwrap();
    assert!(lag1 > 2_000_000, "{ctx}: {:?}", summary(&first));
    let line = header(first);
    assert!(
        line.contains("replay lag ")
            && !line.contains("caught up")
            && line.contains("REPLAY PAUSED"),
        "{ctx}: {line}"
    );
    let later = until(&on_standby, "the lag grows", |s| {
        behind(s).is_some_and(|us| us >= lag1 + 1_000_000)
    })
    .await;
    assert!(summary(&later).replay_lag_bytes.unwrap() > 0, "{ctx}");

    // Resumed: caught up again.
    standby_admin
        .batch_execute("SELECT pg_wal_replay_resume()")
        .await
        .unwrap();
    until(&on_standby, "caught up after resume", |s| {
        s.replay_delay() == ReplayDelay::CaughtUp
    })
    .await;
    drop((on_standby, standby_admin, admin, standby));
}
