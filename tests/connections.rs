//! The Connections pane against real servers: sessions from several roles, databases,
//! applications and clients in known states, read back through pgscope's own session and the
//! pure update; every breakdown's counts and ages, the limits (reserved_connections on 16+),
//! churn, the idle-in-transaction list, a login without pg_read_all_stats, and Enter.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use pgscope::action::Action;
use pgscope::collect::{self, session};
use pgscope::conn::{self, ConnArgs};
use pgscope::lab::{Cluster, ClusterOptions};
use pgscope::panes::Pane;
use pgscope::panes::connections::groups::{Group, Grouping};
use pgscope::state::State;
use pgscope::update::{Msg, update};
use tokio_postgres::{Client, NoTls};

const SEC: i64 = 1_000_000;

fn target(cluster: &Cluster, user: &str) -> conn::Target {
    let conninfo = format!("{} user={user}", cluster.conninfo("postgres"));
    let args = ConnArgs {
        conninfo: Some(conninfo),
        ..ConnArgs::default()
    };
    conn::resolve(&args, &|_| None).unwrap()
}

/// A small max_connections and reserved slots, so the limits are known.
fn start(major: u32) -> Cluster {
    let mut settings = vec![
        ("max_connections".to_owned(), "20".to_owned()),
        ("superuser_reserved_connections".to_owned(), "2".to_owned()),
    ];
    if major >= 16 {
        settings.push(("reserved_connections".to_owned(), "1".to_owned()));
    }
    common::cluster_with(major, &ClusterOptions { settings })
}

async fn tcp(cluster: &Cluster, db: &str, user: &str, app: &str) -> Client {
    let (client, connection) = tokio_postgres::Config::new()
        .host("127.0.0.1")
        .port(cluster.port())
        .user(user)
        .dbname(db)
        .application_name(app)
        .connect(NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

async fn pid(c: &Client) -> i32 {
    c.query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0)
}

fn group<'a>(st: &'a State, key: &str) -> &'a Group {
    st.views
        .connections
        .groups
        .iter()
        .find(|g| g.key.as_deref() == Some(key))
        .unwrap_or_else(|| panic!("no group {key}"))
}

fn by(st: &mut State, g: Grouping) {
    while st.views.connections.grouping != g {
        update(st, Msg::Action(Action::NextGrouping));
    }
}

async fn view(s: &session::Session, st: &mut State) {
    let snap = collect::refresh_once(s, Pane::Connections).await.unwrap();
    let now = snap.taken_at;
    update(
        st,
        Msg::Snapshot {
            snapshot: Arc::new(snap),
            now,
        },
    );
}

#[test]
fn breakdowns_limits_churn_and_idle_in_transaction() {
    let majors = common::majors();
    let clusters: Vec<Cluster> = majors
        .iter()
        .map(|&m| thread::spawn(move || start(m)))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    common::runtime().block_on(async {
        for cluster in &clusters {
            Box::pin(check(cluster)).await;
        }
    });
}

/// Sessions in known states: u_a×3 idle in crm over the socket; u_b in hr over TCP, one active
/// and one idle; u_c in crm, one idle in transaction after a write, one in an aborted one.
struct Scene {
    _idle: Vec<Client>,
    _b_idle: Client,
    _c_tx: Client,
    _c_aborted: Client,
    sleeper: tokio::task::JoinHandle<()>,
    c_tx_pid: i32,
    c_aborted_pid: i32,
}

async fn scene(cluster: &Cluster, admin: &Client) -> Scene {
    for sql in [
        "CREATE ROLE u_a LOGIN; CREATE ROLE u_b LOGIN; CREATE ROLE u_c LOGIN",
        "CREATE DATABASE crm",
        "CREATE DATABASE hr",
    ] {
        admin.batch_execute(sql).await.unwrap();
    }
    let crm = cluster
        .connect("crm", "postgres", "test-admin")
        .await
        .unwrap();
    crm.batch_execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1); GRANT ALL ON t TO u_c")
        .await
        .unwrap();
    drop(crm);
    let mut idle = Vec::new();
    for _ in 0..3 {
        let client = cluster.connect("crm", "u_a", "svc-a").await.unwrap();
        client.batch_execute("SELECT 1").await.unwrap();
        idle.push(client);
    }
    let b_active = tcp(cluster, "hr", "u_b", "svc-b").await;
    let b_active_pid = pid(&b_active).await;
    let sleeper = tokio::spawn(async move {
        let _ = b_active.batch_execute("SELECT pg_sleep(60)").await;
    });
    let b_idle = tcp(cluster, "hr", "u_b", "svc-b").await;
    b_idle.batch_execute("SELECT 1").await.unwrap();
    let c_tx = cluster.connect("crm", "u_c", "svc-c").await.unwrap();
    let c_tx_pid = pid(&c_tx).await;
    c_tx.batch_execute("BEGIN; UPDATE t SET id = id + 1")
        .await
        .unwrap();
    let c_aborted = cluster.connect("crm", "u_c", "svc-c").await.unwrap();
    let c_aborted_pid = pid(&c_aborted).await;
    assert!(c_aborted.batch_execute("BEGIN; SELECT 1/0").await.is_err());
    // The sleeper is active before the clock starts.
    loop {
        let row = admin
            .query_opt(
                "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'",
                &[&b_active_pid],
            )
            .await
            .unwrap();
        if row.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    Scene {
        _idle: idle,
        _b_idle: b_idle,
        _c_tx: c_tx,
        _c_aborted: c_aborted,
        sleeper,
        c_tx_pid,
        c_aborted_pid,
    }
}

async fn check(cluster: &Cluster) {
    let major = cluster.major();
    let admin = cluster
        .connect("postgres", "postgres", "test-admin")
        .await
        .unwrap();
    let scene = scene(cluster, &admin).await;
    let session = session::open(&target(cluster, "postgres")).await.unwrap();
    let mut st = State::new(Duration::from_secs(1), 0);
    update(&mut st, Msg::Resize(200, 50));
    update(&mut st, Msg::Action(Action::Pane(4)));
    view(&session, &mut st).await;
    limits(&st, major);
    breakdowns(&mut st, major);
    idle_in_transaction_and_enter(&mut st, &scene, major);

    // Churn: one connection opened between two refreshes.
    let late = cluster.connect("hr", "u_a", "svc-d").await.unwrap();
    late.batch_execute("SELECT 1").await.unwrap();
    view(&session, &mut st).await;
    let churn = st.views.connections.churn.unwrap();
    assert_eq!(churn.new, 1, "PG {major}");
    assert!(churn.per_sec > 0.0);
    assert!(st.views.connections.ages.under_second >= 1, "PG {major}");

    Box::pin(unprivileged(cluster, major)).await;
    scene.sleeper.abort();
}

fn limits(st: &State, major: u32) {
    // 16+ has reserved_connections; older majors say n/a.
    let usage = st.views.connections.usage;
    assert_eq!(usage.max_connections, 20, "PG {major}");
    assert_eq!(usage.superuser_reserved, 2);
    if major >= 16 {
        assert_eq!(usage.reserved, Some(1), "PG {major}");
        assert_eq!(usage.ordinary_limit(), 17);
    } else {
        assert_eq!(usage.reserved, None, "PG {major}");
        assert_eq!(usage.ordinary_limit(), 18);
    }
    // 3 + 2 + 2 test sessions, the admin session and our own.
    assert_eq!(usage.clients, 9, "PG {major}");
    assert_eq!((usage.hidden, usage.replication), (0, 0));
    assert!(usage.background >= 3, "PG {major}: {usage:?}");
}

fn breakdowns(st: &mut State, major: u32) {
    let now = st.shown.as_ref().unwrap().activity.as_ref().unwrap().now;
    let age = |t: Option<i64>| now - t.unwrap();
    by(st, Grouping::Database);
    let crm = group(st, "crm");
    assert_eq!(
        (crm.total, crm.states),
        (5, [0, 3, 1, 1, 0, 0, 0]),
        "PG {major}"
    );
    assert!(
        (SEC..60 * SEC).contains(&age(crm.oldest_state)),
        "PG {major}"
    );
    assert!(
        (SEC..60 * SEC).contains(&age(crm.oldest_start)),
        "PG {major}"
    );
    let hr = group(st, "hr");
    assert_eq!(
        (hr.total, hr.states),
        (2, [1, 1, 0, 0, 0, 0, 0]),
        "PG {major}"
    );
    assert!(
        (SEC..60 * SEC).contains(&age(hr.oldest_state)),
        "PG {major}"
    );

    by(st, Grouping::User);
    assert_eq!(group(st, "u_a").states, [0, 3, 0, 0, 0, 0, 0]);
    assert_eq!(group(st, "u_b").states, [1, 1, 0, 0, 0, 0, 0]);
    assert_eq!(group(st, "u_c").states, [0, 0, 1, 1, 0, 0, 0]);

    by(st, Grouping::Application);
    assert_eq!(group(st, "svc-a").total, 3);
    assert_eq!(group(st, "svc-b").total, 2);
    assert_eq!(group(st, "svc-c").total, 2);

    by(st, Grouping::Client);
    assert_eq!(group(st, "127.0.0.1").total, 2, "PG {major}");
    assert_eq!(group(st, "[local]").total, 6, "PG {major}");

    by(st, Grouping::BackendType);
    assert_eq!(group(st, "client backend").total, 8, "PG {major}");
    assert_eq!(group(st, "checkpointer").total, 1, "PG {major}");
}

fn idle_in_transaction_and_enter(st: &mut State, scene: &Scene, major: u32) {
    // Longest first; the writer holds an xid back, the aborted one nothing.
    let view = &st.views.connections;
    assert_eq!(view.idle_tx_total, 2);
    let list: Vec<_> = view.idle_tx.iter().map(|&i| &st.backends()[i]).collect();
    assert_eq!(
        list.iter().map(|b| b.pid).collect::<Vec<_>>(),
        vec![scene.c_tx_pid, scene.c_aborted_pid]
    );
    assert!(list[0].xmin_age.is_some_and(|x| x >= 0), "PG {major}");
    assert_eq!(list[1].xmin_age, None, "PG {major}");

    // Enter on a group: Activity shows exactly its sessions.
    by(st, Grouping::Application);
    while st.views.connections.selected != Some(Some("svc-c".into())) {
        update(st, Msg::Action(Action::Down));
    }
    update(st, Msg::Action(Action::Details));
    assert_eq!(st.pane, Pane::Activity);
    let mut shown: Vec<i32> = st
        .views
        .activity
        .rows
        .iter()
        .map(|&i| st.backends()[i].pid)
        .collect();
    shown.sort_unstable();
    let mut expected = vec![scene.c_tx_pid, scene.c_aborted_pid];
    expected.sort_unstable();
    assert_eq!(shown, expected, "PG {major}");
    update(st, Msg::Action(Action::Pane(4)));
}

/// Without pg_read_all_stats: other roles' sessions are counted as hidden.
async fn unprivileged(cluster: &Cluster, major: u32) {
    let weak = session::open(&target(cluster, "u_a")).await.unwrap();
    let mut st = State::new(Duration::from_secs(1), 0);
    update(&mut st, Msg::Action(Action::Pane(4)));
    view(&weak, &mut st).await;
    let usage = st.views.connections.usage;
    assert!(
        usage.hidden >= 4 && usage.hidden_clients >= 4,
        "PG {major}: {usage:?}"
    );
    assert!(usage.used() >= 10, "PG {major}: {usage:?}");
    by(&mut st, Grouping::User);
    assert_eq!(
        group(&st, "u_a").states,
        [0, 4, 0, 0, 0, 0, 0],
        "PG {major}"
    );
    let hidden = group(&st, "u_b");
    assert_eq!(
        (hidden.total, hidden.hidden, hidden.states[6]),
        (2, 2, 2),
        "PG {major}"
    );
}
