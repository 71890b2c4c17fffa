//! Sending cancel and terminate, each re-checking the target's identity in the same statement
//! that signals it, and finding out what really happened.

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use super::time::to_system;
use crate::collect::rows::failure;
use crate::effect::{
    NOT_SIGNALLED, Outcome, SignalKind, SignalReport, SignalRequest, SignalTarget,
};
use crate::failure::{Failure, Kind};

/// How long a terminate may take before it is reported as "still alive".
pub const TERMINATE_WAIT: Duration = Duration::from_secs(5);
/// How long to watch a cancelled query before saying it ignored the cancel.
const CANCEL_WAIT: Duration = Duration::from_secs(2);
const POLL: Duration = Duration::from_millis(100);

/// Proof that signals may be sent. Only [`SignalPermit::unless_read_only`] makes one, so in
/// read-only mode there is no value to pass and the signalling code cannot be reached.
#[derive(Debug)]
pub struct SignalPermit(());

impl SignalPermit {
    pub fn unless_read_only(read_only: bool) -> Option<SignalPermit> {
        (!read_only).then_some(SignalPermit(()))
    }
}

/// The condition every signalling statement carries: identity, not our own session, and none of
/// [`NOT_SIGNALLED`], re-checked on the server in the statement that signals, so nothing can
/// change between the check and the signal. The list is the planner's own, quoted as literals.
pub fn guard() -> String {
    let quoted: Vec<String> = NOT_SIGNALLED
        .iter()
        .map(|t| format!("'{}'", t.replace('\'', "''")))
        .collect();
    format!(
        "FROM pg_stat_activity a
 WHERE a.pid = $1 AND a.backend_start = $2 AND a.pid <> pg_backend_pid()
   AND a.backend_type NOT IN ({})",
        quoted.join(", ")
    )
}

pub async fn run(
    _permit: &SignalPermit,
    client: &Client,
    version_num: i32,
    req: SignalRequest,
) -> SignalReport {
    let mut results = Vec::with_capacity(req.targets.len());
    for target in req.targets {
        let outcome = match req.kind {
            SignalKind::Cancel => cancel(client, &target).await,
            SignalKind::Terminate => terminate(client, version_num, &target).await,
        };
        results.push((target, outcome));
    }
    SignalReport {
        kind: req.kind,
        results,
    }
}

fn refused(e: &tokio_postgres::Error) -> Outcome {
    match e.as_db_error() {
        Some(db) => Outcome::Refused {
            sqlstate: Some(db.code().code().to_owned()),
            message: db.message().to_owned(),
        },
        None => Outcome::Failed(failure(e)),
    }
}

async fn cancel(client: &Client, t: &SignalTarget) -> Outcome {
    let Some(query_start) = t.query_start else {
        return Outcome::Changed;
    };
    let sql = format!(
        "SELECT pg_cancel_backend(a.pid) {} AND a.query_start = $3",
        guard()
    );
    let (started, query) = (to_system(t.backend_start), to_system(query_start));
    let rows = match client.query(&sql, &[&t.pid, &started, &query]).await {
        Ok(rows) => rows,
        Err(e) => return refused(&e),
    };
    match rows.first().map(|r| r.try_get::<_, bool>(0)) {
        None => Outcome::Changed,
        Some(Ok(true)) => {
            let still = "SELECT 1 FROM pg_stat_activity a WHERE a.pid = $1 AND a.backend_start = $2 \
                         AND a.query_start = $3 AND a.state = 'active'";
            let deadline = Instant::now() + CANCEL_WAIT;
            while Instant::now() < deadline {
                match client.query_opt(still, &[&t.pid, &started, &query]).await {
                    Ok(None) => return Outcome::Cancelled,
                    Ok(Some(_)) => tokio::time::sleep(POLL).await,
                    Err(e) => return Outcome::Failed(failure(&e)),
                }
            }
            Outcome::CancelIgnored
        }
        Some(Ok(false)) => Outcome::Failed(Failure::new(
            Kind::Server,
            "the server could not signal the process",
        )),
        Some(Err(e)) => Outcome::Failed(failure(&e)),
    }
}

async fn terminate(client: &Client, version_num: i32, t: &SignalTarget) -> Outcome {
    let started = to_system(t.backend_start);
    let wait_ms = i64::try_from(TERMINATE_WAIT.as_millis()).unwrap_or(5_000);
    // 14+ waits on the server and says whether the backend is gone; before, poll for it.
    let result = if version_num >= 140_000 {
        let sql = format!("SELECT pg_terminate_backend(a.pid, $3) {}", guard());
        client.query(&sql, &[&t.pid, &started, &wait_ms]).await
    } else {
        let sql = format!("SELECT pg_terminate_backend(a.pid) {}", guard());
        client.query(&sql, &[&t.pid, &started]).await
    };
    let rows = match result {
        Ok(rows) => rows,
        Err(e) => return refused(&e),
    };
    let waited_secs = TERMINATE_WAIT.as_secs();
    match rows.first().map(|r| r.try_get::<_, bool>(0)) {
        None => Outcome::Changed,
        Some(Ok(true)) if version_num >= 140_000 => Outcome::Terminated,
        Some(Ok(false)) if version_num >= 140_000 => Outcome::StillAlive { waited_secs },
        Some(Ok(true)) => {
            let gone = "SELECT 1 FROM pg_stat_activity a WHERE a.pid = $1 AND a.backend_start = $2";
            let deadline = Instant::now() + TERMINATE_WAIT;
            while Instant::now() < deadline {
                match client.query_opt(gone, &[&t.pid, &started]).await {
                    Ok(None) => return Outcome::Terminated,
                    Ok(Some(_)) => tokio::time::sleep(POLL).await,
                    Err(e) => return Outcome::Failed(failure(&e)),
                }
            }
            Outcome::StillAlive { waited_secs }
        }
        Some(Ok(false)) => Outcome::Failed(Failure::new(
            Kind::Server,
            "the server could not signal the process",
        )),
        Some(Err(e)) => Outcome::Failed(failure(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_names_every_process_on_the_shared_list() {
        let sql = guard();
        for kind in NOT_SIGNALLED {
            assert!(
                sql.contains(&format!("'{kind}'")),
                "{kind} missing from {sql}"
            );
        }
        let listed = sql.matches('\'').count() / 2;
        assert_eq!(listed, NOT_SIGNALLED.len());
    }
}
