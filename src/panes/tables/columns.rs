//! The Tables pane's table list, each column defined once: config name, header, width,
//! alignment, priority when space is short, and the sort key it shows (its index in
//! [`SortKey::ALL`](crate::panes::tables::model::SortKey::ALL)). Timings and counters beyond
//! vacuum health only on wide terminals.

use crate::columns::{Col, col, names};

/// From this width the wide columns show.
pub const WIDE: usize = 160;

pub const COLUMNS: [Col; 17] = [
    col("TABLE", 8).named("table").flex().priority(0),
    col("EST.SIZE", 9).named("est_size").right().priority(2).sort(3),
    col("LIVE", 10).named("live").right().priority(5),
    col("DEAD", 9).named("dead").right().priority(3).sort(1),
    col("DEAD%", 6).named("dead_pct").right().priority(4).sort(2),
    col("PAST", 9).named("past_threshold").right().priority(1).sort(0),
    col("MODS", 9).named("mods").right().wide().sort(6),
    col("VACUUM", 8).named("last_vacuum").right().wide(),
    col("AUTOVAC", 8).named("last_autovacuum").right().priority(6),
    col("ANALYZE", 8).named("last_analyze").right().wide(),
    col("AUTOANL", 8).named("last_autoanalyze").right().wide(),
    col("SEQSCAN", 9).named("seq_scan").right().wide().sort(5),
    col("IDXSCAN", 9).named("idx_scan").right().wide(),
    col("SEQTUP/S", 9).named("seq_tup_per_s").right().wide().sort(4),
    col("HOT%", 5).named("hot_pct").right().wide(),
    col("XIDAGE", 11).named("xid_age").right().wide().sort(7),
    col("FRZ%", 5).named("freeze_pct").right().wide(),
];

/// The config names, in default order: what `state::tables` lists.
pub const NAMES: [&str; 17] = names(&COLUMNS);
