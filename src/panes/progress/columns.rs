//! The Progress pane's tables, each column defined once: config name, header, width,
//! alignment, and whether it shows only on wide terminals or takes the spare width.

use crate::columns::{Col, col, names};

pub const OPS: [Col; 8] = [
    col("PID", 7).named("pid").right(),
    col("OPERATION", 14).named("operation"),
    col("RELATION", 10).named("relation").capped(),
    col("PHASE", 20).named("phase"),
    col("PROGRESS", 13).named("progress"),
    col("ETA", 7).named("eta").right(),
    col("ELAPSED", 7).named("elapsed").right().wide(),
    col("DETAIL", 30).named("detail").wide().flex(),
];

pub const OPS_NAMES: [&str; 8] = names(&OPS);

pub const HOLDERS: [Col; 9] = [
    col("HOLDER", 8).named("holder"),
    col("PID", 7).named("pid").right(),
    col("NAME", 16).named("name").capped(),
    col("DB", 12).named("database").wide(),
    col("USER", 12).named("user").wide(),
    col("STATE", 12).named("state"),
    col("HOLDS", 12).named("holds").wide(),
    col("AGE (XIDS)", 13).named("xid_age").right(),
    col("SINCE", 8).named("since").right(),
];

pub const HOLDER_NAMES: [&str; 9] = names(&HOLDERS);

pub const FREEZE: [Col; 7] = [
    col("DATABASE", 14).named("database").capped(),
    col("XID AGE", 13).named("xid_age").right(),
    col("% FREEZE", 8).named("xid_freeze").right(),
    col("% LIMIT", 7).named("xid_limit").right(),
    col("MXID AGE", 13).named("mxid_age").right(),
    col("% FREEZE", 8).named("mxid_freeze").right().wide(),
    col("% LIMIT", 7).named("mxid_limit").right(),
];

pub const FREEZE_NAMES: [&str; 7] = names(&FREEZE);

pub const OVERDUE: [Col; 7] = [
    col("TABLE", 16).named("table").capped(),
    col("DEAD", 11).named("dead").right(),
    col("THRESHOLD", 11).named("threshold").right(),
    col("% THR", 6).named("past_threshold").right(),
    col("AV", 3).named("autovacuum_off"),
    col("LAST AUTOVAC", 12).named("last_autovacuum").right(),
    col("LAST VACUUM", 12).named("last_vacuum").right().wide(),
];

pub const OVERDUE_NAMES: [&str; 7] = names(&OVERDUE);
