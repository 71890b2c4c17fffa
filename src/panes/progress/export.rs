//! The Progress pane in `pgscope snapshot`: long operations with their progress and the ETA
//! measured between two reads, the tables overdue for vacuum, and who holds the xmin horizon
//! back. Each section reads on its own; one that failed is named in `errors`.

use serde::{Deserialize, Serialize};

use super::data::{HolderKind, Operation, Progress};
use super::eta::Eta;
use crate::snapshot::{Micros, PaneError};
use crate::snapshot_cmd::vocab::{ErrorDoc, secs, secs_since, time_opt};
use crate::snapshot_cmd::export::{Export, part};
use crate::state::State;

pub use crate::panes::replication::export::SectionError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    pub operations: Vec<Op>,
    pub overdue_tables: Vec<OverdueRow>,
    pub horizon_holders: Vec<Holder>,
    pub errors: Vec<SectionError>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Op {
    pub kind: Option<String>,
    pub pid: i32,
    pub database: Option<String>,
    pub relation: Option<String>,
    pub command: String,
    pub phase: String,
    /// What `done` and `total` count (blocks, tuples, bytes...).
    pub unit: String,
    pub done: Option<i64>,
    pub total: Option<i64>,
    pub fraction: Option<f64>,
    pub started: Option<String>,
    pub running_s: Option<f64>,
    pub autovacuum: bool,
    pub wraparound: bool,
    /// Units per second between the last two reads.
    pub rate_per_s: Option<f64>,
    pub eta_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverdueRow {
    pub relation: String,
    pub dead_tuples: i64,
    pub threshold_tuples: i64,
    pub autovacuum_disabled: bool,
    pub last_autovacuum: Option<String>,
    pub last_vacuum: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    /// backend, standby, slot or prepared.
    pub kind: String,
    pub pid: Option<i32>,
    pub name: String,
    pub database: Option<String>,
    pub user: Option<String>,
    pub state: Option<String>,
    pub what: String,
    pub xid_age_xids: i64,
    pub holding_s: Option<f64>,
}

fn op(o: &Operation, eta: Option<&Eta>, now: Micros) -> Op {
    Op {
        kind: o.kind.map(|k| k.label().to_owned()),
        pid: o.pid,
        database: o.datname.clone(),
        relation: o.relname.clone(),
        command: o.command.clone(),
        phase: o.phase.clone(),
        unit: o.unit.clone(),
        done: o.done,
        total: o.total,
        fraction: o.fraction(),
        started: time_opt(o.started),
        running_s: secs_since(o.started, now),
        autovacuum: o.autovacuum,
        wraparound: o.wraparound,
        rate_per_s: eta.map(|e| e.rate),
        eta_s: eta.and_then(|e| e.remaining).map(secs),
    }
}

fn kind(k: HolderKind) -> &'static str {
    match k {
        HolderKind::Backend => "backend",
        HolderKind::Standby => "standby",
        HolderKind::Slot => "slot",
        HolderKind::Prepared => "prepared",
    }
}

fn section<T, U>(
    r: &Result<T, PaneError>,
    name: &str,
    errors: &mut Vec<SectionError>,
    f: impl FnOnce(&T) -> Vec<U>,
) -> Vec<U> {
    match r {
        Ok(v) => f(v),
        Err(e) => {
            errors.push(SectionError {
                section: name.to_owned(),
                error: ErrorDoc::from(e),
            });
            Vec::new()
        }
    }
}

fn out(p: &Progress, etas: &[Option<Eta>]) -> Out {
    let mut errors = Vec::new();
    let now = p.now;
    let operations = section(&p.ops, "operations", &mut errors, |ops| {
        ops.iter()
            .enumerate()
            .map(|(i, o)| op(o, etas.get(i).and_then(Option::as_ref), now))
            .collect()
    });
    let overdue_tables = section(&p.overdue, "overdue", &mut errors, |o| {
        o.tables
            .iter()
            .map(|t| OverdueRow {
                relation: t.relname.clone(),
                dead_tuples: t.dead,
                threshold_tuples: t.threshold,
                autovacuum_disabled: t.autovacuum_disabled,
                last_autovacuum: time_opt(t.last_autovacuum),
                last_vacuum: time_opt(t.last_vacuum),
            })
            .collect()
    });
    let horizon_holders = section(&p.horizon, "horizon", &mut errors, |hs| {
        hs.iter()
            .map(|h| Holder {
                kind: kind(h.kind).to_owned(),
                pid: h.pid,
                name: h.name.clone(),
                database: h.datname.clone(),
                user: h.usename.clone(),
                state: h.state.clone(),
                what: h.what.clone(),
                xid_age_xids: h.xid_age,
                holding_s: secs_since(h.since, now),
            })
            .collect()
    });
    Out {
        operations,
        overdue_tables,
        horizon_holders,
        errors,
    }
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "operations";
    type Row = Op;

    fn export(state: &State) -> Result<Out, PaneError> {
        let p = part(state.shown.as_deref().and_then(|s| s.panes.progress.as_ref()))?;
        Ok(out(p, &state.views.progress.etas))
    }

    fn partial(out: &Out) -> Option<PaneError> {
        SectionError::first(&out.errors)
    }
}
