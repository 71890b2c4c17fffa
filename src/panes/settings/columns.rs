//! The Settings pane's parameter list, each column defined once: config name, header, width,
//! alignment and priority when space is short. The name, value and default grow up to their
//! longest value; the origin (file:line or source) takes the rest.

use crate::columns::{Col, col, names};

/// From this width the wide columns show.
pub const WIDE: usize = 140;

pub const COLUMNS: [Col; 5] = [
    col("NAME", 26).named("name").capped().priority(0),
    col("VALUE", 14).named("value").capped().priority(1),
    col("DEFAULT", 12).named("default").capped().priority(3),
    col("CONTEXT", 12).named("context").wide().priority(4),
    col("ORIGIN", 10).named("origin").flex().priority(2),
];

/// The config names, in default order: what `state::tables` lists.
pub const NAMES: [&str; 5] = names(&COLUMNS);
