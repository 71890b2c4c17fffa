//! The Replication pane's tables, each column defined once: config name, header, width,
//! alignment, and whether it shows only on wide terminals or takes the spare width.

use crate::columns::{Col, col, names};

pub const SENDERS: [Col; 16] = [
    col("PID", 7).named("pid").right(),
    col("APP", 12).named("application"),
    col("STATE", 9).named("state"),
    col("SENT", 9).named("sent").right(),
    col("REPLAY", 9).named("replay").right(),
    col("R LAG", 7).named("replay_lag").right(),
    col("HISTORY", 8).named("history").flex(),
    col("CLIENT", 12).named("client"),
    col("SYNC", 10).named("sync").wide(),
    col("WRITE", 9).named("write").right().wide(),
    col("FLUSH", 9).named("flush").right().wide(),
    col("W LAG", 7).named("write_lag").right().wide(),
    col("F LAG", 7).named("flush_lag").right().wide(),
    col("REPLY", 6).named("reply").right().wide(),
    col("SLOT", 14).named("slot").wide(),
    col("REPLAY LSN", 12).named("replay_lsn").wide(),
];

pub const SENDER_NAMES: [&str; 16] = names(&SENDERS);

pub const SLOTS: [Col; 13] = [
    col("SLOT", 16).named("slot").capped(),
    col("TYPE", 8).named("type"),
    col("ACTIVE", 8).named("active"),
    col("RETAINED", 9).named("retained").right(),
    col("WAL STATUS", 10).named("wal_status"),
    col("SAFE", 9).named("safe").right(),
    col("XMIN AGE", 9).named("xmin_age").right(),
    col("CAT XMIN", 9).named("catalog_xmin_age").right().wide(),
    col("DB", 10).named("database").wide(),
    col("PLUGIN", 10).named("plugin").wide(),
    col("IDLE FOR", 8).named("idle_for").right().wide(),
    col("INVALIDATED", 14).named("invalidated").wide(),
    col("RESTART LSN", 12).named("restart_lsn").wide(),
];

pub const SLOT_NAMES: [&str; 13] = names(&SLOTS);

pub const SUBS: [Col; 10] = [
    col("SUBSCRIPTION", 14).named("subscription").capped(),
    col("DB", 10).named("database"),
    col("ON", 3).named("enabled"),
    col("PID", 7).named("pid").right(),
    col("RECEIVED", 12).named("received"),
    col("LAST MSG", 8).named("last_message").right(),
    col("ERRORS", 8).named("errors").right(),
    col("SYNCING", 7).named("syncing").right().wide(),
    col("LATEST END", 12).named("latest_end").wide(),
    col("PUBLICATIONS", 16).named("publications").wide(),
];

pub const SUB_NAMES: [&str; 10] = names(&SUBS);

pub const CONFLICTS: [Col; 7] = [
    col("DATABASE", 14).named("database").capped(),
    col("SNAPSHOT", 9).named("snapshot").right(),
    col("LOCK", 9).named("lock").right(),
    col("BUFFERPIN", 9).named("bufferpin").right(),
    col("DEADLOCK", 9).named("deadlock").right(),
    col("TABLESPACE", 10).named("tablespace").right().wide(),
    col("LOGICAL", 9).named("logical").right().wide(),
];

pub const CONFLICT_NAMES: [&str; 7] = names(&CONFLICTS);
