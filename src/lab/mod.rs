//! Throwaway local `PostgreSQL` clusters and a scripted workload, shared by `pgscope demo` and tests.
//!
//! Everything here is blocking-or-async plumbing around real server binaries: [`PgBinaries`]
//! finds (or fetches) them, [`Cluster`] runs one private server in a temp dir and always cleans
//! up, [`PgBouncer`] puts a real pooler in front of one, and the workload functions make the
//! server look busy (or create one precise situation).

mod bins;
mod cluster;
mod conns;
mod fetch;
mod locks;
mod pgbouncer;
mod pooled;
mod progress;
mod replication;
mod schema;
mod sessions;
mod sys;
mod waits;
mod workload;

use std::path::PathBuf;

pub use bins::PgBinaries;
pub use cluster::{Cluster, ClusterOptions};
pub use locks::{
    LockPile, advisory_queue, prepared_blocker, row_pileup, setup_lock_tables, two_blockers,
};
pub use pgbouncer::{PgBouncer, PoolerAuth, PoolerOptions};
pub use pooled::{POOLED_APP, PooledApp};
pub use progress::{Running, old_snapshot, slow_copy, slow_create_index, throttled_vacuum};
pub use replication::{idle_slot, logical_pair, start_standby};
pub use schema::{DB, setup};
pub use sessions::{LockChain, Session, idle_in_transaction, lock_chain, long_query};
pub use workload::Workload;

/// Everything that can go wrong while finding binaries, running a cluster or driving a workload.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    #[error(
        "no PostgreSQL server binaries found (looked in {looked}); install postgresql or pass --pg-bin DIR"
    )]
    NoBinaries { looked: String },
    #[error("{dir}: not a PostgreSQL bin directory (missing {missing})")]
    IncompleteBinDir { dir: PathBuf, missing: String },
    #[error(
        "PostgreSQL {0} is not available: no local install and no known npm build (supported: 12 to 18)"
    )]
    UnsupportedMajor(u32),
    #[error("{bin}: expected PostgreSQL {wanted}, found {found}")]
    WrongMajor {
        bin: PathBuf,
        wanted: u32,
        found: u32,
    },
    #[error("cannot parse the PostgreSQL version from {0:?}")]
    Version(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{cmd} failed ({status}): {output}")]
    Command {
        cmd: String,
        status: String,
        output: String,
    },
    #[error("fetching PostgreSQL binaries failed: {0}")]
    Fetch(String),
    #[error("running as root but there is no `postgres` OS user to run the server as")]
    NoPostgresUser,
    #[error("the server did not start: {reason}; last log lines:\n{log_tail}")]
    Start { reason: String, log_tail: String },
    #[error("{what}: {source}")]
    Db {
        what: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("invalid lab request: {0}")]
    Invalid(String),
    #[error("timed out: {0}")]
    Timeout(String),
}

impl LabError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            source,
        }
    }

    pub(crate) fn db(what: impl Into<String>, source: tokio_postgres::Error) -> Self {
        Self::Db {
            what: what.into(),
            source,
        }
    }
}
