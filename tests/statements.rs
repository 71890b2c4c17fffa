//! The Statements pane's reader against real servers: calls/s and time share of a statement
//! run N times, texts (escape sequences kept in the model, sanitized at draw), a reset between
//! two reads, evictions with a small pg_stat_statements.max, a role without pg_read_all_stats,
//! and the fix named when the library or the extension is missing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use pgscope::lab::{Cluster, ClusterOptions};
use pgscope::panes::statements::delta::{self, Break};
use pgscope::panes::statements::held;
use pgscope::panes::statements::probe::Missing;
use pgscope::panes::statements::read::{self, Reader};
use pgscope::panes::statements::{Key, Statements, Unavailable};
use pgscope::text;
use tokio_postgres::Client;

const MARK: &str = "pgscope-stmt-test";

async fn connect(cluster: &Cluster, user: &str) -> Client {
    cluster.connect("postgres", user, "pgscope").await.unwrap()
}

/// The statement the tests run: ~4 ms each, with escape sequences in a comment (comments stay
/// in pg_stat_statements' text; literals would become $n).
fn statement() -> String {
    format!(
        "SELECT pg_sleep(0.004), count(*) FROM generate_series(1, 100) /* {MARK} \x1b]0;pwned\x07 \x1b[31m */"
    )
}

/// The statement's key, as pg_stat_statements itself reports it.
async fn key_of(oracle: &Client) -> Key {
    let row = oracle
        .query_one(
            "SELECT userid, dbid, queryid, toplevel FROM pg_stat_statements \
             WHERE query LIKE '%' || $1 || '%' AND query NOT LIKE '%pg_stat_statements%'",
            &[&MARK],
        )
        .await
        .unwrap();
    Key {
        userid: row.get(0),
        dbid: row.get(1),
        queryid: row.get(2),
        toplevel: row.get(3),
    }
}

/// Same as `key_of` without `toplevel` (before 14).
async fn key_of_13(oracle: &Client) -> Key {
    let row = oracle
        .query_one(
            "SELECT userid, dbid, queryid FROM pg_stat_statements \
             WHERE query LIKE '%' || $1 || '%' AND query NOT LIKE '%pg_stat_statements%'",
            &[&MARK],
        )
        .await
        .unwrap();
    Key {
        userid: row.get(0),
        dbid: row.get(1),
        queryid: row.get(2),
        toplevel: None,
    }
}

async fn refresh(reader: &mut Reader, client: &Client) -> Statements {
    reader.refresh(client).await.unwrap()
}

#[test]
fn a_statement_run_n_times_shows_its_rate_share_and_text_and_a_reset_breaks_the_deltas() {
    const N: i64 = 25;
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            let monitor = connect(cluster, "postgres").await;
            let worker = connect(cluster, "postgres").await;

            // Loaded, but not created in this database: the fix names it.
            let mut reader = Reader::new();
            match reader.refresh(&monitor).await {
                Err(Unavailable::Missing(m @ Missing::NoExtension { .. })) => {
                    assert!(
                        m.explain().contains("database \"postgres\""),
                        "{}",
                        m.explain()
                    );
                    assert!(m.explain().contains("CREATE EXTENSION pg_stat_statements"));
                }
                other => panic!("PG {major}: expected NoExtension, got {other:?}"),
            }
            worker
                .batch_execute("CREATE EXTENSION pg_stat_statements")
                .await
                .unwrap();

            let first = refresh(&mut reader, &monitor).await;
            // Room for the function's tuplestore: 1 kB per entry of pg_stat_statements.max.
            let work_mem: String = monitor
                .query_one("SHOW work_mem", &[])
                .await
                .unwrap()
                .get(0);
            assert_eq!(work_mem, "5000kB", "PG {major}");
            for _ in 0..N {
                worker.batch_execute(&statement()).await.unwrap();
            }
            let second = refresh(&mut reader, &monitor).await;
            let key = if major >= 14 {
                key_of(&worker).await
            } else {
                key_of_13(&worker).await
            };
            let span = delta::interval(&first.read, &second.read).unwrap();
            let rate = span.rates.iter().find(|r| r.key == key).expect("listed");
            let calls = rate.calls_s * span.secs;
            assert!((calls - N as f64).abs() < 1e-6, "PG {major}: {calls} calls");
            let exec_ms = rate.exec_ms_s * span.secs;
            assert!(exec_ms >= 4.0 * N as f64, "PG {major}: {exec_ms} ms");
            assert!(rate.mean_ms.unwrap() >= 4.0, "PG {major}: {rate:?}");
            assert!(rate.core_share() > 0.0 && rate.exec_ms_s <= span.load_ms_s + 1e-9);
            assert_eq!(rate.wal_bytes_s.is_some(), major >= 13, "PG {major}");
            assert_eq!(rate.plan_ms_s.is_some(), major >= 13, "PG {major}");
            let entry = second.read.entries.iter().find(|e| e.key == key).unwrap();
            assert_eq!(entry.stats_since.is_some(), major >= 17, "PG {major}");
            assert_eq!(second.read.dealloc.is_some(), major >= 14, "PG {major}");
            assert!(second.setup.sees_all);

            // Its text arrives within a few refreshes, escapes and all; the sanitizer (used by
            // every draw) makes them visible placeholders.
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut last = second;
            let text = loop {
                let e = last.read.entries.iter().find(|e| e.key == key);
                if let Some(t) = e.and_then(|e| e.text.clone()) {
                    break t;
                }
                assert!(Instant::now() < deadline, "PG {major}: no text in 30 s");
                tokio::time::sleep(Duration::from_millis(200)).await;
                last = refresh(&mut reader, &monitor).await;
            };
            assert!(text.contains(MARK) && text.contains('\x1b'), "{text:?}");
            let shown = text::sanitize(&text);
            assert!(!shown.chars().any(char::is_control), "{shown:?}");
            let full = read::full_text(&monitor, &last.setup, &key).await.unwrap();
            assert_eq!(full.as_deref(), Some(&*text));
            // The full text's read has room for every entry with its text: 3 kB each.
            let work_mem: String = monitor
                .query_one("SHOW work_mem", &[])
                .await
                .unwrap()
                .get(0);
            assert_eq!(work_mem, "15000kB", "PG {major}");

            // The reader finds its own entry by its text and measures what a read costs.
            let deadline = Instant::now() + Duration::from_secs(30);
            while !reader.measures_itself() || reader.cost_us().is_none() {
                assert!(Instant::now() < deadline, "PG {major}: own entry not found");
                tokio::time::sleep(Duration::from_millis(200)).await;
                refresh(&mut reader, &monitor).await;
            }
            assert!(reader.cost_us().unwrap() > 0.0);
            assert!(reader.every(Duration::from_secs(1)) >= Duration::from_secs(1));
            // What the pane shows as a read's cost is that server time, the pacing's own figure,
            // not the round trip.
            let shown = refresh(&mut reader, &monitor).await;
            assert!(shown.on_server, "PG {major}");
            assert_eq!(shown.cost_us, reader.cost_us(), "PG {major}");

            // A reset between two reads: no rates, and the reason, never a negative rate.
            let before = refresh(&mut reader, &monitor).await;
            worker
                .batch_execute("SELECT pg_stat_statements_reset()")
                .await
                .unwrap();
            worker.batch_execute(&statement()).await.unwrap();
            let after = refresh(&mut reader, &monitor).await;
            match delta::interval(&before.read, &after.read) {
                Err(Break::Reset { at }) if major >= 14 => assert!(at.is_some()),
                Err(Break::ResetInferred) if major < 14 => {}
                other => panic!("PG {major}: expected a reset, got {other:?}"),
            }
            let next = refresh(&mut reader, &monitor).await;
            let span = delta::interval(&after.read, &next.read).unwrap();
            assert!(
                span.rates
                    .iter()
                    .all(|r| r.calls_s >= 0.0 && r.exec_ms_s >= 0.0)
            );
        }
    });
}

/// The statements of `changed_only` (constants become $n, the number of terms does not).
fn shape(k: usize) -> String {
    format!("SELECT 1{} /* {MARK}-shape */", " + 1".repeat(k))
}

#[test]
fn a_refresh_reads_only_the_changed_entries_and_holds_the_others() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            let monitor = connect(cluster, "postgres").await;
            let worker = connect(cluster, "postgres").await;
            worker
                .batch_execute("CREATE EXTENSION pg_stat_statements")
                .await
                .unwrap();
            for k in 1..=50 {
                worker.batch_execute(&shape(k)).await.unwrap();
            }
            let mut reader = Reader::new();
            refresh(&mut reader, &monitor).await;
            refresh(&mut reader, &monitor).await;
            for _ in 0..3 {
                worker.batch_execute(&shape(1)).await.unwrap();
            }
            let s = refresh(&mut reader, &monitor).await;
            let ours = |s: &Statements| {
                let mut v: Vec<(Key, i64)> = s
                    .read
                    .entries
                    .iter()
                    .filter(|e| e.text.as_deref().is_some_and(|t| t.contains("-shape")))
                    .map(|e| (e.key, e.counters.calls))
                    .collect();
                v.sort_by_key(|(k, _)| (k.queryid, k.toplevel));
                v
            };
            if major >= 14 {
                assert!(
                    s.rows_sent < 10 && s.read.entries.len() > 50,
                    "PG {major}: {} rows sent, {} entries",
                    s.rows_sent,
                    s.read.entries.len()
                );
            } else {
                assert!(
                    s.rows_sent >= s.read.entries.len(),
                    "PG {major}: no dealloc to watch"
                );
            }
            // What the reader holds is what a whole read by a new reader sees.
            let whole = Reader::new().refresh(&monitor).await.unwrap();
            assert_eq!(ours(&s).len(), 50, "PG {major}");
            assert_eq!(ours(&s), ours(&whole), "PG {major}");
            assert!(ours(&s).iter().any(|(_, calls)| *calls == 4), "PG {major}");

            // A reset of one entry shows by the next whole read at the latest.
            let (gone, _) = ours(&s)[0];
            worker
                .query(
                    "SELECT pg_stat_statements_reset($1::oid, $2::oid, $3::int8)",
                    &[&gone.userid, &gone.dbid, &gone.queryid.unwrap()],
                )
                .await
                .unwrap();
            let mut reads = 0;
            while refresh(&mut reader, &monitor)
                .await
                .read
                .entries
                .iter()
                .any(|e| e.key == gone)
            {
                reads += 1;
                assert!(reads <= held::WHOLE_EVERY, "PG {major}: still held");
            }
        }
    });
}

#[test]
fn a_role_without_pg_read_all_stats_sees_other_roles_statements_summed_without_text() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            let admin = connect(cluster, "postgres").await;
            admin
                .batch_execute(
                    "CREATE EXTENSION pg_stat_statements; CREATE ROLE watcher LOGIN; \
                     SELECT count(*) FROM pg_class",
                )
                .await
                .unwrap();
            let watcher = connect(cluster, "watcher").await;
            let mut reader = Reader::new();
            let s = refresh(&mut reader, &watcher).await;
            assert!(!s.setup.sees_all, "PG {major}");
            assert!(
                s.setup
                    .privilege_note()
                    .unwrap()
                    .contains("pg_read_all_stats")
            );
            let hidden: Vec<_> = s.read.entries.iter().filter(|e| e.hidden > 0).collect();
            assert!(!hidden.is_empty(), "PG {major}: {:?}", s.read.entries);
            assert!(
                hidden
                    .iter()
                    .all(|e| e.key.queryid.is_none() && e.text.is_none())
            );

            admin
                .batch_execute("GRANT pg_read_all_stats TO watcher")
                .await
                .unwrap();
            let watcher = connect(cluster, "watcher").await;
            let s = Reader::new().refresh(&watcher).await.unwrap();
            assert!(s.setup.sees_all && s.read.entries.iter().all(|e| e.hidden == 0));
        }
    });
}

#[test]
fn evictions_with_a_small_max_are_reported() {
    let opts = ClusterOptions {
        settings: vec![("pg_stat_statements.max".into(), "100".into())],
    };
    for major in common::majors() {
        let cluster = common::cluster_with(major, &opts);
        common::runtime().block_on(async {
            let client = connect(&cluster, "postgres").await;
            client
                .batch_execute("CREATE EXTENSION pg_stat_statements")
                .await
                .unwrap();
            let mut reader = Reader::new();
            let first = refresh(&mut reader, &client).await;
            assert_eq!(first.setup.max, Some(100));
            // 300 statements of different shapes: constants become $n, the number of terms
            // does not.
            for k in 1..=300 {
                let sql = format!("SELECT 1{}", " + 1".repeat(k));
                client.batch_execute(&sql).await.unwrap();
            }
            let second = refresh(&mut reader, &client).await;
            let span = delta::interval(&first.read, &second.read).unwrap();
            if major >= 14 {
                // Each eviction drops 10 entries at this size: 300 new ones need about 20.
                let deallocs = span.deallocs.unwrap();
                let evicted = delta::evicted_entries(deallocs, 100);
                assert!((150..=400).contains(&evicted), "PG {major}: {deallocs}");
            } else {
                assert_eq!(span.deallocs, None, "PG {major}: unknown before 14");
            }
            assert!(second.read.entries.len() <= 100, "PG {major}");
        });
    }
}

#[test]
fn a_server_without_the_library_says_to_preload_it_and_restart() {
    let opts = ClusterOptions {
        settings: vec![("shared_preload_libraries".into(), String::new())],
    };
    for major in common::majors() {
        let cluster = common::cluster_with(major, &opts);
        common::runtime().block_on(async {
            let client = connect(&cluster, "postgres").await;
            // CREATE EXTENSION works without the library; reading does not.
            client
                .batch_execute("CREATE EXTENSION pg_stat_statements")
                .await
                .unwrap();
            let err = Reader::new().refresh(&client).await.unwrap_err();
            let Unavailable::Missing(m @ Missing::NotLoaded { .. }) = &err else {
                panic!("PG {major}: {err:?}");
            };
            let text = m.explain();
            assert!(
                text.contains("shared_preload_libraries (it is empty now)"),
                "{text}"
            );
            assert!(text.contains("restart"), "{text}");
        });
    }
}

#[test]
fn the_demo_workload_fills_the_pane_with_varied_statements() {
    let major = common::majors()[0];
    let cluster = common::cluster(major);
    common::runtime().block_on(async {
        pgscope::lab::setup(&cluster).await.unwrap();
        let _workload = pgscope::lab::Workload::start(&cluster).await.unwrap();
        let client = cluster
            .connect(pgscope::lab::DB, "postgres", "pgscope")
            .await
            .unwrap();
        let mut reader = Reader::new();
        let deadline = Instant::now() + Duration::from_mins(1);
        loop {
            let s = refresh(&mut reader, &client).await;
            let shop = s.read.entries.iter().filter(|e| {
                e.counters.calls > 0
                    && s.names.databases.get(&e.key.dbid).map(String::as_str)
                        == Some(pgscope::lab::DB)
                    && s.names.roles.get(&e.key.userid).map(String::as_str) != Some("postgres")
            });
            let (n, roles) = shop.fold((0, std::collections::HashSet::new()), |(n, mut r), e| {
                r.insert(e.key.userid);
                (n + 1, r)
            });
            if n >= 8 && roles.len() >= 2 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "PG {major}: {n} statements from {} roles",
                roles.len()
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}
