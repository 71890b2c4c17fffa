//! The Replication pane against real servers: a primary with a streaming standby (replay
//! paused, so the byte lag is real), an inactive slot retaining WAL and a logical subscription
//! between two databases; then the standby's side with no error in its log, and a promotion
//! seen within two refreshes on the same connection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use pgscope::collect::{self, session};
use pgscope::conn::{self, ConnArgs};
use pgscope::lab::{self, Cluster, ClusterOptions};
use pgscope::panes::Pane;
use pgscope::panes::replication::data::{Replication, Summary};
use pgscope::snapshot::Snapshot;

fn target(cluster: &Cluster) -> conn::Target {
    let args = ConnArgs {
        conninfo: Some(format!(
            "host={} port={} user=postgres dbname=postgres",
            cluster.socket_dir().display(),
            cluster.port(),
        )),
        ..ConnArgs::default()
    };
    conn::resolve(&args, &|_| None).unwrap()
}

fn pane(snap: &Snapshot) -> &Replication {
    snap.panes
        .replication
        .as_ref()
        .expect("collected when focused")
        .as_ref()
        .unwrap()
}

fn summary(snap: &Snapshot) -> &Summary {
    snap.replication_summary
        .as_ref()
        .expect("read every refresh")
        .as_deref()
        .unwrap()
}

/// Refreshes until `ok` holds (replication settles asynchronously), or panics after 30 s.
async fn until(s: &session::Session, what: &str, ok: impl Fn(&Snapshot) -> bool) -> Snapshot {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let snap = collect::refresh_once(s, Pane::Replication).await.unwrap();
        if ok(&snap) {
            return snap;
        }
        assert!(Instant::now() < deadline, "{what}: {snap:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

const BURST: &str = "INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g \
                     ON CONFLICT (id) DO UPDATE SET v = excluded.v || '!'";

#[test]
fn both_sides_of_a_real_topology_and_a_promotion() {
    let rt = common::runtime();
    for major in common::majors() {
        let opts = ClusterOptions {
            settings: vec![("wal_level".into(), "logical".into())],
        };
        let primary = common::cluster_with(major, &opts);
        rt.block_on(check(major, &primary));
    }
}

// One scenario, read in order: standby, slots, subscription, promotion.
#[allow(clippy::too_many_lines)]
async fn check(major: u32, primary: &Cluster) {
    let ctx = format!("PG {major}");
    let admin = primary
        .connect("postgres", "postgres", "pgscope-lab")
        .await
        .unwrap();
    admin
        .batch_execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        .await
        .unwrap();
    // The application name in the log tells our statements from the server's own workers (the
    // promoted standby starts the subscription it inherited, which then fails on its slot).
    let logged = ClusterOptions {
        settings: vec![("log_line_prefix".into(), "%m [%p] app=%a ".into())],
    };
    let standby = lab::start_standby(primary, "standby1", &logged)
        .await
        .unwrap();
    lab::idle_slot(primary, "forgotten").await.unwrap();
    lab::logical_pair(
        primary,
        "postgres",
        "replica",
        "t",
        "CREATE TABLE t (id int PRIMARY KEY, v text)",
        "sub1",
    )
    .await
    .unwrap();

    let on_primary = session::open(&target(primary)).await.unwrap();
    let on_standby = session::open(&target(&standby)).await.unwrap();
    until(&on_primary, "standby and subscriber streaming", |s| {
        let Ok(senders) = &pane(s).senders else {
            return false;
        };
        let streaming = |app: &str| {
            senders.iter().any(|x| {
                x.application_name.as_deref() == Some(app)
                    && x.state.as_deref() == Some("streaming")
            })
        };
        streaming("standby1") && streaming("sub1")
    })
    .await;

    // Replay paused on the standby and a write burst: the sender's replay distance is real.
    let standby_admin = standby
        .connect("postgres", "postgres", "pgscope-lab")
        .await
        .unwrap();
    standby_admin
        .batch_execute("SELECT pg_wal_replay_pause()")
        .await
        .unwrap();
    admin.batch_execute(BURST).await.unwrap();
    let snap = until(
        &on_primary,
        "replay distance and a running subscription",
        |s| {
            let r = pane(s);
            let lagging = r.senders.as_ref().unwrap().iter().any(|x| {
                x.application_name.as_deref() == Some("standby1")
                    && x.replay_bytes.unwrap_or(0) > 0
                    && x.sent_bytes == Some(0)
            });
            let applying = r
                .subscriptions
                .as_ref()
                .unwrap()
                .iter()
                .any(|x| x.name == "sub1" && x.pid.is_some() && x.received_lsn.is_some());
            lagging && applying
        },
    )
    .await;
    let r = pane(&snap);
    let senders = r.senders.as_ref().unwrap();
    let physical = senders
        .iter()
        .find(|x| x.application_name.as_deref() == Some("standby1"))
        .unwrap();
    assert_eq!(physical.slot_name.as_deref(), Some("standby1"), "{ctx}");
    assert_eq!(physical.slot_type.as_deref(), Some("physical"), "{ctx}");
    assert_eq!(physical.sync_state.as_deref(), Some("async"), "{ctx}");
    assert!(
        physical.sent_lsn.is_some() && physical.reply_time.is_some(),
        "{ctx}"
    );
    let logical = senders
        .iter()
        .find(|x| x.application_name.as_deref() == Some("sub1"))
        .unwrap();
    assert!(logical.is_logical(), "{ctx}");

    let slots = r.slots.as_ref().unwrap();
    assert_eq!(slots.total, 3, "{ctx}: {slots:#?}");
    let idle = slots.slots.iter().find(|s| s.name == "forgotten").unwrap();
    assert!(idle.retains_while_inactive(), "{ctx}: {idle:?}");
    assert!(idle.retained_bytes.unwrap() > 1_000_000, "{ctx}: {idle:?}");
    assert_eq!(idle.wal_status.is_some(), major >= 13, "{ctx}: {idle:?}");
    assert_eq!(
        idle.inactive_since.is_some(),
        major >= 17,
        "{ctx}: {idle:?}"
    );
    assert!(
        idle.conflicting.is_none(),
        "{ctx}: physical slots never conflict"
    );
    let sub_slot = slots.slots.iter().find(|s| s.name == "sub1").unwrap();
    assert_eq!(sub_slot.plugin.as_deref(), Some("pgoutput"), "{ctx}");
    assert_eq!(sub_slot.datname.as_deref(), Some("postgres"), "{ctx}");
    assert!(
        sub_slot.active && sub_slot.catalog_xmin_age.is_some(),
        "{ctx}"
    );
    // Inactive slots sort first: they are the ones that fill disks.
    assert_eq!(slots.slots[0].name, "forgotten", "{ctx}");

    let subs = r.subscriptions.as_ref().unwrap();
    assert_eq!(subs.len(), 1, "{ctx}: one row per subscription: {subs:#?}");
    assert_eq!(subs[0].datname.as_deref(), Some("replica"), "{ctx}");
    assert_eq!(subs[0].apply_errors.is_some(), major >= 15, "{ctx}");
    let pubs = r.publications.as_ref().unwrap();
    assert!(
        pubs.iter().any(|p| p.name == "sub1" && p.tables == 1),
        "{ctx}"
    );
    assert!(!r.receiver.as_ref().unwrap().in_recovery, "{ctx}");

    let sum = summary(&snap);
    assert!(!sum.in_recovery, "{ctx}");
    assert_eq!(
        (sum.standbys, sum.logical, sum.inactive_slots),
        (1, 1, 1),
        "{ctx}"
    );
    assert!(sum.worst_lag_bytes.unwrap() > 0, "{ctx}: {sum:?}");
    assert!(sum.inactive_slots_bytes.unwrap() > 0, "{ctx}: {sum:?}");
    assert_eq!(sum.replay_paused, None, "{ctx}");

    // The standby's side, replay still paused.
    let snap = until(&on_standby, "receiver streaming, replay behind", |s| {
        let rc = pane(s).receiver.as_ref().unwrap();
        rc.status.as_deref() == Some("streaming") && rc.replay_bytes.unwrap_or(0) > 0
    })
    .await;
    let r = pane(&snap);
    let rc = r.receiver.as_ref().unwrap();
    assert!(rc.in_recovery && rc.paused == Some(true), "{ctx}: {rc:?}");
    assert_eq!(rc.slot_name.as_deref(), Some("standby1"), "{ctx}");
    assert!(
        rc.sender_host.is_some() && rc.receive_lsn.is_some(),
        "{ctx}"
    );
    assert!(!rc.hot_standby_feedback, "{ctx}");
    assert!(r.senders.as_ref().unwrap().is_empty(), "{ctx}");
    assert!(r.slots.is_ok() && r.subscriptions.is_ok(), "{ctx}: {r:#?}");
    let conflicts = r.conflicts.as_ref().unwrap();
    assert!(conflicts.iter().any(|c| c.datname == "postgres"), "{ctx}");
    assert_eq!(
        conflicts[0].logicalslot.is_some(),
        major >= 16,
        "{ctx}: {conflicts:?}"
    );
    let sum = summary(&snap);
    assert!(
        sum.in_recovery && sum.replay_lag_bytes.unwrap() > 0,
        "{ctx}"
    );
    assert_eq!(sum.receiver_status.as_deref(), Some("streaming"), "{ctx}");
    assert_eq!(sum.replay_paused, Some(true), "{ctx}");
    assert!(sum.last_replay.is_some(), "{ctx}: {sum:?}");
    assert!(snap.server.as_ref().unwrap().in_recovery, "{ctx}");
    standby_admin
        .batch_execute("SELECT pg_wal_replay_resume()")
        .await
        .unwrap();
    // Another pane on the standby: only the summary, no primary-only call either.
    let other = collect::refresh_once(&on_standby, Pane::Activity)
        .await
        .unwrap();
    assert!(
        other.panes.replication.is_none() && summary(&other).in_recovery,
        "{ctx}"
    );

    // Promotion: the same connection sees a primary within two refreshes.
    standby.promote().unwrap();
    let mut promoted = false;
    for _ in 0..2 {
        let snap = collect::refresh_once(&on_standby, Pane::Replication)
            .await
            .unwrap();
        let r = pane(&snap);
        if !snap.server.as_ref().unwrap().in_recovery
            && !summary(&snap).in_recovery
            && r.receiver.as_ref().is_ok_and(|rc| !rc.in_recovery)
            && r.senders.is_ok()
            && r.slots.is_ok()
        {
            promoted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(promoted, "{ctx}: promotion not seen within two refreshes");

    let log = std::fs::read_to_string(standby.log_path()).unwrap();
    let errors: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("recovery is in progress")
                || (l.contains("app=pgscope") && (l.contains("ERROR") || l.contains("FATAL")))
        })
        .collect();
    assert!(errors.is_empty(), "{ctx}: standby log: {errors:#?}");
    drop((on_primary, on_standby, standby_admin, admin));
}
