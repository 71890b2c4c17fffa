//! `--pooler` at startup against real servers: a target that is not PgBouncer, and a refused
//! admin login, each end pgscope at once with one psql-style line and exit code 2, before the
//! terminal is touched and without a retry loop.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pgscope::lab::{Cluster, PgBouncer, PoolerAuth, PoolerOptions};

/// Long enough for a connect and a SHOW, far shorter than a retry loop's first minute.
const WITHIN: Duration = Duration::from_secs(15);

/// Runs pgscope against `cluster` with `--pooler conninfo`, killed if it outlives `WITHIN`.
fn run(cluster: &Cluster, conninfo: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pgscope"))
        .args(["-h", &cluster.socket_dir().display().to_string()])
        .args([
            "-p",
            &cluster.port().to_string(),
            "-U",
            "postgres",
            "postgres",
        ])
        .args(["--pooler", conninfo])
        .env("PGPASSFILE", "/nonexistent")
        .env_remove("PGPASSWORD")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + WITHIN;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {WITHIN:?} (retrying?): {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn one_line(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    assert!(out.stdout.is_empty(), "the terminal was not touched");
    err.trim_end().to_owned()
}

#[test]
fn a_pooler_that_is_postgresql_fails_with_one_line() {
    let cluster = common::cluster(common::majors()[0]);
    let conninfo = format!(
        "host={} port={} dbname=postgres user=postgres",
        cluster.socket_dir().display(),
        cluster.port()
    );
    let line = one_line(&run(&cluster, &conninfo));
    assert!(
        line.starts_with("pgscope: error: --pooler: ")
            && line.contains("is not a PgBouncer admin console"),
        "{line}"
    );
}

#[test]
fn a_refused_admin_login_fails_with_psqls_line() {
    let cluster = common::cluster(common::majors()[0]);
    let pgb = PgBouncer::start(
        &cluster,
        &PoolerOptions {
            auth: PoolerAuth::ScramSha256,
            users: vec![("postgres".into(), "right".into())],
            ..PoolerOptions::default()
        },
    )
    .unwrap();
    let conninfo = format!("{} password=wrong", pgb.admin_conninfo("postgres"));
    let line = one_line(&run(&cluster, &conninfo));
    let psql = Command::new("psql")
        .arg(&conninfo)
        .args(["-Atc", "SHOW VERSION"])
        .env_clear()
        .env("PGPASSFILE", "/nonexistent")
        .output()
        .unwrap();
    let theirs = String::from_utf8_lossy(&psql.stderr);
    let theirs = theirs.trim().strip_prefix("psql: error: ").unwrap();
    assert_eq!(line, format!("pgscope: error: --pooler: {theirs}"));
    assert!(
        !line.contains("wrong"),
        "no password in the message: {line}"
    );
}
