//! The Progress pane's data: long operations from the pg_stat_progress_* views, autovacuum
//! health, wraparound risk per database and what holds back the xmin horizon. Each section has
//! its own outcome, so one failing query leaves the other sections on screen.

use crate::snapshot::base::{Micros, PaneError};

/// One refresh of the Progress pane.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The server's clock when the operations were read; rates and ETAs are measured against it.
    pub now: Micros,
    pub ops: Result<Vec<Operation>, PaneError>,
    /// Kinds of operation this server version has no progress view for ("n/a", never "none").
    pub unavailable: Vec<OpKind>,
    pub overdue: Result<Overdue, PaneError>,
    pub freeze: Result<Freeze, PaneError>,
    pub horizon: Result<Vec<HorizonHolder>, PaneError>,
}

/// The long operations PostgreSQL reports progress for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OpKind {
    Vacuum,
    Analyze,
    CreateIndex,
    Cluster,
    BaseBackup,
    Copy,
}

impl OpKind {
    pub const ALL: [OpKind; 6] = [
        OpKind::Vacuum,
        OpKind::Analyze,
        OpKind::CreateIndex,
        OpKind::Cluster,
        OpKind::BaseBackup,
        OpKind::Copy,
    ];

    /// The first `server_version_num` with this kind's progress view.
    pub fn since(self) -> i32 {
        match self {
            OpKind::Vacuum | OpKind::CreateIndex | OpKind::Cluster => 120_000,
            OpKind::Analyze | OpKind::BaseBackup => 130_000,
            OpKind::Copy => 140_000,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OpKind::Vacuum => "vacuum",
            OpKind::Analyze => "analyze",
            OpKind::CreateIndex => "create index",
            OpKind::Cluster => "cluster",
            OpKind::BaseBackup => "base backup",
            OpKind::Copy => "copy",
        }
    }

    /// The kind named by the collector's `kind` column.
    pub fn from_label(s: &str) -> Option<OpKind> {
        OpKind::ALL.into_iter().find(|k| k.label() == s)
    }
}

/// One running operation. `done`/`total` count `unit`s of the phase's main work; either is
/// `None` when the server does not know (e.g. COPY FROM STDIN has no total).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Operation {
    pub kind: Option<OpKind>,
    pub pid: i32,
    pub datname: Option<String>,
    pub relid: Option<i64>,
    /// `schema.table`; `None` when the relation lives in another database than the one we are
    /// connected to (its oid would name an unrelated table here) or is gone.
    pub relname: Option<String>,
    /// e.g. "VACUUM", "CREATE INDEX CONCURRENTLY", "VACUUM FULL", "COPY FROM".
    pub command: String,
    pub phase: String,
    pub unit: String,
    pub done: Option<i64>,
    pub total: Option<i64>,
    pub started: Option<Micros>,
    /// Run by an autovacuum worker.
    pub autovacuum: bool,
    /// An autovacuum run "to prevent wraparound": it cannot be skipped and does not yield locks.
    pub wraparound: bool,
    /// VACUUM: completed index vacuum cycles (more than one means the dead-tuple memory filled).
    pub index_cycles: Option<i64>,
    /// VACUUM: dead tuples collected so far and the room for them; in `dead_unit` ("tuples"
    /// before 17, "bytes" from 17).
    pub dead_now: Option<i64>,
    pub dead_max: Option<i64>,
    pub dead_unit: Option<String>,
    /// VACUUM 17+: dead item identifiers collected.
    pub dead_items: Option<i64>,
    /// Secondary progress: indexes (VACUUM 17+), partitions, child tables, tablespaces.
    pub parts_done: Option<i64>,
    pub parts_total: Option<i64>,
    pub parts_unit: Option<String>,
    /// Tuples processed or written, where the view counts them.
    pub tuples: Option<i64>,
    /// VACUUM of a table in the connected database: its dead rows (`n_dead_tup`). Those
    /// deleted after the xmin horizon are what a held horizon keeps this vacuum from removing.
    pub table_dead: Option<i64>,
}

impl Operation {
    /// Share done in 0..=1, when both ends are known and the total is not zero.
    pub fn fraction(&self) -> Option<f64> {
        match (self.done, self.total) {
            (Some(d), Some(t)) if t > 0 => Some((d as f64 / t as f64).clamp(0.0, 1.0)),
            _ => None,
        }
    }
}

/// What the oldest horizon holder keeps VACUUM from doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked {
    /// Dead rows of the tables those vacuums work on (`n_dead_tup`): the rows deleted after
    /// the holder's snapshot are among them and stay.
    pub dead_rows: i64,
    /// Running VACUUMs that started after the holder took its snapshot (a vacuum fixes its
    /// horizon when it starts), on tables of the connected database.
    pub vacuums: usize,
}

impl Progress {
    /// What the oldest holder of the xmin horizon blocks: `None` when nothing holds it or no
    /// VACUUM it constrains runs here.
    pub fn blocked(&self) -> Option<Blocked> {
        let holder = self.horizon.as_ref().ok()?.first()?;
        let ops = self.ops.as_ref().ok()?;
        let counts: Vec<i64> = ops
            .iter()
            .filter(|o| o.kind == Some(OpKind::Vacuum))
            // A slot holds since before anything we can see; a session since its transaction.
            .filter(|o| match (holder.since, o.started) {
                (Some(held), Some(started)) => held <= started,
                _ => true,
            })
            .filter_map(|o| o.table_dead)
            .collect();
        (!counts.is_empty()).then(|| Blocked {
            dead_rows: counts.iter().sum(),
            vacuums: counts.len(),
        })
    }
}

/// Tables of the connected database by how far their dead tuples exceed the autovacuum
/// threshold, worst first, capped on the server.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overdue {
    pub tables: Vec<OverdueTable>,
    /// Tables past their threshold in the whole database (not only the ones listed).
    pub over_threshold: i64,
    /// Tables with dead tuples at all, of which `tables` is the worst part.
    pub with_dead: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverdueTable {
    pub relname: String,
    pub dead: i64,
    /// autovacuum_vacuum_threshold + scale_factor × reltuples, per-table settings honoured.
    pub threshold: i64,
    /// `autovacuum_enabled = off` on the table.
    pub autovacuum_disabled: bool,
    pub last_autovacuum: Option<Micros>,
    pub last_vacuum: Option<Micros>,
    pub autovacuum_count: i64,
}

/// Autovacuum settings and the freeze age of every database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Freeze {
    pub autovacuum: bool,
    pub track_counts: bool,
    pub max_workers: i32,
    pub freeze_max_age: i64,
    pub multixact_freeze_max_age: i64,
    pub databases: Vec<DbAge>,
    /// Databases in the cluster; `databases` is capped.
    pub total: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DbAge {
    pub datname: String,
    /// age(datfrozenxid) and mxid_age(datminmxid).
    pub xid_age: i64,
    pub mxid_age: i64,
}

/// Where a holder of the xmin horizon comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderKind {
    /// A session's snapshot or open transaction.
    Backend,
    /// A walsender: the standby's hot_standby_feedback arrives as its xmin.
    Standby,
    /// A replication slot's xmin or catalog_xmin.
    Slot,
    /// A prepared (two-phase) transaction nobody committed.
    Prepared,
}

/// Something that keeps vacuum from removing dead rows, with how old the oldest xid it holds is.
#[derive(Debug, Clone, PartialEq)]
pub struct HorizonHolder {
    pub kind: HolderKind,
    /// The backend, walsender or active slot's pid.
    pub pid: Option<i32>,
    /// application_name, slot name or gid.
    pub name: String,
    pub datname: Option<String>,
    pub usename: Option<String>,
    /// Session state; "active"/"inactive" for slots.
    pub state: Option<String>,
    /// "xmin", "xid", "catalog_xmin", "transaction".
    pub what: String,
    /// Age of the held xid, in transactions.
    pub xid_age: i64,
    /// Since when: transaction start, walsender start, or the PREPARE time.
    pub since: Option<Micros>,
}
