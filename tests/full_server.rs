//! A full server: `max_connections` 8, two slots reserved for superusers (and one for
//! pg_use_reserved_connections on 16+), the ordinary ones taken by an application. An ordinary
//! role is refused with one line naming the slots that remain and the grant; pgscope as a
//! superuser (before 16) or as a pg_use_reserved_connections role (16+) gets in, shows the
//! sessions, and terminates one with `K y` although no further connection can be opened: the
//! job runs over the monitoring connection, and the result says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::tmux::Tmux;
use pgscope::lab::{Cluster, ClusterOptions};
use tokio_postgres::{Client, NoTls};

fn full_cluster(major: u32) -> Cluster {
    let mut settings = vec![
        ("max_connections".to_owned(), "8".to_owned()),
        ("superuser_reserved_connections".to_owned(), "2".to_owned()),
    ];
    if major >= 16 {
        settings.push(("reserved_connections".to_owned(), "1".to_owned()));
    }
    common::cluster_with(major, &ClusterOptions { settings })
}

/// Opens connections as `user` until the server refuses with 53300; returns them and the
/// refusal's message.
async fn fill(cluster: &Cluster, user: &str, app: &str) -> (Vec<Client>, String) {
    let mut held = Vec::new();
    loop {
        let mut config = cluster.pg_config("postgres", user);
        config.application_name(app);
        match config.connect(NoTls).await {
            Ok((client, connection)) => {
                tokio::spawn(connection);
                held.push(client);
            }
            Err(e) => {
                let db = e.as_db_error().expect("a server error");
                assert_eq!(db.code().code(), "53300", "{db:?}");
                return (held, db.message().to_owned());
            }
        }
        assert!(held.len() < 20, "never full");
    }
}

#[test]
fn full_server_get_in_and_terminate_over_the_monitoring_connection() {
    for major in common::majors() {
        let cluster = full_cluster(major);
        let rt = common::runtime();
        let reserved_role = major >= 16;
        let login = if reserved_role { "ops" } else { "postgres" };
        let (victim, victim_pid, _apps) = rt.block_on(async {
            let admin = cluster
                .connect("postgres", "postgres", "setup")
                .await
                .unwrap();
            admin.batch_execute("CREATE ROLE app LOGIN").await.unwrap();
            if reserved_role {
                admin
                    .batch_execute(
                        "CREATE ROLE ops LOGIN; \
                         GRANT pg_monitor, pg_signal_backend, pg_use_reserved_connections TO ops",
                    )
                    .await
                    .unwrap();
            }
            drop(admin);
            let victim = cluster.connect("postgres", "app", "victim").await.unwrap();
            let pid: i32 = victim
                .query_one("SELECT pg_backend_pid()", &[])
                .await
                .unwrap()
                .get(0);
            let (apps, _) = fill(&cluster, "app", "filler").await;
            (victim, pid, apps)
        });

        // An ordinary role is refused, with one line saying which slots remain and the grant.
        // Backends refused a moment ago may still hold their slot while they exit: the refusal
        // is read again until the server's count has settled.
        let expected = if reserved_role {
            "only reserved slots remain"
        } else {
            "only the superuser_reserved_connections slots remain"
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        let err = loop {
            let out = Command::new(env!("CARGO_BIN_EXE_pgscope"))
                .args(["-h", &cluster.socket_dir().display().to_string()])
                .args(["-p", &cluster.port().to_string(), "-U", "app", "postgres"])
                .env_remove("PGSCOPE_LOG")
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2));
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            if err.contains(expected) || std::time::Instant::now() > deadline {
                break err;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(expected), "PG {major}: {err}");
        if reserved_role {
            assert!(
                err.contains("GRANT pg_use_reserved_connections TO app"),
                "PG {major}: {err}"
            );
        }

        // pgscope gets in through a reserved slot.
        let state = tempfile::tempdir().unwrap();
        let tmux = Tmux::start(&format!("full{major}"), 200, 50);
        let cmd = format!(
            "XDG_STATE_HOME={} {} -h {} -p {} -U {login} postgres; echo EXIT=$?",
            state.path().display(),
            env!("CARGO_BIN_EXE_pgscope"),
            cluster.socket_dir().display(),
            cluster.port()
        );
        tmux.keys(&[&cmd, "Enter"]);
        tmux.wait_for("the activity table", |s| {
            s.contains("PID") && s.contains("conns")
        });

        // Every slot left is taken now, the superusers' too: no connection can be opened.
        let _rest = rt.block_on(async {
            let (rest, refusal) = fill(&cluster, "postgres", "rest").await;
            assert!(
                refusal.contains("too many clients"),
                "PG {major}: {refusal}"
            );
            rest
        });

        tmux.keys(&["i"]);
        tmux.keys(&["/", "app:=victim", "Enter"]);
        tmux.wait_for("the victim alone", |s| {
            s.contains("1 of") && s.contains(&victim_pid.to_string())
        });
        tmux.keys(&["K"]);
        tmux.wait_for("the confirmation", |s| s.contains("terminate 1 backend?"));
        tmux.keys(&["y"]);
        let screen = tmux.wait_for("the outcome", |s| {
            s.contains(&format!("pid {victim_pid}: terminated"))
        });
        assert!(
            screen.contains("ran over the monitoring connection"),
            "PG {major}:\n{screen}"
        );
        tmux.keys(&["q", "q"]);
        tmux.wait_for("exit", |s| s.contains("EXIT=0"));

        rt.block_on(async {
            assert!(
                victim.batch_execute("SELECT 1").await.is_err(),
                "PG {major}: victim alive"
            );
        });
        let log = std::fs::read_to_string(state.path().join("pgscope/actions.log")).unwrap();
        assert!(log.contains("via=monitoring action=terminate"), "{log}");
        assert!(
            log.contains(&format!("pid={victim_pid} ")) && log.contains("outcome=terminated"),
            "{log}"
        );
    }
}

/// The first backend of `app` the collector lists.
async fn listed(
    snaps: &mut tokio::sync::watch::Receiver<Option<std::sync::Arc<pgscope::snapshot::Snapshot>>>,
    app: &str,
) -> pgscope::snapshot::Backend {
    common::eventually(std::time::Duration::from_secs(10), "listed", || {
        let s = snaps.borrow_and_update().clone();
        async move {
            s.and_then(|s| {
                let a = s.activity.as_ref().ok()?;
                a.backends
                    .iter()
                    .find(|b| b.application_name == app)
                    .cloned()
            })
        }
    })
    .await
}

/// The control task on a full server, without a terminal: details and a terminate run over the
/// lent monitoring connection (a notice first, the result says why), EXPLAIN is refused with the
/// reason, and the collector refreshes again afterwards.
#[test]
fn control_jobs_borrow_the_monitoring_connection_when_full() {
    use pgscope::collect::session;
    use pgscope::control::{self, SignalPermit};
    use pgscope::effect::{
        DetailsRequest, Done, ExplainRequest, Job, Outcome, SignalKind, SignalRequest,
    };
    use std::time::Duration;

    let major = common::majors()[0];
    let cluster = full_cluster(major);
    let rt = common::runtime();
    rt.block_on(async {
        let victim = cluster
            .connect("postgres", "postgres", "victim")
            .await
            .unwrap();
        let first = session::open(&common::target(&cluster, "postgres"))
            .await
            .unwrap();
        let collector = common::collector::spawn(
            common::target(&cluster, "postgres"),
            first,
            Duration::from_millis(500),
            pgscope::collect::sampler::Config::default(),
        );
        let (_held, refusal) = fill(&cluster, "postgres", "rest").await;
        assert!(refusal.contains("too many clients"), "{refusal}");
        let mut snaps = collector.snaps.clone();
        let row = listed(&mut snaps, "victim").await;

        let (jobs, jobs_rx) = tokio::sync::mpsc::unbounded_channel();
        let (done_tx, mut done) = tokio::sync::mpsc::unbounded_channel();
        let ctx = control::Context {
            target: common::target(&cluster, "postgres"),
            version_num: major as i32 * 10_000,
            login: "postgres".to_owned(),
            permit: SignalPermit::unless_read_only(false),
            lend: Some(collector.lend.clone()),
        };
        let task = tokio::spawn(control::run(ctx, jobs_rx, done_tx));
        let mut next = async || {
            tokio::time::timeout(Duration::from_secs(30), done.recv())
                .await
                .unwrap()
                .unwrap()
        };

        jobs.send(Job::Details(DetailsRequest {
            pid: row.pid,
            backend_start: row.backend_start.unwrap(),
        }))
        .unwrap();
        let Done::Notice(notice) = next().await else {
            panic!("no notice")
        };
        assert!(
            notice.contains("SQLSTATE 53300") && notice.contains("monitoring connection"),
            "{notice}"
        );
        let Done::Details(details) = next().await else {
            panic!("no details")
        };
        assert_eq!(details.error, None);

        jobs.send(Job::Explain(ExplainRequest {
            pid: row.pid,
            backend_start: row.backend_start.unwrap(),
            query_start: row.query_start,
            datname: "postgres".to_owned(),
            consented: false,
        }))
        .unwrap();
        let Done::Failed(why) = next().await else {
            panic!("EXPLAIN not refused")
        };
        assert!(
            why.message
                .contains("EXPLAIN needs a connection to database \"postgres\""),
            "{why}"
        );
        assert_eq!(why.sqlstate.as_deref(), Some("53300"));

        let plan = pgscope::update::targeting::plan(
            SignalKind::Terminate,
            &[(row.pid, row.backend_start.unwrap())],
            std::slice::from_ref(&row),
            0,
            0,
        );
        jobs.send(Job::Signal(SignalRequest {
            kind: SignalKind::Terminate,
            targets: plan.request.targets,
        }))
        .unwrap();
        let Done::Notice(_) = next().await else {
            panic!("no notice")
        };
        let Done::Signal { report, .. } = next().await else {
            panic!("no report")
        };
        assert_eq!(report.results[0].1, Outcome::Terminated);
        assert!(
            report
                .via_monitoring
                .as_deref()
                .is_some_and(|v| v.contains("53300")),
            "{report:?}"
        );
        assert!(victim.batch_execute("SELECT 1").await.is_err());

        // The monitoring connection came back: refreshes go on.
        let seq = snaps.borrow_and_update().as_ref().map_or(0, |s| s.seq);
        common::eventually(Duration::from_secs(10), "a refresh after the lease", || {
            let now = snaps.borrow_and_update().as_ref().map_or(0, |s| s.seq);
            async move { (now > seq + 1).then_some(()) }
        })
        .await;
        task.abort();
        collector.task.abort();
    });
}

/// Once the screen is up, a reconnect refused with 53300 is retried with a growing delay, the
/// cause kept for the header, and the collector comes back as soon as a slot is free.
#[test]
fn a_refused_reconnect_is_retried_with_backoff() {
    use pgscope::collect::session;
    use pgscope::conn::{self, ConnArgs};
    use pgscope::snapshot::Link;
    use std::time::Duration;

    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    rt.block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "admin")
            .await
            .unwrap();
        admin
            .batch_execute("CREATE ROLE ops LOGIN CONNECTION LIMIT 1; GRANT pg_monitor TO ops")
            .await
            .unwrap();
        let args = ConnArgs {
            conninfo: Some(format!("{} user=ops", cluster.conninfo("postgres"))),
            ..ConnArgs::default()
        };
        let target = conn::resolve(&args, &|_| None).unwrap();
        let first = session::open(&target).await.unwrap();
        let pid = first.own_pid;
        let collector = common::collector::spawn(
            target,
            first,
            Duration::from_millis(500),
            pgscope::collect::sampler::Config::default(),
        );
        // The slot is taken by someone else the moment the session ends.
        admin
            .batch_execute("ALTER ROLE ops CONNECTION LIMIT 0")
            .await
            .unwrap();
        admin
            .query("SELECT pg_terminate_backend($1)", &[&pid])
            .await
            .unwrap();
        let mut link = collector.link.clone();
        let mut delays = Vec::new();
        common::eventually(Duration::from_secs(20), "two refused reconnects", || {
            let l = link.borrow_and_update().clone();
            if let Link::Down { cause, retry_in } = &l
                && cause.sqlstate.as_deref() == Some("53300")
                && delays.last() != Some(retry_in)
            {
                assert!(cause.message.contains("CONNECTION LIMIT"), "{cause}");
                delays.push(*retry_in);
            }
            let n = delays.len();
            async move { (n >= 2).then_some(()) }
        })
        .await;
        assert!(delays[1] > delays[0], "no backoff: {delays:?}");
        assert!(!collector.task.is_finished(), "the collector gave up");

        admin
            .batch_execute("ALTER ROLE ops CONNECTION LIMIT 1")
            .await
            .unwrap();
        common::eventually(Duration::from_secs(20), "reconnected", || {
            let up = matches!(*link.borrow_and_update(), Link::Connected);
            async move { up.then_some(()) }
        })
        .await;
        collector.task.abort();
    });
}
