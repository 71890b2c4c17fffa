//! Why the monitoring link failed, as a typed failure: a frozen server, a lost connection, or a
//! session that could not be opened, each with its kind and SQLSTATE.

use std::time::Duration;

use super::session::{DEADLINE, SessionError};
use crate::failure::{Failure, Kind};
use crate::snapshot::PaneError;

/// The client-side deadline passed: the server or the network froze.
pub(super) fn no_answer(deadline: Duration) -> Failure {
    let secs = deadline.as_secs();
    Failure::new(
        Kind::Timeout,
        format!("server did not answer within {secs}s"),
    )
}

/// The connection closed under a refresh or a sample; `cause` is the error that came with it.
pub(super) fn lost(cause: Option<&PaneError>) -> Failure {
    match cause {
        Some(e) => Failure {
            kind: Kind::Connection,
            sqlstate: e.sqlstate.clone(),
            message: format!("connection lost: {}", e.message),
        },
        None => Failure::new(Kind::Connection, "connection closed"),
    }
}

/// Why a new session could not be opened, with its kind and SQLSTATE.
pub(super) fn session_failure(e: &SessionError) -> Failure {
    match e {
        SessionError::Connect(c) => Failure {
            kind: c.kind(),
            sqlstate: c.sqlstate().map(str::to_owned),
            message: c.to_string(),
        },
        SessionError::Setup(p) => Failure::from(p),
        SessionError::Deadline => no_answer(DEADLINE),
    }
}
