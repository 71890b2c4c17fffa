//! A fleet member's connection to PostgreSQL: the monitoring session's safety settings, and per
//! refresh one small read pipelined on it: the header's own statement (collect/header.rs), the
//! header's replication summary, and the load (`sql/load.sql`), never a pane's list. The
//! cluster's identifier is read once per connection.

use std::time::Duration;

use tokio_postgres::{Client, Statement};

use super::member::{Load, Reading};
use crate::collect::header;
use crate::collect::rows::{failure, get, pane_error};
use crate::collect::session::{APPLICATION_NAME, DEADLINE, SETUP};
use crate::conn::{self, ConnError, Target};
use crate::failure::{Failure, Kind};
use crate::panes::replication::read::{SUMMARY_SQL, read_summary};
use crate::snapshot::PaneError;

const LOAD_SQL: &str = include_str!("sql/load.sql");
/// Needs pg_monitor or superuser (EXECUTE is revoked from PUBLIC).
const SYSTEM_SQL: &str = "SELECT system_identifier::text AS id FROM pg_control_system()";

/// Statements one refresh sends (each its own transaction; TPS leaves them out).
pub const STATEMENTS: i64 = 3;

pub struct Probe {
    client: Client,
    header: Statement,
    summary: Statement,
    load: Statement,
    pub system_id: Result<String, PaneError>,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Connect(#[from] ConnError),
    #[error("{}", .0.message)]
    Setup(Failure),
    #[error("server did not answer within {}s", .0.as_secs())]
    Deadline(Duration),
}

impl OpenError {
    /// As the link reports it: kind, SQLSTATE, psql's words for a refused login.
    pub fn failure(&self, login: &str) -> Failure {
        match self {
            OpenError::Connect(c) => Failure {
                kind: c.kind(),
                sqlstate: c.sqlstate().map(str::to_owned),
                message: c.for_login(login),
            },
            OpenError::Setup(f) => f.clone(),
            OpenError::Deadline(_) => Failure::new(Kind::Timeout, self.to_string()),
        }
    }

    /// The server wants a password nobody gave: worth one prompt at startup.
    pub fn wants_password(&self) -> bool {
        matches!(self, OpenError::Connect(ConnError::NoPassword { .. }))
    }
}

/// Connects (within the target's connect timeout) and prepares the three statements.
pub async fn open(target: &Target) -> Result<Probe, OpenError> {
    let limit = target
        .connect_timeout()
        .unwrap_or(super::targets::CONNECT_TIMEOUT);
    let connected = tokio::time::timeout(limit, conn::connect_full(target, APPLICATION_NAME))
        .await
        .map_err(|_| OpenError::Deadline(limit))??;
    let client = connected.client;
    let work = async {
        client.batch_execute(SETUP).await?;
        let header = client.prepare(header::SQL).await?;
        let summary = client.prepare(SUMMARY_SQL).await?;
        let load = client.prepare(LOAD_SQL).await?;
        Ok::<_, tokio_postgres::Error>((header, summary, load))
    };
    let (header, summary, load) = tokio::time::timeout(DEADLINE, work)
        .await
        .map_err(|_| OpenError::Deadline(DEADLINE))?
        .map_err(|e| OpenError::Setup(failure(&e)))?;
    let system_id = match tokio::time::timeout(DEADLINE, client.query_one(SYSTEM_SQL, &[])).await {
        Err(_) => return Err(OpenError::Deadline(DEADLINE)),
        Ok(Ok(row)) => get::<String>(&row, "id"),
        Ok(Err(e)) => Err(pane_error(&e)),
    };
    Ok(Probe {
        client,
        header,
        summary,
        load,
        system_id,
    })
}

impl Probe {
    /// One read, its three statements pipelined, within the client-side deadline. `Err`: the
    /// connection is unusable (lost or frozen); a statement's own error stays in its part.
    pub async fn read(&self) -> Result<Reading, Failure> {
        let c = &self.client;
        let all = async {
            tokio::join!(
                header::collect(c, &self.header),
                async {
                    let row = c
                        .query_one(&self.summary, &[])
                        .await
                        .map_err(|e| pane_error(&e))?;
                    read_summary(&row)
                },
                async {
                    let row = c
                        .query_one(&self.load, &[])
                        .await
                        .map_err(|e| pane_error(&e))?;
                    load(&row)
                },
            )
        };
        let Ok((info, replication, load)) = tokio::time::timeout(DEADLINE, all).await else {
            return Err(Failure::new(
                Kind::Timeout,
                format!("server did not answer within {}s", DEADLINE.as_secs()),
            ));
        };
        if c.is_closed() {
            let why = info
                .as_ref()
                .err()
                .map_or("connection closed".to_owned(), |e| {
                    format!("connection lost: {}", e.message)
                });
            return Err(Failure::new(Kind::Connection, why));
        }
        // Without the header there is no line to show: treat it as the server's failure.
        let info = info.map_err(|e| crate::collect::rows::failure_of(&e))?;
        Ok(Reading {
            info,
            replication,
            load,
        })
    }
}

fn load(row: &tokio_postgres::Row) -> Result<Load, PaneError> {
    Ok(Load {
        conns: get::<Option<i64>>(row, "conns")?.unwrap_or(0),
        active: get::<Option<i64>>(row, "active")?.unwrap_or(0),
        idle_tx: get::<Option<i64>>(row, "idle_tx")?.unwrap_or(0),
        idle_tx_us: get(row, "idle_tx_us")?,
        lock_waits: get::<Option<i64>>(row, "lock_waits")?.unwrap_or(0),
        lock_wait_us: get(row, "lock_wait_us")?,
        longest_us: get(row, "longest_us")?,
        xid_age: get(row, "xid_age")?,
        xmin_age: get(row, "xmin_age")?,
    })
}
