//! The monitoring session: connected, configured by the safety contract, statements prepared.

use std::time::Duration;

use tokio_postgres::{Client, Statement};

use std::sync::Arc;

use super::rows::pane_error;
use super::{capabilities, header, pane};
use crate::conn::{self, ConnError, Target};
use crate::panes::activity::read as activity;
use crate::snapshot::{Capabilities, PaneError};

/// Server-side limits of the monitoring session. The client-side deadline is longer, so the
/// server's own timeout normally fires first and only a frozen server trips the deadline.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(3);
pub const LOCK_TIMEOUT: Duration = Duration::from_millis(200);
pub const DEADLINE: Duration = Duration::from_secs(5);

pub const APPLICATION_NAME: &str = "pgscope";

/// Read-only, time-limited, no JIT (it costs more than these queries), catalog-only search path
/// so that user objects cannot shadow the functions we call. A SQL_ASCII database refuses to send
/// text that is not valid in the client encoding (22021) and would fail a whole pane for one
/// session's query: there the client encoding becomes SQL_ASCII too, the bytes arrive as they
/// are and are decoded lossily (collect/rows.rs).
pub const SETUP: &str = "SET statement_timeout = '3s'; SET lock_timeout = '200ms'; \
     SET idle_in_transaction_session_timeout = '10s'; SET default_transaction_read_only = on; \
     SET jit = off; SET search_path = pg_catalog, pg_temp; \
     SELECT set_config('client_encoding', 'SQL_ASCII', false) \
      WHERE current_setting('server_encoding') = 'SQL_ASCII'";

pub struct Session {
    /// Shared only while lent for a job (see [`crate::lend`]).
    pub client: Arc<Client>,
    pub own_pid: i32,
    pub caps: Arc<Capabilities>,
    pub header: Statement,
    pub activity: Statement,
    /// Every pane's statements. Boxed: every refresh future carries the session.
    pub panes: Box<pane::Statements>,
    /// The wait sampler's statement; an error here shows in the Waits pane.
    pub sampler: Result<Statement, PaneError>,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Connect(#[from] ConnError),
    #[error("{0}")]
    Setup(PaneError),
    #[error("server did not answer within {}s", DEADLINE.as_secs())]
    Deadline,
}

/// Connects and prepares a fresh session.
pub async fn open(target: &Target) -> Result<Session, SessionError> {
    let connected = conn::connect_full(target, APPLICATION_NAME).await?;
    prepare(connected).await
}

/// Configures an already connected client (the first connection is made before the terminal
/// switches to raw mode, so that its error is printed like psql's).
pub async fn prepare(connected: conn::Connected) -> Result<Session, SessionError> {
    let conn::Connected { client, transport } = connected;
    let work = async {
        client
            .batch_execute(SETUP)
            .await
            .map_err(|e| pane_error(&e))?;
        let mut caps = capabilities::detect(&client).await?;
        caps.transport = transport;
        let activity_sql = activity::sql_for(&caps);
        let header = client
            .prepare(header::SQL)
            .await
            .map_err(|e| pane_error(&e))?;
        let activity = client
            .prepare(&activity_sql)
            .await
            .map_err(|e| pane_error(&e))?;
        // Boxed: every pane's statements prepared together make a large future.
        let panes = Box::new(Box::pin(pane::prepare(&client, &caps)).await);
        let sampler = crate::panes::waits::read::prepare_sample(&client, caps.version_num).await;
        Ok::<_, PaneError>((caps, header, activity, panes, sampler))
    };
    match tokio::time::timeout(DEADLINE, work).await {
        Err(_) => Err(SessionError::Deadline),
        Ok(Err(e)) => Err(SessionError::Setup(e)),
        Ok(Ok((caps, header, activity, panes, sampler))) => Ok(Session {
            client: Arc::new(client),
            own_pid: caps.own_pid,
            caps: Arc::new(caps),
            header,
            activity,
            panes,
            sampler,
        }),
    }
}

/// How a grant that changed while connected is followed.
const BLOCKING_PIDS_GRANT: &str =
    "SELECT has_function_privilege('pg_catalog.pg_blocking_pids(integer)', 'EXECUTE') AS can";

impl Session {
    /// EXECUTE on pg_blocking_pids granted or revoked while connected: the activity statement
    /// is prepared again to match (a REVOKE would otherwise fail the whole pane, as execute
    /// rights are checked when a statement starts, whichever rows it reads). True if it changed.
    pub async fn follow_blocking_pids_grant(&mut self) -> Result<bool, PaneError> {
        let row = self
            .client
            .query_one(BLOCKING_PIDS_GRANT, &[])
            .await
            .map_err(|e| pane_error(&e))?;
        let can: bool = super::rows::get(&row, "can")?;
        if can == self.caps.can_blocking_pids {
            return Ok(false);
        }
        let mut caps = (*self.caps).clone();
        caps.can_blocking_pids = can;
        self.activity = self
            .client
            .prepare(&activity::sql_for(&caps))
            .await
            .map_err(|e| pane_error(&e))?;
        self.caps = Arc::new(caps);
        Ok(true)
    }
}
