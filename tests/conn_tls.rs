//! TLS against real servers with a test CA: every sslmode, name checks with host/hostaddr,
//! fallbacks that libpq makes and the ones it never makes, client certificates, direct TLS.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "conn_lab/mod.rs"]
mod conn_lab;

use conn_lab::{certificates, connect, enable_tls_and_roles, resolve, set_ssl};
use pgscope::snapshot::Transport;

#[test]
fn sslmodes_against_a_test_ca() {
    for major in common::majors() {
        let cluster = common::cluster(major);
        let certs = certificates();
        let c = certs.path();
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        let port = cluster.port();
        let ca = c.join("ca.crt");
        let ca = ca.to_str().unwrap();
        let rt = common::runtime();
        rt.block_on(async {
            enable_tls_and_roles(&cluster, c).await;
            let base = format!("port={port} user=postgres dbname=postgres");
            let transport = |conninfo: String| {
                let t = resolve(&conninfo, &[], h).unwrap();
                async move { connect(&t).await.map(|c| c.transport) }
            };
            let ok = |conninfo: String| async move {
                match transport(conninfo.clone()).await {
                    Ok(t) => t,
                    Err(e) => panic!("PG{major} {conninfo}: {e}"),
                }
            };
            let err = |conninfo: String| async move {
                match transport(conninfo.clone()).await {
                    Ok(t) => panic!("PG{major} {conninfo}: connected ({t:?})"),
                    Err(e) => e.to_string(),
                }
            };

            // verify-full: the name given is checked; hostaddr is what is dialled.
            let full = format!("host=localhost {base} sslmode=verify-full sslrootcert={ca}");
            assert_eq!(ok(full).await, Transport::TlsVerified);
            let ip = format!("host=127.0.0.1 {base} sslmode=verify-full sslrootcert={ca}");
            assert_eq!(ok(ip).await, Transport::TlsVerified);
            let mismatch =
                format!("host=db.example hostaddr=127.0.0.1 {base} sslmode=verify-full sslrootcert={ca}");
            let e = err(mismatch).await;
            assert!(
                e.contains("server certificate for \"localhost\" (and 1 other name) does not match host name \"db.example\""),
                "PG{major}: {e}"
            );
            // verify-ca: the chain only.
            let vca = format!("host=db.example hostaddr=127.0.0.1 {base} sslmode=verify-ca sslrootcert={ca}");
            assert_eq!(ok(vca).await, Transport::TlsVerified);
            // An unrelated CA: refused, never downgraded.
            let other = c.join("other-ca.crt");
            let wrong = format!("host=localhost {base} sslmode=verify-ca sslrootcert={}", other.display());
            let e = err(wrong).await;
            assert!(e.contains("certificate verify failed"), "PG{major}: {e}");
            let wrong_prefer = format!("host=localhost {base} sslmode=prefer sslrootcert={}", other.display());
            // prefer verifies once a root file is named, and falls back to plaintext like libpq.
            assert_eq!(ok(wrong_prefer).await, Transport::Plaintext);

            // require and prefer: encrypted, not verified (a self-signed server is fine).
            assert_eq!(ok(format!("host=127.0.0.1 {base} sslmode=require")).await, Transport::TlsUnverified);
            assert_eq!(ok(format!("host=127.0.0.1 {base}")).await, Transport::TlsUnverified);
            // require with a root file verifies (libpq's rule).
            let req_ca = format!("host=localhost {base} sslmode=require sslrootcert={}", other.display());
            assert!(err(req_ca).await.contains("certificate verify failed"));
            assert_eq!(ok(format!("host=127.0.0.1 {base} sslmode=disable")).await, Transport::Plaintext);
            // Sockets never use TLS, whatever sslmode says.
            let sock = format!("host={} {base} sslmode=require", cluster.socket_dir().display());
            assert_eq!(ok(sock).await, Transport::Socket);

            // allow: plaintext first, TLS when the server refuses plaintext (hostnossl reject).
            let tls_only = format!("host=127.0.0.1 port={port} user=tls_only dbname=postgres");
            assert_eq!(ok(format!("{tls_only} sslmode=allow")).await, Transport::TlsUnverified);
            assert!(err(format!("{tls_only} sslmode=disable")).await.contains("pg_hba.conf rejects connection"));
            // prefer: TLS first, plaintext when the server refuses TLS (hostssl reject).
            let plain_only = format!("host=127.0.0.1 port={port} user=plain_only dbname=postgres");
            assert_eq!(ok(format!("{plain_only} sslmode=prefer")).await, Transport::Plaintext);
            assert!(err(format!("{plain_only} sslmode=require")).await.contains("FATAL"));

            // A client certificate for `cert` authentication.
            let (client_crt, client_key) = (c.join("client.crt"), c.join("client.key"));
            let with_cert = format!(
                "host=localhost port={port} user=certuser dbname=postgres sslmode=verify-full sslrootcert={ca} sslcert={} sslkey={}",
                client_crt.display(),
                client_key.display()
            );
            assert_eq!(ok(with_cert.clone()).await, Transport::TlsVerified);
            let e = err(format!("{with_cert} sslcertmode=disable")).await;
            assert!(e.contains("certificate"), "PG{major}: {e}");

            // Direct TLS (PostgreSQL 17+); older servers fail, with no fallback.
            let direct = format!("host=localhost {base} sslmode=verify-full sslrootcert={ca} sslnegotiation=direct");
            if major >= 17 {
                assert_eq!(ok(direct).await, Transport::TlsVerified);
            } else {
                err(direct).await;
            }

            // TLS off on the server: require fails in libpq's words, prefer says plaintext.
            set_ssl(&cluster, false).await;
            let e = err(format!("host=127.0.0.1 {base} sslmode=require")).await;
            assert!(e.ends_with("server does not support SSL, but SSL was required"), "PG{major}: {e}");
            assert_eq!(ok(format!("host=127.0.0.1 {base}")).await, Transport::Plaintext);
        });
    }
}
