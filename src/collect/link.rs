//! Why the monitoring link failed, as a typed failure: a frozen server or a lost connection,
//! with its kind and the SQLSTATE that came with it.

use std::time::Duration;

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
