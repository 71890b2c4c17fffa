//! The Locks pane's cost on a real server holding about 200,000 locks: one session holds
//! 200,000 advisory locks and an ACCESS EXCLUSIVE lock on a table. Two scenarios, one after the
//! other: two sessions queue for the table (relation waits), then two more also queue for one of
//! the advisory locks (advisory waits, for which the pane reads pg_locks a second time). In each,
//! the pane's read and a plain grouped aggregate of pg_locks (`SELECT locktype, mode, granted,
//! count(*) FROM pg_locks GROUP BY 1, 2, 3`, the floor any read of pg_locks pays) run in turn,
//! and the server's execution time per call of each is printed from pg_stat_statements, with
//! their ratio (goal: the pane <= 2x the aggregate), and the client's best wall time.
//!
//! `cargo bench --bench locks_server`; starts a lab cluster of PostgreSQL 15
//! (`PGSCOPE_BENCH_PG` picks another major, `PGSCOPE_BENCH_LOCKS` another lock count).
#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::time::{Duration, Instant};

use pgscope::lab::{Cluster, ClusterOptions, PgBinaries};
use pgscope::panes::locks::read::{CAP, sql};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;
use tokio_postgres::{Client, Statement};

const AGGREGATE: &str = "SELECT locktype, mode, granted, count(*) FROM pg_locks GROUP BY 1, 2, 3";
const ROUNDS: usize = 15;

fn main() {
    if let Err(e) = run() {
        println!("locks_server: {e}");
    }
}

fn env(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(default)
}

fn run() -> Result<(), String> {
    let major = u32::try_from(env("PGSCOPE_BENCH_PG", 15)).map_err(|e| e.to_string())?;
    let locks = env("PGSCOPE_BENCH_LOCKS", 200_000);
    let bins = PgBinaries::for_major(major).map_err(|e| e.to_string())?;
    // The shared lock table has room for max_locks_per_transaction x (max_connections +
    // max_prepared_transactions) locks.
    let opts = ClusterOptions {
        settings: vec![
            ("max_connections".into(), "40".into()),
            (
                "max_locks_per_transaction".into(),
                (locks / 40 + 100).to_string(),
            ),
        ],
    };
    let cluster = Cluster::start(&bins, &opts).map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let connect = |app: &str| {
        rt.block_on(cluster.connect("postgres", "postgres", app))
            .map_err(|e| e.to_string())
    };
    let client = connect("pgscope")?;
    rt.block_on(
        client.batch_execute("CREATE EXTENSION pg_stat_statements; CREATE TABLE pile (id int)"),
    )
    .map_err(|e| e.to_string())?;
    let holder = connect("holder")?;
    let t0 = Instant::now();
    rt.block_on(holder.batch_execute(&format!(
        "SELECT count(pg_advisory_lock(g)) FROM generate_series(1, {locks}) g; \
         BEGIN; LOCK TABLE pile"
    )))
    .map_err(|e| e.to_string())?;
    println!(
        "PostgreSQL {major}: {locks} advisory locks taken in {:.1?}",
        t0.elapsed()
    );
    let version: i32 = rt
        .block_on(client.query_one("SELECT current_setting('server_version_num')::int4", &[]))
        .map_err(|e| e.to_string())?
        .get(0);
    let pane = rt
        .block_on(client.prepare(&sql(version)))
        .map_err(|e| e.to_string())?;
    let aggregate = rt
        .block_on(client.prepare(AGGREGATE))
        .map_err(|e| e.to_string())?;
    let lab = Lab {
        rt: &rt,
        client: &client,
        pane: &pane,
        aggregate: &aggregate,
    };

    let mut waiters: Vec<JoinHandle<()>> = Vec::new();
    for _ in 0..2 {
        waiters.push(lab.wait(connect("waiter")?, "BEGIN; LOCK TABLE pile"));
    }
    lab.until_waiting(2)?;
    lab.measure("relation waits")?;

    for _ in 0..2 {
        waiters.push(lab.wait(connect("waiter")?, "SELECT pg_advisory_lock(1)"));
    }
    lab.until_waiting(4)?;
    lab.measure("advisory waits")?;
    drop(waiters);
    Ok(())
}

struct Lab<'a> {
    rt: &'a Runtime,
    client: &'a Client,
    pane: &'a Statement,
    aggregate: &'a Statement,
}

impl Lab<'_> {
    /// A session that runs `sql`, which queues for a lock; it stays queued until the end.
    fn wait(&self, c: Client, sql: &'static str) -> JoinHandle<()> {
        self.rt.spawn(async move {
            let _ = c.batch_execute(sql).await;
        })
    }

    /// Polls until `n` sessions wait for a lock, for at most 30 s.
    fn until_waiting(&self, n: i64) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let waiting: i64 = self
                .rt
                .block_on(
                    self.client
                        .query_one("SELECT count(*) FROM pg_locks WHERE NOT granted", &[]),
                )
                .map_err(|e| e.to_string())?
                .get(0);
            if waiting >= n {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{waiting} of {n} sessions queued after 30 s"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Both reads in turn, then their server time per call from pg_stat_statements.
    fn measure(&self, scenario: &str) -> Result<(), String> {
        let run = |f: &dyn Fn() -> Result<usize, tokio_postgres::Error>| {
            let t = Instant::now();
            f().map(|_| t.elapsed()).map_err(|e| e.to_string())
        };
        let pane = || {
            self.rt
                .block_on(self.client.query(self.pane, &[&CAP]))
                .map(|r| r.len())
        };
        let aggregate = || {
            self.rt
                .block_on(self.client.query(self.aggregate, &[]))
                .map(|r| r.len())
        };
        // Warm up, then measure from a clean slate.
        run(&pane)?;
        run(&aggregate)?;
        self.rt
            .block_on(
                self.client
                    .batch_execute("SELECT pg_stat_statements_reset()"),
            )
            .map_err(|e| e.to_string())?;
        let (mut best_pane, mut best_agg) = (Duration::MAX, Duration::MAX);
        for _ in 0..ROUNDS {
            best_pane = best_pane.min(run(&pane)?);
            best_agg = best_agg.min(run(&aggregate)?);
        }
        let mean = |pattern: &str| -> Result<f64, String> {
            let row = self
                .rt
                .block_on(self.client.query_one(
                    "SELECT (sum(total_exec_time) / sum(calls))::float8 FROM pg_stat_statements \
                      WHERE query ~ $1",
                    &[&pattern],
                ))
                .map_err(|e| e.to_string())?;
            row.try_get::<_, Option<f64>>(0)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no pg_stat_statements entry for {pattern}"))
        };
        let p = mean("The Locks pane")?;
        let a = mean("^SELECT locktype, mode, granted, count")?;
        println!(
            "{scenario}: server time per call (mean of {ROUNDS}): pane {p:.1} ms, aggregate {a:.1} ms, \
             ratio {:.2}x (goal <= 2x); client best: pane {best_pane:.1?}, aggregate {best_agg:.1?}",
            p / a
        );
        Ok(())
    }
}
