//! target_session_attrs checked the way libpq does after login, and load_balance_hosts' shuffle.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::time::Duration;

use tokio_postgres::{Client, SimpleQueryMessage};

use super::deadline::within;
use super::error::ConnError;
use super::target::SessionAttrs;

/// `transaction_read_only` at session start is on for a standby and for
/// default_transaction_read_only=on, which is what libpq's read-write/read-only checks look at.
const PROBE: &str = "SELECT pg_catalog.pg_is_in_recovery()::text, \
     pg_catalog.current_setting('transaction_read_only')";

/// Fails with libpq's words when the session is not of the kind asked for.
pub(super) async fn check(
    client: &Client,
    attrs: SessionAttrs,
    at: &str,
    deadline: Option<Duration>,
) -> Result<(), ConnError> {
    if matches!(attrs, SessionAttrs::Any | SessionAttrs::PreferStandby) {
        return Ok(());
    }
    let failed = |e: &tokio_postgres::Error| ConnError::from_pg(e, at);
    let messages = within(deadline, client.simple_query(PROBE), at)
        .await?
        .map_err(|e| failed(&e))?;
    let (standby, read_only) = messages
        .iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(row) => {
                Some((row.get(0) == Some("true"), row.get(1) == Some("on")))
            }
            _ => None,
        })
        .ok_or_else(|| {
            ConnError::Io(format!(
                "connection to server {at} failed: no answer to the session check"
            ))
        })?;
    let wrong = match attrs {
        SessionAttrs::ReadWrite if read_only => Some("session is read-only"),
        SessionAttrs::ReadOnly if !read_only => Some("session is not read-only"),
        SessionAttrs::Primary if standby => Some("server is in hot standby mode"),
        SessionAttrs::Standby if !standby => Some("server is not in hot standby mode"),
        _ => None,
    };
    match wrong {
        Some(message) => Err(ConnError::WrongKind {
            at: at.to_owned(),
            message: message.to_owned(),
        }),
        None => Ok(()),
    }
}

/// Fisher-Yates with the standard library's randomly seeded hasher as the random source.
pub(super) fn shuffle<T>(items: &mut [T]) {
    let state = RandomState::new();
    for i in (1..items.len()).rev() {
        let r = state.hash_one(i);
        let j = usize::try_from(r % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}
