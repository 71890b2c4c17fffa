//! The Statements pane's table, each column defined once: config name, header, width,
//! alignment, priority when space is short and sort key.

use crate::columns::{Col, col, names};

/// The columns, per second or in totals (the titles differ, nothing else). The figures sort by
/// their key in [`Sort::ALL`]; when space is short, time, calls and the query (at least 38 % of
/// the width) stay longest.
const fn columns(t: [&'static str; 13]) -> [Col; 13] {
    [
        col(t[0], 10).named("user").priority(5),
        col(t[1], 10).named("database").priority(6),
        col(t[2], 8).named("calls").right().priority(1).sort(0),
        col(t[3], 8).named("time").right().priority(0).sort(1),
        col(t[4], 8).named("mean").right().priority(3).sort(2),
        col(t[5], 8).named("rows").right().priority(4).sort(3),
        col(t[6], 8).named("hit").right().wide().sort(4),
        col(t[7], 8).named("read").right().wide().sort(5),
        col(t[8], 5).named("hit_pct").right().priority(7).sort(6),
        col(t[9], 7).named("temp").right().wide().sort(7),
        col(t[10], 9).named("wal").right().wide().sort(8),
        col(t[11], 8).named("plan").right().wide().sort(9),
        col(t[12], 20).named("query").flex().share(38).priority(2),
    ]
}

pub const RATES: [Col; 13] = columns([
    "USER", "DB", "CALLS/S", "TIME/S", "MEAN MS", "ROWS/S", "HIT/S", "READ/S", "HIT%", "TEMP/S",
    "WAL/S", "PLAN/S", "QUERY",
]);
pub const TOTALS: [Col; 13] = columns([
    "USER", "DB", "CALLS", "TIME", "MEAN MS", "ROWS", "HIT", "READ", "HIT%", "TEMP", "WAL", "PLAN",
    "QUERY",
]);

/// The config names of the columns, in default order: what `state::tables` lists.
pub const NAMES: [&str; 13] = names(&RATES);
