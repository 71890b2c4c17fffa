//! How close each database is to its limits: a pure function of one read. The pool size is per
//! (database, user) pool; `reserve_pool` extra connections open after `reserve_pool_timeout`;
//! `max_db_connections` caps all pools of a database together; `max_client_conn` caps clients.

use std::collections::BTreeMap;

use super::model::{Database, Pool, Pooler};

/// The admin console's pseudo-database: it has no server connections to saturate.
pub const ADMIN_DB: &str = "pgbouncer";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saturation {
    /// Client connections the pooler holds (every SHOW CLIENTS row, admin consoles included).
    pub clients: Option<i64>,
    pub max_client_conn: Option<i64>,
    pub databases: Vec<DbSaturation>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbSaturation {
    pub database: String,
    /// Pools of this database (one per user that connected).
    pub pools: i64,
    /// Per pool.
    pub pool_size: Option<i64>,
    pub reserve_pool: Option<i64>,
    /// `None`: unlimited (0 in the config).
    pub max_db_connections: Option<i64>,
    /// The most server connections its pools can open: pools x (pool_size + reserve_pool),
    /// capped by max_db_connections.
    pub server_limit: Option<i64>,
    pub servers: Option<i64>,
    pub clients_active: Option<i64>,
    pub clients_waiting: Option<i64>,
    pub maxwait_us: Option<i64>,
    pub level: Level,
}

/// Worst first, so that sorting by level puts trouble on top.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Clients are queued for a server connection.
    Queuing,
    /// Every server connection it may open is open.
    Full,
    /// Past pool_size: the reserve is in use.
    Reserve,
    #[default]
    Ok,
    /// Limits or counts unknown in this version or this read.
    Unknown,
}

pub fn compute(p: &Pooler) -> Saturation {
    let config = p.config.as_ref().ok();
    let setting = |key: &str| config.and_then(|c| c.number(key));
    let global_max_db = setting("max_db_connections").filter(|m| *m > 0);
    let pools: &[Pool] = p.pools.as_deref().unwrap_or_default();
    let mut by_db: BTreeMap<&str, Vec<&Pool>> = BTreeMap::new();
    for pool in pools.iter().filter(|pool| pool.database != ADMIN_DB) {
        by_db.entry(&pool.database).or_default().push(pool);
    }
    let entries: &[Database] = p.databases.as_deref().unwrap_or_default();
    let mut names: Vec<&str> = entries
        .iter()
        .map(|d| d.name.as_str())
        .filter(|n| *n != ADMIN_DB)
        .collect();
    // Pools of a database SHOW DATABASES did not list (that read failed) still count.
    let extra: Vec<&str> = by_db
        .keys()
        .copied()
        .filter(|n| !names.contains(n))
        .collect();
    names.extend(extra);
    let databases = names
        .into_iter()
        .map(|name| {
            let entry = entries.iter().find(|d| d.name == name);
            let pools = by_db.get(name).map_or(&[][..], Vec::as_slice);
            let limits = Limits {
                pool_size: entry
                    .and_then(|d| d.pool_size)
                    .or_else(|| setting("default_pool_size")),
                reserve_pool: entry
                    .and_then(|d| d.reserve_pool)
                    .or_else(|| setting("reserve_pool_size")),
                max_db: entry
                    .and_then(|d| d.max_connections)
                    .filter(|m| *m > 0)
                    .or(global_max_db),
            };
            database(name, pools, entry, &limits)
        })
        .collect();
    Saturation {
        clients: p.clients.as_ref().ok().map(|c| c.len() as i64),
        max_client_conn: setting("max_client_conn"),
        databases,
    }
}

struct Limits {
    pool_size: Option<i64>,
    reserve_pool: Option<i64>,
    max_db: Option<i64>,
}

fn database(name: &str, pools: &[&Pool], entry: Option<&Database>, l: &Limits) -> DbSaturation {
    let n = pools.len() as i64;
    let total = |f: fn(&Pool) -> Option<i64>| -> Option<i64> {
        pools.iter().try_fold(0i64, |acc, p| Some(acc + f(p)?))
    };
    let servers = entry
        .and_then(|d| d.current_connections)
        .or_else(|| total(Pool::servers));
    let per_pool = l
        .pool_size
        .zip(l.reserve_pool)
        .map(|(size, reserve)| n * (size + reserve));
    let server_limit = match (per_pool, l.max_db) {
        (Some(p), Some(m)) => Some(p.min(m)),
        (p, None) => p,
        (None, Some(m)) => Some(m),
    };
    let waiting = total(|p| p.cl_waiting);
    let level = match (waiting, servers, server_limit, l.pool_size) {
        (Some(w), ..) if w > 0 => Level::Queuing,
        (_, Some(s), Some(limit), _) if n > 0 && s >= limit => Level::Full,
        (_, Some(s), _, Some(size)) if s > n * size => Level::Reserve,
        (Some(_), Some(_), ..) => Level::Ok,
        _ => Level::Unknown,
    };
    DbSaturation {
        database: name.to_owned(),
        pools: n,
        pool_size: l.pool_size,
        reserve_pool: l.reserve_pool,
        max_db_connections: l.max_db,
        server_limit,
        servers,
        clients_active: total(|p| p.cl_active),
        clients_waiting: waiting,
        maxwait_us: pools.iter().filter_map(|p| p.maxwait_us).max(),
        level,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pooler::model::Config;

    fn pool(db: &str, user: &str, active: i64, waiting: i64, sv: i64) -> Pool {
        Pool {
            database: db.into(),
            user: user.into(),
            cl_active: Some(active),
            cl_waiting: Some(waiting),
            sv_active: Some(sv),
            sv_idle: Some(0),
            sv_used: Some(0),
            sv_tested: Some(0),
            sv_login: Some(0),
            maxwait_us: Some(waiting * 1_000_000),
            ..Pool::default()
        }
    }

    fn pooler(pools: Vec<Pool>, dbs: Vec<Database>, config: &[(&str, &str)]) -> Pooler {
        Pooler {
            version: String::new(),
            read_at: 0,
            pools: Ok(pools),
            stats: Ok(Vec::new()),
            clients: Ok(Vec::new()),
            servers: Ok(Vec::new()),
            config: Ok(Config {
                settings: config
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            }),
            databases: Ok(dbs),
        }
    }

    fn entry(name: &str, size: i64, reserve: i64, max: i64) -> Database {
        Database {
            name: name.into(),
            pool_size: Some(size),
            reserve_pool: Some(reserve),
            max_connections: Some(max),
            ..Database::default()
        }
    }

    #[test]
    fn waiting_clients_mean_queuing() {
        let p = pooler(
            vec![
                pool("shop", "app", 2, 8, 2),
                pool("pgbouncer", "pgbouncer", 1, 0, 0),
            ],
            vec![entry("shop", 2, 0, 0), entry("pgbouncer", 2, 0, 0)],
            &[("max_client_conn", "100"), ("max_db_connections", "0")],
        );
        let s = compute(&p);
        assert_eq!(s.databases.len(), 1, "the admin db is not a database");
        let shop = &s.databases[0];
        assert_eq!(shop.level, Level::Queuing);
        assert_eq!(shop.server_limit, Some(2));
        assert_eq!(shop.max_db_connections, None);
        assert_eq!(shop.maxwait_us, Some(8_000_000));
        assert_eq!(s.max_client_conn, Some(100));
    }

    #[test]
    fn limits_per_pool_and_per_database() {
        // Two users' pools of 5 + 1 reserve each, but the database is capped at 8.
        let p = pooler(
            vec![pool("shop", "a", 5, 0, 5), pool("shop", "b", 3, 0, 3)],
            vec![entry("shop", 5, 1, 8)],
            &[],
        );
        let shop = &compute(&p).databases[0];
        assert_eq!(shop.server_limit, Some(8));
        assert_eq!(shop.servers, Some(8));
        assert_eq!(shop.level, Level::Full);
        // The global cap applies when the database has none of its own.
        let p = pooler(
            vec![pool("shop", "a", 6, 0, 6)],
            vec![entry("shop", 5, 2, 0)],
            &[("max_db_connections", "50")],
        );
        let shop = &compute(&p).databases[0];
        assert_eq!(shop.max_db_connections, Some(50));
        assert_eq!(shop.server_limit, Some(7));
        assert_eq!(shop.level, Level::Reserve);
    }

    #[test]
    fn unknown_limits_are_not_ok() {
        let mut p = pooler(
            vec![Pool {
                database: "shop".into(),
                ..Pool::default()
            }],
            vec![],
            &[],
        );
        p.clients = Err(crate::snapshot::PaneError {
            sqlstate: None,
            message: "x".into(),
        });
        let s = compute(&p);
        assert_eq!(s.databases[0].level, Level::Unknown);
        assert_eq!(s.databases[0].server_limit, None);
        assert_eq!(s.clients, None);
    }
}
