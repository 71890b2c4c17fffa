//! The admin console connection: resolved and authenticated like any pgscope target (conninfo,
//! service file, PG* variables, pgpass, one prompt), then spoken to with the simple query
//! protocol only: the console understands no Parse/Bind, so no prepared statement ever.

use std::time::{Duration, SystemTime};

use tokio_postgres::{Client, SimpleQueryMessage, SimpleQueryRow};

use super::decode::{self, Fields};
use super::model::Pooler;
use crate::collect::rows::to_micros;
use crate::conn::{self, ConnArgs, ConnError, Target};
use crate::failure::{Failure, Kind};
use crate::snapshot::PaneError;

pub const APPLICATION_NAME: &str = "pgscope";
/// A read of all six SHOWs; the console answers from memory, so this is generous.
pub const DEADLINE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, thiserror::Error)]
pub enum PoolerError {
    /// Could not connect or log in; worded like psql (one line).
    #[error(transparent)]
    Connect(#[from] ConnError),
    /// Connected, but the target is not a PgBouncer admin console.
    #[error("{at} is not a PgBouncer admin console (SHOW VERSION: {answer})")]
    NotPgBouncer { at: String, answer: String },
    #[error("the pooler did not answer within {}s", DEADLINE.as_secs())]
    Deadline,
    /// The connection broke during a read.
    #[error("connection to the pooler lost: {0}")]
    Lost(String),
}

impl PoolerError {
    /// The typed failure the link reports, keeping the kind and the SQLSTATE of a refused login.
    /// At startup this ends pgscope with the one line: the conninfo is wrong (not a PgBouncer
    /// console, a refused login, a bad option), and retrying would only repeat it. A pooler
    /// that cannot be reached (down, restarting) is retried in the background instead.
    pub fn is_fatal_at_start(&self) -> bool {
        match self {
            PoolerError::NotPgBouncer { .. } => true,
            PoolerError::Connect(c) => refused(c),
            PoolerError::Deadline | PoolerError::Lost(_) => false,
        }
    }

    pub fn failure(&self) -> Failure {
        match self {
            PoolerError::Connect(c) => Failure {
                kind: c.kind(),
                sqlstate: c.sqlstate().map(str::to_owned),
                message: c.to_string(),
            },
            PoolerError::NotPgBouncer { .. } => Failure::new(Kind::Client, self.to_string()),
            PoolerError::Deadline => Failure::new(Kind::Timeout, self.to_string()),
            PoolerError::Lost(_) => Failure::new(Kind::Connection, self.to_string()),
        }
    }
}

/// The pooler answered and said no, or the options are wrong: not worth a retry.
fn refused(c: &ConnError) -> bool {
    match c {
        ConnError::AllHostsFailed(each) => each.iter().all(refused),
        ConnError::Unreachable(_)
        | ConnError::Io(_)
        | ConnError::Timeout { .. }
        | ConnError::LoginTimeout { .. } => false,
        _ => true,
    }
}

/// A connected admin console and the version it reported.
pub struct Admin {
    client: Client,
    pub version: String,
}

/// `--pooler CONNINFO`: the same resolution as the main target (a conninfo string or URI,
/// completed from the service file and PG* variables; `dbname` is normally `pgbouncer`).
pub fn resolve(conninfo: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Target, ConnError> {
    let args = ConnArgs {
        conninfo: Some(conninfo.to_owned()),
        ..ConnArgs::default()
    };
    conn::resolve(&args, env)
}

/// Connects and checks the target is PgBouncer (the collect task's reconnects: no prompt).
pub async fn open(target: &Target) -> Result<Admin, PoolerError> {
    let client = conn::connect(target, APPLICATION_NAME).await?;
    check(client, target).await
}

/// [`open`] at startup: when the console asks for a password nobody gave (no conninfo
/// password, PGPASSWORD or pgpass entry), `ask` is asked once, like psql, and the answer is
/// kept in `target` for later reconnects.
pub async fn open_asking(
    target: &mut Target,
    ask: &dyn Fn(&str) -> Option<String>,
) -> Result<Admin, PoolerError> {
    let client = match conn::connect(target, APPLICATION_NAME).await {
        Err(e @ ConnError::NoPassword { .. }) => {
            let question = format!("Password for pooler user {}: ", target.user());
            let password = ask(&question).ok_or(e)?;
            target.set_password(password);
            conn::connect(target, APPLICATION_NAME).await?
        }
        other => other?,
    };
    check(client, target).await
}

async fn check(client: Client, target: &Target) -> Result<Admin, PoolerError> {
    let at = target.describe();
    match tokio::time::timeout(DEADLINE, detect(&client)).await {
        Err(_) => Err(PoolerError::Deadline),
        Ok(Ok(Some(version))) => Ok(Admin { client, version }),
        Ok(Ok(None)) => Err(PoolerError::NotPgBouncer {
            at,
            answer: "no PgBouncer version".to_owned(),
        }),
        Ok(Err(e)) => Err(PoolerError::NotPgBouncer {
            at,
            answer: crate::text::sanitize(&e.to_string()).into_owned(),
        }),
    }
}

/// The admin console is always the database `pgbouncer`: only such a target is probed with
/// SHOW VERSION, so that a PostgreSQL target never logs an error for the probe.
pub fn may_be_pgbouncer(target: &Target) -> bool {
    target.dbname() == "pgbouncer"
}

/// `SHOW VERSION` answers "PgBouncer 1.18.0" on a PgBouncer admin console and fails on
/// PostgreSQL (no such setting), so it tells the two apart without side effects.
pub async fn detect(client: &Client) -> Result<Option<String>, PaneError> {
    let messages = client
        .simple_query("SHOW VERSION")
        .await
        .map_err(|e| crate::collect::rows::pane_error(&e))?;
    Ok(rows(&messages)
        .next()
        .and_then(|r| r.try_get(0).ok().flatten())
        .filter(|v| v.starts_with("PgBouncer"))
        .map(str::to_owned))
}

impl Admin {
    /// One read of every SHOW, pipelined on the console connection, each with its own outcome.
    /// `Err` when the connection is unusable (lost, or past the deadline).
    pub async fn read(&self) -> Result<Pooler, PoolerError> {
        let c = &self.client;
        let all = async {
            tokio::join!(
                show(c, "POOLS"),
                show(c, "STATS"),
                show(c, "CLIENTS"),
                show(c, "SERVERS"),
                show(c, "CONFIG"),
                show(c, "DATABASES"),
            )
        };
        let Ok((pools, stats, clients, servers, config, databases)) =
            tokio::time::timeout(DEADLINE, all).await
        else {
            return Err(PoolerError::Deadline);
        };
        let read_at = to_micros(SystemTime::now());
        if self.client.is_closed() {
            let cause = [&pools, &stats, &clients]
                .into_iter()
                .find_map(|r| r.as_ref().err())
                .map_or_else(|| "connection closed".to_owned(), |e| e.message.clone());
            return Err(PoolerError::Lost(cause));
        }
        Ok(Pooler {
            version: self.version.clone(),
            read_at,
            pools: each(pools, |r| decode::pool(r)),
            stats: each(stats, |r| decode::stats(r)),
            clients: each(clients, |r| decode::conn(r)),
            servers: each(servers, |r| decode::conn(r)),
            config: config.map(|m| {
                let shown: Vec<Show> = rows(&m).map(Show).collect();
                decode::config(shown.iter())
            }),
            databases: each(databases, |r| decode::database(r)),
        })
    }

    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }
}

async fn show(client: &Client, what: &str) -> Result<Vec<SimpleQueryMessage>, PaneError> {
    client
        .simple_query(&format!("SHOW {what}"))
        .await
        .map_err(|e| crate::collect::rows::pane_error(&e))
}

/// Decodes every row of one SHOW with `f`.
fn each<T>(
    messages: Result<Vec<SimpleQueryMessage>, PaneError>,
    f: impl Fn(&Show<'_>) -> T,
) -> Result<Vec<T>, PaneError> {
    messages.map(|m| rows(&m).map(|r| f(&Show(r))).collect())
}

fn rows(messages: &[SimpleQueryMessage]) -> impl Iterator<Item = &SimpleQueryRow> {
    messages.iter().filter_map(|m| match m {
        SimpleQueryMessage::Row(r) => Some(r),
        _ => None,
    })
}

/// A SHOW row read by column name. A value that is not valid UTF-8 reads as absent.
struct Show<'a>(&'a SimpleQueryRow);

impl Fields for Show<'_> {
    fn field(&self, name: &str) -> Option<&str> {
        let i = self.0.columns().iter().position(|c| c.name() == name)?;
        self.0.try_get(i).ok().flatten()
    }
}
