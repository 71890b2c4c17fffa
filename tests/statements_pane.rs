//! The Statements pane end to end on a real server: the collector reads pg_stat_statements only
//! while the pane is focused, and a statement run over and over shows up in the pane's rows
//! with its calls per second, through `update` as the app runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::collector;
use pgscope::collect::{sampler::Config, session};
use pgscope::panes::Pane;
use pgscope::panes::statements::Outcome;
use pgscope::state::State;
use pgscope::update::{Msg, update};

const MARK: &str = "pgscope-pane-test";

#[test]
fn a_repeated_statement_shows_its_calls_per_second_in_the_pane() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "test")
            .await
            .unwrap();
        admin
            .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            .await
            .unwrap();
        let t = common::target(&cluster, "postgres");
        let first = session::open(&t).await.unwrap();
        let c = collector::spawn(t, first, Duration::from_millis(250), Config::default());
        let mut snaps = c.snaps;

        // Not focused: nothing of it is read.
        let snap = common::eventually(Duration::from_secs(10), "a first refresh", || {
            let s = snaps.borrow_and_update().clone();
            async move { s }
        })
        .await;
        assert!(snap.panes.statements.is_none());

        // A worker runs the marked statement in a loop, as a busy application would.
        let worker = cluster
            .connect("postgres", "postgres", "app")
            .await
            .unwrap();
        let sql = format!("SELECT count(*) FROM generate_series(1, 50) /* {MARK} */");
        let load = tokio::spawn(async move {
            loop {
                if worker.simple_query(&sql).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });

        c.focus.send(Pane::Statements).unwrap();
        let mut state = State::new(Duration::from_millis(250), 0);
        update(&mut state, Msg::Resize(200, 50));
        update(&mut state, Msg::Action(pgscope::action::Action::Pane(7)));
        let rate = common::eventually(
            Duration::from_secs(30),
            "the marked statement with calls/s in the pane",
            || {
                let s = snaps.borrow_and_update().clone();
                if let Some(s) = &s {
                    if let Some(Ok(Outcome::Missing(m))) = &s.panes.statements {
                        panic!("pg_stat_statements missing: {}", m.explain());
                    }
                    update(
                        &mut state,
                        Msg::Snapshot {
                            snapshot: s.clone(),
                            now: s.taken_at,
                        },
                    );
                }
                let found = state
                    .views
                    .statements
                    .rows
                    .iter()
                    .find(|r| r.text.as_deref().is_some_and(|t| t.contains(MARK)))
                    .map(|r| r.calls)
                    .filter(|calls| *calls > 1.0);
                async move { found }
            },
        )
        .await;
        // At most one call per 5 ms of sleep, and surely more than one a second.
        assert!(rate > 1.0 && rate < 250.0, "{rate}");
        assert!(state.views.statements.about.secs > 0.0);
        load.abort();
        c.task.abort();
    });
}
