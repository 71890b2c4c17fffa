//! SHOW rows -> owned structs, by column name: columns come and go between PgBouncer versions
//! (1.15–1.24), so a missing one is `None`, never an error and never a shifted column.

use std::collections::BTreeMap;

use super::model::{Config, Conn, Database, DbStats, Pool, sum};

/// A row that can be read by column name (a `SimpleQueryRow`, or pairs in tests).
pub trait Fields {
    /// The column's text; `None` when the column is absent or NULL.
    fn field(&self, name: &str) -> Option<&str>;
}

impl Fields for [(&str, Option<&str>)] {
    fn field(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).and_then(|(_, v)| *v)
    }
}

fn text(row: &(impl Fields + ?Sized), name: &str) -> Option<String> {
    row.field(name).map(str::to_owned)
}

/// Non-empty text: PgBouncer prints some absent values (no link, no TLS) as empty strings.
fn present(row: &(impl Fields + ?Sized), name: &str) -> Option<String> {
    row.field(name).filter(|v| !v.is_empty()).map(str::to_owned)
}

fn int(row: &(impl Fields + ?Sized), name: &str) -> Option<i64> {
    row.field(name)?.trim().parse().ok()
}

fn int32(row: &(impl Fields + ?Sized), name: &str) -> Option<i32> {
    row.field(name)?.trim().parse().ok()
}

/// `secs` + `us` columns (maxwait/maxwait_us, wait/wait_us) as µs; the µs part is optional.
fn micros(row: &(impl Fields + ?Sized), secs: &str, us: &str) -> Option<i64> {
    let s = int(row, secs)?;
    let part = int(row, us).unwrap_or(0);
    Some(s.saturating_mul(1_000_000).saturating_add(part))
}

fn flag(row: &(impl Fields + ?Sized), name: &str) -> Option<bool> {
    match row.field(name)?.trim() {
        "1" | "yes" | "true" | "t" => Some(true),
        "0" | "no" | "false" | "f" => Some(false),
        _ => None,
    }
}

/// The first of `names` that this version has (a renamed column).
fn int_any(row: &(impl Fields + ?Sized), names: &[&str]) -> Option<i64> {
    names.iter().find_map(|n| int(row, n))
}

pub fn pool(row: &(impl Fields + ?Sized)) -> Pool {
    let cancel = int(row, "cl_cancel_req").or_else(|| {
        sum(&[
            int(row, "cl_active_cancel_req"),
            int(row, "cl_waiting_cancel_req"),
        ])
    });
    Pool {
        database: text(row, "database").unwrap_or_default(),
        user: text(row, "user").unwrap_or_default(),
        cl_active: int(row, "cl_active"),
        cl_waiting: int(row, "cl_waiting"),
        cl_cancel_req: cancel,
        sv_active: int(row, "sv_active"),
        sv_idle: int(row, "sv_idle"),
        sv_used: int(row, "sv_used"),
        sv_tested: int(row, "sv_tested"),
        sv_login: int(row, "sv_login"),
        maxwait_us: micros(row, "maxwait", "maxwait_us"),
        pool_mode: present(row, "pool_mode"),
    }
}

pub fn stats(row: &(impl Fields + ?Sized)) -> DbStats {
    DbStats {
        database: text(row, "database").unwrap_or_default(),
        xact_count: int(row, "total_xact_count"),
        query_count: int(row, "total_query_count"),
        server_assignment_count: int(row, "total_server_assignment_count"),
        received: int(row, "total_received"),
        sent: int(row, "total_sent"),
        xact_time: int(row, "total_xact_time"),
        query_time: int(row, "total_query_time"),
        wait_time: int(row, "total_wait_time"),
    }
}

pub fn conn(row: &(impl Fields + ?Sized)) -> Conn {
    let connect_time = present(row, "connect_time");
    let request_time = present(row, "request_time");
    Conn {
        kind: text(row, "type").unwrap_or_default(),
        user: text(row, "user").unwrap_or_default(),
        database: text(row, "database").unwrap_or_default(),
        state: text(row, "state").unwrap_or_default(),
        addr: present(row, "addr"),
        port: int32(row, "port"),
        local_addr: present(row, "local_addr"),
        local_port: int32(row, "local_port"),
        connect_secs: connect_time.as_deref().and_then(local_secs),
        request_secs: request_time.as_deref().and_then(local_secs),
        connect_time,
        request_time,
        wait_us: micros(row, "wait", "wait_us"),
        ptr: present(row, "ptr"),
        link: present(row, "link"),
        // 0 while the server connection logs in (no backend yet).
        remote_pid: int32(row, "remote_pid").filter(|p| *p > 0),
        tls: present(row, "tls"),
        application_name: present(row, "application_name"),
    }
}

/// `SHOW CONFIG` rows (`key`, `value`, ...) into one map.
pub fn config<'a, R: Fields + ?Sized + 'a>(rows: impl IntoIterator<Item = &'a R>) -> Config {
    let settings: BTreeMap<String, String> = rows
        .into_iter()
        .filter_map(|r| Some((text(r, "key")?, text(r, "value").unwrap_or_default())))
        .collect();
    Config { settings }
}

pub fn database(row: &(impl Fields + ?Sized)) -> Database {
    Database {
        name: text(row, "name").unwrap_or_default(),
        host: present(row, "host"),
        port: int32(row, "port"),
        database: present(row, "database"),
        force_user: present(row, "force_user"),
        pool_size: int(row, "pool_size"),
        min_pool_size: int(row, "min_pool_size"),
        reserve_pool: int_any(row, &["reserve_pool", "reserve_pool_size"]),
        pool_mode: present(row, "pool_mode"),
        max_connections: int(row, "max_connections"),
        current_connections: int(row, "current_connections"),
        max_client_connections: int(row, "max_client_connections"),
        current_client_connections: int(row, "current_client_connections"),
        paused: flag(row, "paused"),
        disabled: flag(row, "disabled"),
    }
}

/// "2026-12-03 16:41:41 UTC" -> seconds of that wall time as if it were UTC. The zone is the
/// pooler's and is ignored: these values are only compared with each other.
pub fn local_secs(text: &str) -> Option<i64> {
    let (date, rest) = text.trim().split_once(' ')?;
    let time = rest.split_whitespace().next()?;
    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let time = chrono::NaiveTime::parse_from_str(time, "%H:%M:%S").ok()?;
    Some(date.and_time(time).and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row<'a> = Vec<(&'a str, Option<&'a str>)>;

    #[test]
    fn pools_of_1_18_and_1_16() {
        let r118: Row = vec![
            ("database", Some("shop")),
            ("user", Some("app")),
            ("cl_active", Some("2")),
            ("cl_waiting", Some("8")),
            ("cl_active_cancel_req", Some("1")),
            ("cl_waiting_cancel_req", Some("0")),
            ("sv_active", Some("2")),
            ("sv_idle", Some("0")),
            ("sv_used", Some("0")),
            ("sv_tested", Some("0")),
            ("sv_login", Some("0")),
            ("maxwait", Some("3")),
            ("maxwait_us", Some("250000")),
            ("pool_mode", Some("transaction")),
        ];
        let p = pool(r118.as_slice());
        assert_eq!(p.cl_waiting, Some(8));
        assert_eq!(p.cl_cancel_req, Some(1));
        assert_eq!(p.maxwait_us, Some(3_250_000));
        assert_eq!(p.servers(), Some(2));
        let r116: Row = vec![
            ("database", Some("shop")),
            ("cl_cancel_req", Some("4")),
            ("maxwait", Some("1")),
        ];
        let p = pool(r116.as_slice());
        assert_eq!(p.cl_cancel_req, Some(4));
        assert_eq!(p.maxwait_us, Some(1_000_000));
        assert_eq!(p.sv_login, None, "missing is n/a, not 0");
        assert_eq!(p.servers(), None);
    }

    #[test]
    fn conn_reads_link_pid_and_times() {
        let r: Row = vec![
            ("type", Some("S")),
            ("user", Some("app")),
            ("database", Some("shop")),
            ("state", Some("active")),
            ("addr", Some("127.0.0.1")),
            ("port", Some("5432")),
            ("local_port", Some("42330")),
            ("connect_time", Some("2026-12-03 16:41:41 CET")),
            ("request_time", Some("2026-12-03 16:41:42 CET")),
            ("wait", Some("0")),
            ("wait_us", Some("12")),
            ("ptr", Some("0x55d5")),
            ("link", Some("")),
            ("remote_pid", Some("16895")),
            ("tls", Some("")),
        ];
        let c = conn(r.as_slice());
        assert_eq!(c.remote_pid, Some(16895));
        assert_eq!(c.local_port, Some(42330));
        assert_eq!(c.link, None);
        assert_eq!(c.tls, None);
        assert_eq!(c.wait_us, Some(12));
        assert_eq!(c.request_secs.unwrap() - c.connect_secs.unwrap(), 1);
        assert_eq!(c.application_name, None);
    }

    #[test]
    fn logging_in_server_has_no_pid() {
        let r: Row = vec![("remote_pid", Some("0"))];
        assert_eq!(conn(r.as_slice()).remote_pid, None);
    }

    #[test]
    fn databases_old_and_new_names() {
        let old: Row = vec![("name", Some("shop")), ("reserve_pool", Some("3"))];
        let new: Row = vec![
            ("name", Some("shop")),
            ("reserve_pool_size", Some("5")),
            ("paused", Some("0")),
        ];
        assert_eq!(database(old.as_slice()).reserve_pool, Some(3));
        assert_eq!(database(new.as_slice()).reserve_pool, Some(5));
        assert_eq!(database(new.as_slice()).paused, Some(false));
    }

    #[test]
    fn config_by_key() {
        let rows: Vec<Row> = vec![
            vec![("key", Some("default_pool_size")), ("value", Some("2"))],
            vec![("key", Some("pool_mode")), ("value", Some("session"))],
        ];
        let c = config(rows.iter().map(Vec::as_slice));
        assert_eq!(c.number("default_pool_size"), Some(2));
        assert_eq!(c.get("pool_mode"), Some("session"));
        assert_eq!(c.number("max_client_conn"), None);
    }

    #[test]
    fn local_secs_rejects_garbage() {
        assert!(local_secs("2026-12-03 16:41:41 UTC").is_some());
        assert_eq!(local_secs("2026-13-03 16:41:41"), None);
        assert_eq!(local_secs("yesterday"), None);
        assert_eq!(local_secs(""), None);
    }
}
