//! The Tables pane through the collect task against a real server: nothing is read while the
//! pane is not focused; focused, the pane's part arrives with the database's tables, `update`
//! lists them and selects one, its indexes show, and an unused duplicate index is flagged with
//! the statement that would drop it. Refreshes within 5 s carry the same read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::collector;
use pgscope::action::Action;
use pgscope::collect::sampler::Config;
use pgscope::collect::session;
use pgscope::panes::Pane;
use pgscope::panes::tables::indexes::{drop_statement, health};
use pgscope::state::State;
use pgscope::update::{Msg, update};

#[test]
fn collect_task_reads_tables_only_while_focused() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "setup")
            .await
            .unwrap();
        admin
            .batch_execute(
                "DROP TABLE IF EXISTS pane_orders;
                 CREATE TABLE pane_orders (id int PRIMARY KEY, customer int);
                 CREATE INDEX pane_orders_customer ON pane_orders (customer);
                 CREATE INDEX pane_orders_customer_dup ON pane_orders (customer);
                 INSERT INTO pane_orders SELECT g, g % 10 FROM generate_series(1, 1000) g;
                 ANALYZE pane_orders;",
            )
            .await
            .unwrap();
        let t = common::target(&cluster, "postgres");
        let first = session::open(&t).await.unwrap();
        let c = collector::spawn(t, first, Duration::from_millis(300), Config::default());
        let mut snaps = c.snaps;
        snaps.changed().await.unwrap();
        assert!(
            snaps
                .borrow_and_update()
                .clone()
                .unwrap()
                .panes
                .tables
                .is_none()
        );

        c.focus.send_replace(Pane::Tables);
        let snap = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                snaps.changed().await.unwrap();
                let snap = snaps.borrow_and_update().clone().unwrap();
                let has = snap.panes.tables.as_ref().is_some_and(|t| {
                    t.as_ref().is_ok_and(|t| {
                        t.tables
                            .as_ref()
                            .is_ok_and(|l| l.rows.iter().any(|r| r.name == "pane_orders"))
                    })
                });
                if has {
                    return snap;
                }
            }
        })
        .await
        .unwrap();
        let tables = snap.panes.tables.clone().unwrap().unwrap();
        let meta = tables.meta.as_ref().unwrap();
        assert_eq!(meta.datname, "postgres");

        // A refresh within 5 s of the read carries the same read.
        snaps.changed().await.unwrap();
        let next = snaps.borrow_and_update().clone().unwrap();
        let again = next.panes.tables.clone().unwrap().unwrap();
        if next.taken_at - snap.taken_at < 4_000_000 {
            assert_eq!(again.meta.as_ref().unwrap().read_at, meta.read_at);
        }

        let mut st = State::new(Duration::from_secs(1), snap.taken_at);
        update(&mut st, Msg::Resize(200, 50));
        update(&mut st, Msg::Action(Action::Pane(8)));
        update(
            &mut st,
            Msg::Snapshot {
                snapshot: snap.clone(),
                now: snap.taken_at,
            },
        );
        assert_eq!(st.pane, Pane::Tables);
        let relid = st
            .views
            .tables
            .model
            .rows
            .iter()
            .find(|r| r.row.name == "pane_orders")
            .unwrap()
            .row
            .relid;
        pgscope::hit::select(&mut st, pgscope::hit::Pick::Tables(relid));
        assert_eq!(st.views.tables.selected, Some(relid));
        let ix = tables.indexes.as_ref().unwrap();
        let own: Vec<_> = ix.rows.iter().filter(|i| i.relid == relid).collect();
        assert_eq!(own.len(), 3, "{own:?}");
        let dup = own
            .iter()
            .find(|i| health(i).duplicate_of.is_some())
            .unwrap_or_else(|| panic!("{own:?}"));
        assert!(
            drop_statement(dup)
                .starts_with("DROP INDEX CONCURRENTLY IF EXISTS public.pane_orders_customer")
        );
        c.task.abort();
    });
}
