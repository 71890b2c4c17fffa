//! Plain data handed from the collect task to the app: the only contract between `collect/` and
//! `state/`/`ui/`. Everything is owned; nothing here knows about tokio or PostgreSQL types.

pub mod base;

use std::time::Duration;

pub use base::{Micros, PaneData, PaneError, Part};

/// One refresh: the header data and every pane's rows, each with its own outcome so that one
/// failing query degrades only its pane.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Monotonic sequence number of this refresh since the collector started.
    pub seq: u64,
    /// Client wall clock (µs since epoch) when the refresh completed.
    pub taken_at: Micros,
    /// Wall time the whole refresh took on the client, round trips included.
    pub elapsed: Duration,
    /// The capabilities of the connection this snapshot was read on.
    pub caps: std::sync::Arc<Capabilities>,
    pub server: Result<ServerInfo, PaneError>,
    pub activity: Result<Activity, PaneError>,
    /// The header's replication facts, read every refresh; `None` when not read at all.
    pub replication_summary:
        Option<Result<Box<crate::panes::replication::data::Summary>, PaneError>>,
    /// Every pane's own data, each the same way (see [`Parts`]).
    pub panes: Parts,
    /// How often the collector refreshes, and what one refresh costs the server.
    pub pacing: Pacing,
}

macro_rules! parts {
    ($(($n:literal, $key:literal, $variant:ident, $module:ident, $short:literal)),* $(,)?) => {
        /// Every pane's part of one refresh, named like the pane's module.
        #[derive(Debug, Clone, Default)]
        pub struct Parts {
            $(pub $module: Part<<crate::panes::$module::Def as PaneData>::Part>,)*
        }
    };
}
crate::panes::for_each_pane!(parts);

/// The refresh interval asked for and the one in effect (see `collect::pace`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pacing {
    /// `--interval`, the config file, or `+`/`-`.
    pub asked: std::time::Duration,
    /// Longer than `asked` while one refresh costs the server more than pgscope's budget.
    pub every: std::time::Duration,
    /// Mean server time of one read of the sessions, in µs, once measured.
    pub read_us: Option<f64>,
}

/// Server-wide facts and cumulative counters for the header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerInfo {
    /// `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)".
    pub version: String,
    pub version_num: i32,
    pub in_recovery: bool,
    pub start_time: Micros,
    /// The server's clock at the time of the refresh; ages are measured against it.
    pub now: Micros,
    pub max_connections: i32,
    /// Sums over pg_stat_database: committed + rolled back transactions, buffer hits and reads.
    pub xacts: i64,
    pub blks_hit: i64,
    pub blks_read: i64,
    /// Transactions pgscope's own monitoring connection ran so far (one per statement),
    /// counted by the collector, so that TPS can leave them out.
    pub own_xacts: i64,
}

/// What the server and our login can do, detected at connect and after every reconnect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent facts, not a state machine
pub struct Capabilities {
    pub version_num: i32,
    pub version: String,
    /// Recovery state at connect time; the header re-reads it every refresh.
    pub in_recovery: bool,
    pub own_pid: i32,
    /// The role we are logged in as.
    pub login: String,
    pub superuser: bool,
    pub pg_monitor: bool,
    pub pg_read_all_stats: bool,
    pub pg_signal_backend: bool,
    /// EXECUTE on pg_blocking_pids(): without it blocked-by is unknown ("n/a"), not empty.
    pub can_blocking_pids: bool,
    /// Installed version of pg_stat_statements in the connected database, if any.
    pub pg_stat_statements: Option<String>,
    pub max_connections: i32,
    pub superuser_reserved_connections: i32,
    /// `None` before PostgreSQL 16, which introduced it.
    pub reserved_connections: Option<i32>,
    pub track_activity_query_size: i64,
    /// How the monitoring connection reaches the server.
    pub transport: Transport,
}

/// The monitoring connection's transport, as the header shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Transport {
    #[default]
    Unknown,
    /// A Unix-domain socket (never TLS).
    Socket,
    /// TCP without TLS.
    Plaintext,
    /// TLS without certificate verification (sslmode require/prefer with no root certificate).
    TlsUnverified,
    /// TLS with the certificate chain checked against trusted roots.
    TlsVerified,
}

impl Capabilities {
    /// Other users' queries and states are visible.
    pub fn sees_all_sessions(&self) -> bool {
        self.superuser || self.pg_read_all_stats
    }

    pub fn major(&self) -> i32 {
        self.version_num / 10_000
    }
}

/// The Activity pane's rows: every backend but our own session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Activity {
    /// The server's clock when pg_stat_activity was read.
    pub now: Micros,
    pub backends: Vec<Backend>,
    /// Our own backend pid, excluded from `backends`.
    pub own_pid: i32,
}

/// One row of pg_stat_activity. Text fields are raw server text (already valid UTF-8, lossily
/// decoded) and must pass through `text::sanitize` before reaching the terminal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backend {
    pub pid: i32,
    pub datname: Option<String>,
    pub usename: Option<String>,
    pub application_name: String,
    /// Client address or host name; `None` for unix-socket clients and background processes.
    pub client: Option<String>,
    /// The client's TCP port; -1 for a unix socket, `None` for background processes and when
    /// hidden from us (another role's session without pg_read_all_stats).
    pub client_port: Option<i32>,
    pub backend_type: String,
    pub state: Option<String>,
    pub wait_event_type: Option<String>,
    pub wait_event: Option<String>,
    pub backend_start: Option<Micros>,
    pub xact_start: Option<Micros>,
    pub query_start: Option<Micros>,
    pub state_change: Option<Micros>,
    /// Age in transactions of the oldest xid this backend holds back from vacuum (its snapshot's
    /// xmin or its own xid); `None` when it holds neither.
    pub xmin_age: Option<i32>,
    /// Pids blocking this backend; only looked up for backends waiting on a heavyweight lock.
    pub blocked_by: Vec<i32>,
    /// The query text, cut on the server to the list length.
    pub query: String,
    /// The leader of a parallel worker (13+; `None` when not a worker or not available).
    pub leader_pid: Option<i32>,
    /// Identifier of the query shape (14+ with compute_query_id; `None` otherwise).
    pub query_id: Option<i64>,
}

impl Backend {
    /// A client session, as opposed to a background or auxiliary process.
    pub fn is_client(&self) -> bool {
        self.backend_type == "client backend"
    }

    pub fn is_waiting_on_lock(&self) -> bool {
        self.wait_event_type.as_deref() == Some("Lock")
    }
}

/// The state of the monitoring connection, as the collect task sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Link {
    #[default]
    Connecting,
    Connected,
    /// Lost; the next attempt is in `retry_in`.
    Down {
        cause: crate::failure::Failure,
        retry_in: Duration,
    },
}
