//! The pooler side against a real PgBouncer in front of a real server: a queue of waiting
//! clients, the join of server connections to backends, a stats-only user, a wrong password,
//! and a pooler restart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::cell::Cell;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use pgscope::collect::rows::to_micros;
use pgscope::collect::{self, session};
use pgscope::conn::ConnError;
use pgscope::lab::{Cluster, PgBouncer, PoolerAuth, PoolerOptions};
use pgscope::panes::Pane;
use pgscope::pooler::join::{self, BackendJoin};
use pgscope::pooler::saturation::{self, Level};
use pgscope::pooler::{Admin, Pooler, PoolerError, admin, link, rates, task};
use pgscope::snapshot::Link;
use tokio::sync::{oneshot, watch};
use tokio_postgres::{Client, NoTls};

const WITHIN: Duration = Duration::from_secs(20);

fn pooler(cluster: &Cluster, opts: &PoolerOptions) -> PgBouncer {
    PgBouncer::start(cluster, opts).unwrap_or_else(|e| panic!("start pgbouncer: {e}"))
}

async fn console(pgb: &PgBouncer, user: &str) -> Admin {
    let t = admin::resolve(&pgb.admin_conninfo(user), &|_| None).unwrap();
    admin::open(&t)
        .await
        .unwrap_or_else(|e| panic!("admin console: {e}"))
}

/// Reads until `done` holds for a read, or panics with the last one after the deadline.
async fn read_until(a: &Admin, what: &str, done: impl Fn(&Pooler) -> bool) -> Pooler {
    let deadline = Instant::now() + WITHIN;
    loop {
        let p = a.read().await.unwrap();
        if done(&p) {
            return p;
        }
        assert!(Instant::now() < deadline, "{what}; last read: {p:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A client of the pooler that opens a transaction and holds it until dropped. `pid` answers
/// once the transaction has a server: the backend's own `pg_backend_pid()`.
struct Holder {
    pid: oneshot::Receiver<i32>,
    _stop: oneshot::Sender<()>,
}

fn hold_transaction(conninfo: String, app: String) -> Holder {
    let (pid_tx, pid) = oneshot::channel();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let ci = format!("{conninfo} application_name={app}");
        let (client, conn): (Client, _) = tokio_postgres::connect(&ci, NoTls).await.unwrap();
        tokio::spawn(conn);
        // Simple protocol throughout: transaction pooling and a later pgscope do not mix
        // with the extended protocol's unnamed statements here.
        let rows = client
            .simple_query("BEGIN; SELECT pg_backend_pid()")
            .await
            .unwrap();
        let pid = rows
            .iter()
            .find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_owned),
                _ => None,
            })
            .unwrap();
        let _ = pid_tx.send(pid.parse().unwrap());
        let _ = stopped.await;
        drop(client);
    });
    Holder { pid, _stop: stop }
}

#[test]
fn a_full_pool_queues_clients_and_maxwait_grows() {
    let cluster = common::cluster(common::majors()[0]);
    let pgb = pooler(
        &cluster,
        &PoolerOptions {
            pool_size: 2,
            ..PoolerOptions::default()
        },
    );
    common::runtime().block_on(async {
        let a = console(&pgb, "postgres").await;
        assert!(a.version.starts_with("PgBouncer 1."), "{}", a.version);
        let holders: Vec<Holder> = (0..10)
            .map(|i| hold_transaction(pgb.conninfo("postgres", "postgres"), format!("w{i}")))
            .collect();
        let queued =
            |p: &Pooler| pool(p).is_some_and(|x| x.cl_active == Some(2) && x.cl_waiting == Some(8));
        let first = read_until(&a, "2 active and 8 waiting clients", queued).await;
        let first_wait = pool(&first).unwrap().maxwait_us.unwrap();
        // maxwait is the oldest waiter's wait: it grows while the queue stands.
        let later = read_until(&a, "maxwait grows", |p| {
            queued(p) && pool(p).unwrap().maxwait_us.unwrap() >= first_wait + 1_000_000
        })
        .await;

        let clients = later.clients.as_ref().unwrap();
        let waiting: Vec<_> = clients.iter().filter(|c| c.state == "waiting").collect();
        assert_eq!(waiting.len(), 8, "{clients:#?}");
        assert!(waiting.iter().all(|c| c.wait_us.unwrap() > 0));
        assert_eq!(later.servers.as_ref().unwrap().len(), 2);

        let sat = saturation::compute(&later);
        let db = sat
            .databases
            .iter()
            .find(|d| d.database == "postgres")
            .unwrap();
        assert_eq!(db.level, Level::Queuing, "{db:#?}");
        assert_eq!((db.servers, db.server_limit), (Some(2), Some(2)));
        assert_eq!(db.clients_waiting, Some(8));
        assert_eq!(sat.max_client_conn, Some(100));
        assert!(sat.clients.unwrap() >= 11, "10 holders and this console");

        let r = rates::compute(&first, &later);
        let r = r.iter().find(|r| r.database == "postgres").unwrap();
        assert!(r.xact_per_s.is_some() && r.recv_per_s.is_some(), "{r:?}");
        drop(holders);
    });
}

fn pool(p: &Pooler) -> Option<&pgscope::pooler::model::Pool> {
    p.pools
        .as_ref()
        .ok()?
        .iter()
        .find(|x| x.database == "postgres" && x.user == "postgres")
}

#[test]
fn server_rows_join_the_backends_behind_them() {
    for cluster in common::clusters() {
        let major = cluster.major();
        let pgb = pooler(
            &cluster,
            &PoolerOptions {
                pool_size: 3,
                ..PoolerOptions::default()
            },
        );
        common::runtime().block_on(async {
            let admin = console(&pgb, "postgres").await;
            let mut holders: Vec<Holder> = (0..3)
                .map(|i| hold_transaction(pgb.conninfo("postgres", "postgres"), format!("w{i}")))
                .collect();
            let mut pids = Vec::new();
            for h in &mut holders {
                pids.push(
                    tokio::time::timeout(WITHIN, &mut h.pid)
                        .await
                        .unwrap()
                        .unwrap(),
                );
            }
            let p = read_until(&admin, "3 linked servers", |p| {
                p.servers.as_ref().is_ok_and(|s| {
                    s.len() == 3 && s.iter().all(|s| s.link.is_some() && s.remote_pid.is_some())
                })
            })
            .await;

            let session = session::open(&common::target(&cluster, "postgres"))
                .await
                .unwrap();
            let snap = collect::refresh_once(&session, Pane::Activity)
                .await
                .unwrap();
            let activity = snap.activity.as_ref().unwrap();
            let servers = p.servers.as_ref().unwrap();
            let clients = p.clients.as_ref().unwrap();
            let joined = join::join(servers, Some(activity));
            assert!(
                joined.unjoinable.is_empty(),
                "PG{major}: {:?}",
                joined.unjoinable
            );
            // Client "wI" -> its server connection -> the backend that answered its
            // pg_backend_pid(): the whole chain, for every client.
            let links = link::pair(clients, servers);
            for (i, pid) in pids.iter().enumerate() {
                let app = format!("w{i}");
                let c = clients
                    .iter()
                    .position(|c| c.application_name.as_deref() == Some(app.as_str()))
                    .unwrap_or_else(|| panic!("PG{major}: no client {app}: {clients:#?}"));
                let sv = links.client_server[c].unwrap_or_else(|| panic!("{app} has no server"));
                let backend = joined.backend(sv, activity).unwrap_or_else(|| {
                    panic!(
                        "PG{major}: {app}'s server did not join: {:?}",
                        joined.rows[sv]
                    )
                });
                assert_eq!(backend.pid, *pid, "PG{major}: {app}");
                assert!(
                    matches!(
                        joined.rows[sv],
                        Some(BackendJoin::Joined {
                            port_checked: true,
                            ..
                        })
                    ),
                    "PG{major}"
                );
            }
            // The same facts straight from pg_stat_activity.
            let monitor = cluster
                .connect("postgres", "postgres", "check")
                .await
                .unwrap();
            for sv in servers {
                let row = monitor
                    .query_one(
                        "SELECT client_port FROM pg_stat_activity WHERE pid = $1",
                        &[&sv.remote_pid.unwrap()],
                    )
                    .await
                    .unwrap();
                assert_eq!(row.get::<_, i32>(0), sv.local_port.unwrap(), "PG{major}");
            }
            drop(holders);
        });
    }
}

#[test]
fn a_stats_only_user_reads_every_section() {
    let cluster = common::cluster(common::majors()[0]);
    let pgb = pooler(
        &cluster,
        &PoolerOptions {
            stats_users: vec!["watcher".into()],
            auth: PoolerAuth::ScramSha256,
            users: vec![
                ("postgres".into(), "pg-secret".into()),
                ("watcher".into(), "w-secret".into()),
            ],
            ..PoolerOptions::default()
        },
    );
    let home = tempfile::tempdir().unwrap();
    let pgpass = home.path().join("pgpass");
    fs::write(
        &pgpass,
        format!("127.0.0.1:{}:pgbouncer:watcher:w-secret\n", pgb.port()),
    )
    .unwrap();
    fs::set_permissions(&pgpass, fs::Permissions::from_mode(0o600)).unwrap();
    let passfile = pgpass.to_str().unwrap().to_owned();
    common::runtime().block_on(async {
        // The password from the password file, as libpq would find it.
        let env = |k: &str| (k == "PGPASSFILE").then(|| passfile.clone());
        let mut t = admin::resolve(&pgb.admin_conninfo("watcher"), &env).unwrap();
        let asked = Cell::new(0);
        let ask = |_: &str| {
            asked.set(asked.get() + 1);
            None
        };
        let a = admin::open_asking(&mut t, &ask).await.unwrap();
        assert_eq!(asked.get(), 0, "pgpass answered");
        let p = a.read().await.unwrap();
        assert!(p.pools.is_ok(), "{:?}", p.pools);
        assert!(p.stats.is_ok() && p.clients.is_ok() && p.servers.is_ok());
        assert!(p.databases.is_ok(), "{:?}", p.databases);
        assert_eq!(
            p.config.as_ref().unwrap().get("stats_users"),
            Some("watcher")
        );
        // The pooler's own clock comes from our SHOW CLIENTS.
        assert!(p.clock_secs().is_some());

        // No password anywhere: one prompt, like psql.
        let mut t = admin::resolve(&pgb.admin_conninfo("watcher"), &|_| None).unwrap();
        let ask = |q: &str| {
            assert!(q.contains("watcher"), "{q}");
            asked.set(asked.get() + 1);
            Some("w-secret".to_owned())
        };
        admin::open_asking(&mut t, &ask).await.unwrap();
        assert_eq!(asked.get(), 1);
    });
}

#[test]
fn a_wrong_admin_password_is_psqls_one_line_error() {
    let cluster = common::cluster(common::majors()[0]);
    let pgb = pooler(
        &cluster,
        &PoolerOptions {
            auth: PoolerAuth::ScramSha256,
            users: vec![("postgres".into(), "right".into())],
            ..PoolerOptions::default()
        },
    );
    let conninfo = format!("{} password=wrong", pgb.admin_conninfo("postgres"));
    let ours = common::runtime().block_on(async {
        let t = admin::resolve(&conninfo, &|_| None).unwrap();
        match admin::open(&t).await {
            Err(PoolerError::Connect(e @ ConnError::Server { .. })) => e.to_string(),
            Err(e) => panic!("not a server refusal: {e}"),
            Ok(_) => panic!("a wrong password was accepted"),
        }
    });
    assert!(!ours.contains('\n') && !ours.contains("wrong"), "{ours}");
    let psql = std::process::Command::new("psql")
        .arg(&conninfo)
        .args(["-Atc", "SHOW VERSION"])
        .env_clear()
        .env("PGPASSFILE", "/nonexistent")
        .output()
        .unwrap();
    let theirs = String::from_utf8_lossy(&psql.stderr);
    let theirs = theirs
        .trim()
        .strip_prefix("psql: error: ")
        .unwrap_or(&theirs);
    assert_eq!(ours, theirs);
}

#[test]
fn a_restarted_pooler_is_read_again_after_backoff() {
    let cluster = common::cluster(common::majors()[0]);
    let mut pgb = pooler(&cluster, &PoolerOptions::default());
    common::runtime().block_on(async {
        let target = admin::resolve(&pgb.admin_conninfo("postgres"), &|_| None).unwrap();
        let (reads_tx, mut reads) = watch::channel(None::<Arc<Pooler>>);
        let (link_tx, mut link) = watch::channel(Link::Connecting);
        let (_interval, interval) = watch::channel(Duration::from_millis(200));
        let handle = tokio::spawn(task::run(
            target,
            None,
            task::Channels {
                reads: reads_tx,
                link: link_tx,
                interval,
            },
        ));
        let first = next_read(&mut reads).await;

        pgb.kill();
        // Down at once, then retries 1 s and 2 s apart while the pooler is gone.
        let mut retries = Vec::new();
        let deadline = Instant::now() + WITHIN;
        while !retries.contains(&Duration::from_secs(2)) {
            tokio::time::timeout_at(deadline.into(), link.changed())
                .await
                .expect("the link changes")
                .unwrap();
            if let Link::Down { retry_in, .. } = &*link.borrow_and_update() {
                retries.push(*retry_in);
            }
        }
        // (The immediate first attempt may fail before the watch is looked at.)
        let tail = retries
            .iter()
            .filter(|d| !d.is_zero())
            .copied()
            .collect::<Vec<_>>();
        assert_eq!(tail, [1, 2].map(Duration::from_secs).to_vec(), "backoff");
        tokio::task::block_in_place(|| pgb.restart()).unwrap();
        let restarted = to_micros(SystemTime::now());
        reads.borrow_and_update();
        let again = next_read(&mut reads).await;
        assert!(again.read_at >= restarted && again.read_at > first.read_at);
        assert_eq!(*link.borrow(), Link::Connected);
        handle.abort();
    });
}

async fn next_read(reads: &mut watch::Receiver<Option<Arc<Pooler>>>) -> Arc<Pooler> {
    let deadline = Instant::now() + WITHIN;
    loop {
        tokio::time::timeout_at(deadline.into(), reads.changed())
            .await
            .expect("a read within the deadline")
            .unwrap();
        if let Some(p) = reads.borrow_and_update().clone() {
            return p;
        }
    }
}
