//! The Locks pane's tables, each column defined once: config name, header, width, alignment,
//! priority when space is short, and the column taking the spare width.

use crate::columns::{Col, col, names};

/// Columns of a lock line; the object takes the rest.
pub const LIST: [Col; 5] = [
    col("", 8).named("granted").priority(0),
    col("TYPE", 14).named("type").priority(3),
    col("MODE", 22).named("mode").priority(2),
    col("COUNT", 7).named("count").right().priority(4),
    col("OBJECT", 1).named("object").flex().priority(1),
];

pub const LIST_NAMES: [&str; 5] = names(&LIST);

/// Columns of the blocking tree, in display order. The node (tree guides, then the pid or the
/// prepared transaction) grows up to its longest label; the query takes the rest.
pub const TREE: [Col; 12] = [
    col("PID", 16).named("pid").capped().priority(0),
    col("", 1).named("flag").priority(1),
    col("BLK", 4).named("blocks").right().priority(2),
    col("STATE", 10).named("state").priority(6),
    col("USER", 10).named("user").priority(9),
    col("DB", 10).named("database").priority(11),
    col("WANTS", 15).named("wants").priority(3),
    col("HOLDS", 15).named("holds").priority(8),
    col("OBJECT", 20).named("object").priority(4),
    col("WAITED", 7).named("waited").right().priority(5),
    col("XACT", 7).named("xact_age").right().priority(10),
    col("QUERY", 10).named("query").flex().priority(7),
];

pub const TREE_NAMES: [&str; 12] = names(&TREE);
