//! The Activity pane: pg_stat_activity, minus our own session.

use tokio_postgres::{Client, Row, Statement};

use crate::collect::sql::{self, Since};
use crate::collect::rows::{get, micros, pane_error, text};
use crate::snapshot::{Backend, Capabilities, PaneError};

const BASE: &str = include_str!("sql/activity.sql");
const LEADER_PID: [Since; 2] = [(120_000, "NULL::int4 AS leader_pid"), (130_000, "a.leader_pid")];
const QUERY_ID: [Since; 2] = [(120_000, "NULL::int8 AS query_id"), (140_000, "a.query_id")];

/// The statement for a server version.
pub fn sql(version_num: i32) -> String {
    sql::fill(
        BASE,
        &[
            ("leader_pid", sql::one(version_num, &LEADER_PID)),
            ("query_id", sql::one(version_num, &QUERY_ID)),
        ],
    )
}

/// The SQL for this server and login. Without EXECUTE on pg_blocking_pids (revoked by some
/// hardened setups) the whole query would fail; instead only the blocked-by column is left out,
/// and the UI says why.
pub fn sql_for(caps: &Capabilities) -> String {
    let sql = sql(caps.version_num);
    if caps.can_blocking_pids {
        sql
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

/// The sessions are read by the collector itself, every refresh, whichever pane is on screen:
/// the header counts them and the other panes group and join them. Nothing more to read.
impl crate::collect::pane::Read for super::Def {
    type Statements = ();
    type Gates = ();

    async fn prepare(_: &Client, _: &Capabilities) {}

    async fn read(
        _: crate::collect::pane::Cx<'_>,
        (): &(),
        (): &mut (),
    ) -> crate::snapshot::Part<()> {
        None
    }
}
