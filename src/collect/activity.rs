//! The Activity pane: pg_stat_activity, minus our own session.

use tokio_postgres::{Client, Row, Statement};

use super::rows::{get, micros, pane_error, text};
use crate::snapshot::{Backend, Capabilities, PaneError};

/// By version threshold (see `capabilities::pick`).
pub const SQL: [(i32, &str); 3] = [
    (120_000, include_str!("sql/activity_12.sql")),
    (130_000, include_str!("sql/activity_13.sql")),
    (140_000, include_str!("sql/activity_14.sql")),
];

/// The SQL for this server and login. Without EXECUTE on pg_blocking_pids (revoked by some
/// hardened setups) the whole query would fail; instead only the blocked-by column is left out,
/// and the UI says why.
pub fn sql_for(caps: &Capabilities) -> String {
    let sql = super::capabilities::pick(caps.version_num, &SQL);
    if caps.can_blocking_pids {
        sql.to_owned()
    } else {
        sql.replace("pg_blocking_pids(a.pid)", "NULL::int4[]")
    }
}

/// Query text is cut on the server: the list never needs more than a wide screen's worth, and
/// 10,000 sessions with 1 MB queries must not cost 10 GB per refresh.
pub const LIST_QUERY_CHARS: i32 = 300;

/// The sessions, and the server time the read took (from the statement's last row).
pub async fn collect(
    client: &Client,
    stmt: &Statement,
) -> Result<(Vec<Backend>, Option<f64>), PaneError> {
    let rows = client
        .query(stmt, &[&LIST_QUERY_CHARS])
        .await
        .map_err(|e| pane_error(&e))?;
    let mut server_us = None;
    let mut backends = Vec::with_capacity(rows.len());
    for row in &rows {
        match get::<Option<f64>>(row, "server_us")? {
            Some(us) => server_us = Some(us),
            None => backends.push(backend(row)?),
        }
    }
    Ok((backends, server_us))
}

pub fn backend(row: &Row) -> Result<Backend, PaneError> {
    Ok(Backend {
        pid: get(row, "pid")?,
        datname: text(row, "datname")?,
        usename: text(row, "usename")?,
        application_name: text(row, "application_name")?.unwrap_or_default(),
        client: text(row, "client")?,
        client_port: get(row, "client_port")?,
        backend_type: text(row, "backend_type")?.unwrap_or_default(),
        state: text(row, "state")?,
        wait_event_type: text(row, "wait_event_type")?,
        wait_event: text(row, "wait_event")?,
        backend_start: micros(row, "backend_start")?,
        xact_start: micros(row, "xact_start")?,
        query_start: micros(row, "query_start")?,
        state_change: micros(row, "state_change")?,
        xmin_age: get(row, "xmin_age")?,
        blocked_by: get::<Option<Vec<i32>>>(row, "blocked_by")?.unwrap_or_default(),
        query: text(row, "query")?.unwrap_or_default(),
        leader_pid: get(row, "leader_pid")?,
        query_id: get(row, "query_id")?,
    })
}
