//! The Connections pane in `pgscope snapshot`: slot usage, the sessions grouped as the pane
//! groups them (by application by default) with counts by state, and the connection churn.

use serde::{Deserialize, Serialize};

use crate::snapshot::PaneError;
use crate::snapshot_cmd::vocab::secs_since;
use crate::snapshot_cmd::export::{Export, activity_error};
use crate::state::State;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    pub usage: Usage,
    /// What the groups are by: database, user, application, client or backend type.
    pub grouping: String,
    pub groups: Vec<Group>,
    pub idle_in_transaction: usize,
    /// Every session idle in a transaction that the filter admits, the longest idle first
    /// (the pane lists the first few).
    pub idle_in_transaction_sessions: Vec<IdleTx>,
    /// New client connections since the previous read, per second (a lower bound).
    pub new_connections_per_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    pub clients: i32,
    pub hidden_clients: i32,
    pub replication: i32,
    pub background: i32,
    pub max_connections: i32,
    pub superuser_reserved: i32,
    pub reserved: Option<i32>,
}

/// A session idle in a transaction: who, how long, and how far it holds back vacuum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdleTx {
    pub pid: i32,
    pub user: Option<String>,
    pub database: Option<String>,
    pub application_name: String,
    /// The transaction failed and waits for a ROLLBACK.
    pub aborted: bool,
    pub idle_s: Option<f64>,
    pub transaction_s: Option<f64>,
    pub xmin_age_xids: Option<i32>,
    /// The last statement, cut as the pane reads it.
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Null when the value is hidden from this login (or NULL).
    pub key: Option<String>,
    pub total: usize,
    pub active: usize,
    pub idle: usize,
    pub idle_in_transaction: usize,
    pub idle_in_transaction_aborted: usize,
    pub fastpath: usize,
    pub disabled: usize,
    pub no_state: usize,
    pub hidden: usize,
    pub oldest_state_s: Option<f64>,
    pub oldest_connection_s: Option<f64>,
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "groups";
    type Row = Group;

    fn export(state: &State) -> Result<Out, PaneError> {
        if let Some(e) = activity_error(state) {
            return Err(e);
        }
        let now = state
            .shown
            .as_deref()
            .and_then(|s| s.activity.as_ref().ok())
            .map_or(state.now, |a| a.now);
        let v = &state.views.connections;
        let u = &v.usage;
        Ok(Out {
            usage: Usage {
                clients: u.clients,
                hidden_clients: u.hidden_clients,
                replication: u.replication,
                background: u.background,
                max_connections: u.max_connections,
                superuser_reserved: u.superuser_reserved,
                reserved: u.reserved,
            },
            grouping: v.grouping.label().to_ascii_lowercase(),
            groups: v
                .groups
                .iter()
                .map(|g| Group {
                    key: g.key.clone(),
                    total: g.total,
                    active: g.states[0],
                    idle: g.states[1],
                    idle_in_transaction: g.states[2],
                    idle_in_transaction_aborted: g.states[3],
                    fastpath: g.states[4],
                    disabled: g.states[5],
                    no_state: g.states[6],
                    hidden: g.hidden,
                    oldest_state_s: secs_since(g.oldest_state, now),
                    oldest_connection_s: secs_since(g.oldest_start, now),
                })
                .collect(),
            idle_in_transaction: v.idle_tx_total,
            idle_in_transaction_sessions: idle_in_transaction(state, now)
                .into_iter()
                .map(|b| IdleTx {
                    pid: b.pid,
                    user: b.usename.clone(),
                    database: b.datname.clone(),
                    application_name: b.application_name.clone(),
                    aborted: b.state.as_deref() == Some("idle in transaction (aborted)"),
                    idle_s: secs_since(b.state_change, now),
                    transaction_s: secs_since(b.xact_start, now),
                    xmin_age_xids: b.xmin_age,
                    query: b.query.clone(),
                })
                .collect(),
            new_connections_per_s: v.churn.map(|c| c.per_sec),
        })
    }
}

/// The sessions idle in a transaction that the filter admits, the longest idle first.
fn idle_in_transaction(state: &State, now: crate::snapshot::Micros) -> Vec<&crate::snapshot::Backend> {
    let filter = &state.views.activity;
    let mut out: Vec<&crate::snapshot::Backend> = state
        .backends()
        .iter()
        .filter(|b| b.state.as_deref().is_some_and(|s| s.starts_with("idle in transaction")))
        .filter(|b| filter.admits(b, now))
        .collect();
    out.sort_by_key(|b| (b.state_change.unwrap_or(i64::MAX), b.pid));
    out
}
