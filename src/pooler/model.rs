//! What one read of a PgBouncer admin console returns, as plain owned data. Text fields are raw
//! pooler text (client-chosen names, addresses, application names) and must pass through
//! `text::sanitize` before reaching the terminal. A column this PgBouncer version does not have
//! is `None` (shown `n/a`), never 0.

use std::collections::BTreeMap;

use crate::snapshot::{Micros, PaneError};

/// One read of every SHOW the pane uses; each section carries its own outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Pooler {
    /// `SHOW VERSION`, e.g. "PgBouncer 1.18.0".
    pub version: String,
    /// Client wall clock (µs since epoch) when SHOW STATS answered: the clock of the rates.
    pub read_at: Micros,
    pub pools: Result<Vec<Pool>, PaneError>,
    pub stats: Result<Vec<DbStats>, PaneError>,
    pub clients: Result<Vec<Conn>, PaneError>,
    pub servers: Result<Vec<Conn>, PaneError>,
    pub config: Result<Config, PaneError>,
    pub databases: Result<Vec<Database>, PaneError>,
}

impl Pooler {
    /// The pooler's own clock, in its local time zone as seconds (see [`Conn::request_secs`]):
    /// the newest request time, which is our own SHOW CLIENTS in flight. Ages of clients and
    /// servers are measured against it, so the pooler's time zone never matters.
    pub fn clock_secs(&self) -> Option<i64> {
        let clients = self.clients.as_deref().unwrap_or_default();
        let servers = self.servers.as_deref().unwrap_or_default();
        clients
            .iter()
            .chain(servers)
            .flat_map(|c| [c.request_secs, c.connect_secs])
            .flatten()
            .max()
    }
}

/// One row of `SHOW POOLS`: a (database, user) pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pool {
    pub database: String,
    pub user: String,
    pub cl_active: Option<i64>,
    /// Clients queued for a server connection: the number that matters when the pool is full.
    pub cl_waiting: Option<i64>,
    /// Cancel requests in flight (`cl_cancel_req` before 1.18, the sum of the active and
    /// waiting ones after).
    pub cl_cancel_req: Option<i64>,
    pub sv_active: Option<i64>,
    pub sv_idle: Option<i64>,
    pub sv_used: Option<i64>,
    pub sv_tested: Option<i64>,
    pub sv_login: Option<i64>,
    /// How long the oldest waiting client has waited, in µs (`maxwait` + `maxwait_us`).
    pub maxwait_us: Option<i64>,
    pub pool_mode: Option<String>,
}

impl Pool {
    /// Server connections this pool holds, in any state.
    pub fn servers(&self) -> Option<i64> {
        sum(&[
            self.sv_active,
            self.sv_idle,
            self.sv_used,
            self.sv_tested,
            self.sv_login,
        ])
    }
}

/// One row of `SHOW STATS`: cumulative counters of one database since the pooler started.
/// Times are µs, traffic bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbStats {
    pub database: String,
    pub xact_count: Option<i64>,
    pub query_count: Option<i64>,
    /// Times a client was given a server connection (1.21+).
    pub server_assignment_count: Option<i64>,
    pub received: Option<i64>,
    pub sent: Option<i64>,
    pub xact_time: Option<i64>,
    pub query_time: Option<i64>,
    pub wait_time: Option<i64>,
}

/// One row of `SHOW CLIENTS` or `SHOW SERVERS` (same columns).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conn {
    /// `C` client, `S` server.
    pub kind: String,
    pub user: String,
    pub database: String,
    /// Client: active, waiting, idle...; server: active, idle, used, tested, login...
    pub state: String,
    /// The peer: for a client its address, for a server the PostgreSQL server's (or `unix`).
    pub addr: Option<String>,
    pub port: Option<i32>,
    pub local_addr: Option<String>,
    /// For a server connection: the pooler's end, which PostgreSQL sees as `client_port`.
    pub local_port: Option<i32>,
    /// As the pooler prints it, in its own time zone ("2026-12-03 16:41:41 UTC").
    pub connect_time: Option<String>,
    pub request_time: Option<String>,
    /// The two times above as seconds in the pooler's local time (compare them only with each
    /// other and with [`Pooler::clock_secs`]).
    pub connect_secs: Option<i64>,
    pub request_secs: Option<i64>,
    /// How long a waiting client has waited, in µs (`wait` + `wait_us`).
    pub wait_us: Option<i64>,
    /// This row's identity, and the identity of the row it is paired with (a client's server,
    /// a server's client). The pointer columns `ptr`/`link` in every supported version.
    pub ptr: Option<String>,
    pub link: Option<String>,
    /// For a server connection: the backend's pid on the PostgreSQL server.
    pub remote_pid: Option<i32>,
    pub tls: Option<String>,
    pub application_name: Option<String>,
}

/// `SHOW CONFIG`: every setting by name, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub settings: BTreeMap<String, String>,
}

impl Config {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.settings.get(key).map(String::as_str)
    }

    pub fn number(&self, key: &str) -> Option<i64> {
        self.get(key)?.trim().parse().ok()
    }
}

/// One row of `SHOW DATABASES`: a database entry of the pooler's config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Database {
    /// The name clients connect to.
    pub name: String,
    pub host: Option<String>,
    pub port: Option<i32>,
    /// The database on the PostgreSQL server.
    pub database: Option<String>,
    pub force_user: Option<String>,
    /// Effective pool size per user of this database.
    pub pool_size: Option<i64>,
    pub min_pool_size: Option<i64>,
    /// `reserve_pool` (`reserve_pool_size` in newer versions).
    pub reserve_pool: Option<i64>,
    pub pool_mode: Option<String>,
    /// This database's max_db_connections; 0 means the global setting (or unlimited).
    pub max_connections: Option<i64>,
    pub current_connections: Option<i64>,
    pub max_client_connections: Option<i64>,
    pub current_client_connections: Option<i64>,
    pub paused: Option<bool>,
    pub disabled: Option<bool>,
}

/// The sum, or `None` if any part is unknown (a partial sum would look like a real number).
pub(crate) fn sum(parts: &[Option<i64>]) -> Option<i64> {
    parts
        .iter()
        .try_fold(0i64, |acc, p| p.map(|v| acc.saturating_add(v)))
}
