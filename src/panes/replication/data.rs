//! The Replication pane's data, from either side: WAL senders and slots (a primary, or a
//! cascading standby), the WAL receiver and replay (a standby), logical subscriptions and
//! publications, and the header's summary read every refresh. LSNs stay text: they are shown,
//! and every distance is computed on the server with `pg_wal_lsn_diff`.

use crate::snapshot::base::{Micros, PaneError};

/// The header's replication facts, read every refresh (cheap: a few rows at most).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub in_recovery: bool,
    /// Physical WAL senders (standbys), base backups left out.
    pub standbys: i64,
    /// Logical WAL senders (subscribers).
    pub logical: i64,
    /// The largest replay distance of any sender, in bytes.
    pub worst_lag_bytes: Option<i64>,
    /// The largest `replay_lag` of any sender (`None` once a sender has been idle: the server
    /// clears it when there is nothing to replay).
    pub worst_lag: Option<Micros>,
    /// On a standby: received but not yet replayed, in bytes.
    pub replay_lag_bytes: Option<i64>,
    /// On a standby: commit time of the last replayed transaction.
    pub last_replay: Option<Micros>,
    /// On a standby: the WAL receiver's status (`None`: no receiver running).
    pub receiver_status: Option<String>,
    /// On a standby: replay paused (`pg_wal_replay_pause()`).
    pub replay_paused: Option<bool>,
    /// Slots nobody uses that still hold WAL back.
    pub inactive_slots: i64,
    /// The WAL those inactive slots hold back, in bytes.
    pub inactive_slots_bytes: Option<i64>,
    pub now: Micros,
}

/// How far a standby's replay is behind, in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayDelay {
    /// Everything received is replayed: no lag, however long ago the last commit was (on an
    /// idle primary `now - pg_last_xact_replay_timestamp()` is idle time, not lag).
    CaughtUp,
    /// WAL is waiting to be replayed: `now` minus the commit time of the last replayed
    /// transaction (an upper bound when the primary was idle before the WAL now waiting).
    Behind(Micros),
    /// Nothing to go by: no receive position, or no transaction replayed yet.
    Unknown,
}

impl ReplayDelay {
    /// From the received-but-not-replayed bytes and the last replayed commit's time, on the
    /// server's clock `now`.
    pub fn of(replay_bytes: Option<i64>, last_replay: Option<Micros>, now: Micros) -> Self {
        match (replay_bytes, last_replay) {
            // Replay can run ahead of the receiver (WAL from the archive or pg_wal at start).
            (Some(b), _) if b <= 0 => ReplayDelay::CaughtUp,
            (Some(_), Some(t)) => ReplayDelay::Behind((now - t).max(0)),
            _ => ReplayDelay::Unknown,
        }
    }
}

impl Summary {
    /// On a standby: the replay lag in time.
    pub fn replay_delay(&self) -> ReplayDelay {
        ReplayDelay::of(self.replay_lag_bytes, self.last_replay, self.now)
    }
}

/// One refresh of the Replication pane; each section has its own outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Replication {
    pub senders: Result<Vec<Sender>, PaneError>,
    pub slots: Result<Slots, PaneError>,
    pub receiver: Result<Receiver, PaneError>,
    pub conflicts: Result<Vec<Conflicts>, PaneError>,
    pub subscriptions: Result<Vec<Subscription>, PaneError>,
    pub publications: Result<Vec<Publication>, PaneError>,
}

/// One row of pg_stat_replication. Byte distances are from the current WAL position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sender {
    pub pid: i32,
    pub usename: Option<String>,
    pub application_name: Option<String>,
    /// Host name or address; `None` over a unix socket.
    pub client: Option<String>,
    pub backend_start: Option<Micros>,
    /// `None` when our login may not see it (no pg_read_all_stats).
    pub state: Option<String>,
    pub sync_state: Option<String>,
    pub sync_priority: Option<i32>,
    pub sent_lsn: Option<String>,
    pub write_lsn: Option<String>,
    pub flush_lsn: Option<String>,
    pub replay_lsn: Option<String>,
    pub sent_bytes: Option<i64>,
    pub write_bytes: Option<i64>,
    pub flush_bytes: Option<i64>,
    pub replay_bytes: Option<i64>,
    pub write_lag: Option<Micros>,
    pub flush_lag: Option<Micros>,
    pub replay_lag: Option<Micros>,
    pub reply_time: Option<Micros>,
    pub slot_name: Option<String>,
    /// "physical" or "logical" when the sender uses a slot.
    pub slot_type: Option<String>,
}

impl Sender {
    /// The key a standby keeps across reconnects (its pid changes): slot, else name and client.
    pub fn history_key(&self) -> String {
        match &self.slot_name {
            Some(slot) => format!("slot:{slot}"),
            None => format!(
                "app:{}@{}",
                self.application_name.as_deref().unwrap_or(""),
                self.client.as_deref().unwrap_or("[local]")
            ),
        }
    }

    pub fn is_logical(&self) -> bool {
        self.slot_type.as_deref() == Some("logical")
    }
}

/// pg_replication_slots, largest retained WAL first, capped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slots {
    pub slots: Vec<Slot>,
    /// How many slots exist (the list may be cut at the cap).
    pub total: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slot {
    pub name: String,
    pub plugin: Option<String>,
    pub slot_type: String,
    pub datname: Option<String>,
    pub temporary: bool,
    pub active: bool,
    pub active_pid: Option<i32>,
    pub xmin_age: Option<i64>,
    pub catalog_xmin_age: Option<i64>,
    pub restart_lsn: Option<String>,
    pub confirmed_flush_lsn: Option<String>,
    /// WAL kept for this slot: from restart_lsn to the current position.
    pub retained_bytes: Option<i64>,
    /// 13+; `None` before (shown "n/a", decided by the version).
    pub wal_status: Option<String>,
    /// 13+; `None` also when max_slot_wal_keep_size is unlimited.
    pub safe_wal_size: Option<i64>,
    /// 17+.
    pub inactive_since: Option<Micros>,
    /// 16+.
    pub conflicting: Option<bool>,
    /// 17+.
    pub invalidation_reason: Option<String>,
}

impl Slot {
    /// Unused but holding WAL: the disk fills until someone drops it or a consumer returns.
    pub fn retains_while_inactive(&self) -> bool {
        !self.active && self.restart_lsn.is_some()
    }

    /// The server gave up on it (or is about to): its WAL is no longer guaranteed.
    pub fn is_lost(&self) -> bool {
        matches!(self.wal_status.as_deref(), Some("lost" | "unreserved"))
            || self.invalidation_reason.is_some()
            || self.conflicting == Some(true)
    }
}

/// The standby side: pg_stat_wal_receiver and the recovery functions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Receiver {
    pub in_recovery: bool,
    /// `None`: no WAL receiver running (a primary, or a standby not streaming).
    pub pid: Option<i32>,
    pub status: Option<String>,
    pub sender_host: Option<String>,
    pub sender_port: Option<i32>,
    pub slot_name: Option<String>,
    pub timeline: Option<i64>,
    pub flushed_lsn: Option<String>,
    pub last_msg_send_time: Option<Micros>,
    pub last_msg_receipt_time: Option<Micros>,
    pub latest_end_lsn: Option<String>,
    pub latest_end_time: Option<Micros>,
    pub receive_lsn: Option<String>,
    pub replay_lsn: Option<String>,
    /// Received but not yet replayed.
    pub replay_bytes: Option<i64>,
    /// Commit time of the last replayed transaction. `now - last_replay` is the replay delay
    /// only while the primary writes: on an idle primary it grows with nothing to replay.
    pub last_replay: Option<Micros>,
    pub paused: Option<bool>,
    pub hot_standby_feedback: bool,
    /// The server's clock when this was read.
    pub now: Micros,
}

/// pg_stat_database_conflicts: queries cancelled by recovery, per database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conflicts {
    pub datname: String,
    pub tablespace: i64,
    pub lock: i64,
    pub snapshot: i64,
    pub bufferpin: i64,
    pub deadlock: i64,
    /// 16+.
    pub logicalslot: Option<i64>,
}

impl Conflicts {
    pub fn total(&self) -> i64 {
        self.tablespace
            + self.lock
            + self.snapshot
            + self.bufferpin
            + self.deadlock
            + self.logicalslot.unwrap_or(0)
    }
}

/// A subscription (cluster-wide) with its apply worker, if one runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subscription {
    pub name: String,
    pub datname: Option<String>,
    pub enabled: bool,
    pub slot_name: Option<String>,
    pub publications: String,
    pub pid: Option<i32>,
    pub received_lsn: Option<String>,
    pub latest_end_lsn: Option<String>,
    pub last_msg_send_time: Option<Micros>,
    pub last_msg_receipt_time: Option<Micros>,
    pub latest_end_time: Option<Micros>,
    /// Table synchronization workers running.
    pub syncing: i64,
    /// 15+ (pg_stat_subscription_stats).
    pub apply_errors: Option<i64>,
    pub sync_errors: Option<i64>,
}

/// A publication of the connected database.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(clippy::struct_excessive_bools)] // the catalog's independent flags
pub struct Publication {
    pub name: String,
    pub all_tables: bool,
    pub tables: i64,
    pub inserts: bool,
    pub updates: bool,
    pub deletes: bool,
}
