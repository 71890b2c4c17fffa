//! What the Tables pane asks of the collect task, against real servers: the sort key and its
//! direction reach the server's ranking (the right 200 of 1,000 tables), the selected table's
//! indexes come from a read for that table (beyond the database-wide list's cap), and `D`'s
//! database switch reads another database on a connection of its own: its tables, the list of
//! databases, a database that cannot be connected in one line, a hostile name neutralized.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fixtures;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use common::collector;
use pgscope::action::Action;
use pgscope::collect::sampler::Config;
use pgscope::collect::session;
use pgscope::panes::Pane;
use pgscope::panes::tables::data::Tables;
use pgscope::panes::tables::model::{Ask, SortKey, Want};
use pgscope::snapshot::Snapshot;
use pgscope::state::State;
use pgscope::update::{Msg, update};
use tokio::sync::watch;
use tokio_postgres::Client;

const HOSTILE: &str = "evil\u{1b}[31m名\u{202e}";

/// 1,000 tables, table `t<i>` modified `i` times since it was analyzed (never), each with a
/// primary key; autovacuum off on each so the counters stay put.
const SCHEMA: &str = "
DO $$ BEGIN FOR i IN 1 .. 1000 LOOP
  EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY) WITH (autovacuum_enabled = false)', i);
END LOOP; END $$";

/// The rows of tables `from..=to`, in one transaction: small bursts, so that before 15 the
/// statistics collector gets every table's counts.
fn inserts(from: u32, to: u32) -> String {
    format!(
        "DO $$ BEGIN FOR i IN {from} .. {to} LOOP
           EXECUTE format('INSERT INTO t%s SELECT generate_series(1, %s)', i, i);
         END LOOP; END $$"
    )
}

fn names(range: std::ops::RangeInclusive<u32>) -> BTreeSet<String> {
    range.map(|i| format!("t{i}")).collect()
}

fn tables(s: &Snapshot) -> Option<&Tables> {
    s.panes.tables.as_ref()?.as_ref().ok().map(AsRef::as_ref)
}

/// Waits for a snapshot whose Tables part satisfies `done`.
async fn until(
    snaps: &mut watch::Receiver<Option<Arc<Snapshot>>>,
    what: &str,
    done: impl Fn(&Tables) -> bool,
) -> Arc<Snapshot> {
    let found = tokio::time::timeout(Duration::from_secs(40), async {
        loop {
            snaps.changed().await.unwrap();
            let snap = snaps.borrow_and_update().clone().unwrap();
            if tables(&snap).is_some_and(&done) {
                return snap;
            }
        }
    })
    .await;
    found.unwrap_or_else(|_| {
        let last = snaps.borrow().clone();
        panic!(
            "not within 40 s: {what}; last: {:?}",
            last.as_deref().and_then(tables)
        )
    })
}

fn listed(t: &Tables) -> BTreeSet<String> {
    t.tables
        .as_ref()
        .map(|l| l.rows.iter().map(|r| r.name.clone()).collect())
        .unwrap_or_default()
}

fn want(sort: SortKey, ascending: bool, selected: Option<u32>, db: Option<&str>) -> Want {
    Want {
        ask: Ask {
            sort,
            ascending,
            selected,
        },
        database: db.map(str::to_owned),
    }
}

#[test]
fn the_pane_s_sort_selection_and_database_reach_the_server() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            let (admin, rank) = setup(cluster).await;
            let t = common::target(cluster, "rank");
            let first = session::open(&t).await.unwrap();
            let c = collector::spawn(t, first, Duration::from_millis(300), Config::default());
            let mut snaps = c.snaps;
            c.focus.send_replace(Pane::Tables);

            // The default ranking (past the vacuum threshold: -50 for every table, so by oid).
            until(&mut snaps, "the first 200 by oid", |t| {
                t.tables.as_ref().is_ok_and(|l| l.total == 1000) && listed(t) == names(1..=200)
            })
            .await;

            let (top, top_name) = ranking(&c.asks, &mut snaps, &rank, major).await;
            selected_indexes(&c.asks, &mut snaps, top, &top_name, major).await;
            databases(&c.asks, &mut snaps, &admin, major).await;
            c.task.abort();
        }
    });
}

/// Three databases: `rank` with 1,000 tables, `other` with one, and one with a hostile name.
async fn setup(cluster: &pgscope::lab::Cluster) -> (Client, Client) {
    let admin = cluster
        .connect("postgres", "postgres", "setup")
        .await
        .unwrap();
    for db in ["rank", "other", &format!("\"{HOSTILE}\"")] {
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .await
            .unwrap();
    }
    let rank = cluster.connect("rank", "postgres", "setup").await.unwrap();
    rank.batch_execute(SCHEMA).await.unwrap();
    for from in (1..=1000).step_by(25) {
        rank.batch_execute(&inserts(from, from + 24)).await.unwrap();
    }
    let other = cluster.connect("other", "postgres", "setup").await.unwrap();
    other
        .batch_execute("CREATE TABLE only_here (x int)")
        .await
        .unwrap();
    let hostile = cluster.connect(HOSTILE, "postgres", "setup").await.unwrap();
    hostile
        .batch_execute("CREATE TABLE \"x\u{1b}]0;pwned\u{7}\" (x int)")
        .await
        .unwrap();

    (admin, rank)
}

type Asks = watch::Sender<pgscope::collect::pane::Asks>;
type Snaps = watch::Receiver<Option<Arc<Snapshot>>>;

/// The server ranks by the key asked for, both ways; the top table's oid and name.
async fn ranking(asks: &Asks, snaps: &mut Snaps, rank: &Client, major: u32) -> (u32, String) {
    let c = Handle { asks };
    // By modifications since analyze: the server returns the top 200 of 1,000, the
    // same 200 the statistics view ranks first (before 15 the collector may drop some
    // of a burst's counts, so the expectation is read, not assumed).
    let top = |dir: &'static str| {
        let rank = &rank;
        async move {
            rank.query(
                &format!(
                    "SELECT relname FROM pg_stat_user_tables
                      ORDER BY n_mod_since_analyze {dir}, relid LIMIT 200"
                ),
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<Vec<_>>()
        }
    };
    let what = format!("PG {major}: the inserts counted");
    let wait_stats = common::eventually(Duration::from_secs(30), &what, || async {
        let n: i64 = rank
            .query_one(
                "SELECT count(*) FROM pg_stat_user_tables WHERE n_mod_since_analyze > 0",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        (n >= 500).then_some(())
    });
    wait_stats.await;
    c.asks.send_modify(|a| {
        a.tables = want(SortKey::ModsSinceAnalyze, false, None, None);
    });
    let expected = top("DESC").await;
    assert_ne!(
        expected.iter().cloned().collect::<BTreeSet<_>>(),
        names(1..=200),
        "PG {major}: the default ranking would pass"
    );
    let snap = until(snaps, "the top 200 by modifications", |t| {
        t.tables
            .as_ref()
            .is_ok_and(|l| l.rows.iter().map(|r| &r.name).eq(expected.iter()))
    })
    .await;
    let list = tables(&snap).unwrap().tables.as_ref().unwrap();
    assert_eq!(list.total, 1000, "PG {major}");
    let t1000 = list
        .rows
        .iter()
        .find(|r| r.name == "t1000")
        .map_or_else(|| list.rows[0].relid, |r| r.relid);
    let t1000_name = list
        .rows
        .iter()
        .find(|r| r.relid == t1000)
        .unwrap()
        .name
        .clone();

    // Reversed: the bottom 200, smallest first.
    c.asks.send_modify(|a| {
        a.tables = want(SortKey::ModsSinceAnalyze, true, None, None);
    });
    let expected = top("ASC").await;
    until(snaps, "the bottom 200, smallest first", |t| {
        t.tables
            .as_ref()
            .is_ok_and(|l| l.rows.iter().map(|r| &r.name).eq(expected.iter()))
    })
    .await;

    (t1000, t1000_name)
}

/// The selected table's indexes come from a read for that table.
async fn selected_indexes(
    asks: &Asks,
    snaps: &mut Snaps,
    t1000: u32,
    t1000_name: &str,
    major: u32,
) {
    let c = Handle { asks };
    // The selected table's indexes: t1000_pkey (or that of the top table) is past the
    // database-wide list's cap of 200 (ranked by oid among equals), so only a read for
    // that table can show it.
    let pkey = format!("{t1000_name}_pkey");
    c.asks.send_modify(|a| {
        a.tables = want(SortKey::ModsSinceAnalyze, false, Some(t1000), None);
    });
    let snap = until(snaps, "t1000's own indexes", |t| {
        t.selected == Some(t1000)
            && t.table_indexes.as_ref().is_some_and(|r| {
                r.as_ref()
                    .is_ok_and(|l| l.rows.iter().any(|i| i.name == pkey))
            })
    })
    .await;
    let part = tables(&snap).unwrap();
    let own = part.table_indexes.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(own.rows.len(), 1, "PG {major}: {own:?}");
    assert!(own.rows.iter().all(|i| i.relid == t1000), "PG {major}");
    let all = part.indexes.as_ref().unwrap();
    assert_eq!(all.rows.len(), 200, "PG {major}");
    assert!(
        all.rows.iter().all(|i| i.name != pkey),
        "PG {major}: the database-wide list is not where it came from"
    );
}

/// Another database, one that cannot be connected, a hostile one, and back.
async fn databases(asks: &Asks, snaps: &mut Snaps, admin: &Client, major: u32) {
    let c = Handle { asks };
    // Another database: its own statistics, and the databases the login may connect to.
    c.asks
        .send_modify(|a| a.tables = want(SortKey::default(), false, None, Some("other")));
    let snap = until(snaps, "database other", |t| {
        t.meta.as_ref().is_ok_and(|m| m.datname == "other")
    })
    .await;
    let part = tables(&snap).unwrap();
    assert_eq!(listed(part), BTreeSet::from(["only_here".to_owned()]));
    let dbs = part.databases.as_ref().unwrap();
    for d in ["other", "postgres", "rank", HOSTILE] {
        assert!(dbs.iter().any(|x| x == d), "PG {major}: {d} in {dbs:?}");
    }
    assert!(!dbs.iter().any(|d| d.starts_with("template")), "{dbs:?}");
    // Held while the pane shows it, as pgscope-tables.
    let held: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity
              WHERE datname = 'other' AND application_name = 'pgscope-tables'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(held, 1, "PG {major}");

    // A database that cannot be connected says why, in one line; the list stays.
    c.asks
        .send_modify(|a| a.tables = want(SortKey::default(), false, None, Some("no_such")));
    let snap = until(snaps, "no_such refused", |t| t.meta.is_err()).await;
    let part = tables(&snap).unwrap();
    let err = part.meta.as_ref().unwrap_err();
    assert!(
        err.message
            .starts_with("cannot connect to database no_such: ")
            && err.message.contains("does not exist")
            && !err.message.contains('\n'),
        "PG {major}: {err}"
    );
    assert_eq!(err.sqlstate.as_deref(), Some("3D000"), "PG {major}");
    assert!(part.databases.is_ok(), "PG {major}");

    // A hostile database name and table name reach the screen neutralized; D walks the
    // list from there.
    c.asks
        .send_modify(|a| a.tables = want(SortKey::default(), false, None, Some(HOSTILE)));
    let snap = until(snaps, "the hostile database", |t| {
        t.meta.as_ref().is_ok_and(|m| m.datname == HOSTILE) && !listed(t).is_empty()
    })
    .await;
    let mut st = State::new(Duration::from_secs(1), snap.taken_at);
    update(&mut st, Msg::Resize(200, 50));
    update(&mut st, Msg::Action(Action::Pane(8)));
    st.views.tables.database = Some(HOSTILE.to_owned());
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snap.clone(),
            now: snap.taken_at,
        },
    );
    let screen = fixtures::screen::screen(&st, 200, 50);
    assert!(screen.contains("statistics of database evil"), "{screen}");
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{7}') && !screen.contains('\u{202e}'),
        "{screen}"
    );
    update(&mut st, Msg::Action(Action::NextDatabase));
    let after = {
        let dbs = tables(&snap).unwrap().databases.as_ref().unwrap();
        let at = dbs.iter().position(|d| d == HOSTILE).unwrap();
        dbs[(at + 1) % dbs.len()].clone()
    };
    assert_eq!(st.views.tables.database.as_deref(), Some(after.as_str()));
    assert_eq!(
        st.views.tables.want().database.as_deref(),
        Some(after.as_str())
    );

    // Back to the connected database: the extra connection goes.
    c.asks
        .send_modify(|a| a.tables = want(SortKey::default(), false, None, Some("rank")));
    until(snaps, "database rank again", |t| {
        t.meta.as_ref().is_ok_and(|m| m.datname == "rank")
    })
    .await;
    common::eventually(
        Duration::from_secs(10),
        "the extra connection closed",
        || async {
            let n: i64 = admin
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity
                  WHERE application_name = 'pgscope-tables'",
                    &[],
                )
                .await
                .unwrap()
                .get(0);
            (n == 0).then_some(())
        },
    )
    .await;
}

/// The test's end of the asks channel, named as in the collector handle.
struct Handle<'a> {
    asks: &'a Asks,
}
