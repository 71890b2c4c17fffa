//! The key=value and URI parsers.

use super::super::{conninfo, uri};

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn conninfo_whitespace_and_quotes() {
    let got =
        conninfo::parse("  host = db1 port=5433   dbname='my db' user='o\\'brien' x='' ").unwrap();
    assert_eq!(
        got,
        pairs(&[
            ("host", "db1"),
            ("port", "5433"),
            ("dbname", "my db"),
            ("user", "o'brien"),
            ("x", "")
        ])
    );
}

#[test]
fn conninfo_backslash_escapes() {
    let got = conninfo::parse(r"password='a\\b' options=-c\ x=1").unwrap();
    assert_eq!(got, pairs(&[("password", r"a\b"), ("options", "-c x=1")]));
}

#[test]
fn conninfo_errors() {
    let e = conninfo::parse("host='db").unwrap_err().to_string();
    assert_eq!(e, "unterminated quoted string in connection info string");
    let e = conninfo::parse("host=a port").unwrap_err().to_string();
    assert_eq!(e, "missing \"=\" after \"port\" in connection info string");
    // A stray word after a password is probably part of it: never echoed.
    let e = conninfo::parse("password=abc def").unwrap_err().to_string();
    assert!(!e.contains("def"), "{e}");
}

#[test]
fn recognizes_conninfo_like_psql() {
    assert!(conninfo::is_conninfo("dbname=x"));
    assert!(conninfo::is_conninfo("postgresql://h"));
    assert!(conninfo::is_conninfo("postgres://h"));
    assert!(!conninfo::is_conninfo("mydb"));
    assert!(!conninfo::is_conninfo("postgresq://h"));
}

#[test]
fn uri_full() {
    let got = uri::parse(
        "postgresql://bob:s%40cret@db1:5433/sales?connect_timeout=5&application_name=x%20y",
    )
    .unwrap();
    assert_eq!(
        got,
        pairs(&[
            ("user", "bob"),
            ("password", "s@cret"),
            ("host", "db1"),
            ("port", "5433"),
            ("dbname", "sales"),
            ("connect_timeout", "5"),
            ("application_name", "x y"),
        ])
    );
}

#[test]
fn uri_ipv6_and_multiple_hosts() {
    let got = uri::parse("postgres://[::1]:5433,db2,[fe80::1%25eth0]/d").unwrap();
    assert_eq!(
        got,
        pairs(&[
            ("host", "::1,db2,fe80::1%eth0"),
            ("port", "5433,,"),
            ("dbname", "d")
        ])
    );
}

#[test]
fn uri_socket_forms() {
    assert_eq!(
        uri::parse("postgresql://%2Ftmp/db").unwrap(),
        pairs(&[("host", "/tmp"), ("dbname", "db")])
    );
    assert_eq!(
        uri::parse("postgresql:///db?host=/tmp&port=5499").unwrap(),
        pairs(&[("dbname", "db"), ("host", "/tmp"), ("port", "5499")])
    );
    assert_eq!(uri::parse("postgresql://").unwrap(), pairs(&[]));
}

#[test]
fn uri_errors_like_libpq() {
    let err = |u: &str| uri::parse(u).unwrap_err().to_string();
    assert_eq!(
        err("postgresql://h/d?foo=bar"),
        "invalid URI query parameter: \"foo\""
    );
    assert_eq!(
        err("postgresql://h%zz/d"),
        "invalid percent-encoded token: \"h%zz\""
    );
    assert_eq!(
        err("postgresql://%00/d"),
        "forbidden value %00 in percent-encoded value: \"%00\""
    );
    assert_eq!(
        err("postgresql://h/d?host"),
        "missing key/value separator \"=\" in URI query parameter: \"host\""
    );
    assert!(err("postgresql://[::1/d").starts_with("end of string reached when looking for"));
    // A badly encoded password is not quoted back.
    let e = err("postgresql://u:pa%zzss@h/d");
    assert!(!e.contains("pa%zzss"), "{e}");
}

#[test]
fn uri_ssl_true_is_sslmode_require() {
    assert_eq!(
        uri::parse("postgresql://h?ssl=true").unwrap(),
        pairs(&[("host", "h"), ("sslmode", "require")])
    );
}
