//! The Connections pane's idle-in-transaction list, each column defined once: config name,
//! header, width, alignment, priority when space is short. (The groups table's columns are in
//! `groups`, next to the comparison each sorts by.)

use crate::columns::{Col, col, names};

/// The list's columns: priority keeps the pid, how long and how far back vacuum is held, then
/// who and what; the last query takes the rest.
pub const TX_COLS: [Col; 9] = [
    col("PID", 7).named("pid").right().priority(0),
    col("USER", 10).named("user").priority(3),
    col("DB", 10).named("database").priority(6),
    col("APP", 12).named("application").priority(7),
    col("STATE", 10).named("state").priority(8),
    col("IDLE FOR", 9).named("idle_for").right().priority(1),
    col("XACT AGE", 9).named("xact_age").right().priority(5),
    col("XMIN AGE", 9).named("xmin_age").right().priority(2),
    col("LAST QUERY", 16).named("query").flex().priority(4),
];

pub const TX_NAMES: [&str; 9] = names(&TX_COLS);
