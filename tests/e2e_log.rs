//! The debug log of a real run in a real terminal: a password login over TLS given psql's way
//! (`pgscope CONNINFO USERNAME`), a pane that fails on a revoked function, a quit. The log says
//! what happened, is 0600, holds no password, and nothing of it reaches the terminal.
//!
//! `PGSCOPE_TEST_BIN` runs another build of pgscope through the same test (CI points it at the
//! portable binary); by default it is this build's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "conn_lab/mod.rs"]
mod conn_lab;

use std::os::unix::fs::PermissionsExt;

use common::tmux::Tmux;
use conn_lab::{PASSWORD, certificates, enable_tls_and_roles, sql};

fn bin() -> String {
    std::env::var("PGSCOPE_TEST_BIN")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_pgscope").to_owned())
}

/// `s` as one sh word.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn debug_log_of_a_password_login_over_tls() {
    let cluster = common::cluster(common::majors()[0]);
    let certs = certificates();
    let rt = common::runtime();
    rt.block_on(async {
        enable_tls_and_roles(&cluster, certs.path()).await;
        // The Locks pane reads pg_lock_status(): without it the pane fails with 42501.
        sql(
            &cluster,
            "REVOKE EXECUTE ON FUNCTION pg_lock_status() FROM PUBLIC",
        )
        .await;
    });

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("debug.log");
    let raw = dir.path().join("raw.bin");
    let password = PASSWORD.replace('\\', r"\\").replace('\'', r"\'");
    let conninfo = format!(
        "host=127.0.0.1 port={} dbname=postgres sslmode=require password='{password}'",
        cluster.port()
    );
    let script = dir.path().join("run.sh");
    std::fs::write(
        &script,
        format!(
            "env -u PGSCOPE_LOG -u PGPASSWORD HOME={home} {bin} --log {log} {conninfo} scram_user\n\
             echo EXIT=$?\n",
            home = dir.path().display(),
            bin = bin(),
            log = log.display(),
            conninfo = sh_quote(&conninfo),
        ),
    )
    .unwrap();

    let tmux = Tmux::start("log", 160, 40);
    tmux.run(&[
        "pipe-pane",
        "-t",
        "t",
        "-O",
        &format!("cat >> {}", raw.display()),
    ]);
    tmux.keys(&[&format!("sh {}", script.display()), "Enter"]);
    tmux.wait_for("the activity table over TLS", |s| {
        s.contains("PID") && s.contains("TLS unverified")
    });
    tmux.keys(&["2"]);
    tmux.wait_for("the Locks pane's permission error", |s| {
        s.contains("permission denied")
    });
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("exit", |s| s.contains("EXIT=0"));

    let text = std::fs::read_to_string(&log).unwrap();
    let mode = std::fs::metadata(&log).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "log mode {mode:o}");
    for part in [
        "pgscope started",
        "connecting",
        "user=\"scram_user\"",
        "sslmode=Require",
        "connection attempt succeeded",
        "transport=TlsUnverified",
        "pane{name=\"locks\"}",
        "pane query failed",
        "sqlstate=\"42501\"",
        "exit exit=Quit code=0",
    ] {
        assert!(
            text.contains(part),
            "{part:?} missing from the log:\n{text}"
        );
    }
    // No part of the password, in the log or anywhere on the terminal.
    let canary = "S3cr3t-canary";
    assert!(PASSWORD.contains(canary));
    assert!(!text.contains(canary), "password in the log:\n{text}");
    let bytes = std::fs::read(&raw).unwrap();
    let seen = String::from_utf8_lossy(&bytes);
    assert!(!seen.contains(canary) && !screen.contains(canary));
    // The log went to its file only: the terminal saw none of its lines.
    assert!(
        !seen.contains("connection attempt") && !seen.contains("pane query failed"),
        "log lines on the terminal"
    );
}
