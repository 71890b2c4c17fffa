//! The password file: format, matching, first match, permissions, per-host lookup.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use proptest::prelude::*;

use super::super::ConnArgs;
use super::super::pgpass::{Key, lookup, read};
use super::super::resolve::resolve_with;
use super::env_of;

fn key<'a>(host: &'a str, port: &'a str, dbname: &'a str, user: &'a str) -> Key<'a> {
    Key {
        host,
        port,
        dbname,
        user,
    }
}

#[test]
fn first_match_wildcards_and_comments() {
    let text = "# comment\n\
                db1:5432:sales:alice:first\n\
                *:*:*:alice:second\n\
                db1:5432:sales:alice:third\n\
                \n\
                *:*:*:*:fallback\r\n";
    assert_eq!(
        lookup(text, key("db1", "5432", "sales", "alice")).as_deref(),
        Some("first")
    );
    assert_eq!(
        lookup(text, key("db2", "5432", "sales", "alice")).as_deref(),
        Some("second")
    );
    assert_eq!(
        lookup(text, key("db2", "1", "x", "bob")).as_deref(),
        Some("fallback")
    );
    assert_eq!(
        lookup(
            "db1:5432:sales:alice:pw",
            key("db1", "5433", "sales", "alice")
        ),
        None
    );
    // `*` is a wildcard only as a whole field.
    assert_eq!(lookup("db*:*:*:*:pw", key("db1", "1", "d", "u")), None);
    assert_eq!(
        lookup("db*:*:*:*:pw", key("db*", "1", "d", "u")).as_deref(),
        Some("pw")
    );
}

#[test]
fn escapes() {
    // A host with a colon (IPv6) and a password with `:` and `\`.
    let text = r"\:\:1:5432:*:bob:pa\:ss\\word";
    assert_eq!(
        lookup(text, key("::1", "5432", "d", "bob")).as_deref(),
        Some(r"pa:ss\word")
    );
    // An unescaped colon ends the password (libpq ignores the rest).
    assert_eq!(
        lookup("*:*:*:*:abc:def", key("h", "1", "d", "u")).as_deref(),
        Some("abc")
    );
    // Too few fields never match.
    assert_eq!(lookup("h:1:d", key("h", "1", "d", "u")), None);
    assert_eq!(lookup("*:*:*:u", key("h", "1", "d", "u")), None);
}

#[test]
fn group_or_world_readable_file_is_ignored_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pgpass");
    fs::write(&file, "*:*:*:*:secret\n").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
    let mut warnings = Vec::new();
    assert_eq!(read(&file, &mut warnings), None);
    assert_eq!(
        warnings,
        vec![format!(
            "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
            file.display()
        )]
    );
    fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
    let mut warnings = Vec::new();
    assert!(read(&file, &mut warnings).is_some());
    assert!(warnings.is_empty());
    // A missing file is silently absent, a directory is not a plain file.
    assert_eq!(read(&dir.path().join("none"), &mut warnings), None);
    assert!(warnings.is_empty());
    assert_eq!(read(dir.path(), &mut warnings), None);
    assert!(warnings[0].contains("is not a plain file"));
}

#[test]
fn resolved_per_host_with_localhost_for_default_sockets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pass");
    fs::write(
        &file,
        "localhost:5432:*:alice:sock\n/run/other:5432:*:alice:other-sock\ndb1:6000:*:alice:tcp\n",
    )
    .unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
    let passfile = file.to_str().unwrap();
    let args = ConnArgs {
        conninfo: Some("host=,/run/other,db1,db2 port=5432,5432,6000,6000".into()),
        ..ConnArgs::default()
    };
    let t = resolve_with(
        &args,
        &env_of(&[("PGPASSFILE", passfile)]),
        &["/nonexistent-a"],
        Some("alice".into()),
    )
    .unwrap();
    assert_eq!(
        t.host_passwords,
        vec![
            Some("sock".to_owned()),
            Some("other-sock".to_owned()),
            Some("tcp".to_owned()),
            None
        ]
    );
    assert!(!format!("{t:?}").contains("sock\""), "{t:?}");
    // An explicit password wins; the file is not consulted.
    let args = ConnArgs {
        conninfo: Some("host=db1 port=6000 password=given".into()),
        ..ConnArgs::default()
    };
    let t = resolve_with(
        &args,
        &env_of(&[("PGPASSFILE", passfile)]),
        &["/x"],
        Some("alice".into()),
    )
    .unwrap();
    assert_eq!(t.host_passwords, vec![None]);
    // `passfile` in the conninfo wins over PGPASSFILE; ~/.pgpass is the default.
    let home = dir.path().to_str().unwrap();
    fs::copy(&file, dir.path().join(".pgpass")).unwrap();
    fs::set_permissions(
        dir.path().join(".pgpass"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let args = ConnArgs {
        conninfo: Some("host=db1 port=6000".into()),
        ..ConnArgs::default()
    };
    let t = resolve_with(
        &args,
        &env_of(&[("HOME", home)]),
        &["/x"],
        Some("alice".into()),
    )
    .unwrap();
    assert_eq!(t.host_passwords, vec![Some("tcp".to_owned())]);
    assert!(t.has_password());
}

fn escape(s: &str) -> String {
    s.replace('\\', r"\\").replace(':', r"\:")
}

proptest! {
    #[test]
    fn escaped_fields_round_trip(
        host in "[a-z0-9:.\\\\-]{1,12}",
        db in "[a-zA-Z0-9:_ \\\\]{1,12}",
        user in "[a-z0-9:\\\\]{1,8}",
        password in "[ -~]{0,16}",
    ) {
        let line = format!("{}:5432:{}:{}:{}", escape(&host), escape(&db), escape(&user), escape(&password));
        let got = lookup(&line, key(&host, "5432", &db, &user));
        prop_assert_eq!(got.as_deref(), Some(password.as_str()));
    }

    #[test]
    fn never_panics(text in "[ -~\\n\\\\:*]{0,80}", host in "[a-z*:]{0,4}") {
        let _ = lookup(&text, key(&host, "5432", "d", "u"));
    }
}
