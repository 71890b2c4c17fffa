//! The Replication pane in `pgscope snapshot`: WAL senders with their lag, replication slots
//! with the WAL they retain, and this server's WAL receiver when it is a standby. Each section
//! reads on its own; one that failed is named in `errors` while the others keep their rows.

use serde::{Deserialize, Serialize};

use super::data::{Receiver, Replication, Sender, Slot};
use crate::snapshot::{Micros, PaneError};
use crate::snapshot_cmd::vocab::{ErrorDoc, secs, secs_since, time_opt};
use crate::snapshot_cmd::export::{Export, part};
use crate::state::State;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    pub senders: Vec<SenderRow>,
    pub slots: Vec<SlotRow>,
    pub receiver: Option<ReceiverRow>,
    /// Sections that failed, by name.
    pub errors: Vec<SectionError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionError {
    pub section: String,
    pub error: ErrorDoc,
}

impl SectionError {
    /// The first section that failed, as the pane's error (exit status 1).
    pub fn first(errors: &[SectionError]) -> Option<PaneError> {
        errors.first().map(|s| PaneError {
            sqlstate: s.error.sqlstate.clone(),
            message: format!("{}: {}", s.section, s.error.message),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenderRow {
    pub pid: i32,
    pub user: Option<String>,
    pub application_name: Option<String>,
    pub client: Option<String>,
    pub backend_start: Option<String>,
    pub state: Option<String>,
    pub sync_state: Option<String>,
    pub sent_lsn: Option<String>,
    pub replay_lsn: Option<String>,
    /// Bytes behind the current WAL position, per stage.
    pub sent_lag_bytes: Option<i64>,
    pub write_lag_bytes: Option<i64>,
    pub flush_lag_bytes: Option<i64>,
    pub replay_lag_bytes: Option<i64>,
    pub write_lag_s: Option<f64>,
    pub flush_lag_s: Option<f64>,
    pub replay_lag_s: Option<f64>,
    pub slot_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotRow {
    pub name: String,
    pub slot_type: String,
    pub plugin: Option<String>,
    pub database: Option<String>,
    pub temporary: bool,
    pub active: bool,
    pub active_pid: Option<i32>,
    pub xmin_age_xids: Option<i64>,
    pub catalog_xmin_age_xids: Option<i64>,
    pub restart_lsn: Option<String>,
    pub retained_bytes: Option<i64>,
    pub wal_status: Option<String>,
    pub safe_wal_size_bytes: Option<i64>,
    pub inactive_s: Option<f64>,
    pub invalidation_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiverRow {
    pub pid: Option<i32>,
    pub status: Option<String>,
    pub sender_host: Option<String>,
    pub sender_port: Option<i32>,
    pub slot_name: Option<String>,
    pub receive_lsn: Option<String>,
    pub replay_lsn: Option<String>,
    pub replay_lag_bytes: Option<i64>,
    pub last_replay: Option<String>,
    pub last_message_s: Option<f64>,
    pub replay_paused: Option<bool>,
}

fn sender(s: &Sender) -> SenderRow {
    SenderRow {
        pid: s.pid,
        user: s.usename.clone(),
        application_name: s.application_name.clone(),
        client: s.client.clone(),
        backend_start: time_opt(s.backend_start),
        state: s.state.clone(),
        sync_state: s.sync_state.clone(),
        sent_lsn: s.sent_lsn.clone(),
        replay_lsn: s.replay_lsn.clone(),
        sent_lag_bytes: s.sent_bytes,
        write_lag_bytes: s.write_bytes,
        flush_lag_bytes: s.flush_bytes,
        replay_lag_bytes: s.replay_bytes,
        write_lag_s: s.write_lag.map(secs),
        flush_lag_s: s.flush_lag.map(secs),
        replay_lag_s: s.replay_lag.map(secs),
        slot_name: s.slot_name.clone(),
    }
}

fn slot(s: &Slot, now: Micros) -> SlotRow {
    SlotRow {
        name: s.name.clone(),
        slot_type: s.slot_type.clone(),
        plugin: s.plugin.clone(),
        database: s.datname.clone(),
        temporary: s.temporary,
        active: s.active,
        active_pid: s.active_pid,
        xmin_age_xids: s.xmin_age,
        catalog_xmin_age_xids: s.catalog_xmin_age,
        restart_lsn: s.restart_lsn.clone(),
        retained_bytes: s.retained_bytes,
        wal_status: s.wal_status.clone(),
        safe_wal_size_bytes: s.safe_wal_size,
        inactive_s: secs_since(s.inactive_since, now),
        invalidation_reason: s.invalidation_reason.clone(),
    }
}

fn receiver(r: &Receiver) -> ReceiverRow {
    ReceiverRow {
        pid: r.pid,
        status: r.status.clone(),
        sender_host: r.sender_host.clone(),
        sender_port: r.sender_port,
        slot_name: r.slot_name.clone(),
        receive_lsn: r.receive_lsn.clone(),
        replay_lsn: r.replay_lsn.clone(),
        replay_lag_bytes: r.replay_bytes,
        last_replay: time_opt(r.last_replay),
        last_message_s: secs_since(r.last_msg_receipt_time, r.now),
        replay_paused: r.paused,
    }
}

fn failed(errors: &mut Vec<SectionError>, section: &str, e: &PaneError) {
    errors.push(SectionError {
        section: section.to_owned(),
        error: ErrorDoc::from(e),
    });
}

fn sections(r: &Replication, now: Micros) -> Out {
    let mut errors = Vec::new();
    let senders = match &r.senders {
        Ok(v) => v.iter().map(sender).collect(),
        Err(e) => {
            failed(&mut errors, "senders", e);
            Vec::new()
        }
    };
    let slots = match &r.slots {
        Ok(s) => s.slots.iter().map(|s| slot(s, now)).collect(),
        Err(e) => {
            failed(&mut errors, "slots", e);
            Vec::new()
        }
    };
    let receiver = match &r.receiver {
        Ok(rcv) => rcv.in_recovery.then(|| receiver(rcv)),
        Err(e) => {
            failed(&mut errors, "receiver", e);
            None
        }
    };
    Out {
        senders,
        slots,
        receiver,
        errors,
    }
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "senders";
    type Row = SenderRow;

    fn export(state: &State) -> Result<Out, PaneError> {
        let snapshot = state.shown.as_deref();
        let now = snapshot
            .and_then(|s| s.server.as_ref().ok())
            .map_or(state.now, |s| s.now);
        part(snapshot.and_then(|s| s.panes.replication.as_ref())).map(|r| sections(r, now))
    }

    fn partial(out: &Out) -> Option<PaneError> {
        SectionError::first(&out.errors)
    }
}
