//! The Statements pane's cost on a real server with `pg_stat_statements.max = 10000` and about
//! 10,000 distinct entries (texts of ~430 characters): one pane refresh (the changed entries
//! and reset facts, texts cached), a text read, and a naive `SELECT * FROM pg_stat_statements`,
//! measured in the same run. Divan reports the client's wall time per call; at the end the
//! server's own execution time per call of each statement is printed from pg_stat_statements,
//! then the backend's CPU per call of each read, the function alone (the floor of any reader)
//! among them, with 0 and 100 entries changed between two refreshes (budget: <= 3 ms per
//! refresh and <= 1/5 of the naive read).
//!
//! Starts a lab cluster of PostgreSQL 15 (`PGSCOPE_BENCH_PG` picks another major).
#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::fmt::Write as _;
use std::sync::Mutex;

use divan::Bencher;
use pgscope::lab::{Cluster, ClusterOptions, PgBinaries};
use pgscope::panes::statements::read::Reader;
use pgscope::panes::statements::sql::Sql;
use tokio::runtime::Runtime;
use tokio_postgres::Client;

struct Lab {
    rt: Runtime,
    client: Client,
    /// Runs statements between two refreshes, on its own backend.
    worker: Client,
    reader: Reader,
    /// Dropped last: stops the server.
    _cluster: Cluster,
}

static LAB: Mutex<Option<Lab>> = Mutex::new(None);

const TABLES: usize = 100;
const COLUMNS: usize = 100;

fn main() {
    match start() {
        Ok(lab) => {
            if let Ok(mut slot) = LAB.lock() {
                *slot = Some(lab);
            }
            divan::main();
            if let Ok(mut slot) = LAB.lock()
                && let Some(mut lab) = slot.take()
            {
                report(&lab);
                cpu_report(&mut lab);
            }
        }
        Err(e) => println!("statements_server: no lab cluster ({e}); skipped"),
    }
}

fn start() -> Result<Lab, String> {
    let major = std::env::var("PGSCOPE_BENCH_PG")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(15);
    let bins = PgBinaries::for_major(major).map_err(|e| e.to_string())?;
    let opts = ClusterOptions {
        settings: vec![
            ("pg_stat_statements.max".into(), "10000".into()),
            ("pg_stat_statements.track_planning".into(), "on".into()),
        ],
    };
    let cluster = Cluster::start(&bins, &opts).map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client = rt
        .block_on(cluster.connect("postgres", "postgres", "pgscope"))
        .map_err(|e| e.to_string())?;
    let worker = rt
        .block_on(cluster.connect("postgres", "postgres", "worker"))
        .map_err(|e| e.to_string())?;
    rt.block_on(fill(&client))?;
    let mut reader = Reader::new();
    // The first refresh reads every text; the benchmarks measure the steady state.
    let first = rt
        .block_on(reader.refresh(&client))
        .map_err(|e| e.to_string())?;
    println!(
        "PostgreSQL {major}: {} entries, {} texts cached",
        first.read.entries.len(),
        reader.cached_texts()
    );
    Ok(Lab {
        rt,
        client,
        worker,
        reader,
        _cluster: cluster,
    })
}

/// 100 tables of 100 columns, then 10,000 statements of distinct shapes, in batches.
async fn fill(client: &Client) -> Result<(), String> {
    let cols: Vec<String> = (0..COLUMNS).map(|j| format!("c{j} int")).collect();
    let mut ddl = String::from("CREATE EXTENSION pg_stat_statements;");
    for t in 0..TABLES {
        let _ = write!(ddl, "CREATE TABLE t{t} ({});", cols.join(","));
    }
    client
        .batch_execute(&ddl)
        .await
        .map_err(|e| e.to_string())?;
    let pad = "lorem ipsum dolor sit amet ".repeat(14);
    for t in 0..TABLES {
        let mut batch = String::new();
        for j in 0..COLUMNS {
            let next = (j + 1) % COLUMNS;
            let _ = write!(
                batch,
                "SELECT c{j}, c{next} FROM t{t} WHERE c0 = 1 AND c{j} > 2 /* {pad} */;"
            );
        }
        client
            .batch_execute(&batch)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn with_lab<T>(f: impl FnOnce(&mut Lab) -> T) -> Option<T> {
    let mut slot = LAB.lock().ok()?;
    slot.as_mut().map(f)
}

#[divan::bench(sample_count = 40)]
fn pane_refresh(bencher: Bencher) {
    with_lab(|lab| {
        bencher.bench_local(|| {
            let Lab {
                rt, client, reader, ..
            } = &mut *lab;
            rt.block_on(reader.refresh(client)).is_ok()
        });
    });
}

#[divan::bench(sample_count = 40)]
fn naive_select_star(bencher: Bencher) {
    with_lab(|lab| {
        bencher.bench_local(|| {
            lab.rt
                .block_on(lab.client.query("SELECT * FROM pg_stat_statements", &[]))
                .map(|r| r.len())
        });
    });
}

/// A refresh that reads texts with its counters, for ten queryids and for all of them: about
/// the same server work, as the function copies every text either way.
#[divan::bench(args = [10, 10_000], sample_count = 20)]
fn refresh_with_texts(bencher: Bencher, ids: usize) {
    with_lab(|lab| {
        let Some(setup) = lab.reader.setup().cloned() else {
            return;
        };
        let sql = Sql::compose(setup.features, &setup.schema).texts;
        let all: Vec<i64> = lab
            .rt
            .block_on(
                lab.client
                    .query("SELECT queryid FROM pg_stat_statements(false)", &[]),
            )
            .map(|rows| rows.iter().filter_map(|r| r.get(0)).collect())
            .unwrap_or_default();
        let wanted: Vec<i64> = all.into_iter().take(ids).collect();
        bencher.bench_local(|| {
            lab.rt
                .block_on(lab.client.query(&sql, &[&wanted, &false]))
                .map(|r| r.len())
        });
    });
}

/// The floor: the extension's function alone, no column sent.
#[divan::bench(sample_count = 40)]
fn function_alone(bencher: Bencher) {
    with_lab(|lab| {
        bencher.bench_local(|| {
            lab.rt.block_on(
                lab.client
                    .query_one("SELECT count(*) FROM pg_stat_statements(false)", &[]),
            )
        });
    });
}

/// The server's execution time per call of each statement measured, from pg_stat_statements.
fn report(lab: &Lab) {
    let sql = "SELECT calls, total_exec_time / calls AS mean_ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) \
               FROM pg_stat_statements WHERE query ~ 'pg_stat_statements' AND calls >= 10 \
               ORDER BY mean_ms DESC";
    match lab.rt.block_on(lab.client.query(sql, &[])) {
        Ok(rows) => {
            println!("server execution time per call (pg_stat_statements):");
            for r in rows {
                let calls: i64 = r.get(0);
                let mean: f64 = r.get(1);
                let query: String = r.get(2);
                println!("  {mean:8.3} ms  x{calls:<5} {query}");
            }
        }
        Err(e) => println!("no report: {e}"),
    }
}

/// One read measured by `cpu_report`.
enum Probe<'a> {
    /// A statement without parameters, at the `work_mem` given (`None`: the server's default).
    Sql(&'a str, Option<&'a str>),
    /// The texts read for no queryid.
    Texts(&'a str),
    /// The pane's refresh, after `changed` entries were run on another backend.
    Refresh { changed: usize },
}

/// The backend's CPU time (user + system, from /proc) per call of each read, 30 calls each: the
/// server time without the waits a busy machine adds to wall-clock figures.
fn cpu_report(lab: &mut Lab) {
    let Some(setup) = lab.reader.setup().cloned() else {
        return;
    };
    let sql = Sql::compose(setup.features, &setup.schema);
    let pid: Option<i32> = lab
        .rt
        .block_on(lab.client.query_one("SELECT pg_backend_pid()", &[]))
        .ok()
        .map(|r| r.get(0));
    let Some(pid) = pid else { return };
    let cpu_ticks = || -> Option<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the command name (which may hold spaces): utime is 14th, stime 15th.
        let rest = stat.rsplit_once(')')?.1;
        let f: Vec<&str> = rest.split_whitespace().collect();
        Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
    };
    // The pane raises the session's work_mem so that the function's tuplestore stays in memory
    // (see `read`); a naive reader has the default, 4 MB, and spills to a temporary file.
    let room = lab
        .rt
        .block_on(lab.client.query_one("SHOW work_mem", &[]))
        .map(|r| r.get::<_, String>(0))
        .unwrap_or_default();
    let floor = "SELECT count(*) FROM pg_stat_statements(false)";
    let naive = "SELECT * FROM pg_stat_statements";
    let reads: [(&str, Probe); 8] = [
        (
            "function alone (count), default work_mem",
            Probe::Sql(floor, None),
        ),
        (
            "function alone (count), the pane's work_mem",
            Probe::Sql(floor, Some(&room)),
        ),
        (
            "pane refresh, 0 entries changed",
            Probe::Refresh { changed: 0 },
        ),
        (
            "pane refresh, 100 entries changed",
            Probe::Refresh { changed: 100 },
        ),
        (
            "whole counters read (after evictions, every 30th)",
            Probe::Sql(&sql.counters, Some(&room)),
        ),
        ("refresh with texts", Probe::Texts(&room)),
        ("naive SELECT *, default work_mem", Probe::Sql(naive, None)),
        (
            "naive SELECT *, the pane's work_mem",
            Probe::Sql(naive, Some(&room)),
        ),
    ];
    let none: Vec<i64> = Vec::new();
    let mut shape = 0usize;
    println!(
        "backend CPU per call (user + system, 30 calls, 10 ms ticks; work_mem {room} for the pane):"
    );
    for (name, probe) in reads {
        let work_mem = match &probe {
            Probe::Sql(_, wm) => *wm,
            Probe::Texts(wm) => Some(*wm),
            Probe::Refresh { .. } => Some(room.as_str()),
        };
        let set = work_mem.map_or_else(
            || "RESET work_mem".to_owned(),
            |w| format!("SET work_mem = '{w}'"),
        );
        if lab.rt.block_on(lab.client.batch_execute(&set)).is_err() {
            return;
        }
        let mut ticks = 0;
        for _ in 0..30 {
            if let Probe::Refresh { changed } = probe {
                let mut batch = String::new();
                for _ in 0..changed {
                    let (t, j) = (shape / COLUMNS % TABLES, shape % COLUMNS);
                    let next = (j + 1) % COLUMNS;
                    let _ = write!(
                        batch,
                        "SELECT c{j}, c{next} FROM t{t} WHERE c0 = 1 AND c{j} > 2;"
                    );
                    shape += 1;
                }
                if lab.rt.block_on(lab.worker.batch_execute(&batch)).is_err() {
                    return;
                }
            }
            let Some(t0) = cpu_ticks() else { return };
            let ok = match probe {
                Probe::Sql(q, _) => lab.rt.block_on(lab.client.query(q, &[])).is_ok(),
                Probe::Texts(_) => lab
                    .rt
                    .block_on(lab.client.query(&sql.texts, &[&none, &false]))
                    .is_ok(),
                Probe::Refresh { .. } => {
                    let Lab {
                        rt, client, reader, ..
                    } = &mut *lab;
                    rt.block_on(reader.refresh(client)).is_ok()
                }
            };
            let Some(t1) = cpu_ticks() else { return };
            if !ok {
                return;
            }
            ticks += t1 - t0;
        }
        let ms = ticks as f64 * 10.0 / 30.0;
        println!("  {ms:7.2} ms  {name}");
    }
}
