//! Decoding the exact column sets of PgBouncer versions other than the one installed here
//! (taken from each release's `src/admin.c` and `src/stats.c`): by name, a column a version
//! lacks reads `None`, and an inserted column (1.24's `replication`) shifts nothing.

use super::decode::{conn, database, pool, stats};

/// A row of `columns` where each value is `value(name)`: the SHOW's own order, as sent.
fn row<'a>(
    columns: &[&'a str],
    value: impl Fn(&str) -> &'a str,
) -> Vec<(&'a str, Option<&'a str>)> {
    columns.iter().map(|c| (*c, Some(value(c)))).collect()
}

/// Distinct numbers per column, so a shifted column would show.
fn numbered<'a>(
    columns: &[&'a str],
    all: &'a [(&'a str, &'a str)],
) -> Vec<(&'a str, Option<&'a str>)> {
    row(columns, |c| {
        all.iter().find(|(n, _)| *n == c).map_or("0", |(_, v)| *v)
    })
}

const VALUES: [(&str, &str); 24] = [
    ("database", "shop"),
    ("user", "app"),
    ("cl_active", "3"),
    ("cl_waiting", "8"),
    ("cl_cancel_req", "1"),
    ("cl_active_cancel_req", "2"),
    ("cl_waiting_cancel_req", "4"),
    ("sv_active", "5"),
    ("sv_active_cancel", "6"),
    ("sv_being_canceled", "7"),
    ("sv_idle", "9"),
    ("sv_used", "10"),
    ("sv_tested", "11"),
    ("sv_login", "12"),
    ("maxwait", "13"),
    ("maxwait_us", "14"),
    ("pool_mode", "transaction"),
    ("load_balance_hosts", ""),
    ("total_server_assignment_count", "100"),
    ("total_xact_count", "200"),
    ("total_query_count", "300"),
    ("total_received", "400"),
    ("total_sent", "500"),
    ("total_wait_time", "600"),
];

const POOLS_1_15: [&str; 12] = [
    "database",
    "user",
    "cl_active",
    "cl_waiting",
    "sv_active",
    "sv_idle",
    "sv_used",
    "sv_tested",
    "sv_login",
    "maxwait",
    "maxwait_us",
    "pool_mode",
];
const POOLS_1_16: [&str; 13] = [
    "database",
    "user",
    "cl_active",
    "cl_waiting",
    "cl_cancel_req",
    "sv_active",
    "sv_idle",
    "sv_used",
    "sv_tested",
    "sv_login",
    "maxwait",
    "maxwait_us",
    "pool_mode",
];
const POOLS_1_24: [&str; 17] = [
    "database",
    "user",
    "cl_active",
    "cl_waiting",
    "cl_active_cancel_req",
    "cl_waiting_cancel_req",
    "sv_active",
    "sv_active_cancel",
    "sv_being_canceled",
    "sv_idle",
    "sv_used",
    "sv_tested",
    "sv_login",
    "maxwait",
    "maxwait_us",
    "pool_mode",
    "load_balance_hosts",
];

#[test]
fn pools_of_1_15_1_16_and_1_24() {
    let p = pool(numbered(&POOLS_1_15, &VALUES).as_slice());
    assert_eq!(
        (p.cl_active, p.cl_waiting, p.sv_idle, p.sv_login),
        (Some(3), Some(8), Some(9), Some(12))
    );
    assert_eq!(p.cl_cancel_req, None, "1.15 counts no cancel requests");
    assert_eq!(p.maxwait_us, Some(13_000_014));
    let p = pool(numbered(&POOLS_1_16, &VALUES).as_slice());
    assert_eq!(p.cl_cancel_req, Some(1));
    let p = pool(numbered(&POOLS_1_24, &VALUES).as_slice());
    assert_eq!(p.cl_cancel_req, Some(2 + 4), "active + waiting cancels");
    assert_eq!(
        (p.sv_active, p.sv_idle, p.sv_used),
        (Some(5), Some(9), Some(10))
    );
    assert_eq!(p.pool_mode.as_deref(), Some("transaction"));
}

const STATS_1_15: [&str; 15] = [
    "database",
    "total_xact_count",
    "total_query_count",
    "total_received",
    "total_sent",
    "total_xact_time",
    "total_query_time",
    "total_wait_time",
    "avg_xact_count",
    "avg_query_count",
    "avg_recv",
    "avg_sent",
    "avg_xact_time",
    "avg_query_time",
    "avg_wait_time",
];
const STATS_1_24: [&str; 23] = [
    "database",
    "total_server_assignment_count",
    "total_xact_count",
    "total_query_count",
    "total_received",
    "total_sent",
    "total_xact_time",
    "total_query_time",
    "total_wait_time",
    "total_client_parse_count",
    "total_server_parse_count",
    "total_bind_count",
    "avg_server_assignment_count",
    "avg_xact_count",
    "avg_query_count",
    "avg_recv",
    "avg_sent",
    "avg_xact_time",
    "avg_query_time",
    "avg_wait_time",
    "avg_client_parse_count",
    "avg_server_parse_count",
    "avg_bind_count",
];

#[test]
fn stats_before_and_after_server_assignments() {
    let s = stats(numbered(&STATS_1_15, &VALUES).as_slice());
    assert_eq!(
        (s.xact_count, s.received, s.wait_time),
        (Some(200), Some(400), Some(600))
    );
    assert_eq!(s.server_assignment_count, None);
    let s = stats(numbered(&STATS_1_24, &VALUES).as_slice());
    assert_eq!(s.server_assignment_count, Some(100));
    assert_eq!(
        (s.xact_count, s.query_count, s.sent),
        (Some(200), Some(300), Some(500))
    );
}

const SOCKETS_1_15: [&str; 17] = [
    "type",
    "user",
    "database",
    "state",
    "addr",
    "port",
    "local_addr",
    "local_port",
    "connect_time",
    "request_time",
    "wait",
    "wait_us",
    "close_needed",
    "ptr",
    "link",
    "remote_pid",
    "tls",
];
const SOCKETS_1_24: [&str; 21] = [
    "type",
    "user",
    "database",
    "replication",
    "state",
    "addr",
    "port",
    "local_addr",
    "local_port",
    "connect_time",
    "request_time",
    "wait",
    "wait_us",
    "close_needed",
    "ptr",
    "link",
    "remote_pid",
    "tls",
    "application_name",
    "prepared_statements",
    "id",
];

fn socket_value(c: &str) -> &'static str {
    match c {
        "type" => "S",
        "replication" => "none",
        "state" => "active",
        "addr" | "local_addr" => "10.0.0.5",
        "port" => "5432",
        "local_port" => "40100",
        "connect_time" | "request_time" => "2026-12-03 10:00:00 CET",
        "ptr" => "0x1",
        "link" => "0x2",
        "remote_pid" => "4242",
        "application_name" => "orders",
        "id" => "17",
        _ => "0",
    }
}

#[test]
fn clients_and_servers_of_1_15_and_1_24() {
    for (columns, app) in [
        (&SOCKETS_1_15[..], None),
        (&SOCKETS_1_24[..], Some("orders")),
    ] {
        let c = conn(row(columns, socket_value).as_slice());
        assert_eq!(c.state, "active", "{columns:?}");
        assert_eq!((c.port, c.local_port), (Some(5432), Some(40100)));
        assert_eq!(c.remote_pid, Some(4242));
        assert_eq!(
            (c.ptr.as_deref(), c.link.as_deref()),
            (Some("0x1"), Some("0x2"))
        );
        assert_eq!(c.application_name.as_deref(), app, "added in 1.18");
        assert!(c.connect_secs.is_some());
    }
}

const DATABASES_1_15: [&str; 12] = [
    "name",
    "host",
    "port",
    "database",
    "force_user",
    "pool_size",
    "reserve_pool",
    "pool_mode",
    "max_connections",
    "current_connections",
    "paused",
    "disabled",
];
const DATABASES_1_24: [&str; 17] = [
    "name",
    "host",
    "port",
    "database",
    "force_user",
    "pool_size",
    "min_pool_size",
    "reserve_pool_size",
    "server_lifetime",
    "pool_mode",
    "load_balance_hosts",
    "max_connections",
    "current_connections",
    "max_client_connections",
    "current_client_connections",
    "paused",
    "disabled",
];

fn database_value(c: &str) -> &'static str {
    match c {
        "name" | "database" => "shop",
        "host" => "db1",
        "port" => "5432",
        "force_user" => "",
        "pool_size" => "20",
        "min_pool_size" => "2",
        "reserve_pool" | "reserve_pool_size" => "5",
        "server_lifetime" => "3600",
        "pool_mode" => "session",
        "max_connections" => "50",
        "current_connections" => "7",
        "max_client_connections" => "500",
        "current_client_connections" => "42",
        "paused" => "1",
        _ => "0",
    }
}

#[test]
fn databases_of_1_15_and_1_24() {
    let d = database(row(&DATABASES_1_15, database_value).as_slice());
    assert_eq!(
        (d.pool_size, d.reserve_pool, d.max_connections),
        (Some(20), Some(5), Some(50))
    );
    assert_eq!((d.min_pool_size, d.max_client_connections), (None, None));
    assert_eq!((d.paused, d.disabled), (Some(true), Some(false)));
    let d = database(row(&DATABASES_1_24, database_value).as_slice());
    assert_eq!(d.reserve_pool, Some(5), "renamed reserve_pool_size");
    assert_eq!(d.min_pool_size, Some(2));
    assert_eq!(
        (d.max_client_connections, d.current_client_connections),
        (Some(500), Some(42))
    );
    assert_eq!(d.force_user, None, "empty is absent");
    assert_eq!(d.pool_mode.as_deref(), Some("session"));
}
