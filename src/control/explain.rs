//! EXPLAIN without executing: a short-lived connection to the backend's own database, one
//! statement over the extended protocol (so a second statement cannot ride along), inside a
//! read-only transaction with local timeouts that is always rolled back. Never ANALYZE.

use std::time::Duration;

use bytes::BytesMut;
use tokio_postgres::Client;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use super::explain_role;
use super::time::to_system;
use crate::collect::rows::{failure, failure_of, get, pane_error, text};
use crate::conn::{self, Target};
use crate::effect::{ExplainReport, ExplainRequest};
use crate::explainable::{self, Verdict};
use crate::failure::{Failure, Kind};

pub const APPLICATION_NAME: &str = "pgscope-explain";
const DEADLINE: Duration = Duration::from_secs(10);
const BEGIN: &str = "BEGIN READ ONLY; SET LOCAL statement_timeout = '5s'; \
                     SET LOCAL lock_timeout = '1s'";

const CURRENT: &str = "SELECT a.query, a.usesysid AS role_oid,
       octet_length(a.query) >= pg_size_bytes(current_setting('track_activity_query_size')) - 1
           AS truncated
  FROM pg_stat_activity a
 WHERE a.pid = $1 AND a.backend_start = $2
   AND a.query_start IS NOT DISTINCT FROM $3";

pub async fn run(
    control: &Client,
    target: &Target,
    version_num: i32,
    req: ExplainRequest,
) -> ExplainReport {
    let result =
        match tokio::time::timeout(DEADLINE, explain(control, target, version_num, &req)).await {
            Ok(r) => r,
            Err(_) => Err(Failure::new(
                Kind::Timeout,
                format!("no answer within {} s", DEADLINE.as_secs()),
            )),
        };
    match result {
        Ok(Decision::Ask(warning)) => ExplainReport {
            pid: req.pid,
            result: Ok(Vec::new()),
            ask: Some(warning),
        },
        Ok(Decision::Plan(lines)) => ExplainReport {
            pid: req.pid,
            result: Ok(lines),
            ask: None,
        },
        Err(why) => ExplainReport {
            pid: req.pid,
            result: Err(why),
            ask: None,
        },
    }
}

/// A plan, or the question to ask before planning.
pub(super) enum Decision {
    Plan(Vec<String>),
    Ask(String),
}

async fn explain(
    control: &Client,
    target: &Target,
    version_num: i32,
    req: &ExplainRequest,
) -> Result<Decision, Failure> {
    let started = to_system(req.backend_start);
    let query_start = req.query_start.map(to_system);
    // The text is read again for exactly this pid and query: the list only has a prefix.
    let row = control
        .query_opt(CURRENT, &[&req.pid, &started, &query_start])
        .await
        .map_err(|e| failure(&e))?
        .ok_or_else(|| {
            Failure::new(
                Kind::Client,
                "the backend ended or now runs another query: nothing explained",
            )
        })?;
    let query = text(&row, "query")
        .map_err(|e| failure_of(&e))?
        .unwrap_or_default();
    // Bytes that are not UTF-8 (a SQL_ASCII database) were decoded lossily: the text is no
    // longer the query, so it is refused rather than guessed.
    if query.contains('\u{FFFD}') {
        return Err(Failure::new(
            Kind::Client,
            "the query holds bytes that are not UTF-8: not explained",
        ));
    }
    let truncated = get::<Option<bool>>(&row, "truncated").map_err(|e| failure_of(&e))?;
    let role_oid = get::<Option<u32>>(&row, "role_oid")
        .map_err(|e| failure_of(&e))?
        .ok_or_else(|| {
            Failure::new(
                Kind::Client,
                "this process runs as no role: nothing explained",
            )
        })?;
    let how = match explainable::check(&query, truncated.unwrap_or(false), version_num) {
        Verdict::Refuse(why) => return Err(Failure::new(Kind::Client, why)),
        how => how,
    };
    let with = As {
        datname: &req.datname,
        role_oid,
        whose: "backend",
        version_num,
        consented: req.consented,
    };
    let decision = plan_in(control, target, &with, &how).await.map_err(|f| {
        untyped(
            f,
            "the query's $n parameters are typed by its client, not in its text, and their \
                 types cannot be inferred from it",
        )
    })?;
    Ok(match (decision, &how) {
        (Decision::Plan(mut lines), Verdict::Prepared { .. }) => {
            lines.insert(0, format!("-- {}", generic_method(version_num)));
            Decision::Plan(lines)
        }
        (decision, _) => decision,
    })
}

/// How a text with `$n` parameters was planned, for the plan's first line.
pub(super) fn generic_method(version_num: i32) -> &'static str {
    if version_num >= 160_000 {
        "generic plan (GENERIC_PLAN of a prepared statement), parameters unknown"
    } else {
        "generic plan of a prepared statement, parameters NULL (no GENERIC_PLAN before \
         PostgreSQL 16: run-time partition pruning sees the NULLs)"
    }
}

/// A `$n` whose type the text does not say: `generate_series($1, $2)` or `SELECT $1` cannot be
/// planned without it. Said with `why`, rather than left as a bare type error.
pub(super) fn untyped(f: Failure, why: &str) -> Failure {
    match f.sqlstate.as_deref() {
        // indeterminate_datatype, ambiguous_function, undefined_function
        Some("42P18" | "42725" | "42883") => Failure {
            message: format!("{} ({why})", f.message),
            ..f
        },
        _ => f,
    }
}

/// Where and as whom to plan.
pub(super) struct As<'a> {
    pub datname: &'a str,
    /// The role whose query it is: planning runs as that role when the login may.
    pub role_oid: u32,
    /// Whose role it is, for the messages: "backend" or "statement".
    pub whose: &'a str,
    pub version_num: i32,
    /// The operator agreed to plan although functions owned by other roles may run.
    pub consented: bool,
}

/// Plans `how` (a verdict of `explainable` other than a refusal) on a short-lived connection to
/// the database, in a read-only transaction with local timeouts, as the role, always rolled
/// back.
pub(super) async fn plan_in(
    control: &Client,
    target: &Target,
    with: &As<'_>,
    how: &Verdict,
) -> Result<Decision, Failure> {
    let client = conn::connect(&target.with_dbname(with.datname), APPLICATION_NAME)
        .await
        .map_err(|e| Failure {
            kind: e.kind(),
            sqlstate: e.sqlstate().map(str::to_owned),
            message: format!("cannot connect to database {}: {e}", with.datname),
        })?;
    let own: i32 = client
        .query_one("SELECT pg_backend_pid() AS pid", &[])
        .await
        .map_err(|e| failure(&e))
        .and_then(|r| get(&r, "pid").map_err(|e| failure_of(&e)))?;
    client.batch_execute(BEGIN).await.map_err(|e| failure(&e))?;
    match explain_role::settle(
        &client,
        with.role_oid,
        with.whose,
        with.version_num,
        with.consented,
    )
    .await
    {
        Ok(explain_role::Decision::Plan) => {}
        Ok(explain_role::Decision::Ask(warning)) => {
            let _ = client.batch_execute("ROLLBACK").await;
            return Ok(Decision::Ask(warning));
        }
        Err(why) => {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(why);
        }
    }
    // Planning that takes a while is most likely waiting on a lock: who holds it is looked up
    // on the control connection meanwhile, to name it if the lock_timeout ends the wait.
    let planning = plan(&client, how);
    tokio::pin!(planning);
    let mut blockers = Blockers::default();
    let planned = tokio::select! {
        done = &mut planning => done,
        () = tokio::time::sleep(BLOCKER_LOOKUP_AFTER) => {
            blockers = blocking_pids(control, own).await;
            planning.await
        }
    };
    // Rolled back whatever happened; the connection closes when `client` drops (and with it
    // a statement prepared for planning).
    let _ = client.batch_execute("ROLLBACK").await;
    let rows = planned.map_err(|e: tokio_postgres::Error| {
        let err = pane_error(&e);
        if err.sqlstate.as_deref() != Some("55P03") {
            return failure(&e);
        }
        let held = blockers.describe();
        Failure::new(
            Kind::Timeout,
            format!("blocked by a lock{held} (lock_timeout 1s): {}", err.message),
        )
    })?;
    Ok(Decision::Plan(
        rows.iter()
            .filter_map(|r| text(r, "QUERY PLAN").ok().flatten())
            .collect(),
    ))
}

/// How long planning may take before the lock it probably waits on is looked up.
const BLOCKER_LOOKUP_AFTER: Duration = Duration::from_millis(300);

/// Who blocks a backend: the sessions that hold the lock (they wait on no lock themselves),
/// and those queued ahead of it for the same lock, which only wait. A queued ALTER TABLE is
/// in pg_blocking_pids() of every later reader, but the session to act on is the holder.
#[derive(Debug, Default)]
struct Blockers {
    holders: Vec<i32>,
    queued: Vec<i32>,
}

/// Follows pg_blocking_pids() a few steps up the wait chain.
const CHAIN: &str = "WITH RECURSIVE chain(pid, depth) AS (
    SELECT unnest(pg_blocking_pids($1)), 1
    UNION
    SELECT unnest(pg_blocking_pids(c.pid)), c.depth + 1 FROM chain c WHERE c.depth < 5
)
SELECT pid,
       EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = chain.pid AND NOT l.granted) AS waits
  FROM chain
 GROUP BY pid
 ORDER BY min(depth), pid";

impl Blockers {
    /// " held by pid 7 (pid 9 queued ahead)", or empty when nothing is known.
    fn describe(&self) -> String {
        let list = |pids: &[i32]| {
            let s = if pids.len() == 1 { "" } else { "s" };
            let joined = pids
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            format!("pid{s} {joined}")
        };
        let held = match self.holders.as_slice() {
            [] => String::new(),
            pids => format!(" held by {}", list(pids)),
        };
        let queued = match self.queued.as_slice() {
            [] => String::new(),
            pids => format!(" ({} queued ahead)", list(pids)),
        };
        format!("{held}{queued}")
    }
}

/// Who blocks `pid`, or nothing when that cannot be read (no EXECUTE on pg_blocking_pids).
async fn blocking_pids(control: &Client, pid: i32) -> Blockers {
    let Ok(rows) = control.query(CHAIN, &[&pid]).await else {
        return Blockers::default();
    };
    let mut found = Blockers::default();
    for row in &rows {
        let (Ok(Some(p)), Ok(waits)) = (
            get::<Option<i32>>(row, "pid"),
            get::<Option<bool>>(row, "waits"),
        ) else {
            continue;
        };
        if waits.unwrap_or(false) {
            found.queued.push(p);
        } else {
            found.holders.push(p);
        }
    }
    found
}

/// Parse/Bind/Execute of one statement at a time. A statement with `$n` is prepared (its
/// parameter types inferred) and its generic plan explained with NULL arguments:
/// `plan_cache_mode` makes the plan generic, so the NULLs are not planned with; before 16
/// (no GENERIC_PLAN) run-time partition pruning at executor start sees them.
async fn plan(
    client: &Client,
    how: &Verdict,
) -> Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
    let statement = match how {
        Verdict::Prepared { prepare, execute } => {
            client
                .batch_execute("SET LOCAL plan_cache_mode = force_generic_plan")
                .await?;
            client.execute(prepare.as_str(), &[]).await?;
            execute
        }
        Verdict::Explain { statement } => statement,
        Verdict::Refuse(_) => return Ok(Vec::new()),
    };
    let prepared = client.prepare(statement).await?;
    let nulls: Vec<&(dyn ToSql + Sync)> = prepared
        .params()
        .iter()
        .map(|_| &NULL as &(dyn ToSql + Sync))
        .collect();
    client.query(&prepared, &nulls).await
}

/// A NULL of whatever type the server inferred for a placeholder.
#[derive(Debug)]
struct Null;

static NULL: Null = Null;

impl ToSql for Null {
    fn to_sql(
        &self,
        _: &Type,
        _: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        Ok(IsNull::Yes)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}
