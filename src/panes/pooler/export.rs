//! The Pooler pane in `pgscope snapshot` (only with `--pooler`): PgBouncer's pools with their
//! queues, and per-database rates between the last two reads.

use serde::{Deserialize, Serialize};

use crate::pooler::model::Pool;
use crate::pooler::rates::DbRates;
use crate::snapshot::{Link, PaneError};
use crate::snapshot_cmd::export::Export;
use crate::state::State;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    /// `SHOW VERSION`.
    pub version: String,
    pub pools: Vec<PoolRow>,
    /// Per database, between the last two reads (empty after one read).
    pub rates: Vec<RateRow>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolRow {
    pub database: String,
    pub user: String,
    pub pool_mode: Option<String>,
    pub clients_active: Option<i64>,
    pub clients_waiting: Option<i64>,
    pub servers_active: Option<i64>,
    pub servers_idle: Option<i64>,
    pub servers_used: Option<i64>,
    pub servers_login: Option<i64>,
    pub max_wait_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateRow {
    pub database: String,
    pub xacts_per_s: Option<f64>,
    pub queries_per_s: Option<f64>,
    pub avg_xact_s: Option<f64>,
    pub avg_query_s: Option<f64>,
    pub avg_wait_s: Option<f64>,
    pub received_bytes_per_s: Option<f64>,
    pub sent_bytes_per_s: Option<f64>,
}

fn pool(p: &Pool) -> PoolRow {
    PoolRow {
        database: p.database.clone(),
        user: p.user.clone(),
        pool_mode: p.pool_mode.clone(),
        clients_active: p.cl_active,
        clients_waiting: p.cl_waiting,
        servers_active: p.sv_active,
        servers_idle: p.sv_idle,
        servers_used: p.sv_used,
        servers_login: p.sv_login,
        max_wait_s: p.maxwait_us.map(|us| us as f64 / 1e6),
    }
}

fn rate(r: &DbRates) -> RateRow {
    let s = |us: Option<f64>| us.map(|u| u / 1e6);
    RateRow {
        database: r.database.clone(),
        xacts_per_s: r.xact_per_s,
        queries_per_s: r.query_per_s,
        avg_xact_s: s(r.avg_xact_us),
        avg_query_s: s(r.avg_query_us),
        avg_wait_s: s(r.avg_wait_us),
        received_bytes_per_s: r.recv_per_s,
        sent_bytes_per_s: r.sent_per_s,
    }
}

fn error(message: impl Into<String>) -> PaneError {
    PaneError {
        sqlstate: None,
        message: message.into(),
    }
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "pools";
    type Row = PoolRow;

    fn export(state: &State) -> Result<Out, PaneError> {
        let v = &state.views.pooler;
        if !v.configured {
            return Err(error(
                "no pooler: the pooler pane needs --pooler CONNINFO (a PgBouncer admin console)",
            ));
        }
        if let Link::Down { cause, .. } = &v.link {
            return Err(PaneError {
                sqlstate: cause.sqlstate.clone(),
                message: format!("pooler: {}", cause.message),
            });
        }
        let Some(read) = v.latest.as_deref() else {
            return Err(error("pooler: not connected (see the warning at start-up)"));
        };
        let pools = read.pools.as_ref().map_err(Clone::clone)?;
        Ok(Out {
            version: read.version.clone(),
            pools: pools.iter().map(pool).collect(),
            rates: v.rates.iter().map(rate).collect(),
        })
    }
}
