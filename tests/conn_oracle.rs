//! Differential tests: for each case (environment, files, flags, connection string), pgscope
//! must land where real libpq (psql) lands: same user, database, port, application_name, TLS.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "conn_lab/mod.rs"]
mod conn_lab;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use conn_lab::{PASSWORD, certificates, enable_tls_and_roles};
use pgscope::conn::{self, ConnArgs};
use tokio_postgres::SimpleQueryMessage;

const PROBE: &str = "SELECT current_user, current_database(), inet_server_port(), \
     current_setting('application_name'), \
     coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)";

struct Case {
    name: &'static str,
    env: Vec<(String, String)>,
    flags: Vec<String>,
}

fn psql(case: &Case) -> Option<Vec<String>> {
    let out = Command::new("psql")
        .env_clear()
        .envs(case.env.iter().map(|(k, v)| (k, v)))
        .args(&case.flags)
        .args(["-X", "-w", "-At", "-F", "|", "-c", PROBE])
        .output()
        .ok()?;
    if !out.status.success() {
        return Some(vec![format!(
            "error: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )]);
    }
    Some(
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .split('|')
            .map(str::to_owned)
            .collect(),
    )
}

/// psql's flags as pgscope's: -h -p -U -d and one positional.
fn args_of(flags: &[String]) -> ConnArgs {
    let mut args = ConnArgs::default();
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        match f.as_str() {
            "-h" => args.host = it.next().cloned(),
            "-p" => args.port = it.next().cloned(),
            "-U" => args.user = it.next().cloned(),
            "-d" => args.dbname = it.next().cloned(),
            other => args.conninfo = Some(other.to_owned()),
        }
    }
    args
}

async fn pgscope(case: &Case) -> Vec<String> {
    let env = |k: &str| {
        case.env
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    let target = match conn::resolve(&args_of(&case.flags), &env) {
        Ok(t) => t,
        Err(e) => return vec![format!("error: {e}")],
    };
    let c = match conn::connect_full(&target, "pgscope").await {
        Ok(c) => c,
        Err(e) => return vec![format!("error: {e}")],
    };
    let rows = c.client.simple_query(PROBE).await.unwrap();
    let row = rows.iter().find_map(|m| match m {
        SimpleQueryMessage::Row(r) => Some(r),
        _ => None,
    });
    let row = row.unwrap();
    (0..5)
        .map(|i| row.get(i).unwrap_or("").to_owned())
        .collect()
}

#[test]
#[allow(clippy::too_many_lines)] // a table of cases
fn pgscope_resolves_like_psql() {
    if Command::new("psql").arg("--version").output().is_err() {
        eprintln!("psql not installed: differential test skipped");
        return;
    }
    let cluster = common::cluster(common::majors()[0]);
    let certs = certificates();
    let rt = common::runtime();
    rt.block_on(enable_tls_and_roles(&cluster, certs.path()));
    let files = tempfile::tempdir().unwrap();
    let f = files.path();
    let (p, sock) = (cluster.port(), cluster.socket_dir().display().to_string());
    let esc = PASSWORD.replace('\\', r"\\").replace(':', r"\:");
    fs::write(
        f.join("pgpass"),
        format!("127.0.0.1:{p}:*:scram_user:{esc}\n"),
    )
    .unwrap();
    fs::set_permissions(f.join("pgpass"), fs::Permissions::from_mode(0o600)).unwrap();
    fs::write(
        f.join("services"),
        format!("[svc]\nhost=127.0.0.1\nport={p}\nuser=scram_user\ndbname=postgres\n[sock]\nhost={sock}\nport={p}\nuser=postgres\n"),
    )
    .unwrap();
    fs::create_dir(f.join("sys")).unwrap();
    fs::write(
        f.join("sys/pg_service.conf"),
        format!(
            "[sys]\nhost=127.0.0.1\nport={p}\nuser=postgres\ndbname=template1\nsslmode=disable\n"
        ),
    )
    .unwrap();
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();

    let files_env = |extra: &[(&str, &str)]| {
        let mut env = vec![
            ("USER".to_owned(), "postgres".to_owned()),
            ("HOME".to_owned(), f.display().to_string()),
            (
                "PGPASSFILE".to_owned(),
                f.join("pgpass").display().to_string(),
            ),
            (
                "PGSERVICEFILE".to_owned(),
                f.join("services").display().to_string(),
            ),
            (
                "PGSYSCONFDIR".to_owned(),
                f.join("sys").display().to_string(),
            ),
        ];
        env.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        env
    };
    let case = |name, extra: &[(&str, &str)], flags: &[&str]| Case {
        name,
        env: files_env(extra),
        flags: flags.iter().map(|s| (*s).to_owned()).collect(),
    };
    let port = p.to_string();
    let cases = vec![
        case(
            "env only",
            &[
                ("PGHOST", &sock),
                ("PGPORT", &port),
                ("PGUSER", "postgres"),
                ("PGDATABASE", "template1"),
            ],
            &[],
        ),
        case(
            "default user is the OS user",
            &[("PGHOST", &sock), ("PGPORT", &port), ("USER", "postgres")],
            &[],
        ),
        case("service + pgpass", &[], &["service=svc"]),
        case(
            "PGSERVICE, conninfo wins",
            &[("PGSERVICE", "svc")],
            &["dbname=template1"],
        ),
        case("system service file", &[], &["service=sys"]),
        case(
            "service over env",
            &[
                ("PGSERVICE", "sock"),
                ("PGPORT", "1"),
                ("PGAPPNAME", "envapp"),
            ],
            &[],
        ),
        case("unknown service", &[], &["service=nope"]),
        case(
            "URI require",
            &[],
            &[&format!(
                "postgresql://127.0.0.1:{p}/postgres?user=postgres&sslmode=require"
            )],
        ),
        case(
            "prefer is TLS",
            &[
                ("PGHOST", "127.0.0.1"),
                ("PGPORT", &port),
                ("PGUSER", "postgres"),
            ],
            &["dbname=postgres"],
        ),
        case(
            "PGSSLMODE disable",
            &[("PGSSLMODE", "disable")],
            &[&format!("host=127.0.0.1 port={p} user=postgres")],
        ),
        case(
            "dead host first",
            &[],
            &[&format!(
                "host=127.0.0.1,127.0.0.1 port={dead},{p} user=scram_user dbname=postgres"
            )],
        ),
        case(
            "flags and conninfo",
            &[],
            &[
                "-h",
                &sock,
                "-p",
                &port,
                "-U",
                "postgres",
                "dbname=template1 application_name=mine",
            ],
        ),
        case(
            "flag against conninfo",
            &[],
            &[
                "-h",
                "127.0.0.1",
                "-U",
                "scram_user",
                &format!("host={sock} port={p} user=postgres dbname=postgres"),
            ],
        ),
        case(
            "flag against -d conninfo",
            &[],
            &[
                "-U",
                "scram_user",
                "-p",
                "1",
                "-d",
                &format!("host=127.0.0.1 port={p} user=postgres dbname=postgres sslmode=disable"),
            ],
        ),
        case(
            "-d conninfo",
            &[],
            &["-d", &format!("host=127.0.0.1 port={p}"), "-U", "postgres"],
        ),
        case(
            "ro standby check",
            &[],
            &[&format!(
                "host=127.0.0.1 port={p} user=ro_user dbname=postgres target_session_attrs=read-write"
            )],
        ),
    ];
    let mut mismatches = Vec::new();
    for case in &cases {
        let Some(mut want) = psql(case) else { return };
        let mut got = rt.block_on(pgscope(case));
        // Each tool names itself when nobody else did; errors compare by their substance.
        if want.len() == 5 && want[3] == "psql" && got.len() == 5 && got[3] == "pgscope" {
            want[3] = "-".into();
            got[3] = "-".into();
        }
        let same = if want[0].starts_with("error") {
            got[0].starts_with("error") && {
                let tail = |s: &str| s.rsplit(": ").next().unwrap_or("").to_owned();
                tail(&want[0]) == tail(&got[0])
                    || want[0].contains(got[0].trim_start_matches("error: "))
            }
        } else {
            want == got
        };
        if !same {
            mismatches.push(format!("{}: psql {want:?} pgscope {got:?}", case.name));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
