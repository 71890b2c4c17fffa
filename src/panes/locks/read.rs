//! The Locks pane: contended locks, the locks of the sessions involved, and pg_locks grouped,
//! from one read of pg_locks aggregated on the server.

use tokio_postgres::{Client, Row, Statement};

use crate::collect::rows::{get, micros, pane_error, text};
use crate::collect::sql::{self, Since};
use crate::collect::catalog_lock;
use crate::collect::gate::Gate;
use crate::collect::pane::{Cx, Read};
use crate::snapshot::{Capabilities, PaneError, Part};
use crate::panes::locks::data::{Lock, LockTarget, Locks, Prepared};

const BASE: &str = include_str!("sql/locks.sql");
/// An expression (the statement names it where used).
const WAITSTART: [Since; 2] = [(120_000, "NULL::timestamptz"), (140_000, "waitstart")];

/// The statement for a server version.
pub fn sql(version_num: i32) -> String {
    sql::fill(BASE, &[("waitstart", sql::one(version_num, &WAITSTART))])
}

/// Rows per list: enough for any pile-up an operator can read, small enough that 200,000
/// locks never reach the client.
pub const CAP: i64 = 2_000;

pub async fn collect(client: &Client, stmt: &Statement) -> Result<Locks, PaneError> {
    let rows = client
        .query(stmt, &[&CAP])
        .await
        .map_err(|e| pane_error(&e))?;
    let mut out = Locks {
        cap: CAP,
        ..Locks::default()
    };
    for row in &rows {
        let lock = lock(row)?;
        match text(row, "kind")?.as_deref() {
            Some("contended") => out.contended.push(lock),
            Some("pid") => out.by_pid.push(lock),
            Some("group") => {
                out.groups_total = get::<Option<i64>>(row, "groups_total")?.unwrap_or(0);
                out.locks_total = get::<Option<i64>>(row, "locks_total")?.unwrap_or(0);
                out.groups.push(lock);
            }
            _ => {}
        }
    }
    // The server returns one row past the cap to say that it cut the list.
    if out.contended.len() as i64 > CAP {
        out.contended.truncate(CAP as usize);
        out.contended_capped = true;
    }
    out.groups
        .sort_by(|a, b| a.granted.cmp(&b.granted).then(b.count.cmp(&a.count)));
    Ok(out)
}

fn lock(row: &Row) -> Result<Lock, PaneError> {
    let prepared = text(row, "gid")?
        .map(|gid| {
            Ok::<_, PaneError>(Prepared {
                gid,
                prepared_at: micros(row, "prepared")?,
                owner: text(row, "prepared_owner")?,
                database: text(row, "prepared_database")?,
            })
        })
        .transpose()?;
    Ok(Lock {
        pid: get(row, "pid")?,
        target: LockTarget {
            locktype: text(row, "locktype")?.unwrap_or_default(),
            database: get::<Option<i64>>(row, "database")?.unwrap_or(0),
            datname: text(row, "datname")?,
            relation: get::<Option<i64>>(row, "relation")?.unwrap_or(0),
            schema: text(row, "schema")?,
            relname: text(row, "relname")?,
            page: get(row, "page")?,
            tuple: get(row, "tuple")?,
            virtualxid: text(row, "virtualxid")?,
            transactionid: text(row, "transactionid")?,
            classid: get::<Option<i64>>(row, "classid")?.unwrap_or(0),
            objid: get::<Option<i64>>(row, "objid")?.unwrap_or(0),
            objsubid: get(row, "objsubid")?,
        },
        mode: text(row, "mode")?.unwrap_or_default(),
        granted: get::<Option<bool>>(row, "granted")?.unwrap_or(false),
        waitstart: micros(row, "waitstart")?,
        prepared,
        count: get::<Option<i64>>(row, "count")?.unwrap_or(1),
    })
}

impl Read for super::Def {
    type Statements = Result<Statement, PaneError>;
    type Gates = Gate;
    const STATEMENTS: i64 = 1;

    async fn prepare(client: &Client, caps: &Capabilities) -> Self::Statements {
        let sql = sql(caps.version_num);
        client.prepare(&sql).await.map_err(|e| pane_error(&e))
    }

    /// pg_locks is read only while the pane is on screen.
    async fn read(cx: Cx<'_>, st: &Self::Statements, gate: &mut Gate) -> Part<Locks> {
        if !cx.focused {
            return None;
        }
        let stmt = st.as_ref().map_err(Clone::clone);
        // A lock timeout names the session holding the catalog lock it waited on.
        let read = async { catalog_lock::name_holder(cx.client, collect(cx.client, stmt?).await).await };
        Some(Box::pin(gate.run(cx.seq, read)).await)
    }
}
