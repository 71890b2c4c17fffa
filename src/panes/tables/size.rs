//! The exact size of one table, on demand only (a key, never a timer). The size functions open
//! the relation and its indexes, so they wait behind any ACCESS EXCLUSIVE lock, held or queued:
//! they run under a short `lock_timeout`, and a timeout is reported as "locked" instead of
//! waiting. Like EXPLAIN, it runs on a short-lived connection to the table's own database, so
//! it never delays a refresh.

use std::time::Duration;

use tokio_postgres::Client;

use crate::collect::rows::{get, pane_error};
use crate::conn::{self, Target};
use crate::panes::tables::data::ExactSize;
use crate::snapshot::PaneError;

pub const APPLICATION_NAME: &str = "pgscope-size";
const SQL: &str = include_str!("sql/exact_size.sql");
/// Long enough for a lock that is free, short enough that the operator never waits on one
/// that is not.
pub const LOCK_TIMEOUT: Duration = Duration::from_millis(100);
const BEGIN: &str = "BEGIN READ ONLY; SET LOCAL lock_timeout = '100ms'; \
                     SET LOCAL statement_timeout = '5s'";
/// Client-side: connecting and measuring, even when the server is frozen.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// Measures table `relid` on `client`, which must not run other queries meanwhile (the size
/// is read inside a transaction of its own, always rolled back).
pub async fn exact_size(client: &Client, relid: u32) -> Result<ExactSize, PaneError> {
    client
        .batch_execute(BEGIN)
        .await
        .map_err(|e| pane_error(&e))?;
    let measured = client.query_one(SQL, &[&relid]).await;
    // Rolled back whatever happened; a lock timeout has aborted the transaction anyway.
    let _ = client.batch_execute("ROLLBACK").await;
    let row = match measured {
        Ok(row) => row,
        Err(e) => {
            let err = pane_error(&e);
            return if err.sqlstate.as_deref() == Some("55P03") {
                Ok(ExactSize::Locked)
            } else {
                Err(err)
            };
        }
    };
    // The size functions return NULL for an oid that no longer names a relation.
    let table: Option<i64> = get(&row, "table_bytes")?;
    let indexes: Option<i64> = get(&row, "index_bytes")?;
    let total: Option<i64> = get(&row, "total_bytes")?;
    Ok(match (table, indexes, total) {
        (Some(table), Some(indexes), Some(total)) => ExactSize::Measured {
            table,
            indexes,
            total,
        },
        _ => ExactSize::Gone,
    })
}

/// [`exact_size`] on a short-lived connection to database `datname` (statistics and oids are
/// per database), within [`DEADLINE`].
pub async fn exact_size_in(
    target: &Target,
    datname: &str,
    relid: u32,
) -> Result<ExactSize, String> {
    let work = async {
        let client = conn::connect(&target.with_dbname(datname), APPLICATION_NAME)
            .await
            .map_err(|e| format!("cannot connect to database {datname}: {e}"))?;
        exact_size(&client, relid).await.map_err(|e| e.to_string())
    };
    match tokio::time::timeout(DEADLINE, work).await {
        Ok(r) => r,
        Err(_) => Err(format!("no answer within {} s", DEADLINE.as_secs())),
    }
}
