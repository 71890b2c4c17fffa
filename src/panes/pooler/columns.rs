//! The Pooler pane's tables, each column defined once (config name, header, width, alignment,
//! the one taking spare width), with the order in which they give way on a narrow terminal:
//! every table fits 80 columns with its most telling columns.

use crate::columns::{Col, Fit, col};

pub const DATABASES: [Col; 10] = [
    col("DATABASE", 14).named("database").priority(0),
    col("LEVEL", 9).named("level").priority(1),
    col("POOLS", 5).named("pools").right().priority(9),
    col("SERVERS", 9).named("servers").right().priority(2),
    col("POOL", 5).named("pool_size").right().priority(6),
    col("RESERVE", 7).named("reserve_pool").right().priority(7),
    col("MAX DB", 6).named("max_db_connections").right().priority(8),
    col("CL ACT", 6).named("clients_active").right().priority(5),
    col("CL WAIT", 7).named("clients_waiting").right().priority(3),
    col("MAXWAIT", 8).named("maxwait").right().priority(4),
];

pub const POOLS: [Col; 17] = [
    col("DATABASE", 12).named("database").priority(0),
    col("USER", 10).named("user").priority(8),
    col("MODE", 11).named("pool_mode").priority(14),
    col("CL ACT", 6).named("cl_active").right().priority(3),
    col("CL WAIT", 7).named("cl_waiting").right().priority(1),
    col("SV ACT", 6).named("sv_active").right().priority(4),
    col("SV IDLE", 7).named("sv_idle").right().priority(5),
    col("SV USED", 7).named("sv_used").right().priority(11),
    col("TESTED", 6).named("sv_tested").right().priority(12),
    col("LOGIN", 5).named("sv_login").right().priority(13),
    col("MAXWAIT", 8).named("maxwait").right().priority(2),
    col("TPS", 7).named("xact_per_s").right().priority(6),
    col("QPS", 7).named("query_per_s").right().priority(10),
    col("AVG XACT", 8).named("avg_xact").right().priority(9),
    col("AVG WAIT", 8).named("avg_wait").right().priority(7),
    col("IN/S", 9).named("recv_per_s").right().priority(15),
    col("OUT/S", 9).named("sent_per_s").right().priority(16),
];

pub const SERVERS: [Col; 10] = [
    col("BACKEND", 8).named("backend").right().priority(0),
    col("STATE", 7).named("state").priority(1),
    col("DATABASE", 10).named("database").priority(2),
    col("USER", 10).named("user").priority(8),
    col("SERVER", 21).named("server_addr").priority(9),
    col("AGE", 6).named("age").right().priority(5),
    col("CLIENT", 21).named("client").priority(4),
    col("BK STATE", 8).named("backend_state").priority(6),
    col("BK WAIT", 14).named("backend_wait").priority(7),
    col("QUERY", 20).named("query").flex().priority(3),
];

pub const CLIENTS: [Col; 8] = [
    col("STATE", 7).named("state").priority(0),
    col("DATABASE", 10).named("database").priority(1),
    col("USER", 10).named("user").priority(6),
    col("ADDRESS", 21).named("address").priority(3),
    col("AGE", 6).named("age").right().priority(7),
    col("WAIT", 7).named("wait").right().priority(2),
    col("BACKEND", 8).named("backend").right().priority(4),
    col("APPLICATION", 14).named("application_name").flex().priority(5),
];

/// The columns of `cols` that fit `width` by priority, in display order, with their widths.
/// A table of numbers has no text column: its spare width stays at the right.
fn fit(cols: &[Col], width: u16) -> Vec<(usize, usize)> {
    let all: Vec<usize> = (0..cols.len()).collect();
    let width = usize::from(width);
    let fit = Fit {
        width,
        wide_from: width,
    };
    crate::columns::fit(cols, &all, fit, |i| cols[i].width)
}

pub fn databases(width: u16) -> Vec<(usize, usize)> {
    fit(&DATABASES, width)
}

pub fn pools(width: u16) -> Vec<(usize, usize)> {
    fit(&POOLS, width)
}

pub fn servers(width: u16) -> Vec<(usize, usize)> {
    fit(&SERVERS, width)
}

pub fn clients(width: u16) -> Vec<(usize, usize)> {
    fit(&CLIENTS, width)
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
        for cols in [&DATABASES[..], &POOLS[..], &SERVERS[..], &CLIENTS[..]] {
            let mut p: Vec<usize> = cols.iter().map(|c| usize::from(c.priority)).collect();
            p.sort_unstable();
            assert_eq!(p, (0..cols.len()).collect::<Vec<_>>());
        }
    }
}
