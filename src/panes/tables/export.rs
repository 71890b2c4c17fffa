//! The Tables pane in `pgscope snapshot`: the connected database's tables as the pane sorts
//! them, with estimated sizes in bytes, dead tuples, vacuum thresholds and freeze age. Sizes
//! are estimates from the catalog: a snapshot never runs pg_relation_size.

use serde::{Deserialize, Serialize};

use super::model::TableView;
use crate::snapshot::PaneError;
use crate::snapshot_cmd::vocab::time_opt;
use crate::snapshot_cmd::export::{Export, part};
use crate::state::State;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    pub database: String,
    /// Tables in the database; `tables` may hold fewer (the server caps the list).
    pub total: i64,
    pub tables: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub schema: String,
    pub name: String,
    pub relkind: String,
    pub estimated_bytes: i64,
    pub estimated_table_bytes: i64,
    pub live_tuples: i64,
    pub dead_tuples: i64,
    pub dead_pct: Option<f64>,
    pub vacuum_threshold_tuples: Option<f64>,
    /// Dead tuples over the autovacuum threshold, as a share of it (1.0 = due).
    pub past_vacuum_threshold: Option<f64>,
    pub autovacuum: bool,
    pub hot_update_pct: Option<f64>,
    pub seq_tuples_per_s: Option<f64>,
    pub xid_age_xids: Option<i64>,
    pub freeze_pct: Option<f64>,
    pub seq_scans: i64,
    pub index_scans: Option<i64>,
    pub last_vacuum: Option<String>,
    pub last_autovacuum: Option<String>,
    pub last_analyze: Option<String>,
    pub last_autoanalyze: Option<String>,
}

fn row(t: &TableView) -> Row {
    let r = &t.row;
    Row {
        schema: r.schema.clone(),
        name: r.name.clone(),
        relkind: r.relkind.clone(),
        estimated_bytes: t.est_bytes,
        estimated_table_bytes: t.est_table_bytes,
        live_tuples: r.live,
        dead_tuples: r.dead,
        dead_pct: t.dead_pct,
        vacuum_threshold_tuples: t.vacuum_threshold,
        past_vacuum_threshold: t.past_threshold,
        autovacuum: t.autovacuum,
        hot_update_pct: t.hot_pct,
        seq_tuples_per_s: t.seq_tup_per_sec,
        xid_age_xids: r.xid_age,
        freeze_pct: t.freeze_pct,
        seq_scans: r.seq_scan,
        index_scans: r.idx_scan,
        last_vacuum: time_opt(r.last_vacuum),
        last_autovacuum: time_opt(r.last_autovacuum),
        last_analyze: time_opt(r.last_analyze),
        last_autoanalyze: time_opt(r.last_autoanalyze),
    }
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "tables";
    type Row = Row;

    fn export(state: &State) -> Result<Out, PaneError> {
        let tables = part(state.shown.as_deref().and_then(|s| s.panes.tables.as_ref()))?;
        if let Err(e) = tables.meta.as_ref().and(tables.tables.as_ref()) {
            return Err(e.clone());
        }
        let m = &state.views.tables.model;
        Ok(Out {
            database: m.datname.clone(),
            total: m.total,
            tables: m.rows.iter().map(row).collect(),
        })
    }
}
