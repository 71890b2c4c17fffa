//! The connect deadline (`connect_timeout`) applied to each step of opening a connection.

use std::time::Duration;

use super::error::ConnError;

/// Runs `fut` under the deadline (none when `connect_timeout` <= 0 was asked for).
pub(super) async fn within<F: Future>(
    deadline: Option<Duration>,
    fut: F,
    at: &str,
) -> Result<F::Output, ConnError> {
    match deadline {
        Some(d) => tokio::time::timeout(d, fut)
            .await
            .map_err(|_| ConnError::Timeout { at: at.to_owned() }),
        None => Ok(fut.await),
    }
}
