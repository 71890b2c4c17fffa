//! `pgscope snapshot` as a script runs it, against real servers: NDJSON with rates from the
//! second document on, exit 1 with the SQLSTATE when a grant is missing, CSV files per pane,
//! the start-up filter, and the TUI refusing a file or a pipe for its output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use pgscope::lab::{self, Cluster};

fn pgscope(cluster: &Cluster, user: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgscope"))
        .args(["-h", &cluster.socket_dir().display().to_string()])
        .args(["-p", &cluster.port().to_string(), "-U", user, lab::DB])
        .args(args)
        .env_remove("PGSCOPE_LOG")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `pgscope snapshot [conn] ARGS`: the connection flags belong to the subcommand.
fn snapshot(cluster: &Cluster, user: &str, args: &[&str]) -> Output {
    let mut all = vec!["snapshot"];
    all.extend_from_slice(args);
    Command::new(env!("CARGO_BIN_EXE_pgscope"))
        .args(&all)
        .args(["-h", &cluster.socket_dir().display().to_string()])
        .args(["-p", &cluster.port().to_string(), "-U", user, lab::DB])
        .env_remove("PGSCOPE_LOG")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn docs(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn three_documents_with_rates_from_the_second() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let _long = lab::long_query(&cluster, 30.0).await.unwrap();
        let out = snapshot(
            &cluster,
            "postgres",
            &[
                "--format",
                "json",
                "--count",
                "3",
                "--interval",
                "0.5",
                "--pane",
                "activity,waits",
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let three = docs(&out);
        assert_eq!(three.len(), 3);
        for (n, d) in three.iter().enumerate() {
            assert_eq!(d["schema"], 1);
            assert_eq!(d["snapshot"], n + 1);
            assert_eq!(d["count"], 3);
            assert_eq!(d["rates"].is_null(), n == 0, "{n}: {}", d["rates"]);
            assert_eq!(d["rates_over"].is_null(), n == 0);
        }
        // The wait sampler ran between the reads: the last document has history.
        let history = three[2]["panes"]["waits"]["data"]["history"]
            .as_array()
            .unwrap();
        assert!(!history.is_empty() && history[0]["samples"].as_u64().unwrap() > 0);

        // One snapshot reads twice and says so.
        let out = snapshot(&cluster, "postgres", &["--format", "json", "-i", "0.5"]);
        let d = &docs(&out)[0];
        assert_eq!(d["rates_over"], "two reads one interval apart");
        assert!(d["rates"]["tps"].is_number(), "{d}");
        let out = snapshot(&cluster, "postgres", &["-i", "0.5", "--width", "120"]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("pgscope snapshot 1/1 at "), "{text}");
        assert!(text.contains("rates over two reads 0.50 s apart"), "{text}");
        assert!(
            text.contains("[Activity]") && text.contains("pg_sleep"),
            "{text}"
        );
        assert!(
            text.lines().all(|l| pgscope::text::width(l) <= 120),
            "{text}"
        );
    });
}

#[test]
fn a_revoked_grant_exits_1_with_the_sqlstate() {
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
            let out = snapshot(
                cluster,
                "ops",
                &["--format", "json", "--pane", "activity,locks"],
            );
            assert_eq!(out.status.code(), Some(1), "PG {}", cluster.major());
            let d = &docs(&out)[0];
            assert_eq!(d["panes"]["locks"]["error"]["sqlstate"], "42501", "{d}");
            assert!(d["panes"]["locks"]["data"].is_null());
            assert!(
                d["panes"]["activity"]["error"].is_null(),
                "only Locks fails"
            );
            // Text: the pane's error on stderr, one line.
            let out = snapshot(cluster, "ops", &["--pane", "locks"]);
            assert_eq!(out.status.code(), Some(1));
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.starts_with("pgscope: error: locks pane: permission denied")
                    && err.contains("42501"),
                "{err}"
            );
        }
    });
}

#[test]
fn csv_files_filter_usage_errors_and_the_tui_refusing_a_file() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let _long = lab::long_query(&cluster, 30.0).await.unwrap();
        let sessions = |args: &[&str]| {
            let mut all = vec!["--format", "json", "-i", "0.25"];
            all.extend_from_slice(args);
            let out = snapshot(&cluster, "postgres", &all);
            let d = docs(&out).pop().unwrap();
            d["panes"]["activity"]["data"]["sessions"]
                .as_array()
                .unwrap()
                .clone()
        };
        // The query has run for less than an hour, and (soon) for more than 200 ms.
        assert!(sessions(&["--min-duration", "1h"]).is_empty());
        common::eventually(Duration::from_secs(10), "the query past 200 ms", || async {
            let shown = sessions(&["--min-duration", "200ms"]);
            shown
                .iter()
                .any(|s| s["application_name"] == "metabase")
                .then_some(())
        })
        .await;
        let out = snapshot(
            &cluster,
            "postgres",
            &["--format", "json", "--filter", "app:metabase", "-i", "0.25"],
        );
        let d = &docs(&out)[0];
        assert_eq!(d["filter"], "app:metabase");
        let sessions = d["panes"]["activity"]["data"]["sessions"]
            .as_array()
            .unwrap();
        assert!(
            !sessions.is_empty() && sessions.iter().all(|s| s["application_name"] == "metabase"),
            "{sessions:?}"
        );

        let out = snapshot(
            &cluster,
            "postgres",
            &["--format", "csv", "--pane", "activity,locks"],
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--output-dir"));
        let out = snapshot(&cluster, "postgres", &["--pane", "nosuch"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("unknown pane"));

        let dir = tempfile::tempdir().unwrap();
        let out = snapshot(
            &cluster,
            "postgres",
            &[
                "--format",
                "csv",
                "--pane",
                "activity,connections",
                "--count",
                "2",
                "-i",
                "0.25",
                "--output-dir",
                &dir.path().display().to_string(),
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
        let mut rd = csv::Reader::from_path(dir.path().join("activity.csv")).unwrap();
        let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(&header[..3], ["snapshot", "taken_at", "pid"]);
        let snaps: Vec<String> = rd.records().map(|r| r.unwrap()[0].to_owned()).collect();
        assert!(
            snaps.contains(&"1".to_owned()) && snaps.contains(&"2".to_owned()),
            "{snaps:?}"
        );
        assert!(dir.path().join("connections.csv").exists());

        // `pgscope > file`: one line pointing to the snapshot, exit 2, nothing written.
        let out = pgscope(&cluster, "postgres", &[]);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("not a terminal") && err.contains("pgscope snapshot"),
            "{err}"
        );
    });
}

#[test]
fn waits_and_connections_count_only_the_filtered_sessions() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let _long = lab::long_query(&cluster, 30.0).await.unwrap();
        let idle = lab::idle_in_transaction(&cluster).await.unwrap();
        let read = |args: &[&str]| {
            let mut all = vec![
                "--format",
                "json",
                "-i",
                "0.25",
                "--pane",
                "waits,connections",
            ];
            all.extend_from_slice(args);
            let out = snapshot(&cluster, "postgres", &all);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            docs(&out).pop().unwrap()
        };
        let total = |d: &serde_json::Value| -> u64 {
            d["panes"]["connections"]["data"]["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["total"].as_u64().unwrap())
                .sum()
        };
        // Unfiltered: the session idle in a transaction is counted beside the long query.
        let all = read(&[]);
        assert!(total(&all) >= 2, "{all}");
        assert_eq!(
            all["panes"]["connections"]["data"]["idle_in_transaction"], 1,
            "{all}"
        );
        let listed = &all["panes"]["connections"]["data"]["idle_in_transaction_sessions"];
        assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
        assert_eq!(listed[0]["pid"], idle.pid(), "{listed}");
        assert_eq!(listed[0]["application_name"], "batch-etl", "{listed}");
        assert_eq!(listed[0]["aborted"], false, "{listed}");
        assert!(
            listed[0]["query"]
                .as_str()
                .unwrap()
                .contains("UPDATE orders"),
            "{listed}"
        );

        let d = read(&["--filter", "app:metabase"]);
        assert_eq!(total(&d), 1, "{d}");
        assert_eq!(
            d["panes"]["connections"]["data"]["idle_in_transaction"], 0,
            "{d}"
        );
        assert_eq!(
            d["panes"]["connections"]["data"]["idle_in_transaction_sessions"],
            serde_json::json!([])
        );
        let waits = &d["panes"]["waits"]["data"];
        assert_eq!(waits["in_flight"], 1, "{waits}");
        let now = waits["now"].as_array().unwrap();
        assert_eq!(now.len(), 1, "{waits}");
        assert_eq!(now[0]["wait"], "Timeout:PgSleep", "{waits}");
        // The slots in use stay the server's, whatever the filter.
        let usage =
            |d: &serde_json::Value| d["panes"]["connections"]["data"]["usage"]["clients"].clone();
        assert_eq!(usage(&d), usage(&all));

        // A least duration the query has not reached leaves nothing to count.
        let d = read(&["--min-duration", "1h"]);
        assert_eq!(total(&d), 0, "{d}");
        assert_eq!(d["panes"]["waits"]["data"]["in_flight"], 0, "{d}");
    });
}

#[test]
fn the_pooler_pane_needs_pooler_and_then_reads_pgbouncer() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async { lab::setup(&cluster).await.unwrap() });
    let pgb = lab::PgBouncer::start(&cluster, &lab::PoolerOptions::default()).unwrap();
    let out = snapshot(
        &cluster,
        "postgres",
        &["--format", "json", "--pane", "pooler"],
    );
    assert_eq!(out.status.code(), Some(1));
    let d = &docs(&out)[0];
    let msg = d["panes"]["pooler"]["error"]["message"].as_str().unwrap();
    assert!(msg.contains("--pooler"), "{msg}");

    let admin = pgb.admin_conninfo("postgres");
    let out = snapshot(
        &cluster,
        "postgres",
        &[
            "--format", "json", "--pane", "pooler", "--pooler", &admin, "-i", "0.25",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = &docs(&out)[0];
    let data = &d["panes"]["pooler"]["data"];
    assert!(
        data["version"].as_str().unwrap().contains("PgBouncer"),
        "{d}"
    );
    assert!(data["pools"].is_array(), "{d}");
}
