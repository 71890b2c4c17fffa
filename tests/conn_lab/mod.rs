//! Connection-test setup: a test CA and certificates, a server with TLS on, roles for
//! password, certificate and read-only logins, and a hermetic resolve (no real HOME).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use pgscope::conn::{self, ConnArgs, ConnError, Connected, Target};
use pgscope::lab::Cluster;

pub const PASSWORD: &str = "S3cr3t-canary:with\\colon";

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl is installed");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn key_and_csr(dir: &Path, name: &str, cn: &str) {
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &format!("/CN={cn}"),
        ],
    );
}

fn sign(dir: &Path, name: &str, ca: &str, ext: Option<&str>) {
    let mut args = vec![
        "x509".to_owned(),
        "-req".into(),
        "-in".into(),
        format!("{name}.csr"),
        "-CA".into(),
        format!("{ca}.crt"),
        "-CAkey".into(),
        format!("{ca}.key"),
        "-CAcreateserial".into(),
        "-out".into(),
        format!("{name}.crt"),
        "-days".into(),
        "2".into(),
    ];
    if let Some(ext) = ext {
        fs::write(dir.join(format!("{name}.ext")), ext).unwrap();
        args.extend(["-extfile".into(), format!("{name}.ext")]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    openssl(dir, &args);
}

fn ca(dir: &Path, name: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
            "-days",
            "2",
            "-subj",
            &format!("/CN={name}"),
        ],
    );
}

/// ca.crt (the server's CA), other-ca.crt (unrelated), server.{crt,key} for localhost and
/// 127.0.0.1, client.{crt,key} for role `certuser`.
pub fn certificates() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ca(d, "ca");
    ca(d, "other-ca");
    key_and_csr(d, "server", "localhost");
    sign(
        d,
        "server",
        "ca",
        Some("subjectAltName=DNS:localhost,IP:127.0.0.1\n"),
    );
    key_and_csr(d, "client", "certuser");
    sign(d, "client", "ca", Some("basicConstraints=CA:FALSE\n"));
    for key in ["server.key", "client.key"] {
        fs::set_permissions(d.join(key), fs::Permissions::from_mode(0o600)).unwrap();
    }
    dir
}

/// Runs SQL statements one by one (ALTER SYSTEM refuses a multi-statement string) as the
/// superuser over the socket.
pub async fn sql(cluster: &Cluster, sql: &str) {
    let client = cluster
        .connect("postgres", "postgres", "setup")
        .await
        .unwrap();
    for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
        client.batch_execute(statement).await.unwrap();
    }
}

/// Certificates into the data directory, TLS on, test roles and their pg_hba rules first.
pub async fn enable_tls_and_roles(cluster: &Cluster, certs: &Path) {
    let data = cluster.data_dir();
    let owner = fs::metadata(data).unwrap();
    for f in ["server.crt", "server.key", "ca.crt"] {
        let to = data.join(f);
        fs::copy(certs.join(f), &to).unwrap();
        std::os::unix::fs::chown(&to, Some(owner.uid()), Some(owner.gid())).unwrap();
        fs::set_permissions(&to, fs::Permissions::from_mode(0o600)).unwrap();
    }
    let hba = data.join("pg_hba.conf");
    let rest = fs::read_to_string(&hba).unwrap();
    let rules = "hostssl all certuser 127.0.0.1/32 cert\n\
                 host all scram_user 127.0.0.1/32 scram-sha-256\n\
                 hostnossl all tls_only 127.0.0.1/32 reject\n\
                 hostssl all plain_only 127.0.0.1/32 reject\n";
    fs::write(&hba, format!("{rules}{rest}")).unwrap();
    let escaped = PASSWORD.replace('\'', "''");
    sql(
        cluster,
        &format!(
            "SET password_encryption = 'scram-sha-256';
         CREATE ROLE scram_user LOGIN PASSWORD '{escaped}';
         CREATE ROLE certuser LOGIN; CREATE ROLE tls_only LOGIN; CREATE ROLE plain_only LOGIN;
         CREATE ROLE ro_user LOGIN; ALTER ROLE ro_user SET default_transaction_read_only = on;
         ALTER SYSTEM SET ssl = on; ALTER SYSTEM SET ssl_ca_file = 'ca.crt';
         SELECT pg_reload_conf();"
        ),
    )
    .await;
    settle().await;
}

pub async fn set_ssl(cluster: &Cluster, on: bool) {
    sql(
        cluster,
        &format!("ALTER SYSTEM SET ssl = {on}; SELECT pg_reload_conf();"),
    )
    .await;
    settle().await;
}

/// The postmaster applies a reload asynchronously.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(700)).await;
}

/// Resolves `conninfo` with only `env` (plus USER and an empty HOME unless given).
pub fn resolve(conninfo: &str, env: &[(&str, &str)], home: &Path) -> Result<Target, ConnError> {
    let mut vars: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    for (k, v) in [("USER", "postgres"), ("HOME", home.to_str().unwrap())] {
        if !vars.iter().any(|(n, _)| n == k) {
            vars.push((k.to_owned(), v.to_owned()));
        }
    }
    let args = ConnArgs {
        conninfo: Some(conninfo.to_owned()),
        ..ConnArgs::default()
    };
    conn::resolve(&args, &|name| {
        vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    })
}

pub async fn connect(target: &Target) -> Result<Connected, ConnError> {
    conn::connect_full(target, "pgscope").await
}

pub fn path(dir: &Path, file: &str) -> PathBuf {
    dir.join(file)
}
