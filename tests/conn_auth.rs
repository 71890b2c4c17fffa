//! Passwords and session kinds against real servers: SCRAM via the password file (escapes,
//! permissions), the prompt in a real terminal, several hosts, target_session_attrs against a
//! primary, a standby and a read-only role.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "conn_lab/mod.rs"]
mod conn_lab;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::tmux::Tmux;
use conn_lab::{PASSWORD, certificates, connect, enable_tls_and_roles, resolve};
use pgscope::conn::ConnError;
use pgscope::lab::{self, ClusterOptions};

fn escape(s: &str) -> String {
    s.replace('\\', r"\\").replace(':', r"\:")
}

#[test]
fn scram_through_the_password_file() {
    for major in common::majors() {
        let cluster = common::cluster(major);
        let certs = certificates();
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        let port = cluster.port();
        let rt = common::runtime();
        rt.block_on(async {
            enable_tls_and_roles(&cluster, certs.path()).await;
            let ci = format!("host=127.0.0.1 port={port} user=scram_user dbname=postgres");
            // No password anywhere: the server asks, nobody answers.
            let e = connect(&resolve(&ci, &[], h).unwrap()).await.err().unwrap();
            assert!(matches!(e, ConnError::NoPassword { .. }), "PG{major}: {e}");

            // ~/.pgpass, first match wins, escapes honoured.
            let pgpass = h.join(".pgpass");
            fs::write(
                &pgpass,
                format!(
                    "# test\n127.0.0.1:{port}:postgres:scram_user:{}\n*:*:*:*:wrong\n",
                    escape(PASSWORD)
                ),
            )
            .unwrap();
            fs::set_permissions(&pgpass, fs::Permissions::from_mode(0o600)).unwrap();
            let t = resolve(&ci, &[], h).unwrap();
            assert!(t.warnings().is_empty());
            let c = connect(&t)
                .await
                .unwrap_or_else(|e| panic!("PG{major}: {e}"));
            let row = c
                .client
                .query_one("SELECT current_user::text", &[])
                .await
                .unwrap();
            assert_eq!(row.get::<_, String>(0), "scram_user");

            // A readable file is ignored with libpq's warning.
            fs::set_permissions(&pgpass, fs::Permissions::from_mode(0o644)).unwrap();
            let t = resolve(&ci, &[], h).unwrap();
            assert!(
                t.warnings()[0].contains("has group or world access"),
                "{:?}",
                t.warnings()
            );
            assert!(connect(&t).await.is_err());

            // PGPASSFILE with a wrong password: the server's refusal, no secret in it.
            let other = h.join("other");
            fs::write(&other, "*:*:*:scram_user:nope\n").unwrap();
            fs::set_permissions(&other, fs::Permissions::from_mode(0o600)).unwrap();
            let t = resolve(&ci, &[("PGPASSFILE", other.to_str().unwrap())], h).unwrap();
            let e = connect(&t).await.err().unwrap();
            assert_eq!(e.sqlstate(), Some("28P01"), "PG{major}: {e}");
            assert!(
                e.to_string()
                    .contains("password authentication failed for user \"scram_user\"")
            );
            assert!(!e.to_string().contains("nope") && !format!("{e:?}{t:?}").contains("nope"));

            // Several hosts: a dead one first, then the server; each host its own password line.
            let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let dead_port = dead.local_addr().unwrap().port();
            drop(dead);
            fs::write(
                &other,
                format!("127.0.0.1:{port}:*:scram_user:{}\n", escape(PASSWORD)),
            )
            .unwrap();
            let multi = format!(
                "host=127.0.0.1,127.0.0.1 port={dead_port},{port} user=scram_user dbname=postgres"
            );
            let t = resolve(&multi, &[("PGPASSFILE", other.to_str().unwrap())], h).unwrap();
            connect(&t)
                .await
                .unwrap_or_else(|e| panic!("PG{major}: {e}"));
            let t = resolve(
                &format!("{multi} load_balance_hosts=random"),
                &[("PGPASSFILE", other.to_str().unwrap())],
                h,
            )
            .unwrap();
            connect(&t)
                .await
                .unwrap_or_else(|e| panic!("PG{major}: {e}"));
        });
    }
}

#[test]
fn target_session_attrs_primary_standby_and_read_only() {
    let major = common::majors()[0];
    let primary = common::cluster(major);
    let certs = certificates();
    let home = tempfile::tempdir().unwrap();
    let hm = home.path();
    let rt = common::runtime();
    rt.block_on(async {
        enable_tls_and_roles(&primary, certs.path()).await;
        let standby = lab::start_standby(&primary, "s1", &ClusterOptions::default()).await.unwrap();
        let (p, sb) = (primary.port(), standby.port());
        let both = |attrs: &str| format!("host=127.0.0.1,127.0.0.1 port={p},{sb} user=postgres dbname=postgres sslmode=disable target_session_attrs={attrs}");
        let port_of = |attrs: &str| {
            let t = resolve(&both(attrs), &[], hm).unwrap();
            async move {
                let c = connect(&t).await.unwrap_or_else(|e| panic!("{e}"));
                let row = c.client.query_one("SELECT inet_server_port()", &[]).await.unwrap();
                u16::try_from(row.get::<_, i32>(0)).unwrap()
            }
        };
        assert_eq!(port_of("any").await, p);
        assert_eq!(port_of("primary").await, p);
        assert_eq!(port_of("read-write").await, p);
        assert_eq!(port_of("standby").await, sb);
        assert_eq!(port_of("read-only").await, sb);
        assert_eq!(port_of("prefer-standby").await, sb);
        // Only the primary listed: prefer-standby settles for it, standby refuses.
        let one = |attrs: &str| format!("host=127.0.0.1 port={p} user=postgres dbname=postgres target_session_attrs={attrs}");
        connect(&resolve(&one("prefer-standby"), &[], hm).unwrap()).await.unwrap();
        let e = connect(&resolve(&one("standby"), &[], hm).unwrap()).await.err().unwrap();
        assert!(e.to_string().ends_with("failed: server is not in hot standby mode"), "{e}");
        // A role with default_transaction_read_only: read-only, as libpq sees it.
        let ro = |attrs: &str| format!("host=127.0.0.1 port={p} user=ro_user dbname=postgres target_session_attrs={attrs}");
        connect(&resolve(&ro("read-only"), &[], hm).unwrap()).await.unwrap();
        let e = connect(&resolve(&ro("read-write"), &[], hm).unwrap()).await.err().unwrap();
        assert!(e.to_string().ends_with("failed: session is read-only"), "{e}");
        let e = connect(&resolve(&one("read-only"), &[], hm).unwrap()).await.err().unwrap();
        assert!(e.to_string().ends_with("failed: session is not read-only"), "{e}");
        drop(standby);
    });
}

#[test]
fn prompts_for_the_password_in_a_terminal() {
    let cluster = common::cluster(common::majors()[0]);
    let certs = certificates();
    let rt = common::runtime();
    rt.block_on(enable_tls_and_roles(&cluster, certs.path()));
    let home = tempfile::tempdir().unwrap();
    let tmux = Tmux::start("prompt", 120, 30);
    let bin = env!("CARGO_BIN_EXE_pgscope");
    let cmd = format!(
        "env -i HOME={} TERM=xterm {bin} -h 127.0.0.1 -p {} -U scram_user postgres; echo EXIT=$?",
        home.path().display(),
        cluster.port()
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the prompt", |s| {
        s.contains("Password for user scram_user:")
    });
    tmux.keys(&["-l", PASSWORD]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the header", |s| s.contains("PRIMARY"));
    assert!(!screen.contains(PASSWORD), "{screen}");
    assert!(screen.contains("TLS unverified"), "{screen}");
    tmux.keys(&["q"]);
    // The command line itself shows `EXIT=$?`: wait for a line that starts with the result.
    let screen = tmux.wait_for("the exit", |s| s.lines().any(|l| l.starts_with("EXIT=")));
    assert!(s_has_line(&screen, "EXIT=0"), "{screen}");
    assert!(!screen.contains(PASSWORD), "{screen}");
}

fn s_has_line(screen: &str, line: &str) -> bool {
    screen.lines().any(|l| l.trim_end() == line)
}
