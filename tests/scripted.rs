//! `pgscope cancel` / `pgscope terminate` against real servers: `--dry-run` lists exactly the
//! sessions a filter matches, the real run signals them with a JSON line each and writes the
//! action log; a filter matching nothing or more than `--max` does nothing; pins are re-checked
//! by the server; read-only mode refuses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use pgscope::lab::Cluster;
use tokio_postgres::Client;

fn pgscope(cluster: &Cluster, home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgscope"))
        .args(args)
        .args(["-h", &cluster.socket_dir().display().to_string()])
        .args(["-p", &cluster.port().to_string(), "-U", "postgres"])
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("PGSCOPE_CONFIG")
        .env_remove("PGSCOPE_LOG")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `"pid":N` of every JSON line whose result is `result`.
fn pids_with(out: &Output, result: &str) -> BTreeSet<i32> {
    stdout(out)
        .lines()
        .filter(|l| l.contains(&format!("\"result\":\"{result}\"")))
        .map(|l| {
            let at = l.find("\"pid\":").unwrap() + 6;
            let end = l[at..].find(',').unwrap() + at;
            l[at..end].parse().unwrap()
        })
        .collect()
}

async fn pid_of(c: &Client) -> i32 {
    c.query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0)
}

#[test]
fn terminate_by_filter_dry_run_then_for_real() {
    let clusters = common::clusters();
    let rt = common::runtime();
    for cluster in &clusters {
        let home = tempfile::tempdir().unwrap();
        let major = cluster.major();
        // Three idle `x` sessions, one `x` busy, one `y` idle: `app:=x idle>1s` is the three.
        let (idle_x, busy_x, idle_y, expected) = rt.block_on(async {
            let mut idle = Vec::new();
            let mut pids = BTreeSet::new();
            for _ in 0..3 {
                let c = cluster.connect("postgres", "postgres", "x").await.unwrap();
                pids.insert(pid_of(&c).await);
                idle.push(c);
            }
            let busy = cluster.connect("postgres", "postgres", "x").await.unwrap();
            let busy_pid = pid_of(&busy).await;
            let runner = tokio::spawn(async move {
                let _ = busy.batch_execute("SELECT pg_sleep(60)").await;
            });
            let y = cluster.connect("postgres", "postgres", "y").await.unwrap();
            // Past the threshold: every idle session's state_change is over a second old.
            common::eventually(Duration::from_secs(10), "idle for a second", || async {
                let row = y
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'x' \
                           AND state = 'idle' AND state_change < now() - interval '1.2 s'",
                        &[],
                    )
                    .await
                    .unwrap();
                (row.get::<_, i64>(0) == 3).then_some(())
            })
            .await;
            (idle, (runner, busy_pid), y, pids)
        });
        let filter = "app:=x idle>1s";

        let dry = pgscope(
            cluster,
            home.path(),
            &["terminate", "--filter", filter, "--dry-run"],
        );
        assert_eq!(dry.status.code(), Some(0), "PG {major}: {}", stderr(&dry));
        assert_eq!(
            pids_with(&dry, "target"),
            expected,
            "PG {major}: {}",
            stdout(&dry)
        );
        assert_eq!(stdout(&dry).lines().count(), 3, "{}", stdout(&dry));
        assert!(
            stdout(&dry).contains("\"backend_start\":\""),
            "{}",
            stdout(&dry)
        );

        // More than --max, and a filter matching nothing: nothing done, said so.
        let many = pgscope(
            cluster,
            home.path(),
            &["terminate", "--filter", filter, "--max", "2"],
        );
        assert_eq!(many.status.code(), Some(3));
        assert!(stderr(&many).contains("3 sessions match, more than --max 2: nothing done"));
        let none = pgscope(
            cluster,
            home.path(),
            &["terminate", "--filter", "app:=nobody"],
        );
        assert_eq!(none.status.code(), Some(3));
        assert!(
            stderr(&none).contains("no session matches"),
            "{}",
            stderr(&none)
        );
        assert!(stdout(&none).is_empty());

        let real = pgscope(cluster, home.path(), &["terminate", "--filter", filter]);
        assert_eq!(real.status.code(), Some(0), "PG {major}: {}", stderr(&real));
        assert_eq!(
            pids_with(&real, "terminated"),
            expected,
            "{}",
            stdout(&real)
        );
        assert_eq!(stdout(&real).lines().count(), 3);
        rt.block_on(async {
            for c in &idle_x {
                assert!(c.batch_execute("SELECT 1").await.is_err(), "PG {major}");
            }
            idle_y.batch_execute("SELECT 1").await.unwrap();
        });
        let log = std::fs::read_to_string(home.path().join("state/pgscope/actions.log")).unwrap();
        assert_eq!(
            log.lines()
                .filter(|l| l.contains("outcome=terminated"))
                .count(),
            3,
            "{log}"
        );

        // A pin that no longer holds: the server re-checks it, nothing is sent.
        let (_runner, busy_pid) = busy_x;
        let pid = busy_pid.to_string();
        let stale = pgscope(
            cluster,
            home.path(),
            &["cancel", &pid, "--if-backend-start", "2001-01-01T00:00:00Z"],
        );
        assert_eq!(stale.status.code(), Some(4), "{}", stderr(&stale));
        assert_eq!(pids_with(&stale, "changed"), BTreeSet::from([busy_pid]));
        let done = pgscope(cluster, home.path(), &["cancel", &pid]);
        assert_eq!(done.status.code(), Some(0), "{}", stderr(&done));
        assert_eq!(pids_with(&done, "cancelled"), BTreeSet::from([busy_pid]));
    }
}

#[test]
fn read_only_config_and_usage_errors() {
    let cluster = common::cluster(common::majors()[0]);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/pgscope");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "read_only = true\n").unwrap();
    let out = pgscope(&cluster, home.path(), &["terminate", "1234"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("terminate: disabled: read-only"), "{err}");

    std::fs::remove_file(dir.join("config.toml")).unwrap();
    for (args, says) in [
        (&["cancel"][..], "PID... or --filter"),
        (
            &["cancel", "--filter", "idle>soon"][..],
            "expected a duration",
        ),
        (
            &[
                "cancel",
                "1",
                "2",
                "--if-query-start",
                "2026-01-01T00:00:00Z",
            ][..],
            "pin one PID",
        ),
        (&["cancel", "1", "--if-xact-start", "noon"][..], "RFC 3339"),
    ] {
        let out = pgscope(&cluster, home.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
}
