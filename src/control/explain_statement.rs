//! The Statements pane's on-demand work: one entry's full text (Enter), and EXPLAIN of its
//! statement (`e`) with the safety of a backend's EXPLAIN (`explain::plan_in`): in the
//! statement's own database, as its role when the login may, read-only, timed out, rolled back,
//! never executed. A normalized text has `$n` for its constants: it is planned as the generic
//! plan of a prepared statement, with `GENERIC_PLAN` from 16 (see `explainable`).

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use super::explain::{self, As, Decision};
use crate::collect::rows::{failure, failure_of, text};
use crate::conn::Target;
use crate::effect::{StatementExplainReport, StatementExplainRequest, StatementRef, StatementText};
use crate::explainable::{self, Verdict};
use crate::failure::{Failure, Kind};
use crate::panes::statements::read::full_text_of;

const DEADLINE: Duration = Duration::from_secs(10);

/// Enter: the entry's full text, and what reading it took.
pub async fn full_text(control: &Client, statement: &StatementRef) -> StatementText {
    let started = Instant::now();
    let text = full_text_of(
        control,
        statement.features,
        &statement.schema,
        &statement.key,
    )
    .await
    .map_err(|e| failure_of(&e));
    StatementText {
        key: statement.key,
        text,
        took_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
    }
}

pub async fn run(
    control: &Client,
    target: &Target,
    version_num: i32,
    req: StatementExplainRequest,
) -> StatementExplainReport {
    let key = req.statement.key;
    let done = tokio::time::timeout(DEADLINE, explain(control, target, version_num, &req)).await;
    let (result, ask) = match done {
        Ok(Ok(Decision::Plan(lines))) => (Ok(lines), None),
        Ok(Ok(Decision::Ask(warning))) => (Ok(Vec::new()), Some(warning)),
        Ok(Err(why)) => (Err(why), None),
        Err(_) => (
            Err(Failure::new(
                Kind::Timeout,
                format!("no answer within {} s", DEADLINE.as_secs()),
            )),
            None,
        ),
    };
    StatementExplainReport { key, result, ask }
}

/// The entry's role and database by name, for the plan's first line and the connection.
const WHERE: &str = "SELECT (SELECT datname::text FROM pg_database WHERE oid = $1) AS datname,
       (SELECT rolname::text FROM pg_roles WHERE oid = $2) AS rolname";

async fn explain(
    control: &Client,
    target: &Target,
    version_num: i32,
    req: &StatementExplainRequest,
) -> Result<Decision, Failure> {
    let s = &req.statement;
    let query = full_text_of(control, s.features, &s.schema, &s.key)
        .await
        .map_err(|e| failure_of(&e))?
        .ok_or_else(|| {
            Failure::new(
                Kind::Client,
                "the statement left pg_stat_statements (evicted or reset), or its text is hidden: \
                 nothing explained",
            )
        })?;
    // Bytes that are not UTF-8 were decoded lossily: the text is no longer the statement.
    if query.contains('\u{FFFD}') {
        return Err(Failure::new(
            Kind::Client,
            "the statement holds bytes that are not UTF-8: not explained",
        ));
    }
    let row = control
        .query_one(WHERE, &[&s.key.dbid, &s.key.userid])
        .await
        .map_err(|e| failure(&e))?;
    let datname = text(&row, "datname")
        .map_err(|e| failure_of(&e))?
        .ok_or_else(|| {
            Failure::new(
                Kind::Client,
                "the statement's database no longer exists: nothing explained",
            )
        })?;
    let rolname = text(&row, "rolname").map_err(|e| failure_of(&e))?;
    let how = match explainable::check_statement(&query, version_num) {
        Verdict::Refuse(why) => return Err(Failure::new(Kind::Client, why)),
        how => how,
    };
    let with = As {
        datname: &datname,
        role_oid: s.key.userid,
        whose: "statement",
        version_num,
        consented: req.consented,
    };
    let decision = explain::plan_in(control, target, &with, &how)
        .await
        .map_err(|f| {
            explain::untyped(
                f,
                "pg_stat_statements replaced the constants by $n, and their types cannot be \
                 inferred from this text",
            )
        })?;
    Ok(match decision {
        Decision::Plan(mut lines) => {
            let role =
                rolname.map_or_else(|| format!("oid {}", s.key.userid), |r| format!("\"{r}\""));
            let method = match &how {
                Verdict::Prepared { .. } => explain::generic_method(version_num),
                _ => "plan",
            };
            lines.insert(
                0,
                format!("-- {method}; statement of role {role} in database \"{datname}\""),
            );
            Decision::Plan(lines)
        }
        ask @ Decision::Ask(_) => ask,
    })
}
