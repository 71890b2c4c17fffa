//! Cancel and terminate against real servers: exactly the chosen backend, identity re-checked in
//! the signalling statement, true outcomes, privilege refusals; EXPLAIN that never executes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use pgscope::action::Action;
use pgscope::collect::{self, session};
use pgscope::conn::{self, ConnArgs, Target};
use pgscope::control::explain;
use pgscope::control::signal::{self, SignalPermit};
use pgscope::effect::ExplainReport;
use pgscope::effect::{
    DetailsRequest, ExplainRequest, NOT_SIGNALLED, Outcome, SignalKind, SignalRequest, SignalTarget,
};
use pgscope::effect::{Effect, Job};
use pgscope::lab::{self, Cluster};
use pgscope::panes::Pane;
use pgscope::snapshot::{Backend, Snapshot};
use pgscope::state::State;
use pgscope::update::{ConfirmKey, Msg, targeting, update};
use tokio_postgres::Client;

fn target(cluster: &Cluster, db: &str, user: &str) -> Target {
    let conninfo = format!("{} user={user}", cluster.conninfo(db));
    conn::resolve(
        &ConnArgs {
            conninfo: Some(conninfo),
            ..ConnArgs::default()
        },
        &|_| None,
    )
    .unwrap()
}

async fn snapshot(cluster: &Cluster) -> Snapshot {
    // Boxed: a connect plus a refresh is a large future for every test that awaits it.
    let s = Box::pin(session::open(&target(cluster, "postgres", "postgres")))
        .await
        .unwrap();
    Box::pin(collect::refresh_once(&s, Pane::Activity))
        .await
        .unwrap()
}

fn rows(snap: &Snapshot) -> &[Backend] {
    &snap.activity.as_ref().unwrap().backends
}

fn permit() -> SignalPermit {
    SignalPermit::unless_read_only(false).unwrap()
}

/// Sessions that keep running short sleeps, so the list re-sorts on every refresh.
async fn sleepers(cluster: &Cluster, n: usize, app: &str) -> Vec<Arc<Client>> {
    let mut clients = Vec::new();
    for _ in 0..n {
        let c = Arc::new(cluster.connect("postgres", "postgres", app).await.unwrap());
        let runner = Arc::clone(&c);
        tokio::spawn(async move {
            while runner
                .batch_execute("SELECT pg_sleep(random() * 0.3)")
                .await
                .is_ok()
            {}
        });
        clients.push(c);
    }
    clients
}

fn pids_of(snap: &Snapshot, app: &str) -> BTreeSet<i32> {
    rows(snap)
        .iter()
        .filter(|b| b.application_name == app)
        .map(|b| b.pid)
        .collect()
}

/// Where `pid` is in the Activity table as sorted on screen.
fn row_of(st: &State, pid: i32) -> Option<usize> {
    let backends = st.backends();
    st.views
        .activity
        .rows
        .iter()
        .position(|&i| backends.get(i).is_some_and(|b| b.pid == pid))
}

fn show(st: &mut State, snap: Snapshot) {
    let now = snap.taken_at;
    update(
        st,
        Msg::Snapshot {
            snapshot: Arc::new(snap),
            now,
        },
    );
}

/// The operator selects a session in the Activity table, which re-sorts under the selection on
/// every refresh (by query age, and 50 sessions start short queries all the time); the
/// terminate confirmed after the re-sort hits exactly that session.
#[test]
fn terminate_hits_exactly_the_chosen_backend_among_re_sorting_sessions() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let _busy = sleepers(cluster, 50, "churn").await;
            let first = common::eventually(Duration::from_secs(15), "50 sessions", || async {
                let snap = snapshot(cluster).await;
                (pids_of(&snap, "churn").len() == 50).then_some(snap)
            })
            .await;
            let before = pids_of(&first, "churn");
            let mut st = State::new(Duration::from_secs(1), first.taken_at);
            // Idle rows stay listed between two queries, so none leaves the table.
            st.views.activity.show_idle = true;
            show(&mut st, first);
            // Down to the first of the sessions.
            for _ in 0..st.views.activity.rows.len() {
                let on_churn = st
                    .views
                    .activity
                    .selected
                    .is_some_and(|pid| before.contains(&pid));
                if on_churn {
                    break;
                }
                update(&mut st, Msg::Action(Action::Down));
            }
            let victim = st.views.activity.selected.unwrap();
            assert!(before.contains(&victim));
            let was = row_of(&st, victim).unwrap();
            // Refreshes until the table has re-sorted the victim to another row.
            let deadline = std::time::Instant::now() + Duration::from_secs(15);
            loop {
                show(&mut st, snapshot(cluster).await);
                if row_of(&st, victim).is_some_and(|row| row != was) {
                    break;
                }
                assert!(std::time::Instant::now() < deadline, "never re-sorted");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            assert_eq!(
                st.views.activity.selected,
                Some(victim),
                "selection follows the pid"
            );

            update(&mut st, Msg::Action(Action::Terminate));
            let effects = update(&mut st, Msg::Confirm(ConfirmKey::Yes));
            let [Effect::Control(Job::Signal(request))] = &effects[..] else {
                panic!("no signal job: {effects:?}");
            };
            let pids: Vec<i32> = request.targets.iter().map(|t| t.pid).collect();
            assert_eq!(pids, vec![victim]);
            let control = cluster
                .connect("postgres", "postgres", "pgscope-control")
                .await
                .unwrap();
            let report = signal::run(
                &permit(),
                &control,
                cluster.major() as i32 * 10_000,
                request.clone(),
            )
            .await;
            assert_eq!(
                report.results[0].1,
                Outcome::Terminated,
                "PG {}",
                cluster.major()
            );
            let after = common::eventually(Duration::from_secs(10), "the victim gone", || async {
                let after = pids_of(&snapshot(cluster).await, "churn");
                (!after.contains(&victim)).then_some(after)
            })
            .await;
            let gone: Vec<i32> = before.difference(&after).copied().collect();
            assert_eq!(gone, vec![victim], "PG {}", cluster.major());
        }
    });
}

#[test]
fn changed_identity_is_never_signalled() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let version = cluster.major() as i32 * 10_000;
            lab::setup(cluster).await.unwrap();
            let long = lab::long_query(cluster, 120.0).await.unwrap();
            let snap = snapshot(cluster).await;
            let row = rows(&snap)
                .iter()
                .find(|b| b.pid == long.pid())
                .unwrap()
                .clone();
            let control = cluster
                .connect("postgres", "postgres", "pgscope-control")
                .await
                .unwrap();

            // A cancel aimed at an earlier query of this backend (another query_start).
            let chosen = [(row.pid, row.backend_start.unwrap())];
            let mut plan = targeting::plan(SignalKind::Cancel, &chosen, rows(&snap), 0, 0);
            plan.request.targets[0].query_start = Some(row.query_start.unwrap() - 1);
            let report = signal::run(&permit(), &control, version, plan.request.clone()).await;
            assert_eq!(report.results[0].1, Outcome::Changed);

            // A terminate aimed at an earlier session that had the same pid.
            let mut stale = targeting::plan(SignalKind::Terminate, &chosen, rows(&snap), 0, 0);
            stale.request.targets[0].backend_start -= 1;
            let report = signal::run(&permit(), &control, version, stale.request).await;
            assert_eq!(report.results[0].1, Outcome::Changed);

            // Our own control session is refused by the statement itself.
            let own: i32 = control
                .query_one("SELECT pg_backend_pid()", &[])
                .await
                .unwrap()
                .get(0);
            let own_row = rows(&snapshot(cluster).await)
                .iter()
                .find(|b| b.pid == own)
                .unwrap()
                .clone();
            let own_plan = targeting::plan(
                SignalKind::Terminate,
                &[(own, own_row.backend_start.unwrap())],
                &[own_row],
                0,
                0,
            );
            let report = signal::run(&permit(), &control, version, own_plan.request).await;
            assert_eq!(report.results[0].1, Outcome::Changed);

            let after = rows(&snapshot(cluster).await)
                .iter()
                .find(|b| b.pid == long.pid())
                .cloned()
                .unwrap();
            assert_eq!(after.state.as_deref(), Some("active"), "untouched");

            // The right identity cancels it.
            let plan = targeting::plan(SignalKind::Cancel, &chosen, rows(&snap), 0, 0);
            let report = signal::run(&permit(), &control, version, plan.request).await;
            assert_eq!(
                report.results[0].1,
                Outcome::Cancelled,
                "PG {}",
                cluster.major()
            );
        }
    });
}

/// The signalling statement itself refuses the processes the planner refuses: aimed straight at
/// them (no planner in the way), as superuser, nothing is signalled and every one is still there.
#[test]
fn the_signalling_statement_refuses_auxiliary_processes() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let version = cluster.major() as i32 * 10_000;
            let snap = snapshot(cluster).await;
            let targets: Vec<SignalTarget> = rows(&snap)
                .iter()
                .filter(|b| NOT_SIGNALLED.contains(&b.backend_type.as_str()))
                .map(|b| SignalTarget {
                    pid: b.pid,
                    backend_start: b.backend_start.unwrap(),
                    query_start: None,
                    xact_start: None,
                    usename: String::new(),
                    datname: String::new(),
                    backend_type: b.backend_type.clone(),
                    query: String::new(),
                    age: 0,
                })
                .collect();
            let kinds: BTreeSet<&str> = targets.iter().map(|t| t.backend_type.as_str()).collect();
            // The launchers can be terminated by a superuser: without the guard they would be.
            for expected in [
                "checkpointer",
                "autovacuum launcher",
                "logical replication launcher",
            ] {
                assert!(
                    kinds.contains(expected),
                    "PG {}: no {expected} in {kinds:?}",
                    cluster.major()
                );
            }
            let control = cluster
                .connect("postgres", "postgres", "pgscope-control")
                .await
                .unwrap();
            let request = SignalRequest {
                kind: SignalKind::Terminate,
                targets: targets.clone(),
            };
            let report = signal::run(&permit(), &control, version, request).await;
            for (t, outcome) in &report.results {
                assert_eq!(
                    *outcome,
                    Outcome::Changed,
                    "PG {}: {}",
                    cluster.major(),
                    t.backend_type
                );
            }
            let after = snapshot(cluster).await;
            for t in &targets {
                assert!(
                    rows(&after)
                        .iter()
                        .any(|b| b.pid == t.pid && b.backend_start == Some(t.backend_start)),
                    "PG {}: {} was signalled",
                    cluster.major(),
                    t.backend_type
                );
            }
        }
    });
}

#[test]
fn bulk_terminate_of_a_filter_and_privilege_refusal() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let version = cluster.major() as i32 * 10_000;
            let _doomed = sleepers(cluster, 5, "doomed").await;
            let _kept = sleepers(cluster, 3, "kept").await;
            let snap = common::eventually(Duration::from_secs(15), "8 sessions", || async {
                let snap = snapshot(cluster).await;
                let all = pids_of(&snap, "doomed").len() == 5 && pids_of(&snap, "kept").len() == 3;
                all.then_some(snap)
            })
            .await;
            let filter = pgscope::state::filter::Filter::parse("app:doomed");
            let chosen: Vec<(i32, i64)> = rows(&snap)
                .iter()
                .filter(|b| filter.matches(b, 0))
                .map(|b| (b.pid, b.backend_start.unwrap()))
                .collect();
            assert_eq!(chosen.len(), 5);

            // A pg_monitor role without pg_signal_backend is refused by the server, with 42501.
            let admin = cluster
                .connect("postgres", "postgres", "test")
                .await
                .unwrap();
            admin
                .batch_execute("CREATE ROLE watcher LOGIN; GRANT pg_monitor TO watcher")
                .await
                .unwrap();
            let weak = cluster
                .connect("postgres", "watcher", "pgscope-control")
                .await
                .unwrap();
            let plan = targeting::plan(SignalKind::Terminate, &chosen[..1], rows(&snap), 0, 0);
            let report = signal::run(&permit(), &weak, version, plan.request).await;
            match &report.results[0].1 {
                Outcome::Refused { sqlstate, .. } => assert_eq!(sqlstate.as_deref(), Some("42501")),
                other => panic!("expected a refusal, got {other:?}"),
            }
            assert!(report.results[0].1.describe().contains("pg_signal_backend"));

            let plan = targeting::plan(SignalKind::Terminate, &chosen, rows(&snap), 0, 0);
            let report = signal::run(&permit(), &admin, version, plan.request).await;
            assert!(
                report
                    .results
                    .iter()
                    .all(|(_, o)| *o == Outcome::Terminated),
                "{report:?}"
            );
            let after = common::eventually(Duration::from_secs(10), "doomed gone", || async {
                let after = snapshot(cluster).await;
                pids_of(&after, "doomed").is_empty().then_some(after)
            })
            .await;
            assert_eq!(pids_of(&after, "kept").len(), 3);
        }
    });
}

#[test]
fn a_stopped_backend_is_reported_still_alive() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let version = cluster.major() as i32 * 10_000;
        lab::setup(&cluster).await.unwrap();
        let long = lab::long_query(&cluster, 120.0).await.unwrap();
        let snap = snapshot(&cluster).await;
        let chosen = [(
            long.pid(),
            rows(&snap)
                .iter()
                .find(|b| b.pid == long.pid())
                .unwrap()
                .backend_start
                .unwrap(),
        )];
        let stop = |sig: &str| {
            assert!(
                std::process::Command::new("kill")
                    .args([sig, &long.pid().to_string()])
                    .status()
                    .unwrap()
                    .success()
            );
        };
        stop("-STOP");
        let control = cluster
            .connect("postgres", "postgres", "pgscope-control")
            .await
            .unwrap();
        let plan = targeting::plan(SignalKind::Terminate, &chosen, rows(&snap), 0, 0);
        let report = signal::run(&permit(), &control, version, plan.request).await;
        stop("-CONT");
        assert_eq!(report.results[0].1, Outcome::StillAlive { waited_secs: 5 });
        common::eventually(Duration::from_secs(10), "gone after CONT", || async {
            let snap = snapshot(&cluster).await;
            (!rows(&snap).iter().any(|b| b.pid == long.pid())).then_some(())
        })
        .await;
    });
}

/// Runs `sql` on `client` (in `db`), EXPLAINs it through pgscope's control path, then cancels it.
/// [`explain_of_unboxed`], boxed: its future is large.
async fn explain_of(
    cluster: &Cluster,
    client: Arc<Client>,
    db: &str,
    sql: &str,
) -> Result<Vec<String>, String> {
    Box::pin(explain_of_unboxed(
        cluster, client, db, sql, "postgres", false,
    ))
    .await
    .result
    .map_err(|f| f.to_string())
}

/// [`explain_of`] with pgscope logged in as `login`, consented or not.
async fn explain_as(
    cluster: &Cluster,
    client: Arc<Client>,
    sql: &str,
    login: &str,
    consented: bool,
) -> ExplainReport {
    Box::pin(explain_of_unboxed(
        cluster,
        client,
        lab::DB,
        sql,
        login,
        consented,
    ))
    .await
}

async fn explain_of_unboxed(
    cluster: &Cluster,
    client: Arc<Client>,
    db: &str,
    sql: &str,
    login: &str,
    consented: bool,
) -> ExplainReport {
    let pid: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    let (runner, text) = (Arc::clone(&client), sql.to_owned());
    let task = tokio::spawn(async move {
        // Extended protocol when the text has $1, so the parameter stays a parameter.
        if text.contains("$1") {
            let _ = runner.query(text.as_str(), &[&30.0f64]).await;
        } else {
            let _ = runner.batch_execute(&text).await;
        }
    });
    // Up to 20 s: on a loaded 2-core CI machine starting the statement can take a while.
    let row = common::eventually(Duration::from_secs(20), sql, || async {
        let snap = snapshot(cluster).await;
        rows(&snap)
            .iter()
            .find(|b| b.pid == pid && b.state.as_deref() == Some("active"))
            .cloned()
    })
    .await;
    let control = cluster
        .connect("postgres", "postgres", "pgscope-control")
        .await
        .unwrap();
    let req = ExplainRequest {
        pid,
        backend_start: row.backend_start.unwrap(),
        query_start: row.query_start,
        datname: db.to_owned(),
        consented,
    };
    let version = cluster.major() as i32 * 10_000;
    let report = explain::run(&control, &target(cluster, "postgres", login), version, req).await;
    client
        .cancel_token()
        .cancel_query(tokio_postgres::NoTls)
        .await
        .unwrap();
    let _ = task.await;
    report
}

#[test]
fn explain_plans_without_executing() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let admin = cluster.connect(lab::DB, "postgres", "test").await.unwrap();
            admin
                .batch_execute("ALTER ROLE postgres SET log_statement = 'all'")
                .await
                .unwrap();
            let state = "SELECT balance, xmin::text FROM accounts WHERE id = 1";
            let before = admin.query_one(state, &[]).await.unwrap();
            let seq = "SELECT last_value FROM accounts_id_seq";
            let seq_before: i64 = admin.query_one(seq, &[]).await.unwrap().get(0);

            let app = Arc::new(cluster.connect(lab::DB, "postgres", "psql").await.unwrap());
            let update =
                "UPDATE accounts SET balance = balance + 1 WHERE id = (SELECT 1 FROM pg_sleep(30))";
            let plan = explain_of(cluster, Arc::clone(&app), lab::DB, update)
                .await
                .unwrap();
            assert!(
                plan.iter().any(|l| l.contains("Update on accounts")),
                "PG {major}: {plan:?}"
            );
            let insert = "INSERT INTO accounts (balance) SELECT 0 FROM pg_sleep(30)";
            let plan = explain_of(cluster, Arc::clone(&app), lab::DB, insert)
                .await
                .unwrap();
            assert!(
                plan.iter().any(|l| l.contains("Insert on accounts")),
                "PG {major}: {plan:?}"
            );

            let after = admin.query_one(state, &[]).await.unwrap();
            assert_eq!(before.get::<_, i32>(0), after.get::<_, i32>(0));
            assert_eq!(
                before.get::<_, String>(1),
                after.get::<_, String>(1),
                "row rewritten"
            );
            let seq_after: i64 = admin.query_one(seq, &[]).await.unwrap().get(0);
            assert_eq!(seq_before, seq_after, "sequence advanced: the INSERT ran");

            let log = std::fs::read_to_string(cluster.log_path()).unwrap();
            assert!(log.contains("BEGIN READ ONLY"), "PG {major}");
            assert!(log.contains("EXPLAIN UPDATE accounts"), "PG {major}");
            assert!(!log.contains("ANALYZE UPDATE") && !log.contains("EXPLAIN (ANALYZE"));

            // Parameters: the generic plan of a prepared statement, GENERIC_PLAN from 16, NULL
            // arguments before.
            let with_param =
                "SELECT * FROM accounts WHERE id = 1 AND (SELECT true FROM pg_sleep($1))";
            let plan = explain_of(cluster, Arc::clone(&app), lab::DB, with_param)
                .await
                .unwrap();
            assert!(
                plan.iter().any(|l| l.contains("accounts")),
                "PG {major}: {plan:?}"
            );
            let method = if major >= 16 {
                "parameters unknown"
            } else {
                "parameters NULL"
            };
            assert!(plan[0].contains(method), "PG {major}: {plan:?}");
            let log = std::fs::read_to_string(cluster.log_path()).unwrap();
            assert!(
                log.contains("PREPARE pgscope_explain AS SELECT * FROM accounts"),
                "PG {major}"
            );

            // Truncated text is refused before anything is sent.
            let truncated = format!("SELECT pg_sleep(30) /* {} */", "x".repeat(2_000));
            let refused = explain_of(cluster, Arc::clone(&app), lab::DB, &truncated)
                .await
                .unwrap_err();
            assert!(refused.contains("truncated"), "{refused}");

            // A statement waiting on a lock: lock_timeout answers, nothing is left waiting.
            let locker = cluster
                .connect(lab::DB, "postgres", "locker")
                .await
                .unwrap();
            locker
                .batch_execute("BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE")
                .await
                .unwrap();
            let blocked = explain_of(
                cluster,
                Arc::clone(&app),
                lab::DB,
                "SELECT count(*) FROM orders",
            )
            .await;
            let locker_pid: i32 = locker
                .query_one("SELECT pg_backend_pid()", &[])
                .await
                .unwrap()
                .get(0);
            let why = blocked.unwrap_err();
            assert!(
                why.contains(&format!("blocked by a lock held by pid {locker_pid}")),
                "PG {major}: {why}"
            );
            locker.batch_execute("ROLLBACK").await.unwrap();
        }
    });
}

/// A function owned by an ordinary role that signals a bystander when anyone else runs it: the
/// planner pre-evaluates it (IMMUTABLE), so EXPLAIN must never run it with the login's rights.
const TRAP: &str = "
CREATE ROLE app LOGIN;
CREATE ROLE bystander LOGIN;
CREATE ROLE mon LOGIN;
GRANT pg_monitor, pg_signal_backend TO mon;
CREATE FUNCTION trap(victim int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF session_user <> 'app' THEN PERFORM pg_terminate_backend(victim); END IF;
  RETURN victim;
END $$;
ALTER FUNCTION trap(int) OWNER TO app;";

#[test]
fn explain_never_runs_other_roles_code_with_the_logins_privileges() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            lab::setup(cluster).await.unwrap();
            let admin = cluster.connect(lab::DB, "postgres", "test").await.unwrap();
            admin.batch_execute(TRAP).await.unwrap();
            let bystander = cluster.connect(lab::DB, "bystander", "idle").await.unwrap();
            let victim: i32 = bystander
                .query_one("SELECT pg_backend_pid()", &[])
                .await
                .unwrap()
                .get(0);
            let alive = || async { bystander.simple_query("SELECT 1").await.is_ok() };
            let app = Arc::new(cluster.connect(lab::DB, "app", "psql").await.unwrap());
            let sql = format!("SELECT trap({victim}) FROM pg_sleep(30)");

            // The README's monitoring login, not a member of "app": refused, naming the grant.
            let report = explain_as(cluster, Arc::clone(&app), &sql, "mon", false).await;
            let why = report.result.unwrap_err();
            assert!(
                why.to_string().contains("trap(integer) (owner app)"),
                "PG {major}: {why}"
            );
            assert!(
                why.to_string().contains(r#"GRANT "app" TO "mon""#),
                "PG {major}: {why}"
            );
            assert!(alive().await, "PG {major}: the bystander was terminated");

            // Allowed to SET ROLE: asked first; nothing planned without consent.
            admin.batch_execute("GRANT app TO mon").await.unwrap();
            for login in ["mon", "postgres"] {
                let report = explain_as(cluster, Arc::clone(&app), &sql, login, false).await;
                let ask = report
                    .ask
                    .unwrap_or_else(|| panic!("PG {major} {login}: no question"));
                assert!(ask.contains(r#"role "app""#), "{ask}");
                assert!(
                    alive().await,
                    "PG {major} {login}: terminated before any yes"
                );
                // With consent it plans as "app", which may not signal the bystander.
                let report = explain_as(cluster, Arc::clone(&app), &sql, login, true).await;
                let why = report.result.unwrap_err();
                assert!(
                    why.to_string().contains("42501"),
                    "PG {major} {login}: {why}"
                );
                assert!(
                    alive().await,
                    "PG {major} {login}: the bystander was terminated"
                );
            }
            // Logged in as the backend's own role: nothing to gain, planned without a question.
            let report = explain_as(cluster, Arc::clone(&app), &sql, "app", false).await;
            assert!(report.ask.is_none(), "PG {major}: {:?}", report.ask);
            assert!(report.result.is_ok(), "PG {major}: {:?}", report.result);
            assert!(alive().await, "PG {major}: planned as app");
        }
    });
}

/// Behind a queued ALTER TABLE: the holder is named, the ALTER only as queued ahead.
#[test]
fn explain_blocked_names_the_holder_not_a_queued_alter() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let major = cluster.major();
        lab::setup(&cluster).await.unwrap();
        let cluster = &cluster;
        let admin = cluster.connect(lab::DB, "postgres", "test").await.unwrap();
        let app = Arc::new(cluster.connect(lab::DB, "postgres", "psql").await.unwrap());
        let locker = cluster
            .connect(lab::DB, "postgres", "locker")
            .await
            .unwrap();
        let locker_pid: i32 = locker
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .unwrap()
            .get(0);
        // Behind a queued ALTER TABLE: the holder is named, the ALTER only as queued.
        locker
            .batch_execute("BEGIN; SELECT count(*) FROM orders")
            .await
            .unwrap();
        let ddl = Arc::new(cluster.connect(lab::DB, "postgres", "alter").await.unwrap());
        let alter_pid: i32 = ddl
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .unwrap()
            .get(0);
        let queued = Arc::clone(&ddl);
        let ddl_task = tokio::spawn(async move {
            let _ = queued
                .batch_execute("ALTER TABLE orders ADD COLUMN never int")
                .await;
        });
        let waiting = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted)";
        for _ in 0..200 {
            if admin
                .query_one(waiting, &[&alter_pid])
                .await
                .unwrap()
                .get(0)
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let blocked = explain_of(
            cluster,
            Arc::clone(&app),
            lab::DB,
            "SELECT count(*) FROM orders",
        )
        .await;
        let why = blocked.unwrap_err();
        assert!(
            why.contains(&format!(
                "held by pid {locker_pid} (pid {alter_pid} queued ahead)"
            )),
            "PG {major}: {why}"
        );
        ddl.cancel_token()
            .cancel_query(tokio_postgres::NoTls)
            .await
            .unwrap();
        let _ = ddl_task.await;
        locker.batch_execute("ROLLBACK").await.unwrap();
    });
}

#[test]
fn explain_runs_in_the_backends_database() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "test")
            .await
            .unwrap();
        admin.batch_execute("CREATE DATABASE db2").await.unwrap();
        let db2 = Arc::new(cluster.connect("db2", "postgres", "psql").await.unwrap());
        db2.batch_execute("CREATE TABLE only_here (a int)")
            .await
            .unwrap();
        let plan = explain_of(
            &cluster,
            Arc::clone(&db2),
            "db2",
            "SELECT count(*) FROM only_here, pg_sleep(30)",
        )
        .await
        .unwrap();
        assert!(plan.iter().any(|l| l.contains("only_here")), "{plan:?}");
    });
}

/// The details view's on-demand fetch: the full text of that pid only, its locks, and a clear
/// message when the backend was replaced.
#[test]
fn details_fetch_the_full_text_of_exactly_that_backend() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        lab::setup(&cluster).await.unwrap();
        let admin = Arc::new(cluster.connect(lab::DB, "postgres", "psql").await.unwrap());
        let long_text = format!("SELECT pg_sleep(60) /* {} */", "z".repeat(600));
        let runner = Arc::clone(&admin);
        let sql = long_text.clone();
        let task = tokio::spawn(async move {
            let _ = runner.batch_execute(&sql).await;
        });
        let pid: i32 = common::eventually(Duration::from_secs(10), "the long query", || async {
            let snap = snapshot(&cluster).await;
            rows(&snap)
                .iter()
                .find(|b| b.query.starts_with("SELECT pg_sleep(60) /* zzz"))
                .map(|b| b.pid)
        })
        .await;
        let snap = snapshot(&cluster).await;
        let row = rows(&snap).iter().find(|b| b.pid == pid).unwrap().clone();
        assert!(row.query.len() <= 300, "the list has a prefix only");
        let control = cluster
            .connect("postgres", "postgres", "pgscope-control")
            .await
            .unwrap();
        let version = cluster.major() as i32 * 10_000;
        let req = DetailsRequest {
            pid,
            backend_start: row.backend_start.unwrap(),
        };
        let details = pgscope::control::details::fetch(&control, version, &req).await;
        assert_eq!(details.query.as_deref(), Some(long_text.as_str()));
        assert!(!details.truncated && details.error.is_none());
        assert!(
            details
                .locks
                .iter()
                .any(|l| l.locktype == "virtualxid" && l.granted),
            "{:?}",
            details.locks
        );

        let stale = DetailsRequest {
            pid,
            backend_start: req.backend_start - 1,
        };
        let gone = pgscope::control::details::fetch(&control, version, &stale).await;
        assert_eq!(gone.query, None);
        assert!(
            gone.error
                .unwrap()
                .message
                .contains("ended or was replaced")
        );
        admin
            .cancel_token()
            .cancel_query(tokio_postgres::NoTls)
            .await
            .unwrap();
        let _ = task.await;
    });
}

/// The action task's connection is opened for a job and closed when idle: in the steady state
/// pgscope holds one connection, not two.
#[test]
fn the_control_connection_closes_when_idle() {
    use pgscope::control::{self, Context};
    use pgscope::effect::{Done, Job};
    use tokio::sync::mpsc;

    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "psql")
            .await
            .unwrap();
        let pid: i32 = admin
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .unwrap()
            .get(0);
        let started: std::time::SystemTime = admin
            .query_one(
                "SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        let (jobs_tx, jobs_rx) = mpsc::unbounded_channel();
        let (done_tx, mut done_rx) = mpsc::unbounded_channel();
        let ctx = Context {
            target: target(&cluster, "postgres", "postgres"),
            version_num: cluster.major() as i32 * 10_000,
            login: "postgres".to_owned(),
            permit: None,
            lend: None,
        };
        let task = tokio::spawn(control::run(ctx, jobs_rx, done_tx));
        jobs_tx
            .send(Job::Details(DetailsRequest {
                pid,
                backend_start: collect::rows::to_micros(started),
            }))
            .unwrap();
        let done = tokio::time::timeout(Duration::from_secs(20), done_rx.recv())
            .await
            .unwrap()
            .unwrap();
        assert!(
            matches!(done, Done::Details(ref d) if d.error.is_none()),
            "{done:?}"
        );
        let controls = async || -> i64 {
            admin
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                    &[&control::APPLICATION_NAME],
                )
                .await
                .unwrap()
                .get(0)
        };
        assert_eq!(controls().await, 1, "open while in use");
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while controls().await > 0 {
            assert!(std::time::Instant::now() < deadline, "still open when idle");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        task.abort();
    });
}
