//! The Waits pane's tables, each column defined once: config name, header, width, alignment,
//! priority when space is short, and whether it shows only on wide terminals or takes the
//! spare width.

use crate::columns::{Col, col, names};

/// The queries are kept before the wide-only databases and users.
pub const NOW: [Col; 6] = [
    col("WAIT", 26).named("wait").priority(0),
    col("SESS", 5).named("sessions").right().priority(1),
    col("SHARE", 5).named("share").right().priority(2),
    col("DATABASES", 18).named("databases").wide().priority(4),
    col("USERS", 18).named("users").wide().priority(5),
    col("QUERIES", 20).named("queries").flex().priority(3),
];

pub const NOW_NAMES: [&str; 6] = names(&NOW);

/// The wait takes what the numbers leave.
pub const TOP_WAITS: [Col; 3] = [
    col("WAIT", 10).named("wait").flex(),
    col("AAS", 6).named("aas").right(),
    col("SHARE", 5).named("share").right(),
];

pub const TOP_WAIT_NAMES: [&str; 3] = names(&TOP_WAITS);

/// The top queries: the numbers, the query taking the spare, the main waits up to their
/// longest. The query's header carries the list's title.
pub const TOP_QUERIES: [Col; 4] = [
    col("AAS", 6).named("aas").right().priority(1),
    col("SHARE", 5).named("share").right().priority(2),
    col("QUERY", 20).named("query").flex().priority(0),
    col("MAIN WAITS", 12).named("waits").capped().priority(3),
];

pub const TOP_QUERY_NAMES: [&str; 4] = names(&TOP_QUERIES);
