//! The Statements pane's on-demand work against real servers, through the control task's own
//! functions and `update` as the app runs them: Enter reads a text cut in the cache in full
//! (hostile escapes kept in the model, never on the screen), `e` plans a normalized statement
//! in its own database as its own role (GENERIC_PLAN from 16, a prepared statement's generic
//! plan before), a statement its role may no longer read is refused by the server as that role,
//! and a row summing other roles' statements is refused before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fixtures;

use std::time::{Duration, Instant};

use fixtures::screen::screen;
use pgscope::action::Action;
use pgscope::control::explain_statement;
use pgscope::effect::{Done, Effect, Job, StatementExplainRequest, StatementRef};
use pgscope::lab::Cluster;
use pgscope::panes::statements::read::Reader;
use pgscope::panes::statements::{Key, Outcome, Statements};
use pgscope::state::{Mode, State};
use pgscope::update::{Msg, update};
use tokio_postgres::Client;

const MARK: &str = "pgscope-explain-test";

/// A statement of role `app` in database `shop`, ~3,000 characters with escapes at the end (a
/// comment: pg_stat_statements keeps comments, and turns the literal 42 into `$1`).
fn long_statement() -> String {
    format!(
        "SELECT name FROM items WHERE id = 42 /* {MARK} {} \x1b]0;pwned\x07 \x1b[31m */",
        "x".repeat(3000)
    )
}

async fn setup(cluster: &Cluster) -> (Client, Client) {
    let admin = cluster
        .connect("postgres", "postgres", "test")
        .await
        .unwrap();
    admin
        .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; CREATE ROLE app LOGIN")
        .await
        .unwrap();
    admin.batch_execute("CREATE DATABASE shop").await.unwrap();
    let shop = cluster.connect("shop", "postgres", "test").await.unwrap();
    shop.batch_execute(
        "CREATE TABLE items (id int PRIMARY KEY, name text); \
         CREATE TABLE \"evil\x1b[2J\u{202e}\" (id int PRIMARY KEY); \
         CREATE TABLE secret (id int PRIMARY KEY, code text); \
         INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g; ANALYZE items; \
         GRANT SELECT ON items, \"evil\x1b[2J\u{202e}\", secret TO app",
    )
    .await
    .unwrap();
    let app = cluster.connect("shop", "app", "shop-app").await.unwrap();
    (admin, app)
}

/// Refreshes until an entry whose cached text contains `needle` is read; its statements part.
async fn entry_with(reader: &mut Reader, monitor: &Client, needle: &str) -> (Statements, Key) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = reader.refresh(monitor).await.unwrap();
        if let Some(e) = s.read.entries.iter().find(|e| {
            e.text.as_deref().is_some_and(|t| t.contains(needle)) && e.key.queryid.is_some()
        }) {
            let key = e.key;
            return (s, key);
        }
        assert!(
            Instant::now() < deadline,
            "no entry with {needle:?} in 30 s"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

fn reference(s: &Statements, key: Key) -> StatementRef {
    StatementRef {
        key,
        features: s.setup.features,
        schema: s.setup.schema.clone(),
    }
}

async fn explain(cluster: &Cluster, s: &Statements, key: Key) -> Result<Vec<String>, String> {
    let control = cluster
        .connect("postgres", "postgres", "pgscope-control")
        .await
        .unwrap();
    let version = cluster.major() as i32 * 10_000;
    let req = StatementExplainRequest {
        statement: reference(s, key),
        consented: false,
    };
    let report =
        explain_statement::run(&control, &common::target(cluster, "postgres"), version, req).await;
    assert_eq!(report.key, key);
    assert!(report.ask.is_none(), "{:?}", report.ask);
    report.result.map_err(|f| f.to_string())
}

/// The pane focused at 200x50 with `reads` (rates need two).
fn pane_state(reads: &[&Statements]) -> State {
    let mut st = State::new(Duration::from_secs(1), 0);
    update(&mut st, Msg::Resize(200, 50));
    update(&mut st, Msg::Action(Action::Pane(7)));
    for (seq, s) in (1..).zip(reads) {
        let mut snap = (*fixtures::snapshot(seq, Vec::new())).clone();
        snap.taken_at = s.read.now;
        snap.panes.statements = Some(Ok(Outcome::Ready((*s).clone())));
        update(
            &mut st,
            Msg::Snapshot {
                snapshot: std::sync::Arc::new(snap),
                now: s.read.now,
            },
        );
    }
    st
}

/// Two reads with the entry whose text contains `needle`, and the pane showing them.
async fn shown_with(
    reader: &mut Reader,
    monitor: &Client,
    needle: &str,
) -> (Statements, Key, State) {
    let (first, key) = entry_with(reader, monitor, needle).await;
    let s = reader.refresh(monitor).await.unwrap();
    let mut st = pane_state(&[&first, &s]);
    let i = st
        .views
        .statements
        .rows
        .iter()
        .position(|r| r.key == key)
        .unwrap();
    st.views.statements.cursor = i;
    st.views.statements.selected = Some(key);
    (s, key, st)
}

#[test]
fn enter_reads_the_full_text_and_e_plans_the_statement_as_its_role_in_its_database() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            let (admin, app) = setup(cluster).await;
            app.batch_execute(&long_statement()).await.unwrap();
            app.batch_execute("SELECT * FROM \"evil\x1b[2J\u{202e}\" WHERE id = 7")
                .await
                .unwrap();
            app.batch_execute(&format!(
                "SELECT code FROM secret WHERE id = 3 /* {MARK}-secret */"
            ))
            .await
            .unwrap();
            let monitor = cluster
                .connect("postgres", "postgres", "pgscope")
                .await
                .unwrap();
            let mut reader = Reader::new();
            let (s, key, mut st) = shown_with(&mut reader, &monitor, &format!("{MARK} x")).await;
            let entry = s.read.entries.iter().find(|e| e.key == key).unwrap();
            assert!(entry.text_cut, "PG {major}: the cached text is cut");

            // Enter: the cut text is read in full, on the control connection, with its cost.
            let effects = update(&mut st, Msg::Action(Action::Details));
            let Some(Effect::Control(Job::StatementText(r))) = effects.first() else {
                panic!("PG {major}: no text read on Enter: {effects:?}");
            };
            let control = cluster
                .connect("postgres", "postgres", "pgscope-control")
                .await
                .unwrap();
            let full = explain_statement::full_text(&control, r).await;
            let text = full.text.clone().unwrap().unwrap();
            assert!(
                text.len() > 3000 && text.ends_with("\x1b[31m */"),
                "PG {major}"
            );
            assert!(full.took_us > 0);
            update(&mut st, Msg::Done(Done::StatementText(full)));
            let shown = screen(&st, 200, 50);
            assert!(shown.contains("pwned"), "PG {major}: {shown}");
            assert!(
                !shown.contains('\x1b') && !shown.contains('\x07'),
                "{shown}"
            );
            // The interval and the totals side by side.
            assert!(
                shown.contains("cumulative") && shown.contains("last "),
                "{shown}"
            );
            assert!(!shown.contains("reading the full text"), "{shown}");

            // e: planned in shop, as app; $1 stays a parameter (GENERIC_PLAN, or a prepared
            // statement's generic plan before 16).
            let plan = explain(cluster, &s, key).await.unwrap();
            assert!(
                plan[0].contains("role \"app\"") && plan[0].contains("\"shop\""),
                "{plan:?}"
            );
            let method = if major >= 16 {
                "GENERIC_PLAN"
            } else {
                "prepared statement"
            };
            assert!(plan[0].contains(method), "PG {major}: {plan:?}");
            assert!(
                plan.iter()
                    .any(|l| l.contains("items_pkey") && l.contains("Index")),
                "PG {major}: {plan:?}"
            );
            assert!(
                plan.iter().any(|l| l.contains("$1")),
                "PG {major}: {plan:?}"
            );

            // A hostile table name in the plan reaches the model as is and the screen
            // sanitized.
            let (s, evil, mut st) = shown_with(&mut reader, &monitor, "* FROM \"evil").await;
            let plan = explain(cluster, &s, evil).await.unwrap();
            assert!(
                plan.iter().any(|l| l.contains('\x1b')),
                "PG {major}: {plan:?}"
            );
            let effects = update(&mut st, Msg::Action(Action::Explain));
            assert!(
                matches!(
                    effects.first(),
                    Some(Effect::Control(Job::ExplainStatement(_)))
                ),
                "{effects:?}"
            );
            update(
                &mut st,
                Msg::Done(Done::ExplainStatement(
                    pgscope::effect::StatementExplainReport {
                        key: evil,
                        result: Ok(plan),
                        ask: None,
                    },
                )),
            );
            assert!(matches!(st.mode, Mode::Explain(_)));
            let shown = screen(&st, 200, 50);
            assert!(shown.contains("Scan") && shown.contains("evil"), "{shown}");
            assert!(
                !shown.contains('\x1b') && !shown.contains('\u{202e}'),
                "{shown}"
            );

            // Planned as app, not as the superuser login: once app may not read the table,
            // the server refuses the plan with app's missing privilege.
            let (s, secret) = entry_with(&mut reader, &monitor, &format!("{MARK}-secret")).await;
            let shop = cluster.connect("shop", "postgres", "test").await.unwrap();
            shop.batch_execute("REVOKE SELECT ON secret FROM app")
                .await
                .unwrap();
            let refused = explain(cluster, &s, secret).await.unwrap_err();
            assert!(
                refused.contains("42501") && refused.contains("secret"),
                "PG {major}: {refused}"
            );
            drop(admin);
        }
    });
}
