//! The Pooler pane's tables, each column defined once (config name, header, width, alignment,
//! the one taking spare width), with the order in which they give way on a narrow terminal:
//! every table fits 80 columns with its most telling columns.

use crate::columns::{Col, col, fit_columns};

pub const DATABASES: [Col; 10] = [
    col("DATABASE", 14).named("database"),
    col("LEVEL", 9).named("level"),
    col("POOLS", 5).named("pools").right(),
    col("SERVERS", 9).named("servers").right(),
    col("POOL", 5).named("pool_size").right(),
    col("RESERVE", 7).named("reserve_pool").right(),
    col("MAX DB", 6).named("max_db_connections").right(),
    col("CL ACT", 6).named("clients_active").right(),
    col("CL WAIT", 7).named("clients_waiting").right(),
    col("MAXWAIT", 8).named("maxwait").right(),
];
const DATABASES_PRIORITY: [usize; 10] = [0, 1, 3, 8, 9, 7, 4, 5, 6, 2];

pub const POOLS: [Col; 17] = [
    col("DATABASE", 12).named("database"),
    col("USER", 10).named("user"),
    col("MODE", 11).named("pool_mode"),
    col("CL ACT", 6).named("cl_active").right(),
    col("CL WAIT", 7).named("cl_waiting").right(),
    col("SV ACT", 6).named("sv_active").right(),
    col("SV IDLE", 7).named("sv_idle").right(),
    col("SV USED", 7).named("sv_used").right(),
    col("TESTED", 6).named("sv_tested").right(),
    col("LOGIN", 5).named("sv_login").right(),
    col("MAXWAIT", 8).named("maxwait").right(),
    col("TPS", 7).named("xact_per_s").right(),
    col("QPS", 7).named("query_per_s").right(),
    col("AVG XACT", 8).named("avg_xact").right(),
    col("AVG WAIT", 8).named("avg_wait").right(),
    col("IN/S", 9).named("recv_per_s").right(),
    col("OUT/S", 9).named("sent_per_s").right(),
];
const POOLS_PRIORITY: [usize; 17] = [0, 4, 10, 3, 5, 6, 11, 14, 1, 13, 12, 7, 8, 9, 2, 15, 16];

pub const SERVERS: [Col; 10] = [
    col("BACKEND", 8).named("backend").right(),
    col("STATE", 7).named("state"),
    col("DATABASE", 10).named("database"),
    col("USER", 10).named("user"),
    col("SERVER", 21).named("server_addr"),
    col("AGE", 6).named("age").right(),
    col("CLIENT", 21).named("client"),
    col("BK STATE", 8).named("backend_state"),
    col("BK WAIT", 14).named("backend_wait"),
    col("QUERY", 20).named("query").flex(),
];
const SERVERS_PRIORITY: [usize; 10] = [0, 1, 2, 9, 6, 5, 7, 8, 3, 4];

pub const CLIENTS: [Col; 8] = [
    col("STATE", 7).named("state"),
    col("DATABASE", 10).named("database"),
    col("USER", 10).named("user"),
    col("ADDRESS", 21).named("address"),
    col("AGE", 6).named("age").right(),
    col("WAIT", 7).named("wait").right(),
    col("BACKEND", 8).named("backend").right(),
    col("APPLICATION", 14).named("application_name").flex(),
];
const CLIENTS_PRIORITY: [usize; 8] = [0, 1, 5, 3, 6, 7, 2, 4];

/// The columns of `cols` that fit `width` by `priority`, in display order, with their widths.
/// A table of numbers has no flex column: its spare width stays at the right.
fn fit(cols: &[Col], priority: &[usize], width: u16) -> Vec<(usize, usize)> {
    let order: Vec<usize> = (0..cols.len()).collect();
    let flex = cols.iter().position(|c| c.flex).unwrap_or(usize::MAX);
    fit_columns(&order, priority, |i| cols[i].width, flex, usize::from(width))
}

pub fn databases(width: u16) -> Vec<(usize, usize)> {
    fit(&DATABASES, &DATABASES_PRIORITY, width)
}

pub fn pools(width: u16) -> Vec<(usize, usize)> {
    fit(&POOLS, &POOLS_PRIORITY, width)
}

pub fn servers(width: u16) -> Vec<(usize, usize)> {
    fit(&SERVERS, &SERVERS_PRIORITY, width)
}

pub fn clients(width: u16) -> Vec<(usize, usize)> {
    fit(&CLIENTS, &CLIENTS_PRIORITY, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(layout: &[(usize, usize)]) -> usize {
        layout.iter().map(|(_, w)| w).sum::<usize>() + layout.len().saturating_sub(1)
    }

    #[test]
    fn every_table_fits_80_columns_with_its_first_columns() {
        for (name, layout, must) in [
            ("databases", databases(80), &[0, 1, 3, 8, 9][..]),
            ("pools", pools(80), &[0, 3, 4, 5, 6, 10][..]),
            ("servers", servers(80), &[0, 1, 2, 6, 9][..]),
            ("clients", clients(80), &[0, 1, 3, 5, 6, 7][..]),
        ] {
            assert!(used(&layout) <= 80, "{name}: {layout:?}");
            assert!(used(&layout) >= 75, "{name} leaves room: {layout:?}");
            for i in must {
                assert!(layout.iter().any(|(c, _)| c == i), "{name} lacks {i}");
            }
        }
    }

    #[test]
    fn a_wide_terminal_shows_every_column_in_order() {
        for (layout, n) in [
            (databases(200), DATABASES.len()),
            (pools(200), POOLS.len()),
            (servers(200), SERVERS.len()),
            (clients(200), CLIENTS.len()),
        ] {
            let shown: Vec<usize> = layout.iter().map(|(c, _)| *c).collect();
            assert_eq!(shown, (0..n).collect::<Vec<_>>());
        }
        // The flex column takes the spare: the query of a server row.
        let query = servers(200).iter().find(|(c, _)| *c == 9).unwrap().1;
        assert_eq!(query, 200 - 134 + 20);
    }

    #[test]
    fn priorities_name_every_column_once() {
        for (p, n) in [
            (&DATABASES_PRIORITY[..], DATABASES.len()),
            (&POOLS_PRIORITY[..], POOLS.len()),
            (&SERVERS_PRIORITY[..], SERVERS.len()),
            (&CLIENTS_PRIORITY[..], CLIENTS.len()),
        ] {
            let mut sorted = p.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..n).collect::<Vec<_>>());
        }
    }
}
