//! The Activity pane in `pgscope snapshot`: the sessions as the pane lists them (its filter,
//! toggles and sort), with ages in seconds measured on the server's clock.

use serde::{Deserialize, Serialize};

use crate::snapshot::Backend;
use crate::snapshot_cmd::vocab::{secs_since, time_opt};
use crate::snapshot_cmd::export::{Export, activity_error};
use crate::state::State;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    /// Sessions read, before the filter.
    pub total: usize,
    pub sessions: Vec<Session>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub pid: i32,
    pub database: Option<String>,
    pub user: Option<String>,
    pub application_name: String,
    pub client: Option<String>,
    pub client_port: Option<i32>,
    pub backend_type: String,
    pub state: Option<String>,
    pub wait_event_type: Option<String>,
    pub wait_event: Option<String>,
    pub backend_start: Option<String>,
    pub xact_start: Option<String>,
    pub query_start: Option<String>,
    pub state_change: Option<String>,
    pub xact_duration_s: Option<f64>,
    pub query_duration_s: Option<f64>,
    pub state_duration_s: Option<f64>,
    pub xmin_age_xids: Option<i32>,
    pub blocked_by: Vec<i32>,
    pub leader_pid: Option<i32>,
    pub query_id: Option<i64>,
    pub query: String,
}

/// One backend as a document row, ages against `now` (µs).
pub fn session(b: &Backend, now: i64) -> Session {
    Session {
        pid: b.pid,
        database: b.datname.clone(),
        user: b.usename.clone(),
        application_name: b.application_name.clone(),
        client: b.client.clone(),
        client_port: b.client_port,
        backend_type: b.backend_type.clone(),
        state: b.state.clone(),
        wait_event_type: b.wait_event_type.clone(),
        wait_event: b.wait_event.clone(),
        backend_start: time_opt(b.backend_start),
        xact_start: time_opt(b.xact_start),
        query_start: time_opt(b.query_start),
        state_change: time_opt(b.state_change),
        xact_duration_s: secs_since(b.xact_start, now),
        query_duration_s: secs_since(b.query_start, now),
        state_duration_s: secs_since(b.state_change, now),
        xmin_age_xids: b.xmin_age,
        blocked_by: b.blocked_by.clone(),
        leader_pid: b.leader_pid,
        query_id: b.query_id,
        query: b.query.clone(),
    }
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "sessions";
    type Row = Session;

    fn export(state: &State) -> Result<Out, crate::snapshot::PaneError> {
        if let Some(e) = activity_error(state) {
            return Err(e);
        }
        let now = state
            .shown
            .as_deref()
            .and_then(|s| s.activity.as_ref().ok())
            .map_or(state.now, |a| a.now);
        let backends = state.backends();
        Ok(Out {
            total: backends.len(),
            sessions: state
                .views
                .activity
                .rows
                .iter()
                .filter_map(|&i| backends.get(i))
                .map(|b| session(b, now))
                .collect(),
        })
    }
}
