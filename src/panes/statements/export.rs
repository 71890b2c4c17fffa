//! The Statements pane in `pgscope snapshot`: pg_stat_statements per second between the last
//! two reads (the pane's default mode), sorted like the pane, with user and database names.

use serde::{Deserialize, Serialize};

use super::Outcome;
use super::view::Figures;
use crate::snapshot::PaneError;
use crate::snapshot_cmd::export::Export;
use crate::state::State;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    /// "interval": per second between the last two reads.
    pub mode: String,
    /// Seconds the rates span; 0 while no second read has come (the pane paces its reads).
    pub span_s: f64,
    pub waiting_for_second_read: bool,
    /// Why the rates could not be measured (a restart or a reset of the statistics).
    pub broken: Option<String>,
    pub deallocations: Option<i64>,
    pub statements: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub query_id: Option<i64>,
    pub user: Option<String>,
    pub database: Option<String>,
    pub toplevel: Option<bool>,
    pub calls_per_s: f64,
    pub exec_ms_per_s: f64,
    pub mean_exec_ms: Option<f64>,
    pub rows_per_s: f64,
    pub shared_hit_blocks_per_s: f64,
    pub shared_read_blocks_per_s: f64,
    pub hit_pct: Option<f64>,
    pub temp_written_blocks_per_s: f64,
    pub wal_bytes_per_s: Option<f64>,
    pub plan_ms_per_s: Option<f64>,
    /// Statements of roles this login cannot see, summed into the row.
    pub hidden_statements: u32,
    pub query: Option<String>,
    pub query_cut: bool,
}

fn row(f: &Figures, names: Option<&super::Names>) -> Row {
    Row {
        query_id: f.key.queryid,
        user: names.and_then(|n| n.roles.get(&f.key.userid).cloned()),
        database: names.and_then(|n| n.databases.get(&f.key.dbid).cloned()),
        toplevel: f.key.toplevel,
        calls_per_s: f.calls,
        exec_ms_per_s: f.exec_ms,
        mean_exec_ms: f.mean_ms,
        rows_per_s: f.rows,
        shared_hit_blocks_per_s: f.hit,
        shared_read_blocks_per_s: f.read,
        hit_pct: f.hit_pct,
        temp_written_blocks_per_s: f.temp,
        wal_bytes_per_s: f.wal,
        plan_ms_per_s: f.plan_ms,
        hidden_statements: f.hidden,
        query: f.text.as_deref().map(str::to_owned),
        query_cut: f.cut,
    }
}

fn broke(b: super::delta::Break) -> &'static str {
    use super::delta::Break;
    match b {
        Break::Restart => "server restarted",
        Break::Reset { .. } | Break::ResetInferred => "statistics reset",
        Break::Clock => "server clock did not advance",
    }
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "statements";
    type Row = Row;

    fn export(state: &State) -> Result<Out, PaneError> {
        let names = match state.statements_part() {
            Some(Ok(Outcome::Ready(s))) => Some(s.names.clone()),
            Some(Ok(Outcome::Missing(m))) => {
                return Err(PaneError {
                    sqlstate: None,
                    message: m.explain(),
                });
            }
            Some(Err(e)) => return Err(e.clone()),
            None => None,
        };
        let v = &state.views.statements;
        Ok(Out {
            mode: v.mode.label().to_owned(),
            span_s: v.about.secs,
            waiting_for_second_read: v.about.waiting,
            broken: v.about.broke.map(|b| broke(b).to_owned()),
            deallocations: v.about.deallocs,
            statements: v
                .rows
                .iter()
                .map(|f| row(f, names.as_deref()))
                .collect(),
        })
    }
}
