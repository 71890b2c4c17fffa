//! The Locks pane's lock list, each column defined once: config name, header, width, alignment
//! and the column taking the spare width. (The blocking tree's columns are still its own.)

use crate::columns::{Col, col, names};

/// Columns of a lock line; the object takes the rest.
pub const LIST: [Col; 5] = [
    col("", 8).named("granted"),
    col("TYPE", 14).named("type"),
    col("MODE", 22).named("mode"),
    col("COUNT", 7).named("count").right(),
    col("OBJECT", 1).named("object").flex(),
];

pub const LIST_NAMES: [&str; 5] = names(&LIST);
