//! The Settings pane's data against real servers: ALTER SYSTEM SET shared_buffers and a reload
//! show a pending restart, first; per-role and per-database settings show; a broken line in
//! postgresql.auto.conf shows its error; pgscope's own session settings do not show; what each
//! grant lets a login see; the idle-in-transaction check fires while a session sits there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use pgscope::collect::session;
use pgscope::panes::settings::checks::{self, Context};
use pgscope::panes::settings::data::Settings;
use pgscope::panes::settings::model::{self, Origin};
use pgscope::panes::settings::read::{self, Gates, Statements};

async fn read(client: &tokio_postgres::Client) -> Settings {
    let st = Statements::prepare(client).await;
    read::collect(client, &st, 1, &mut Gates::default()).await
}

/// Reads until `done` holds (a reload is asynchronous), within a deadline.
async fn read_until(client: &tokio_postgres::Client, done: impl Fn(&Settings) -> bool) -> Settings {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let s = read(client).await;
        if done(&s) || Instant::now() > deadline {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[test]
fn pending_restart_overrides_file_errors_and_checks() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            let admin = cluster
                .connect("postgres", "postgres", "setup")
                .await
                .unwrap();
            for sql in [
                "CREATE ROLE app LOGIN",
                "ALTER ROLE app SET work_mem = '64MB'",
                "ALTER DATABASE postgres SET log_min_duration_statement = '1s'",
                "ALTER SYSTEM SET shared_buffers = '64MB'",
                "SELECT pg_reload_conf()",
            ] {
                admin.batch_execute(sql).await.unwrap();
            }
            // A session that sits idle in a transaction.
            let idle = cluster.connect("postgres", "app", "idler").await.unwrap();
            idle.batch_execute("BEGIN; SELECT 1").await.unwrap();

            let s = session::open(&common::target(cluster, "postgres"))
                .await
                .unwrap();
            let got = read_until(&s.client, |got| {
                got.params.as_ref().is_ok_and(|p| {
                    p.rows
                        .iter()
                        .any(|r| r.name == "shared_buffers" && r.pending_restart)
                })
            })
            .await;
            let params = got.params.as_ref().unwrap();
            assert!(params.files_visible, "superuser, PG {major}");
            let rows = model::build(params, "");
            assert_eq!(rows[0].param.name, "shared_buffers", "PG {major}: {rows:?}");
            assert!(rows[0].param.pending_restart);
            assert_eq!(
                rows[0].value, "128 MiB",
                "still the running value, PG {major}"
            );
            // pgscope's own session settings (SET statement_timeout, application_name) are
            // not the server's configuration.
            for own in ["statement_timeout", "lock_timeout", "application_name"] {
                assert!(
                    !rows.iter().any(|r| r.param.name == own),
                    "{own}, PG {major}"
                );
            }
            let max = rows
                .iter()
                .find(|r| r.param.name == "max_connections")
                .unwrap();
            match &max.origin {
                Origin::File { file, line } => {
                    assert!(
                        file.ends_with("postgresql.conf") && line.is_some(),
                        "{file}"
                    );
                }
                other => panic!("PG {major}: {other:?}"),
            }
            // This database's override applies to the session itself.
            let lmds = rows
                .iter()
                .find(|r| r.param.name == "log_min_duration_statement")
                .unwrap();
            assert_eq!(
                (lmds.param.source.as_str(), lmds.value.as_str()),
                ("database", "1 s")
            );

            let overrides = got.overrides.as_ref().unwrap();
            assert!(
                overrides.iter().any(|o| o.role.as_deref() == Some("app")
                    && o.database.is_none()
                    && o.name == "work_mem"
                    && o.value == "64MB"),
                "PG {major}: {overrides:?}"
            );
            assert!(
                overrides
                    .iter()
                    .any(|o| o.database.as_deref() == Some("postgres")
                        && o.role.is_none()
                        && o.name == "log_min_duration_statement")
            );

            let facts = got.facts.as_ref().unwrap();
            assert!(
                facts.idle_in_xact >= 1 && facts.complete,
                "PG {major}: {facts:?}"
            );
            let obs = checks::checks(
                params,
                Context {
                    facts: Some(facts),
                    pooler: false,
                },
            );
            let settings: Vec<_> = obs.iter().map(|o| o.setting).collect();
            assert!(
                settings.contains(&"idle_in_transaction_session_timeout")
                    && settings.contains(&"(restart)"),
                "PG {major}: {obs:?}"
            );
            // The pending restart is listed in pg_file_settings as "could not be applied".
            let issues = model::file_issues(got.file_errors.as_ref().unwrap(), params);
            assert!(
                issues.iter().all(|i| i.pending_restart),
                "PG {major}: {issues:?}"
            );
            broken_auto_conf(cluster, &admin, &s.client).await;
            drop(idle);
        }
    });
}

/// A broken line in postgresql.auto.conf, then a reload: the error, its file and line.
async fn broken_auto_conf(
    cluster: &pgscope::lab::Cluster,
    admin: &tokio_postgres::Client,
    client: &tokio_postgres::Client,
) {
    let major = cluster.major();
    let auto = cluster.data_dir().join("postgresql.auto.conf");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&auto)
        .unwrap();
    writeln!(f, "this line is broken").unwrap();
    drop(f);
    admin
        .batch_execute("SELECT pg_reload_conf()")
        .await
        .unwrap();
    let got = read_until(client, |got| {
        got.file_errors
            .as_ref()
            .is_ok_and(|e| e.iter().any(|e| e.error.contains("syntax")))
    })
    .await;
    let errors = model::file_issues(
        got.file_errors.as_ref().unwrap(),
        got.params.as_ref().unwrap(),
    );
    let e = &errors[0].error;
    assert!(!errors[0].pending_restart);
    assert!(
        e.sourcefile
            .as_deref()
            .unwrap()
            .ends_with("postgresql.auto.conf"),
        "PG {major}: {errors:?}"
    );
    assert_eq!(e.sourceline, Some(4), "PG {major}: {errors:?}");
    assert!(e.error.contains("syntax error"), "PG {major}: {errors:?}");
}

#[test]
fn what_each_grant_shows() {
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            let major = cluster.major();
            let admin = cluster
                .connect("postgres", "postgres", "setup")
                .await
                .unwrap();
            admin
                .batch_execute(
                    "CREATE ROLE app LOGIN; CREATE ROLE watcher LOGIN IN ROLE pg_monitor;",
                )
                .await
                .unwrap();

            // pg_monitor includes pg_read_all_settings: files and lines, but pg_file_settings
            // stays for superusers.
            let watcher = cluster
                .connect("postgres", "watcher", "pgscope")
                .await
                .unwrap();
            let got = read(&watcher).await;
            assert!(got.params.as_ref().unwrap().files_visible, "PG {major}");
            let denied = got.file_errors.as_ref().unwrap_err();
            assert!(denied.is_permission(), "PG {major}: {denied:?}");
            assert!(got.facts.as_ref().unwrap().complete);

            // The explicit grant opens it.
            admin
                .batch_execute(
                    "GRANT SELECT ON pg_file_settings TO watcher;
                     GRANT EXECUTE ON FUNCTION pg_show_all_file_settings() TO watcher;",
                )
                .await
                .unwrap();
            let got = read(&watcher).await;
            assert_eq!(got.file_errors.as_ref().unwrap(), &[], "PG {major}");

            // A plain login: the values, not where they come from.
            let app = cluster.connect("postgres", "app", "pgscope").await.unwrap();
            let got = read(&app).await;
            let params = got.params.as_ref().unwrap();
            assert!(!params.files_visible, "PG {major}");
            let rows = model::build(params, "max_connections");
            assert_eq!(rows.len(), 1, "PG {major}");
            assert_eq!(
                rows[0].origin,
                Origin::FileHidden {
                    grant: model::FILE_GRANT
                },
                "PG {major}"
            );
            assert!(!got.facts.as_ref().unwrap().complete, "PG {major}");
            assert!(got.overrides.is_ok(), "PG {major}");
        }
    });
}
