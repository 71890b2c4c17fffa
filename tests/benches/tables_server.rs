//! The Tables pane's read on a real server with 20,000 tables (each with a primary key, so
//! 20,000 indexes), against the naive reads a monitor could make instead, in the same run: every
//! row of `pg_stat_user_tables` and `pg_stat_user_indexes` sorted on the client, and the same
//! with `pg_total_relation_size()` per table (which also waits behind any ACCESS EXCLUSIVE
//! lock). Divan reports the client's wall time per call; at the end the backend's CPU time per
//! call of each read and the rows each sends are printed (budget: the pane's read under the
//! session's 3 s statement timeout with room to spare, and no more than 200 + 200 rows).
//!
//! Starts a lab cluster of PostgreSQL 15 (`PGSCOPE_BENCH_PG` picks another major).
#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::sync::Mutex;

use divan::Bencher;
use pgscope::collect::session;
use pgscope::lab::{Cluster, ClusterOptions, PgBinaries};
use pgscope::panes::tables::model::{Ask, SortKey};
use pgscope::panes::tables::read::{self, Gates, Statements};
use tokio::runtime::Runtime;
use tokio_postgres::Client;

struct Lab {
    rt: Runtime,
    /// Set up as the monitoring session is (read only, timeouts, no JIT).
    pane: Client,
    /// Server defaults, as a monitor that sets nothing would run.
    naive: Client,
    st: Statements,
    gates: Gates,
    seq: u64,
    /// Dropped last: stops the server.
    _cluster: Cluster,
}

static LAB: Mutex<Option<Lab>> = Mutex::new(None);

const TABLES: usize = 20_000;

/// Every table's statistics, sorted on the client.
const NAIVE_TABLES: &str = "SELECT * FROM pg_stat_user_tables";
const NAIVE_INDEXES: &str = "SELECT * FROM pg_stat_user_indexes";
/// What peers do for sizes: a relation-size call per table, on every refresh.
const NAIVE_SIZES: &str = "SELECT s.*, pg_total_relation_size(s.relid) AS bytes \
                           FROM pg_stat_user_tables s";

fn main() {
    match start() {
        Ok(lab) => {
            if let Ok(mut slot) = LAB.lock() {
                *slot = Some(lab);
            }
            divan::main();
            if let Ok(mut slot) = LAB.lock()
                && let Some(lab) = slot.take()
            {
                cpu_report(&lab);
            }
        }
        Err(e) => println!("tables_server: no lab cluster ({e}); skipped"),
    }
}

fn start() -> Result<Lab, String> {
    let major = std::env::var("PGSCOPE_BENCH_PG")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(15);
    let bins = PgBinaries::for_major(major).map_err(|e| e.to_string())?;
    let cluster = Cluster::start(&bins, &ClusterOptions::default()).map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let setup = rt
        .block_on(cluster.connect("postgres", "postgres", "setup"))
        .map_err(|e| e.to_string())?;
    // In batches: one transaction takes a lock per table, its TOAST table and their indexes.
    for batch in 0..TABLES / 250 {
        let from = batch * 250 + 1;
        let to = from + 249;
        rt.block_on(setup.batch_execute(&format!(
            "DO $$ BEGIN FOR i IN {from} .. {to} LOOP
               EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v text)', i);
               EXECUTE format('INSERT INTO t%s SELECT g, g::text FROM generate_series(1, %s) g', i, i % 50);
             END LOOP; END $$"
        )))
        .map_err(|e| why(&e))?;
    }
    rt.block_on(setup.batch_execute("VACUUM ANALYZE"))
        .map_err(|e| why(&e))?;
    let pane = rt
        .block_on(cluster.connect("postgres", "postgres", "pgscope"))
        .map_err(|e| e.to_string())?;
    rt.block_on(pane.batch_execute(session::SETUP))
        .map_err(|e| e.to_string())?;
    let naive = rt
        .block_on(cluster.connect("postgres", "postgres", "naive"))
        .map_err(|e| e.to_string())?;
    let version: i32 = rt
        .block_on(pane.query_one("SELECT current_setting('server_version_num')::int4", &[]))
        .map_err(|e| e.to_string())?
        .get(0);
    let st = rt.block_on(Statements::prepare(&pane, version));
    let mut lab = Lab {
        rt,
        pane,
        naive,
        st,
        gates: Gates::default(),
        seq: 0,
        _cluster: cluster,
    };
    let got = pane_read(&mut lab, Ask::default());
    println!(
        "PostgreSQL {major}: {TABLES} tables; the pane read {}",
        got.map_or_else(|e| format!("failed: {e}"), |n| format!("{n} rows"))
    );
    Ok(lab)
}

/// The server's message, not just "db error".
fn why(e: &tokio_postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_owned())
}

/// One read as the pane makes it: meta, the top 200 tables, the top 200 indexes, the
/// selected table's indexes, the databases. The rows it brought back, or the first error.
fn pane_read(lab: &mut Lab, ask: Ask) -> Result<usize, String> {
    lab.seq += 1;
    let t = lab.rt.block_on(read::collect(
        &lab.pane,
        &lab.st,
        lab.seq,
        &mut lab.gates,
        ask,
    ));
    let tables = t.tables.map_err(|e| e.to_string())?;
    let indexes = t.indexes.map_err(|e| e.to_string())?;
    t.meta.map_err(|e| e.to_string())?;
    Ok(tables.rows.len() + indexes.rows.len())
}

fn with_lab<T>(f: impl FnOnce(&mut Lab) -> T) -> Option<T> {
    let mut slot = LAB.lock().ok()?;
    slot.as_mut().map(f)
}

/// The pane's whole read, ranked by each key the server ranks by.
#[divan::bench(args = ["past_threshold", "dead", "size", "seq_tup_read", "xid_age"], sample_count = 10)]
fn pane_read_by(bencher: Bencher, key: &str) {
    let sort = SortKey::ALL
        .into_iter()
        .find(|k| k.sql_key() == key)
        .unwrap_or_default();
    with_lab(|lab| {
        bencher.bench_local(|| {
            pane_read(
                lab,
                Ask {
                    sort,
                    ..Ask::default()
                },
            )
        });
    });
}

/// Every table's and index's statistics to the client, to be sorted there.
#[divan::bench(sample_count = 10)]
fn naive_all_rows(bencher: Bencher) {
    with_lab(|lab| {
        bencher.bench_local(|| {
            let t = lab.rt.block_on(lab.naive.query(NAIVE_TABLES, &[]));
            let i = lab.rt.block_on(lab.naive.query(NAIVE_INDEXES, &[]));
            let mut rows = t.map_err(|e| e.to_string())?;
            rows.sort_by_key(|r| std::cmp::Reverse(r.try_get::<_, i64>("n_dead_tup").ok()));
            Ok::<_, String>(rows.len() + i.map_err(|e| e.to_string())?.len())
        });
    });
}

/// The same with an exact size per table.
#[divan::bench(sample_count = 10)]
fn naive_with_sizes(bencher: Bencher) {
    with_lab(|lab| {
        bencher.bench_local(|| {
            lab.rt
                .block_on(lab.naive.query(NAIVE_SIZES, &[]))
                .map(|r| r.len())
        });
    });
}

/// The backend's CPU time (user + system, from /proc) per call of each read, 10 calls each: the
/// server time without the waits a busy machine adds to wall-clock figures; and the rows sent.
fn cpu_report(lab: &Lab) {
    let pid_of = |c: &Client| -> Option<i32> {
        lab.rt
            .block_on(c.query_one("SELECT pg_backend_pid()", &[]))
            .ok()
            .map(|r| r.get(0))
    };
    let ticks = |pid: i32| -> Option<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the command name (which may hold spaces): utime is 14th, stime 15th.
        let rest = stat.rsplit_once(')')?.1;
        let f: Vec<&str> = rest.split_whitespace().collect();
        Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
    };
    let (Some(pane_pid), Some(naive_pid)) = (pid_of(&lab.pane), pid_of(&lab.naive)) else {
        return;
    };
    println!("backend CPU per call (user + system, 10 calls, 10 ms ticks) and rows sent:");
    let tables_sql = read::tables_sql(
        lab.rt
            .block_on(
                lab.pane
                    .query_one("SELECT current_setting('server_version_num')::int4", &[]),
            )
            .map_or(150_000, |r| r.get(0)),
    );
    let max = read::MAX_TABLES;
    let reads: [(&str, &Client, i32, &str); 5] = [
        ("pane: tables, top 200", &lab.pane, pane_pid, &tables_sql),
        (
            "pane: indexes, top 200",
            &lab.pane,
            pane_pid,
            read::INDEXES_SQL,
        ),
        (
            "naive: pg_stat_user_tables",
            &lab.naive,
            naive_pid,
            NAIVE_TABLES,
        ),
        (
            "naive: pg_stat_user_indexes",
            &lab.naive,
            naive_pid,
            NAIVE_INDEXES,
        ),
        (
            "naive: + pg_total_relation_size",
            &lab.naive,
            naive_pid,
            NAIVE_SIZES,
        ),
    ];
    for (name, client, pid, sql) in reads {
        let Some(t0) = ticks(pid) else { return };
        let mut rows = 0;
        for _ in 0..10 {
            let r = if sql == tables_sql {
                lab.rt
                    .block_on(client.query(sql, &[&max, &"past_threshold", &false]))
            } else if sql == read::INDEXES_SQL {
                lab.rt
                    .block_on(client.query(sql, &[&read::MAX_INDEXES, &None::<u32>]))
            } else {
                lab.rt.block_on(client.query(sql, &[]))
            };
            match r {
                Ok(r) => rows = r.len(),
                Err(e) => {
                    println!("  {name}: {e}");
                    break;
                }
            }
        }
        let Some(t1) = ticks(pid) else { return };
        #[allow(clippy::cast_precision_loss)] // a few thousand ticks
        let ms = (t1 - t0) as f64 * 10.0 / 10.0;
        println!("  {ms:8.1} ms  {rows:>6} rows  {name}");
    }
}
