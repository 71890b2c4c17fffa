//! Whose privileges EXPLAIN plans with: a backend's role, or the role of a pg_stat_statements
//! entry (`explain_statement`). The planner pre-evaluates non-volatile functions, so
//! planning may run code other roles wrote. pgscope's login usually holds more privileges than
//! the backend's role (pg_monitor, pg_signal_backend, superuser): planning runs under
//! `SET LOCAL ROLE` to the backend's role when the login may, and when functions owned by less
//! privileged roles could still run (their code can reset the role to the login's), the operator
//! is asked first, or, when the login may not switch roles, told which grant would allow it.

use tokio_postgres::Client;

use crate::collect::rows::{failure, failure_of, get, text};
use crate::failure::{Failure, Kind};

/// What to do after the role was settled inside the EXPLAIN transaction.
#[derive(Debug)]
pub enum Decision {
    Plan,
    /// Nothing planned: the operator must agree first.
    Ask(String),
}

/// How the login relates to the backend's role. `$2` is `MEMBER` before 16, `SET` from 16.
const ROLES: &str = "SELECT r.rolname::text AS role, session_user::text AS login,
       pg_has_role(r.oid, session_user, 'USAGE') AS covers_login,
       pg_has_role(session_user, r.oid, $2) AS may_set
  FROM pg_roles r
 WHERE r.oid = $1";

/// Functions the planner could run whose owner lacks some of the login's privileges: non-volatile
/// (pre-evaluated), invoker's rights (a definer's function runs as its owner anyway and may not
/// change role), in a language other roles can write (C needs a superuser), callable in a query.
const UNTRUSTED: &str =
    "SELECT p.oid::regprocedure::text AS fn, pg_get_userbyid(p.proowner)::text AS owner,
       count(*) OVER () AS total
  FROM pg_proc p
  JOIN pg_language l ON l.oid = p.prolang
  JOIN pg_roles o ON o.oid = p.proowner
 WHERE p.provolatile <> 'v' AND NOT p.prosecdef
   AND l.lanname NOT IN ('internal', 'c')
   AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
   AND NOT o.rolsuper
   AND NOT pg_has_role(p.proowner, session_user, 'USAGE')
 ORDER BY 1
 LIMIT 3";

/// Settles the role for planning the query of a backend of role `role_oid`, inside the open
/// EXPLAIN transaction. `Err` is a refusal, said to the operator as is.
/// `whose` names the role's owner in messages: "backend" or "statement".
pub async fn settle(
    client: &Client,
    role_oid: u32,
    whose: &str,
    version_num: i32,
    consented: bool,
) -> Result<Decision, Failure> {
    let privilege = if version_num >= 160_000 {
        "SET"
    } else {
        "MEMBER"
    };
    let row = client
        .query_opt(ROLES, &[&role_oid, &privilege])
        .await
        .map_err(|e| failure(&e))?
        .ok_or_else(|| {
            Failure::new(
                Kind::Client,
                format!("the {whose}'s role no longer exists: nothing explained"),
            )
        })?;
    let field = |name| text(&row, name).map_err(|e| failure_of(&e));
    let role = field("role")?.unwrap_or_default();
    let login = field("login")?.unwrap_or_default();
    let flag = |name| {
        get::<Option<bool>>(&row, name)
            .map(|b| b.unwrap_or(false))
            .map_err(|e| failure_of(&e))
    };
    if flag("covers_login")? {
        // The backend's role already holds everything the login holds: nothing to gain.
        return Ok(Decision::Plan);
    }
    let may_set = flag("may_set")?;
    if may_set {
        client
            .query_one("SELECT set_config('role', $1, true)", &[&role])
            .await
            .map_err(|e| failure(&e))?;
    }
    let untrusted = untrusted(client).await?;
    if untrusted.is_empty() || (may_set && consented) {
        return Ok(Decision::Plan);
    }
    if may_set {
        return Ok(Decision::Ask(format!(
            "Planning runs as the {whose}'s role \"{role}\" (SET LOCAL ROLE), but the planner \
             may run {untrusted}, and such code can switch back to login \"{login}\" and use \
             its privileges. Plan anyway?"
        )));
    }
    let grant = if version_num >= 160_000 {
        format!("GRANT \"{role}\" TO \"{login}\" WITH INHERIT FALSE")
    } else {
        format!("GRANT \"{role}\" TO \"{login}\"")
    };
    Err(Failure::new(
        Kind::Permission,
        format!(
            "not planned: the planner may run {untrusted} with the privileges of login \"{login}\", \
         which the {whose}'s role \"{role}\" lacks, and \"{login}\" may not SET ROLE \"{role}\"; \
         {grant} lets pgscope plan as \"{role}\""
        ),
    ))
}

/// "f(integer) (owner app) and 2 more functions", or empty when there is none.
async fn untrusted(client: &Client) -> Result<String, Failure> {
    let rows = client
        .query(UNTRUSTED, &[])
        .await
        .map_err(|e| failure(&e))?;
    let mut named = Vec::new();
    let mut total = 0;
    for row in &rows {
        let f = text(row, "fn").map_err(|e| failure_of(&e))?;
        let owner = text(row, "owner").map_err(|e| failure_of(&e))?;
        total = get::<Option<i64>>(row, "total")
            .map_err(|e| failure_of(&e))?
            .unwrap_or(0);
        named.push(format!(
            "{} (owner {})",
            f.unwrap_or_default(),
            owner.unwrap_or_default()
        ));
    }
    let more = usize::try_from(total)
        .unwrap_or(0)
        .saturating_sub(named.len());
    let said = named.join(", ");
    Ok(match more {
        0 => said,
        1 => format!("{said} and 1 more function"),
        n => format!("{said} and {n} more functions"),
    })
}
