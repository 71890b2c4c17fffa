//! Precedence, defaults, value validation and warnings.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use tokio_postgres::config::Host;

use super::super::ConnArgs;
use super::super::resolve::resolve_with;
use super::super::target::Endpoint;
use super::{env_of, error_of, positional, resolve_env, resolved};

fn tcp(host: &str, port: u16) -> Endpoint {
    Endpoint::Tcp {
        host: host.to_owned(),
        addr: None,
        port,
    }
}

fn socket(dir: &str, port: u16) -> Endpoint {
    Endpoint::Socket {
        dir: PathBuf::from(dir),
        port,
    }
}

#[test]
fn defaults() {
    let t = resolve_env(&ConnArgs::default(), &[]).unwrap();
    assert_eq!(t.user(), "alice");
    assert_eq!(t.dbname(), "alice");
    assert_eq!(t.endpoints, vec![socket("/nonexistent-a", 5432)]);
    assert_eq!(t.connect_timeout, Some(Duration::from_secs(10)));
    assert!(t.warnings().is_empty());
    assert_eq!(t.describe(), "socket \"/nonexistent-a/.s.PGSQL.5432\"");
}

#[test]
fn env_over_defaults() {
    let env = [
        ("PGHOST", "envhost"),
        ("PGPORT", "6000"),
        ("PGUSER", "bob"),
        ("PGDATABASE", "envdb"),
    ];
    let t = resolve_env(&ConnArgs::default(), &env).unwrap();
    assert_eq!((t.user(), t.dbname()), ("bob", "envdb"));
    assert_eq!(t.endpoints, vec![tcp("envhost", 6000)]);
    // dbname defaults to the user, PGUSER included.
    let t = resolve_env(&ConnArgs::default(), &[("PGUSER", "bob")]).unwrap();
    assert_eq!(t.dbname(), "bob");
}

#[test]
fn conninfo_over_flags_over_env() {
    let env = [
        ("PGHOST", "envhost"),
        ("PGPORT", "6000"),
        ("PGUSER", "bob"),
        ("PGDATABASE", "envdb"),
    ];
    let args = positional("host=cihost dbname=cidb");
    let t = resolve_env(&args, &env).unwrap();
    assert_eq!(t.endpoints, vec![tcp("cihost", 6000)]);
    assert_eq!((t.user(), t.dbname()), ("bob", "cidb"));

    // psql: the database argument's connection string overrides -h/-p/-U where it has a value.
    let args = ConnArgs {
        host: Some("flaghost".into()),
        port: Some("7000".into()),
        user: Some("carol".into()),
        conninfo: Some("postgresql://cihost/cidb".into()),
        ..ConnArgs::default()
    };
    let t = resolve_env(&args, &env).unwrap();
    assert_eq!(t.endpoints, vec![tcp("cihost", 7000)]);
    assert_eq!((t.user(), t.dbname()), ("carol", "cidb"));
}

#[test]
fn dash_d_and_a_positional_like_psql() {
    // With -d, the positional argument is the user name.
    let args = ConnArgs {
        dbname: Some("host=dhost dbname=ddb".into()),
        conninfo: Some("posuser".into()),
        ..ConnArgs::default()
    };
    let t = resolve_env(&args, &[]).unwrap();
    assert_eq!(t.endpoints, vec![tcp("dhost", 5432)]);
    assert_eq!((t.user(), t.dbname()), ("posuser", "ddb"));
    // With -d and -U it is ignored, with psql's warning (a connection string is not echoed).
    let args = ConnArgs {
        dbname: Some("ddb".into()),
        conninfo: Some("host=poshost password=x".into()),
        user: Some("u".into()),
        ..ConnArgs::default()
    };
    let t = resolve_env(&args, &[]).unwrap();
    assert_eq!((t.user(), t.dbname()), ("u", "ddb"));
    assert_eq!(t.warnings()[0], "extra command-line argument ignored");
    assert!(t.warnings()[1].contains("visible to other users"));
    let args = ConnArgs {
        dbname: Some("postgres://h2/x".into()),
        ..ConnArgs::default()
    };
    assert_eq!(resolve_env(&args, &[]).unwrap().dbname(), "x");
}

#[test]
fn positional_plain_dbname() {
    let t = resolved("sales");
    assert_eq!(t.dbname(), "sales");
    assert_eq!(t.user(), "alice");
}

#[test]
fn hosts_ports_and_sockets() {
    let t = resolved("host=a,/run/pg,b port=1,2,3");
    assert_eq!(
        t.endpoints,
        vec![tcp("a", 1), socket("/run/pg", 2), tcp("b", 3)]
    );
    assert_eq!(t.describe(), "host \"a\" port 1 (+2 more)");
    // One port for all hosts; an empty host entry is the default socket.
    let t = resolved("host=a,,b port=6000");
    assert_eq!(
        t.endpoints,
        vec![
            tcp("a", 6000),
            socket("/nonexistent-a", 6000),
            tcp("b", 6000)
        ]
    );
    // URI with a port only on the first host: the others get the default.
    let t = resolved("postgresql://x:1,y/db");
    assert_eq!(t.endpoints, vec![tcp("x", 1), tcp("y", 5432)]);
    let t = resolved("postgresql://%2Fvar%2Flib%2Fpg:5499/db");
    assert_eq!(t.endpoints, vec![socket("/var/lib/pg", 5499)]);
    assert_eq!(t.describe(), "socket \"/var/lib/pg/.s.PGSQL.5499\"");
}

#[test]
fn hostaddr() {
    let ip: IpAddr = "10.0.0.7".parse().unwrap();
    let t = resolved("host=db.example hostaddr=10.0.0.7");
    assert_eq!(
        t.endpoints,
        vec![Endpoint::Tcp {
            host: "db.example".into(),
            addr: Some(ip),
            port: 5432
        }]
    );
    let t = resolved("hostaddr=10.0.0.7");
    assert_eq!(
        t.endpoints,
        vec![Endpoint::Tcp {
            host: "10.0.0.7".into(),
            addr: Some(ip),
            port: 5432
        }]
    );
    assert_eq!(
        error_of("hostaddr=x"),
        "could not parse network address \"x\""
    );
    assert_eq!(
        error_of("host=a hostaddr=1.1.1.1,2.2.2.2"),
        "could not match 1 host names to 2 hostaddr values"
    );
}

#[test]
fn config_has_all_hosts_in_order() {
    let t = resolved("host=a,/tmp port=1,2 connect_timeout=7 options='-c x=1'");
    let cfg = t.config("pgscope");
    assert_eq!(
        cfg.get_hosts(),
        &[Host::Tcp("a".into()), Host::Unix("/tmp".into())]
    );
    assert_eq!(cfg.get_ports(), &[1, 2]);
    assert_eq!(cfg.get_application_name(), Some("pgscope"));
    assert_eq!(cfg.get_connect_timeout(), Some(&Duration::from_secs(7)));
    assert_eq!(cfg.get_options(), Some("-c x=1"));
    assert_eq!(cfg.get_user(), Some("alice"));
    assert_eq!(cfg.get_dbname(), Some("alice"));
    // A user-given application_name wins over the program's (psql's fallback rule).
    let cfg = resolved("application_name=mine").config("pgscope");
    assert_eq!(cfg.get_application_name(), Some("mine"));
    let t = resolve_env(&ConnArgs::default(), &[("PGAPPNAME", "envapp")]).unwrap();
    assert_eq!(t.config("pgscope").get_application_name(), Some("envapp"));
}

#[test]
fn with_dbname_keeps_the_rest() {
    let t = resolved("host=h port=9 user=u dbname=a password=pw");
    let other = t.with_dbname("b");
    assert_eq!(other.dbname(), "b");
    assert_eq!(other.user(), "u");
    assert_eq!(other.endpoints, t.endpoints);
    assert_eq!(other.config("x").get_password(), Some(&b"pw"[..]));
}

#[test]
fn connect_timeout_rules() {
    assert_eq!(
        resolved("connect_timeout=1").connect_timeout,
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        resolved("connect_timeout=30").connect_timeout,
        Some(Duration::from_secs(30))
    );
    assert_eq!(resolved("connect_timeout=0").connect_timeout, None);
    assert_eq!(
        error_of("connect_timeout=x"),
        "invalid integer value \"x\" for connection option \"connect_timeout\""
    );
}

#[test]
fn invalid_and_unsupported_options() {
    assert_eq!(error_of("foo=bar"), "invalid connection option \"foo\"");
    assert_eq!(
        error_of("require_auth=scram-sha-256"),
        "connection option \"require_auth\" is not supported by pgscope"
    );
    assert_eq!(error_of("port=abc"), "invalid port number: \"abc\"");
    assert_eq!(error_of("port=0"), "invalid port number: \"0\"");
    assert_eq!(error_of("port=99999"), "invalid port number: \"99999\"");
    assert_eq!(
        error_of("host=a,b port=1,2,3"),
        "could not match 3 port numbers to 2 hosts"
    );
    assert_eq!(
        error_of("sslmode=bogus"),
        "invalid sslmode value: \"bogus\""
    );
    assert_eq!(
        error_of("target_session_attrs=x"),
        "invalid target_session_attrs value: \"x\""
    );
    assert_eq!(
        error_of("load_balance_hosts=x"),
        "invalid load_balance_hosts value: \"x\""
    );
    assert_eq!(
        error_of("postgresql://h/d?foo=1"),
        "invalid URI query parameter: \"foo\""
    );
    assert_eq!(
        error_of("gssencmode=require"),
        "gssencmode \"require\" is not supported by pgscope (no GSSAPI support)"
    );
    for ok in [
        "sslmode=disable",
        "sslmode=allow",
        "sslmode=prefer",
        "sslmode=require",
        "postgresql://h?ssl=true",
        "target_session_attrs=read-write",
        "target_session_attrs=primary",
        "target_session_attrs=standby",
        "target_session_attrs=prefer-standby",
        "load_balance_hosts=random",
        "channel_binding=require",
        "gssencmode=disable",
        "sslcompression=1",
        "max_protocol_version=latest",
    ] {
        resolved(ok);
    }
    // Flags are validated too.
    let args = ConnArgs {
        port: Some("abc".into()),
        ..ConnArgs::default()
    };
    assert_eq!(
        resolve_env(&args, &[]).unwrap_err().to_string(),
        "invalid port number: \"abc\""
    );
    // An environment variable for an option pgscope cannot honour says which variable.
    let e = resolve_env(&ConnArgs::default(), &[("PGREQUIREAUTH", "md5")]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "PGREQUIREAUTH is set, but connection option \"require_auth\" is not supported by pgscope"
    );
    let e = resolve_env(&ConnArgs::default(), &[("PGSSLMODE", "nope")]).unwrap_err();
    assert_eq!(e.to_string(), "invalid sslmode value: \"nope\"");
    // Other encodings are not honoured: said, not dropped.
    let t = resolved("client_encoding=LATIN1");
    assert!(t.warnings()[0].contains("client_encoding \"LATIN1\" is ignored"));
}

#[test]
fn password_warning_and_secrecy() {
    for src in [
        "postgresql://ops:S3cr3t-canary@127.0.0.1/postgres",
        "host=127.0.0.1 password=S3cr3t-canary",
    ] {
        let t = resolved(src);
        assert_eq!(t.warnings().len(), 1);
        assert!(t.warnings()[0].contains("visible to other users"));
        assert_eq!(t.password.as_deref(), Some("S3cr3t-canary"));
        for text in [format!("{t:?}"), t.describe(), t.warnings().join(" ")] {
            assert!(!text.contains("S3cr3t"), "{text}");
        }
    }
    let t = resolve_env(&ConnArgs::default(), &[("PGPASSWORD", "S3cr3t-canary")]).unwrap();
    assert!(t.warnings().is_empty(), "the environment is not argv");
    assert!(!format!("{t:?}").contains("S3cr3t"));
    // Errors about other options of the same string never carry it.
    let e = error_of("postgresql://ops:S3cr3t-canary@h:abc/db");
    assert!(!e.contains("S3cr3t"), "{e}");
    let e = error_of("password=S3cr3t-canary foo=1");
    assert!(!e.contains("S3cr3t"), "{e}");
}

#[test]
fn params_debug_redacts_password() {
    let mut p = super::super::params::Params::default();
    p.set("password", "S3cr3t-canary").unwrap();
    p.set("host", "h").unwrap();
    let text = format!("{p:?}");
    assert!(!text.contains("S3cr3t") && text.contains("\"h\""), "{text}");
}

#[test]
fn default_socket_dir_is_the_first_with_a_socket() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    std::fs::write(second.path().join(".s.PGSQL.5433"), b"").unwrap();
    let dirs = [
        first.path().to_str().unwrap(),
        second.path().to_str().unwrap(),
    ];
    let args = ConnArgs {
        port: Some("5433".into()),
        ..ConnArgs::default()
    };
    let t = resolve_with(&args, &env_of(&[]), &dirs, Some("alice".into())).unwrap();
    assert_eq!(
        t.endpoints,
        vec![Endpoint::Socket {
            dir: second.path().to_owned(),
            port: 5433
        }]
    );
    // On another port neither has a socket: the first directory, as psql reports it.
    let t = resolve_with(
        &ConnArgs::default(),
        &env_of(&[]),
        &dirs,
        Some("alice".into()),
    )
    .unwrap();
    assert_eq!(
        t.endpoints,
        vec![Endpoint::Socket {
            dir: first.path().to_owned(),
            port: 5432
        }]
    );
}

#[test]
fn os_user_from_the_user_database() {
    // Without $USER the entry of this process is found through the C library (NSS), the same
    // name `id -un` prints.
    let no_user = |_: &str| -> Option<String> { None };
    let id = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let expected = String::from_utf8(id.stdout).unwrap();
    assert_eq!(
        super::super::os_user::name(&no_user).as_deref(),
        Some(expected.trim())
    );
    // $HOME wins; without it the entry's home directory.
    let home = super::super::os_user::home(&no_user).unwrap();
    assert!(home.is_absolute(), "{}", home.display());
    let with_home = |k: &str| (k == "HOME").then(|| "/elsewhere".to_owned());
    assert_eq!(
        super::super::os_user::home(&with_home),
        Some(std::path::PathBuf::from("/elsewhere"))
    );
}
