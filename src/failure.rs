//! A failure that crosses a task boundary (a refresh, the monitoring link, an action): its kind
//! and the server's SQLSTATE reach the screen intact instead of being flattened to a string, so
//! a revoked grant, a timeout and a lost connection stay distinguishable.

use std::fmt;

/// What kind of failure, as far as the operator is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A server-side timeout (statement_timeout, lock_timeout) or the client-side deadline.
    Timeout,
    /// The login lacks a privilege (42501), or authentication failed (28xxx).
    Permission,
    /// The connection could not be opened, broke, or the server shut down.
    Connection,
    /// Any other error the server reported.
    Server,
    /// pgscope itself refused or could not go on (nothing was sent, or the answer was unusable).
    Client,
}

impl Kind {
    /// The kind a SQLSTATE stands for.
    pub fn of_sqlstate(code: &str) -> Kind {
        match code {
            // query_canceled is what statement_timeout raises; lock_not_available, lock_timeout.
            "57014" | "55P03" => Kind::Timeout,
            "42501" => Kind::Permission,
            // admin_shutdown, crash_shutdown, cannot_connect_now.
            "57P01" | "57P02" | "57P03" => Kind::Connection,
            c if c.starts_with("28") => Kind::Permission,
            c if c.starts_with("08") => Kind::Connection,
            _ => Kind::Server,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: Kind,
    pub sqlstate: Option<String>,
    pub message: String,
}

impl Failure {
    /// An error the server reported, classified by its SQLSTATE.
    pub fn server(sqlstate: &str, message: impl Into<String>) -> Failure {
        Failure {
            kind: Kind::of_sqlstate(sqlstate),
            sqlstate: Some(sqlstate.to_owned()),
            message: message.into(),
        }
    }

    /// A failure with no SQLSTATE (a deadline, a lost connection, a refusal of pgscope's own).
    pub fn new(kind: Kind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            sqlstate: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sqlstate {
            Some(code) => write!(f, "{} (SQLSTATE {code})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlstates_keep_their_kind() {
        assert_eq!(Kind::of_sqlstate("57014"), Kind::Timeout);
        assert_eq!(Kind::of_sqlstate("55P03"), Kind::Timeout);
        assert_eq!(Kind::of_sqlstate("42501"), Kind::Permission);
        assert_eq!(Kind::of_sqlstate("28P01"), Kind::Permission);
        assert_eq!(Kind::of_sqlstate("08006"), Kind::Connection);
        assert_eq!(Kind::of_sqlstate("57P01"), Kind::Connection);
        assert_eq!(Kind::of_sqlstate("42P01"), Kind::Server);
        let f = Failure::server("42501", "permission denied");
        assert_eq!(f.to_string(), "permission denied (SQLSTATE 42501)");
    }
}
