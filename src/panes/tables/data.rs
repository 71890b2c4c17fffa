//! The Tables pane's part of a refresh: plain owned rows as the server reported them. `None`
//! is "n/a" (a column this version lacks, a table never analyzed), never a zero.

use crate::snapshot::{Micros, PaneError};

/// One read of the Tables pane. Statistics are per database: every section is about `datname`
/// of `meta`, the database the monitoring connection is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    pub meta: Result<Meta, PaneError>,
    pub tables: Result<TableList, PaneError>,
    /// The whole database's indexes, the interesting ones first.
    pub indexes: Result<IndexList, PaneError>,
    /// The table the pane had selected when it asked for this read.
    pub selected: Option<u32>,
    /// The indexes of `selected`, read for that table alone; `None` when none was selected.
    pub table_indexes: Option<Result<IndexList, PaneError>>,
    /// The databases the login may connect to (the pane's database switch).
    pub databases: Result<Vec<String>, PaneError>,
}

/// The database read, and the server settings the autovacuum thresholds fall back to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    pub datname: String,
    /// The server's clock at the read.
    pub read_at: Micros,
    pub block_size: i64,
    pub autovacuum: bool,
    pub track_counts: bool,
    pub settings: Thresholds,
    pub freeze_max_age: i64,
    /// When this database's statistics were last reset ("unused since ..."); `None` = never.
    pub stats_reset: Option<Micros>,
}

/// Autovacuum's trigger points: `base + scale × reltuples`, capped by `max` (18+), for dead
/// tuples, inserted tuples (13+) and modifications (ANALYZE). `None` where the server has no such
/// setting, or for a table, where its reloptions do not set it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Thresholds {
    pub vac_base: Option<f64>,
    pub vac_scale: Option<f64>,
    pub vac_max: Option<f64>,
    pub ins_base: Option<f64>,
    pub ins_scale: Option<f64>,
    pub anl_base: Option<f64>,
    pub anl_scale: Option<f64>,
}

/// The top tables by the sort key the server ranked on, out of `total`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableList {
    pub total: i64,
    /// The server's clock when these counters were read (for rates between two reads).
    pub read_at: Option<Micros>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRow {
    pub relid: u32,
    pub schema: String,
    pub name: String,
    /// `r` table, `m` materialized view, `p` partitioned table.
    pub relkind: String,
    /// `t` for a temporary table: autovacuum never processes those.
    pub temporary: bool,
    /// Pages as of the last VACUUM/ANALYZE (an estimate); main fork, TOAST, all indexes.
    pub pages: i64,
    pub toast_pages: Option<i64>,
    pub index_pages: Option<i64>,
    /// `None` before the first VACUUM or ANALYZE (reltuples -1 from 14; 0 before).
    pub reltuples: Option<f64>,
    pub xid_age: Option<i64>,
    pub mxid_age: Option<i64>,
    /// The table's own reloptions.
    pub autovacuum_enabled: Option<bool>,
    pub options: Thresholds,
    pub live: i64,
    pub dead: i64,
    pub mods_since_analyze: i64,
    /// 13+.
    pub ins_since_vacuum: Option<i64>,
    pub seq_scan: i64,
    pub seq_tup_read: i64,
    /// `None` when the table has no index.
    pub idx_scan: Option<i64>,
    pub n_tup_ins: i64,
    pub n_tup_upd: i64,
    pub n_tup_del: i64,
    pub n_tup_hot_upd: i64,
    /// 16+.
    pub n_tup_newpage_upd: Option<i64>,
    pub last_seq_scan: Option<Micros>,
    pub last_idx_scan: Option<Micros>,
    pub last_vacuum: Option<Micros>,
    pub last_autovacuum: Option<Micros>,
    pub last_analyze: Option<Micros>,
    pub last_autoanalyze: Option<Micros>,
    pub vacuum_count: i64,
    pub autovacuum_count: i64,
    pub analyze_count: i64,
    pub autoanalyze_count: i64,
    /// Milliseconds spent in (auto)vacuum since the stats reset (18+).
    pub total_vacuum_ms: Option<f64>,
    pub total_autovacuum_ms: Option<f64>,
}

/// Indexes, the interesting ones first, out of `total`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexList {
    pub total: i64,
    pub rows: Vec<IndexRow>,
}

#[derive(Debug, Clone, PartialEq, Default)]
#[allow(clippy::struct_excessive_bools)] // pg_index's flags, as the catalog has them
pub struct IndexRow {
    pub indexrelid: u32,
    pub relid: u32,
    pub schema: String,
    pub table: String,
    pub name: String,
    /// Access method: btree, gin, ...
    pub method: String,
    /// The index of a partitioned table (relkind `I`): dropped without CONCURRENTLY.
    pub partitioned: bool,
    /// `schema.index` and `schema.table`, quoted by the server's own `quote_ident`.
    pub index_ident: String,
    pub table_ident: String,
    pub pages: i64,
    pub scans: i64,
    pub valid: bool,
    pub ready: bool,
    pub unique: bool,
    pub primary: bool,
    pub exclusion: bool,
    pub replica_identity: bool,
    /// The constraint it backs (`p`, `u` or `x`) and its quoted name.
    pub constraint: Option<(char, String)>,
    /// A CREATE INDEX CONCURRENTLY or REINDEX is building it right now.
    pub building: bool,
    /// The index of the same shape on the same table that is kept when this one is dropped.
    pub duplicate_of: Option<String>,
}

/// The outcome of an exact size request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExactSize {
    Measured {
        /// Main fork, free space and visibility maps, TOAST.
        table: i64,
        indexes: i64,
        total: i64,
    },
    /// Another session holds or waits for a lock that conflicts with reading the size.
    Locked,
    /// The table no longer exists.
    Gone,
}
