//! The header's server facts and cumulative counters.

use tokio_postgres::{Client, Statement};

use super::rows::{get, micros, pane_error, text};
use crate::snapshot::{PaneError, ServerInfo};

pub const SQL: &str = include_str!("sql/header.sql");

pub async fn collect(client: &Client, stmt: &Statement) -> Result<ServerInfo, PaneError> {
    let row = client
        .query_one(stmt, &[])
        .await
        .map_err(|e| pane_error(&e))?;
    Ok(ServerInfo {
        version: text(&row, "version")?.unwrap_or_default(),
        version_num: get(&row, "version_num")?,
        in_recovery: get(&row, "in_recovery")?,
        start_time: micros(&row, "start_time")?.unwrap_or_default(),
        now: micros(&row, "now")?.unwrap_or_default(),
        max_connections: get(&row, "max_connections")?,
        xacts: get::<Option<i64>>(&row, "xacts")?.unwrap_or_default(),
        blks_hit: get::<Option<i64>>(&row, "blks_hit")?.unwrap_or_default(),
        blks_read: get::<Option<i64>>(&row, "blks_read")?.unwrap_or_default(),
        own_xacts: 0,
    })
}
