//! Shared harness for integration tests: throwaway clusters of the majors chosen by
//! `PGSCOPE_TEST_PG` (comma list, e.g. "13,15,18"; default "15").
#![allow(dead_code)] // each test binary uses a different part of the harness
#![allow(clippy::expect_used, clippy::unwrap_used)]

pub mod collector;
pub mod tmux;

use std::thread;

use pgscope::conn::{self, ConnArgs, Target};
use pgscope::lab::{Cluster, ClusterOptions, PgBinaries};

/// The majors to test against, from `PGSCOPE_TEST_PG` (default: 15).
pub fn majors() -> Vec<u32> {
    let spec = std::env::var("PGSCOPE_TEST_PG").unwrap_or_default();
    let spec = if spec.trim().is_empty() {
        "15".to_owned()
    } else {
        spec
    };
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .unwrap_or_else(|_| panic!("PGSCOPE_TEST_PG: {s:?} is not a major version"))
        })
        .collect()
}

/// Starts a cluster of `major` with default options (fetching the binaries if needed).
pub fn cluster(major: u32) -> Cluster {
    cluster_with(major, &ClusterOptions::default())
}

/// Starts a cluster of `major` with extra server settings.
pub fn cluster_with(major: u32, opts: &ClusterOptions) -> Cluster {
    let bins =
        PgBinaries::for_major(major).unwrap_or_else(|e| panic!("PostgreSQL {major} binaries: {e}"));
    Cluster::start(&bins, opts).unwrap_or_else(|e| panic!("start PostgreSQL {major}: {e}"))
}

/// One cluster per selected major, started in parallel, in the order of [`majors`].
pub fn clusters() -> Vec<Cluster> {
    let handles: Vec<_> = majors()
        .into_iter()
        .map(|m| thread::spawn(move || cluster(m)))
        .collect();
    // Join all first: a panic in one must not leak the clusters the others started.
    let results: Vec<_> = handles.into_iter().map(thread::JoinHandle::join).collect();
    let mut clusters = Vec::new();
    let mut failure = None;
    for result in results {
        match result {
            Ok(c) => clusters.push(c),
            Err(panic) => failure = Some(panic),
        }
    }
    if let Some(panic) = failure {
        drop(clusters);
        std::panic::resume_unwind(panic);
    }
    clusters
}

/// A multi-threaded runtime for tests that start clusters synchronously first.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// pgscope's connection target for `db` on `cluster`, as the postgres user.
pub fn target(cluster: &Cluster, db: &str) -> Target {
    let args = ConnArgs {
        conninfo: Some(cluster.conninfo(db)),
        ..ConnArgs::default()
    };
    conn::resolve(&args, &|_| None).unwrap()
}

/// Polls `check` every 100 ms until it gives `Some`, and fails naming `what` when `within` has
/// passed: tests wait for a condition, never for a fixed time.
pub async fn eventually<T, F, Fut>(within: std::time::Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not within {within:?}: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
