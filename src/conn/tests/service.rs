//! Service files: format, file order, precedence against the conninfo and the environment.

use std::fs;
use std::path::Path;

use proptest::prelude::*;

use super::super::ConnArgs;
use super::super::service::{lookup, parse};
use super::super::target::Endpoint;
use super::resolve_env;

const FILE: &str = "# a comment\n\
    [other]\n\
    host=elsewhere\n\
    not a valid line\n\
    \n\
    [prod]\n\
    \x20 host=db1  \n\
    port=6000\n\
    dbname=sales\n\
    host=ignored-second\n\
    [prodx]\n\
    host=wrong\n";

#[test]
fn parses_the_wanted_group_only() {
    let p = parse(FILE, "prod", Path::new("f")).unwrap().unwrap();
    assert_eq!(p.get("host"), Some("db1"));
    assert_eq!(p.get("port"), Some("6000"));
    assert_eq!(p.get("dbname"), Some("sales"));
    assert!(parse(FILE, "missing", Path::new("f")).unwrap().is_none());
    assert!(parse(FILE, "pro", Path::new("f")).unwrap().is_none());
}

#[test]
fn errors_like_libpq() {
    let e = parse("[s]\nhost = x\n", "s", Path::new("/f")).unwrap_err();
    assert_eq!(e.to_string(), "syntax error in service file \"/f\", line 2");
    let e = parse("[s]\nnonsense\n", "s", Path::new("/f")).unwrap_err();
    assert_eq!(e.to_string(), "syntax error in service file \"/f\", line 2");
    let e = parse("[s]\nservice=t\n", "s", Path::new("/f")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "nested service specifications not supported in service file \"/f\", line 2"
    );
    let e = parse("[s]\nrequire_auth=md5\n", "s", Path::new("/f")).unwrap_err();
    assert!(e.to_string().contains("not supported by pgscope"), "{e}");
}

#[test]
fn user_file_then_system_file() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("user.conf");
    let sys = dir.path().join("sys");
    fs::create_dir(&sys).unwrap();
    fs::write(&user, "[a]\nhost=from-user\n").unwrap();
    fs::write(
        sys.join("pg_service.conf"),
        "[a]\nhost=from-sys\n[b]\nhost=sys-b\n",
    )
    .unwrap();
    let sysdir = sys.to_str();
    let user_file = user.to_str();
    assert_eq!(
        lookup("a", user_file, None, sysdir).unwrap().get("host"),
        Some("from-user")
    );
    assert_eq!(
        lookup("b", user_file, None, sysdir).unwrap().get("host"),
        Some("sys-b")
    );
    // ~/.pg_service.conf when no file is named.
    fs::write(dir.path().join(".pg_service.conf"), "[a]\nhost=home\n").unwrap();
    assert_eq!(
        lookup("a", None, Some(dir.path()), sysdir)
            .unwrap()
            .get("host"),
        Some("home")
    );
    // A named file that does not exist is skipped.
    let missing = dir.path().join("nope");
    assert_eq!(
        lookup("b", missing.to_str(), None, sysdir)
            .unwrap()
            .get("host"),
        Some("sys-b")
    );
    assert_eq!(
        lookup("c", user_file, None, sysdir)
            .unwrap_err()
            .to_string(),
        "definition of service \"c\" not found"
    );
}

#[test]
fn precedence_conninfo_over_service_over_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("services");
    fs::write(
        &file,
        "[prod]\nhost=svchost\nport=6000\ndbname=svcdb\nuser=svcuser\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let env = [
        ("PGSERVICEFILE", file),
        ("PGHOST", "envhost"),
        ("PGPORT", "7000"),
        ("PGAPPNAME", "envapp"),
    ];
    let args = ConnArgs {
        conninfo: Some("service=prod dbname=cidb".into()),
        ..ConnArgs::default()
    };
    let t = resolve_env(&args, &env).unwrap();
    assert_eq!(
        t.endpoints,
        vec![Endpoint::Tcp {
            host: "svchost".into(),
            addr: None,
            port: 6000
        }]
    );
    assert_eq!((t.user(), t.dbname()), ("svcuser", "cidb"));
    assert_eq!(t.application_name.as_deref(), Some("envapp"));
    // PGSERVICE names the service too; a flag still wins over it.
    let args = ConnArgs {
        user: Some("flaguser".into()),
        ..ConnArgs::default()
    };
    let mut env = env.to_vec();
    env.push(("PGSERVICE", "prod"));
    let t = resolve_env(&args, &env).unwrap();
    assert_eq!((t.user(), t.dbname()), ("flaguser", "svcdb"));
    let e = resolve_env(
        &ConnArgs::default(),
        &[
            ("PGSERVICE", "nope"),
            ("PGSERVICEFILE", file),
            ("PGSYSCONFDIR", "/nonexistent"),
        ],
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "definition of service \"nope\" not found");
}

proptest! {
    #[test]
    fn parser_never_panics(text in "[ -~\\n\\[\\]=#]{0,120}", name in "[a-z]{1,4}") {
        let _ = parse(&text, &name, Path::new("f"));
    }
}
