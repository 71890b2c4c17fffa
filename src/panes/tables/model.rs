//! The Tables pane's view model, pure: from one read (and the previous one, for rates) to rows
//! with dead %, distance past the autovacuum threshold, HOT %, sequential tuples read per second
//! and freeze age, sorted. No I/O, no clock: every time comes from the server's reads.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::panes::tables::data::{Meta, TableList, TableRow, Thresholds};
use crate::snapshot::Micros;

/// What the table list is sorted by, largest first. The server ranks and caps by the same key,
/// so the top 200 of 100,000 are the top 200 by this key (see [`SortKey::sql_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Dead tuples past the autovacuum threshold: what autovacuum should be doing now.
    #[default]
    PastThreshold,
    Dead,
    DeadPct,
    Size,
    /// Sequential tuples read per second over the last interval. The server cannot rank by a
    /// rate; it ranks by the cumulative count, and the rows it returns are sorted by rate.
    SeqRate,
    SeqScans,
    ModsSinceAnalyze,
    XidAge,
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::PastThreshold,
        SortKey::Dead,
        SortKey::DeadPct,
        SortKey::Size,
        SortKey::SeqRate,
        SortKey::SeqScans,
        SortKey::ModsSinceAnalyze,
        SortKey::XidAge,
    ];

    /// The key the tables statement ranks by (its `$2`).
    pub fn sql_key(self) -> &'static str {
        match self {
            SortKey::PastThreshold => "past_threshold",
            SortKey::Dead => "dead",
            SortKey::DeadPct => "dead_pct",
            SortKey::Size => "size",
            SortKey::SeqRate => "seq_tup_read",
            SortKey::SeqScans => "seq_scan",
            SortKey::ModsSinceAnalyze => "mods",
            SortKey::XidAge => "xid_age",
        }
    }
}

/// What the pane asks of one read: the key the server ranks by and its direction, and the
/// table whose indexes it shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ask {
    pub sort: SortKey,
    /// Smallest first (`r`): the server returns the bottom of the ranking instead of the top.
    pub ascending: bool,
    pub selected: Option<u32>,
}

/// What the pane asks of the collector: the read, and the database whose statistics it shows
/// (`None`, or the monitoring connection's own database, reads on that connection).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Want {
    pub ask: Ask,
    pub database: Option<String>,
}

impl Want {
    /// What decides which tables the server returns: the selection does not.
    pub fn ranking(&self) -> (SortKey, bool, Option<&str>) {
        (self.ask.sort, self.ask.ascending, self.database.as_deref())
    }
}

/// One table as the pane shows it. `None` is "n/a".
#[derive(Debug, Clone, PartialEq)]
pub struct TableView {
    pub row: TableRow,
    /// relpages × block size, main fork + TOAST + indexes: an estimate as of the last
    /// VACUUM/ANALYZE, never measured on a timer.
    pub est_bytes: i64,
    pub est_table_bytes: i64,
    pub dead_pct: Option<f64>,
    /// Autovacuum processes the table once `dead` exceeds this.
    pub vacuum_threshold: Option<f64>,
    /// `dead - vacuum_threshold`: positive is overdue.
    pub past_threshold: Option<f64>,
    /// Inserted tuples past the insert threshold (13+): positive is due.
    pub insert_past: Option<f64>,
    /// Modifications past the analyze threshold: positive is due.
    pub analyze_past: Option<f64>,
    /// Autovacuum runs on this table: on for the server and not disabled in its reloptions
    /// (temporary tables never).
    pub autovacuum: bool,
    pub hot_pct: Option<f64>,
    pub seq_tup_per_sec: Option<f64>,
    /// relfrozenxid age as a share of autovacuum_freeze_max_age, in %.
    pub freeze_pct: Option<f64>,
}

/// The pane's table list: whose statistics, how many of how many.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    /// The database these statistics are about.
    pub datname: String,
    pub total: i64,
    pub rows: Vec<TableView>,
}

impl Model {
    /// "showing 200 of 100,000" when capped.
    pub fn capped(&self) -> bool {
        i64::try_from(self.rows.len()).unwrap_or(i64::MAX) < self.total
    }
}

/// The previous read, for rates: its database, time and counters by table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Prev {
    pub datname: String,
    pub read_at: Micros,
    pub seq_tup_read: HashMap<u32, i64>,
}

impl Prev {
    pub fn of(meta: &Meta, list: &TableList) -> Prev {
        Prev {
            datname: meta.datname.clone(),
            read_at: list.read_at.unwrap_or(meta.read_at),
            seq_tup_read: list
                .rows
                .iter()
                .map(|r| (r.relid, r.seq_tup_read))
                .collect(),
        }
    }
}

/// Per-table settings win over the server's.
pub fn effective(table: &Thresholds, server: &Thresholds) -> Thresholds {
    Thresholds {
        vac_base: table.vac_base.or(server.vac_base),
        vac_scale: table.vac_scale.or(server.vac_scale),
        vac_max: table.vac_max.or(server.vac_max),
        ins_base: table.ins_base.or(server.ins_base),
        ins_scale: table.ins_scale.or(server.ins_scale),
        anl_base: table.anl_base.or(server.anl_base),
        anl_scale: table.anl_scale.or(server.anl_scale),
    }
}

/// `base + scale × reltuples`, capped by `max` when set (a negative max is "no cap"). A table
/// never analyzed counts as empty, as autovacuum does.
pub fn threshold(
    base: Option<f64>,
    scale: Option<f64>,
    max: Option<f64>,
    reltuples: Option<f64>,
) -> Option<f64> {
    let t = base? + scale? * reltuples.unwrap_or(0.0).max(0.0);
    Some(match max {
        Some(m) if m >= 0.0 => t.min(m),
        _ => t,
    })
}

fn pct(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| to_f64(part) * 100.0 / to_f64(whole))
}

#[allow(clippy::cast_precision_loss)] // counters far below 2^52 in practice; shown rounded
fn to_f64(v: i64) -> f64 {
    v as f64
}

/// One table's derived figures.
pub fn view(row: &TableRow, meta: &Meta, prev: Option<&Prev>, read_at: Micros) -> TableView {
    let th = effective(&row.options, &meta.settings);
    let vacuum_threshold = threshold(th.vac_base, th.vac_scale, th.vac_max, row.reltuples);
    let insert_threshold = match th.ins_base {
        // -1 disables insert-triggered vacuum.
        Some(b) if b < 0.0 => None,
        _ => threshold(th.ins_base, th.ins_scale, None, row.reltuples),
    };
    let analyze_threshold = threshold(th.anl_base, th.anl_scale, None, row.reltuples);
    let pages = row.pages + row.toast_pages.unwrap_or(0) + row.index_pages.unwrap_or(0);
    let seq_tup_per_sec = prev
        .filter(|p| p.datname == meta.datname && read_at > p.read_at)
        .and_then(|p| {
            let delta = row.seq_tup_read - p.seq_tup_read.get(&row.relid)?;
            // A reset of the statistics sends counters back: no rate, rather than a negative one.
            (delta >= 0).then(|| to_f64(delta) * 1e6 / to_f64(read_at - p.read_at))
        });
    TableView {
        est_bytes: pages.saturating_mul(meta.block_size),
        est_table_bytes: row.pages.saturating_mul(meta.block_size),
        dead_pct: pct(row.dead, row.dead + row.live),
        vacuum_threshold,
        past_threshold: vacuum_threshold.map(|t| to_f64(row.dead) - t),
        insert_past: insert_threshold
            .zip(row.ins_since_vacuum)
            .map(|(t, n)| to_f64(n) - t),
        analyze_past: analyze_threshold.map(|t| to_f64(row.mods_since_analyze) - t),
        autovacuum: meta.autovacuum
            && meta.track_counts
            && row.autovacuum_enabled != Some(false)
            && !row.temporary,
        hot_pct: pct(row.n_tup_hot_upd, row.n_tup_upd),
        seq_tup_per_sec,
        freeze_pct: row
            .xid_age
            .filter(|_| meta.freeze_max_age > 0)
            .map(|a| to_f64(a) * 100.0 / to_f64(meta.freeze_max_age)),
        row: row.clone(),
    }
}

/// The pane's rows from one read, sorted by `key` (largest first; `None` last; ties by name).
pub fn build(meta: &Meta, list: &TableList, prev: Option<&Prev>, key: SortKey) -> Model {
    let read_at = list.read_at.unwrap_or(meta.read_at);
    let mut rows: Vec<TableView> = list
        .rows
        .iter()
        .map(|r| view(r, meta, prev, read_at))
        .collect();
    sort(&mut rows, key);
    Model {
        datname: meta.datname.clone(),
        total: list.total,
        rows,
    }
}

fn sort_value(v: &TableView, key: SortKey) -> Option<f64> {
    match key {
        SortKey::PastThreshold => v.past_threshold,
        SortKey::Dead => Some(to_f64(v.row.dead)),
        SortKey::DeadPct => v.dead_pct,
        SortKey::Size => Some(to_f64(v.est_bytes)),
        SortKey::SeqRate => v.seq_tup_per_sec,
        SortKey::SeqScans => Some(to_f64(v.row.seq_scan)),
        SortKey::ModsSinceAnalyze => Some(to_f64(v.row.mods_since_analyze)),
        SortKey::XidAge => v.row.xid_age.map(to_f64),
    }
}

pub fn sort(rows: &mut [TableView], key: SortKey) {
    rows.sort_by(|a, b| {
        let by_key = match (sort_value(a, key), sort_value(b, key)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_key
            .then_with(|| b.row.dead.cmp(&a.row.dead))
            .then_with(|| (&a.row.schema, &a.row.name).cmp(&(&b.row.schema, &b.row.name)))
    });
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
