//! Who holds the lock that made a read time out. A read of pg_stat_activity joins catalogs
//! (pg_authid, pg_database); an ACCESS EXCLUSIVE lock on one of them makes every refresh end in
//! `lock_timeout`. pg_locks alone joins nothing, so the holder can still be named: its pid, mode
//! and the catalog, named from a fixed list because looking the name up could wait on the lock.

use tokio_postgres::Client;

use super::rows::get;
use crate::snapshot::PaneError;

/// Granted locks that block a reader (only ACCESS EXCLUSIVE conflicts with ACCESS SHARE) on
/// system catalogs (oids below FirstNormalObjectId), shared or of this database. This database's
/// oid comes from this very read's own lock on the pg_locks view: pg_database may be the locked one.
const HOLDERS: &str = "WITH l AS (SELECT * FROM pg_locks)
SELECT pid, relation::int8 AS relation
  FROM l
 WHERE granted AND locktype = 'relation' AND mode = 'AccessExclusiveLock'
   AND relation::int8 < 16384
   AND database IN (0, (SELECT database FROM l
                         WHERE pid = pg_backend_pid() AND locktype = 'relation' AND database <> 0
                         LIMIT 1))
   AND pid <> pg_backend_pid()
 ORDER BY pid
 LIMIT 3";

/// Adds the holders of catalog locks to a lock timeout (55P03); other results pass unchanged.
pub async fn name_holder<T>(client: &Client, result: Result<T, PaneError>) -> Result<T, PaneError> {
    let Err(mut err) = result else {
        return result;
    };
    if err.sqlstate.as_deref() != Some("55P03") {
        return Err(err);
    }
    if let Some(holders) = holders(client).await {
        err.message = format!("{} — {holders}", err.message);
    }
    Err(err)
}

/// "pid 123 holds ACCESS EXCLUSIVE on pg_authid", or `None` when no catalog lock is seen.
async fn holders(client: &Client) -> Option<String> {
    let rows = client.query(HOLDERS, &[]).await.ok()?;
    let said: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let pid = get::<i32>(r, "pid").ok()?;
            let oid = get::<i64>(r, "relation").ok()?;
            Some(format!(
                "pid {pid} holds ACCESS EXCLUSIVE on {}",
                catalog_name(oid)
            ))
        })
        .collect();
    (!said.is_empty()).then(|| said.join(", "))
}

/// The catalogs a monitoring read touches, by their fixed oids.
fn catalog_name(oid: i64) -> String {
    let name = match oid {
        1260 => "pg_authid",
        1261 => "pg_auth_members",
        1262 => "pg_database",
        1213 => "pg_tablespace",
        1259 => "pg_class",
        1249 => "pg_attribute",
        1247 => "pg_type",
        1255 => "pg_proc",
        2615 => "pg_namespace",
        1214 => "pg_shdepend",
        2964 => "pg_db_role_setting",
        _ => return format!("catalog oid {oid}"),
    };
    name.to_owned()
}
