//! The lab itself: clusters of every selected major start, hold a real lock chain, and leave
//! nothing behind when dropped.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::time::Duration;

use pgscope::lab::{self, Cluster};

#[test]
fn lock_chain_is_visible_and_clusters_clean_up() {
    let clusters = common::clusters();
    let rt = common::runtime();
    let mut leftovers = Vec::new();
    for cluster in clusters {
        rt.block_on(check_chain(&cluster));
        let pid = cluster.postmaster_pid().expect("postmaster.pid");
        leftovers.push((cluster.socket_dir().to_owned(), pid));
        drop(cluster);
    }
    for (dir, pid) in leftovers {
        assert!(!dir.exists(), "{} still exists", dir.display());
        assert!(!alive(pid), "postmaster {pid} still running");
    }
}

async fn check_chain(cluster: &Cluster) {
    let major = cluster.major();
    lab::setup(cluster).await.expect("setup");
    let chain = lab::lock_chain(cluster, 3).await.expect("lock chain");
    let pids = chain.pids().to_vec();
    assert_eq!(pids.len(), 3);

    let monitor = cluster
        .connect("postgres", "postgres", "lab-test")
        .await
        .expect("connect");
    let rows = monitor
        .query(
            "SELECT pid, wait_event_type, pg_blocking_pids(pid) FROM pg_stat_activity \
             WHERE pid = ANY($1) ORDER BY array_position($1, pid)",
            &[&pids],
        )
        .await
        .expect("pg_stat_activity");
    let seen: Vec<(i32, Option<String>, Vec<i32>)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(seen.len(), 3, "PG{major}: {seen:?}");
    assert_eq!(
        seen[0].2,
        Vec::<i32>::new(),
        "PG{major}: root is not blocked: {seen:?}"
    );
    assert_eq!(
        seen[1].2,
        vec![pids[0]],
        "PG{major}: level 1 waits on the root: {seen:?}"
    );
    assert_eq!(
        seen[2].2,
        vec![pids[1]],
        "PG{major}: level 2 waits on level 1: {seen:?}"
    );
    assert_eq!(seen[1].1.as_deref(), Some("Lock"), "PG{major}");

    // Dropping the chain dissolves it: no backend of ours is left waiting on a lock.
    drop(chain);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let waiting: i64 = monitor
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1) AND wait_event_type = 'Lock'",
                &[&pids],
            )
            .await
            .expect("count waiters")
            .get(0);
        if waiting == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "PG{major}: chain did not dissolve"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Alive and not a zombie (the postmaster is reparented to init, which may reap it late).
fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rsplit_once(')')
            .and_then(|(_, r)| r.split_whitespace().next())
            .is_some_and(|st| st != "Z")
    })
}
