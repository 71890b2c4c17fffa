//! Error wording and SQLSTATE access.

use super::super::ConnError;

fn server(sqlstate: &str, message: &str) -> ConnError {
    ConnError::Server {
        at: "on socket \"/tmp/.s.PGSQL.5433\"".into(),
        sqlstate: sqlstate.into(),
        severity: "FATAL".into(),
        message: message.into(),
        detail: None,
        hint: None,
    }
}

#[test]
fn server_error_like_psql() {
    let e = server("28000", "role \"nobody\" does not exist");
    assert_eq!(
        e.to_string(),
        "connection to server on socket \"/tmp/.s.PGSQL.5433\" failed: FATAL:  role \"nobody\" does not exist"
    );
    assert_eq!(e.sqlstate(), Some("28000"));
}

#[test]
fn too_many_connections_gets_a_hint() {
    let e = server("53300", "sorry, too many clients already");
    let text = e.to_string();
    assert!(text.contains("superuser_reserved_connections"), "{text}");
    assert!(text.contains("reserved_connections") && text.contains("pg_use_reserved_connections"));
    assert!(!text.contains('\n'));
    assert_eq!(e.sqlstate(), Some("53300"));

    // The server's message says which slots remain; the hint follows it.
    let e = server(
        "53300",
        "remaining connection slots are reserved for roles with privileges of the \"pg_use_reserved_connections\" role",
    );
    let text = e.to_string();
    assert!(text.contains("only reserved slots remain"), "{text}");
    assert!(
        text.contains("GRANT pg_use_reserved_connections TO <role>"),
        "{text}"
    );
    let e = server(
        "53300",
        "remaining connection slots are reserved for non-replication superuser connections",
    );
    assert!(
        e.to_string()
            .contains("only the superuser_reserved_connections slots remain")
    );
    assert!(e.to_string().contains("for superusers"));
    assert!(text.contains("GRANT pg_use_reserved_connections"));
    let e = server("53300", "sorry, too many clients already");
    assert!(e.to_string().contains("the reserved ones too"), "{e}");
    assert!(
        e.for_login("ops")
            .contains("GRANT pg_use_reserved_connections TO ops")
    );
    assert!(e.for_login("Ops \"x\"").contains("TO \"Ops \"\"x\"\"\""));
    let e = server("53300", "too many connections for role \"ops\"");
    assert!(e.to_string().contains("role's CONNECTION LIMIT"), "{e}");
}

#[test]
fn timeout_and_several_hosts() {
    let t = ConnError::Timeout {
        at: "at \"10.1.1.1\", port 5432".into(),
    };
    assert_eq!(
        t.to_string(),
        "connection to server at \"10.1.1.1\", port 5432 failed: timeout expired"
    );
    assert_eq!(t.sqlstate(), None);
    let all = ConnError::from_attempts(vec![t, server("53300", "full")]);
    assert_eq!(all.sqlstate(), Some("53300"));
    assert!(
        all.to_string()
            .contains("timeout expired; connection to server on socket")
    );
    assert!(!all.to_string().contains('\n'));
}

#[test]
fn control_characters_are_replaced() {
    assert_eq!(
        super::super::error::clean("a\x1b[31mb\nc\u{9b}d"),
        "a?[31mb?c?d"
    );
}
