//! Sending cancel and terminate, each re-checking the target's identity in the same statement
//! that signals it, and finding out what really happened.

use std::time::{Duration, Instant, SystemTime};

use tokio_postgres::Client;
use tokio_postgres::types::ToSql;

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
        via_monitoring: None,
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

/// The one signalling statement for `call` (`pg_cancel_backend(a.pid)`...) and its parameters:
/// [`guard`] on pid and backend_start, the query_start pin in the WHERE clause (a different
/// query: no row, "changed"), the xact_start pin in a CASE (the same session in another
/// transaction: a NULL, "transaction ended"). CASE evaluates the signalling call only when its
/// condition holds, in the same statement as every check.
struct Statement {
    sql: String,
    started: SystemTime,
    query: Option<SystemTime>,
    xact: Option<SystemTime>,
}

impl Statement {
    fn new(call: &str, t: &SignalTarget, extra_params: usize) -> Statement {
        let mut n = 2 + extra_params;
        let mut next = || {
            n += 1;
            n
        };
        let query = t.query_start.map(to_system);
        let xact = t.xact_start.map(to_system);
        // The call's own parameters ($3...) come first, the pins after them.
        let pin_query = query.map(|_| format!(" AND a.query_start = ${}", next()));
        let select = match xact {
            Some(_) => format!("CASE WHEN a.xact_start = ${} THEN {call} END", next()),
            None => call.to_owned(),
        };
        let sql = format!(
            "SELECT {select} {}{}",
            guard(),
            pin_query.unwrap_or_default()
        );
        Statement {
            sql,
            started: to_system(t.backend_start),
            query,
            xact,
        }
    }

    async fn send(
        &self,
        client: &Client,
        pid: i32,
        call_params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&pid, &self.started];
        params.extend_from_slice(call_params);
        if let Some(q) = &self.query {
            params.push(q);
        }
        if let Some(x) = &self.xact {
            params.push(x);
        }
        client.query(&self.sql, &params).await
    }
}

/// What the signalling statement answered: no row (the backend ended or changed), NULL (its
/// transaction ended), or the signal function's result.
fn answer(rows: &[tokio_postgres::Row]) -> Result<bool, Outcome> {
    match rows.first().map(|r| r.try_get::<_, Option<bool>>(0)) {
        None => Err(Outcome::Changed),
        Some(Ok(None)) => Err(Outcome::XactEnded),
        Some(Ok(Some(sent))) => Ok(sent),
        Some(Err(e)) => Err(Outcome::Failed(failure(&e))),
    }
}

async fn cancel(client: &Client, t: &SignalTarget) -> Outcome {
    let Some(query_start) = t.query_start else {
        return Outcome::Changed;
    };
    let stmt = Statement::new("pg_cancel_backend(a.pid)", t, 0);
    let rows = match stmt.send(client, t.pid, &[]).await {
        Ok(rows) => rows,
        Err(e) => return refused(&e),
    };
    let (started, query) = (stmt.started, to_system(query_start));
    match answer(&rows) {
        Err(outcome) => outcome,
        Ok(true) => {
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
        Ok(false) => Outcome::Failed(Failure::new(
            Kind::Server,
            "the server could not signal the process",
        )),
    }
}

async fn terminate(client: &Client, version_num: i32, t: &SignalTarget) -> Outcome {
    let wait_ms = i64::try_from(TERMINATE_WAIT.as_millis()).unwrap_or(5_000);
    // 14+ waits on the server and says whether the backend is gone; before, poll for it.
    let waits = version_num >= 140_000;
    let result = if waits {
        let stmt = Statement::new("pg_terminate_backend(a.pid, $3)", t, 1);
        stmt.send(client, t.pid, &[&wait_ms]).await
    } else {
        let stmt = Statement::new("pg_terminate_backend(a.pid)", t, 0);
        stmt.send(client, t.pid, &[]).await
    };
    let rows = match result {
        Ok(rows) => rows,
        Err(e) => return refused(&e),
    };
    let started = to_system(t.backend_start);
    let waited_secs = TERMINATE_WAIT.as_secs();
    match answer(&rows) {
        Err(outcome) => outcome,
        Ok(true) if waits => Outcome::Terminated,
        Ok(false) if waits => Outcome::StillAlive { waited_secs },
        Ok(true) => {
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
        Ok(false) => Outcome::Failed(Failure::new(
            Kind::Server,
            "the server could not signal the process",
        )),
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

    #[test]
    fn pins_number_their_parameters_after_the_call() {
        let mut t = SignalTarget {
            pid: 1,
            backend_start: 0,
            query_start: Some(1),
            xact_start: Some(2),
            usename: String::new(),
            datname: String::new(),
            backend_type: String::new(),
            query: String::new(),
            age: 0,
        };
        let s = Statement::new("pg_terminate_backend(a.pid, $3)", &t, 1);
        assert!(s.sql.starts_with(
            "SELECT CASE WHEN a.xact_start = $5 THEN pg_terminate_backend(a.pid, $3) END FROM"
        ));
        assert!(s.sql.ends_with(" AND a.query_start = $4"), "{}", s.sql);
        t.query_start = None;
        let s = Statement::new("pg_terminate_backend(a.pid)", &t, 0);
        assert!(
            s.sql.contains("CASE WHEN a.xact_start = $3 THEN"),
            "{}",
            s.sql
        );
        t.xact_start = None;
        let s = Statement::new("pg_cancel_backend(a.pid)", &t, 0);
        assert!(s.sql.starts_with("SELECT pg_cancel_backend(a.pid) FROM"));
        assert!(!s.sql.contains('$') || !s.sql.contains("$3"));
    }
}
