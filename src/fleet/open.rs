//! Opening a fleet member: a target whose database is `pgbouncer` and that answers SHOW VERSION
//! is a PgBouncer admin console; anything else is PostgreSQL. The same test as the main command.

use super::probe::{self, OpenError, Probe};
use crate::conn::Target;
use crate::failure::Failure;
use crate::pooler::admin::{self, Admin, PoolerError};

pub enum Opened {
    Postgres(Probe),
    Pooler(Admin),
}

#[derive(Debug)]
pub enum OpenFail {
    Postgres(OpenError),
    Pooler(PoolerError),
}

impl OpenFail {
    pub fn failure(&self, login: &str) -> Failure {
        match self {
            OpenFail::Postgres(e) => e.failure(login),
            OpenFail::Pooler(e) => e.failure(),
        }
    }

    /// The server asked for a password nobody gave.
    pub fn wants_password(&self) -> bool {
        match self {
            OpenFail::Postgres(e) => e.wants_password(),
            OpenFail::Pooler(PoolerError::Connect(c)) => {
                matches!(c, crate::conn::ConnError::NoPassword { .. })
            }
            OpenFail::Pooler(_) => false,
        }
    }
}

/// Connects within the target's connect timeout and tells a pooler from a database.
pub async fn open(target: &Target) -> Result<Opened, OpenFail> {
    if admin::may_be_pgbouncer(target) {
        let limit = target
            .connect_timeout()
            .unwrap_or(super::targets::CONNECT_TIMEOUT)
            + admin::DEADLINE;
        match tokio::time::timeout(limit, admin::open(target)).await {
            Err(_) => return Err(OpenFail::Pooler(PoolerError::Deadline)),
            Ok(Ok(a)) => return Ok(Opened::Pooler(a)),
            Ok(Err(PoolerError::NotPgBouncer { .. })) => {}
            Ok(Err(e)) => return Err(OpenFail::Pooler(e)),
        }
    }
    probe::open(target)
        .await
        .map(Opened::Postgres)
        .map_err(OpenFail::Postgres)
}
