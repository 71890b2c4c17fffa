//! The fleet's cost at 20 servers and a 1 s interval, side by side with the naive alternative in
//! the same run: 20 full single-server collectors (what 20 pgscope windows would run, without
//! their drawing). Twenty targets on two lab clusters (ten databases each: every target has its
//! own connection and reads, as twenty servers would). For each way, for `PGSCOPE_BENCH_SECS`
//! (default 30): this process's CPU (getrusage, scaled to a minute), pgscope's connections per
//! target (pg_stat_activity), and server time per refresh (pg_stat_statements, both clusters).
//!
//! `cargo bench --bench fleet_server`; `PGSCOPE_BENCH_PG` picks the major (default 15).
#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::sync::Arc;
use std::time::Duration;

use pgscope::collect::{self, Channels, sampler};
use pgscope::conn::{self, ConnArgs};
use pgscope::fleet::member::Member;
use pgscope::fleet::targets::Server;
use pgscope::fleet::task::{self, Wire};
use pgscope::lab::{Cluster, ClusterOptions, PgBinaries};
use pgscope::panes::Pane;
use pgscope::snapshot::Link;
use tokio::runtime::Runtime;
use tokio::sync::{Notify, mpsc, watch};

const SERVERS_PER_CLUSTER: usize = 10;

fn main() {
    if let Err(e) = run() {
        println!("fleet_server: {e}");
    }
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(default)
}

/// User + system CPU of this process so far, in seconds.
#[allow(unsafe_code)]
fn cpu_secs() -> f64 {
    // SAFETY: getrusage fills the zeroed struct it is given.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &raw mut u);
        u
    };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(usage.ru_utime) + t(usage.ru_stime)
}

fn run() -> Result<(), String> {
    let major = u32::try_from(env("PGSCOPE_BENCH_PG", 15)).map_err(|e| e.to_string())?;
    let secs = env("PGSCOPE_BENCH_SECS", 30);
    let bins = PgBinaries::for_major(major).map_err(|e| e.to_string())?;
    let clusters = [
        Cluster::start(&bins, &ClusterOptions::default()).map_err(|e| e.to_string())?,
        Cluster::start(&bins, &ClusterOptions::default()).map_err(|e| e.to_string())?,
    ];
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut admins = Vec::new();
    let mut servers = Vec::new();
    for (c, cluster) in clusters.iter().enumerate() {
        let admin = rt
            .block_on(cluster.connect("postgres", "postgres", "bench"))
            .map_err(|e| e.to_string())?;
        rt.block_on(admin.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
            .map_err(|e| e.to_string())?;
        for d in 0..SERVERS_PER_CLUSTER {
            let db = format!("db{d}");
            rt.block_on(admin.batch_execute(&format!("CREATE DATABASE {db}")))
                .map_err(|e| e.to_string())?;
            let args = ConnArgs {
                conninfo: Some(cluster.conninfo(&db)),
                ..ConnArgs::default()
            };
            let target = conn::resolve(&args, &|_| None).map_err(|e| e.to_string())?;
            servers.push(Server {
                name: format!("c{c}-{db}"),
                group: None,
                target,
            });
        }
        admins.push(admin);
    }
    println!(
        "PostgreSQL {major}: {} targets on 2 clusters, 1 s interval, {secs} s per way",
        servers.len()
    );
    let fleet = measure(&rt, &admins, secs, || spawn_fleet(&rt, &servers))?;
    report(
        "fleet (one small read per server)",
        &fleet,
        servers.len(),
        secs,
    );
    let naive = measure(&rt, &admins, secs, || spawn_collectors(&rt, &servers))?;
    report(
        "naive (a full single-server collector per server)",
        &naive,
        servers.len(),
        secs,
    );
    Ok(())
}

struct Figures {
    cpu_per_min: f64,
    conns: Vec<i64>,
    server_ms: f64,
}

fn report(way: &str, f: &Figures, servers: usize, secs: u64) {
    let max = f.conns.iter().copied().max().unwrap_or(0);
    let min = f.conns.iter().copied().min().unwrap_or(0);
    let refreshes = (servers as u64 * secs) as f64;
    println!(
        "{way}: client CPU {:.3} s per minute; pgscope connections per target {min}..{max}; \
         server time {:.3} ms per refresh ({:.1} ms in all)",
        f.cpu_per_min,
        f.server_ms / refreshes,
        f.server_ms
    );
}

type Stop = Box<dyn FnOnce()>;

fn measure(
    rt: &Runtime,
    admins: &[tokio_postgres::Client],
    secs: u64,
    spawn: impl FnOnce() -> Result<Stop, String>,
) -> Result<Figures, String> {
    for a in admins {
        rt.block_on(a.batch_execute("SELECT pg_stat_statements_reset()"))
            .map_err(|e| e.to_string())?;
    }
    let stop = spawn()?;
    // Connected and settled before the clock starts.
    rt.block_on(async { tokio::time::sleep(Duration::from_secs(3)).await });
    let cpu0 = cpu_secs();
    for a in admins {
        rt.block_on(a.batch_execute("SELECT pg_stat_statements_reset()"))
            .map_err(|e| e.to_string())?;
    }
    rt.block_on(async { tokio::time::sleep(Duration::from_secs(secs)).await });
    let cpu = cpu_secs() - cpu0;
    let mut conns = Vec::new();
    let mut server_ms = 0.0;
    for a in admins {
        for row in rt
            .block_on(a.query(
                "SELECT count(*) FILTER (WHERE application_name = 'pgscope') AS n
                   FROM pg_database d LEFT JOIN pg_stat_activity s ON s.datid = d.oid
                  WHERE d.datname LIKE 'db%' GROUP BY d.datname",
                &[],
            ))
            .map_err(|e| e.to_string())?
        {
            conns.push(row.get::<_, i64>("n"));
        }
        let row = rt
            .block_on(a.query_one(
                "SELECT coalesce(sum(total_exec_time), 0)::float8 AS ms FROM pg_stat_statements
                  WHERE query !~* 'pg_stat_statements'",
                &[],
            ))
            .map_err(|e| e.to_string())?;
        server_ms += row.get::<_, f64>("ms");
    }
    stop();
    // Let the aborted tasks' connections close before the next way.
    rt.block_on(async { tokio::time::sleep(Duration::from_secs(1)).await });
    Ok(Figures {
        cpu_per_min: cpu * 60.0 / secs as f64,
        conns,
        server_ms,
    })
}

#[allow(clippy::unnecessary_wraps)] // the shape `measure` takes, as `spawn_collectors`
fn spawn_fleet(rt: &Runtime, servers: &[Server]) -> Result<Stop, String> {
    let changed = Arc::new(Notify::new());
    let (interval_tx, interval_rx) = watch::channel(Duration::from_secs(1));
    let mut tasks = Vec::new();
    let mut rxs = Vec::new();
    for s in servers {
        let (tx, rx) = watch::channel(Arc::new(Member::new(&s.name, None, Duration::from_secs(1))));
        let wire = Wire {
            out: tx,
            changed: Arc::clone(&changed),
            interval: interval_rx.clone(),
        };
        tasks.push(rt.spawn(task::run(s.clone(), None, wire)));
        rxs.push(rx);
    }
    Ok(Box::new(move || {
        for t in tasks {
            t.abort();
        }
        drop((rxs, interval_tx));
    }))
}

fn spawn_collectors(rt: &Runtime, servers: &[Server]) -> Result<Stop, String> {
    let mut tasks = Vec::new();
    let mut keep = Vec::new();
    for s in servers {
        let session = rt
            .block_on(collect::session::open(&s.target))
            .map_err(|e| e.to_string())?;
        let (snap_tx, snap_rx) = watch::channel(None);
        let (link_tx, link_rx) = watch::channel(Link::Connected);
        let (interval_tx, interval_rx) = watch::channel(Duration::from_secs(1));
        let (focus_tx, focus_rx) = watch::channel(Pane::Activity);
        let (lend_tx, lend_rx) = mpsc::unbounded_channel();
        let (asks_tx, asks_rx) = watch::channel(collect::pane::Asks::default());
        let ch = Channels {
            snapshots: snap_tx,
            link: link_tx,
            interval: interval_rx,
            focus: focus_rx,
            lend: lend_rx,
            asks: asks_rx,
        };
        tasks.push(rt.spawn(collect::run_with(
            s.target.clone(),
            Some(session),
            ch,
            sampler::Config::default(),
            true,
        )));
        keep.push((snap_rx, link_rx, interval_tx, focus_tx, lend_tx, asks_tx));
    }
    Ok(Box::new(move || {
        for t in tasks {
            t.abort();
        }
        drop(keep);
    }))
}
