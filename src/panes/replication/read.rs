//! The Replication pane from either side: senders, slots, the WAL receiver, recovery conflicts,
//! subscriptions and publications (six small pipelined queries, each behind its own gate), and
//! the header's summary, read every refresh. Every query is safe on a primary and on a standby:
//! primary-only functions sit behind `CASE WHEN pg_is_in_recovery()`, so a promotion needs no
//! reconnect and no new statements.

use tokio_postgres::{Client, Row, Statement};

use crate::collect::sql::{self, Since};
use crate::collect::gate::Gate;
use crate::collect::rows::{get, micros, pane_error, text};
use crate::collect::pane::{Cx, Read};
use crate::snapshot::{Capabilities, PaneError, Part};
use crate::panes::replication::data::{
    Conflicts, Publication, Receiver, Replication, Sender, Slot, Slots, Subscription, Summary,
};

pub const SUMMARY_SQL: &str = include_str!("sql/summary.sql");
pub const SENDERS_SQL: &str = include_str!("sql/senders.sql");
pub const PUBLICATIONS_SQL: &str = include_str!("sql/publications.sql");
/// The sections' statements: one base each, with the columns a version added filled in
/// from that version on (NULL before, so every version returns the same columns).
const SLOTS: &str = include_str!("sql/slots.sql");
const SLOTS_WAL: [Since; 2] = [
    (
        120_000,
        "NULL::text AS wal_status,\n       NULL::int8 AS safe_wal_size",
    ),
    (130_000, "s.wal_status,\n       s.safe_wal_size"),
];
const SLOTS_CONFLICTING: [Since; 2] = [(120_000, "NULL::bool AS conflicting"), (160_000, "s.conflicting")];
const SLOTS_INACTIVE: [Since; 2] = [
    (
        120_000,
        "NULL::timestamptz AS inactive_since,\n       NULL::text AS invalidation_reason",
    ),
    (170_000, "s.inactive_since,\n       s.invalidation_reason"),
];
const RECEIVER: &str = include_str!("sql/receiver.sql");
/// Renamed in 13 (it always was the flushed position).
const RECEIVER_FLUSHED: [Since; 2] = [
    (120_000, "w.received_lsn::text AS flushed_lsn"),
    (130_000, "w.flushed_lsn::text AS flushed_lsn"),
];
const CONFLICTS: &str = include_str!("sql/conflicts.sql");
const CONFLICTS_LOGICALSLOT: [Since; 2] = [
    (120_000, "NULL::int8 AS logicalslot"),
    (160_000, "confl_active_logicalslot AS logicalslot"),
];
const SUBSCRIPTIONS: &str = include_str!("sql/subscriptions.sql");
const SUBSCRIPTIONS_ERRORS: [Since; 2] = [
    (
        120_000,
        "NULL::int8 AS apply_errors,\n       NULL::int8 AS sync_errors",
    ),
    (
        150_000,
        "st.apply_error_count AS apply_errors,\n       st.sync_error_count AS sync_errors",
    ),
];
/// Parallel apply workers (16+) have a leader; the subscription's own worker has none.
const SUBSCRIPTIONS_LEADER: [Since; 2] = [
    (120_000, ""),
    (160_000, "\n                                      AND w.leader_pid IS NULL"),
];
const SUBSCRIPTIONS_STATS: [Since; 2] = [
    (120_000, ""),
    (
        150_000,
        "\n  LEFT JOIN pg_stat_subscription_stats st ON st.subid = s.oid",
    ),
];

pub fn slots_sql(v: i32) -> String {
    sql::fill(
        SLOTS,
        &[
            ("wal", sql::one(v, &SLOTS_WAL)),
            ("conflicting", sql::one(v, &SLOTS_CONFLICTING)),
            ("inactive", sql::one(v, &SLOTS_INACTIVE)),
        ],
    )
}

pub fn receiver_sql(v: i32) -> String {
    sql::fill(RECEIVER, &[("flushed", sql::one(v, &RECEIVER_FLUSHED))])
}

pub fn conflicts_sql(v: i32) -> String {
    sql::fill(CONFLICTS, &[("logicalslot", sql::one(v, &CONFLICTS_LOGICALSLOT))])
}

pub fn subscriptions_sql(v: i32) -> String {
    sql::fill(
        SUBSCRIPTIONS,
        &[
            ("errors", sql::one(v, &SUBSCRIPTIONS_ERRORS)),
            ("leader", sql::one(v, &SUBSCRIPTIONS_LEADER)),
            ("stats", sql::one(v, &SUBSCRIPTIONS_STATS)),
        ],
    )
}

/// Rows per list: far more than any real topology, and a bound on a pathological one.
pub const CAP: i64 = 200;

/// Prepared once per connection; one that fails to prepare shows its error in its section.
pub struct Statements {
    summary: Result<Statement, PaneError>,
    senders: Result<Statement, PaneError>,
    slots: Result<Statement, PaneError>,
    receiver: Result<Statement, PaneError>,
    conflicts: Result<Statement, PaneError>,
    subscriptions: Result<Statement, PaneError>,
    publications: Result<Statement, PaneError>,
}

impl Statements {
    pub async fn prepare(client: &Client, version_num: i32) -> Statements {
        let prep = |sql: String| async move { client.prepare(&sql).await.map_err(|e| pane_error(&e)) };
        let (summary, senders, slots, receiver, conflicts, subscriptions, publications) = tokio::join!(
            prep(SUMMARY_SQL.to_owned()),
            prep(SENDERS_SQL.to_owned()),
            prep(slots_sql(version_num)),
            prep(receiver_sql(version_num)),
            prep(conflicts_sql(version_num)),
            prep(subscriptions_sql(version_num)),
            prep(PUBLICATIONS_SQL.to_owned()),
        );
        Statements {
            summary,
            senders,
            slots,
            receiver,
            conflicts,
            subscriptions,
            publications,
        }
    }
}

/// Failure gates, one per query of the pane's sections.
#[derive(Default)]
pub struct Gates {
    senders: Gate,
    slots: Gate,
    receiver: Gate,
    conflicts: Gate,
    subscriptions: Gate,
    publications: Gate,
}

/// The header's summary, read every refresh whichever pane is on screen.
pub async fn summary(
    client: &Client,
    st: &Statements,
    seq: u64,
    gate: &mut Gate,
) -> Result<Box<Summary>, PaneError> {
    gate.run(seq, async {
        let rows = query(client, &st.summary, &[]).await?;
        let row = rows.first().ok_or_else(|| PaneError {
            sqlstate: None,
            message: "no row from the replication summary".to_owned(),
        })?;
        read_summary(row).map(Box::new)
    })
    .await
}

/// The pane's sections, concurrently on the one connection.
pub async fn collect(client: &Client, st: &Statements, seq: u64, gates: &mut Gates) -> Replication {
    let Gates {
        senders: senders_gate,
        slots: slots_gate,
        receiver: receiver_gate,
        conflicts: conflicts_gate,
        subscriptions: subscriptions_gate,
        publications: publications_gate,
    } = gates;
    let senders = senders_gate.run(seq, async {
        let rows = query(client, &st.senders, &[&CAP]).await?;
        rows.iter().map(sender).collect::<Result<Vec<_>, _>>()
    });
    let slots = slots_gate.run(seq, async {
        let rows = query(client, &st.slots, &[&CAP]).await?;
        slots(&rows)
    });
    let receiver = receiver_gate.run(seq, async {
        let rows = query(client, &st.receiver, &[]).await?;
        rows.first()
            .map_or_else(|| Ok(Receiver::default()), receiver)
    });
    let conflicts = conflicts_gate.run(seq, async {
        let rows = query(client, &st.conflicts, &[&CAP]).await?;
        rows.iter().map(conflicts).collect::<Result<Vec<_>, _>>()
    });
    let subscriptions = subscriptions_gate.run(seq, async {
        let rows = query(client, &st.subscriptions, &[&CAP]).await?;
        rows.iter().map(subscription).collect::<Result<Vec<_>, _>>()
    });
    let publications = publications_gate.run(seq, async {
        let rows = query(client, &st.publications, &[&CAP]).await?;
        rows.iter().map(publication).collect::<Result<Vec<_>, _>>()
    });
    let (senders, slots, receiver, conflicts, subscriptions, publications) = tokio::join!(
        senders,
        slots,
        receiver,
        conflicts,
        subscriptions,
        publications
    );
    Replication {
        senders,
        slots,
        receiver,
        conflicts,
        subscriptions,
        publications,
    }
}

impl Read for super::Def {
    type Statements = Statements;
    type Gates = Gates;
    const STATEMENTS: i64 = 6;

    async fn prepare(client: &Client, caps: &Capabilities) -> Statements {
        Statements::prepare(client, caps.version_num).await
    }

    async fn read(cx: Cx<'_>, st: &Statements, gates: &mut Gates) -> Part<Box<Replication>> {
        if !cx.focused {
            return None;
        }
        Some(Ok(Box::new(collect(cx.client, st, cx.seq, gates).await)))
    }
}

async fn query(
    client: &Client,
    stmt: &Result<Statement, PaneError>,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Vec<Row>, PaneError> {
    let stmt = stmt.as_ref().map_err(Clone::clone)?;
    client.query(stmt, params).await.map_err(|e| pane_error(&e))
}

pub fn read_summary(row: &Row) -> Result<Summary, PaneError> {
    Ok(Summary {
        in_recovery: get(row, "in_recovery")?,
        standbys: get::<Option<i64>>(row, "standbys")?.unwrap_or(0),
        logical: get::<Option<i64>>(row, "logical")?.unwrap_or(0),
        worst_lag_bytes: get(row, "worst_lag_bytes")?,
        worst_lag: get(row, "worst_lag_us")?,
        replay_lag_bytes: get(row, "replay_lag_bytes")?,
        last_replay: micros(row, "last_replay")?,
        receiver_status: text(row, "receiver_status")?,
        replay_paused: get(row, "replay_paused")?,
        inactive_slots: get::<Option<i64>>(row, "inactive_slots")?.unwrap_or(0),
        inactive_slots_bytes: get(row, "inactive_slots_bytes")?,
        now: micros(row, "now")?.unwrap_or_default(),
    })
}

fn sender(row: &Row) -> Result<Sender, PaneError> {
    Ok(Sender {
        pid: get(row, "pid")?,
        usename: text(row, "usename")?,
        application_name: text(row, "application_name")?,
        client: text(row, "client")?,
        backend_start: micros(row, "backend_start")?,
        state: text(row, "state")?,
        sync_state: text(row, "sync_state")?,
        sync_priority: get(row, "sync_priority")?,
        sent_lsn: text(row, "sent_lsn")?,
        write_lsn: text(row, "write_lsn")?,
        flush_lsn: text(row, "flush_lsn")?,
        replay_lsn: text(row, "replay_lsn")?,
        sent_bytes: get(row, "sent_bytes")?,
        write_bytes: get(row, "write_bytes")?,
        flush_bytes: get(row, "flush_bytes")?,
        replay_bytes: get(row, "replay_bytes")?,
        write_lag: get(row, "write_lag_us")?,
        flush_lag: get(row, "flush_lag_us")?,
        replay_lag: get(row, "replay_lag_us")?,
        reply_time: micros(row, "reply_time")?,
        slot_name: text(row, "slot_name")?,
        slot_type: text(row, "slot_type")?,
    })
}

fn slots(rows: &[Row]) -> Result<Slots, PaneError> {
    let mut out = Slots::default();
    for row in rows {
        out.total = get(row, "total")?;
        out.slots.push(Slot {
            name: text(row, "slot_name")?.unwrap_or_default(),
            plugin: text(row, "plugin")?,
            slot_type: text(row, "slot_type")?.unwrap_or_default(),
            datname: text(row, "datname")?,
            temporary: get::<Option<bool>>(row, "temporary")?.unwrap_or(false),
            active: get::<Option<bool>>(row, "active")?.unwrap_or(false),
            active_pid: get(row, "active_pid")?,
            xmin_age: get(row, "xmin_age")?,
            catalog_xmin_age: get(row, "catalog_xmin_age")?,
            restart_lsn: text(row, "restart_lsn")?,
            confirmed_flush_lsn: text(row, "confirmed_flush_lsn")?,
            retained_bytes: get(row, "retained_bytes")?,
            wal_status: text(row, "wal_status")?,
            safe_wal_size: get(row, "safe_wal_size")?,
            inactive_since: micros(row, "inactive_since")?,
            conflicting: get(row, "conflicting")?,
            invalidation_reason: text(row, "invalidation_reason")?,
        });
    }
    Ok(out)
}

fn receiver(row: &Row) -> Result<Receiver, PaneError> {
    Ok(Receiver {
        in_recovery: get(row, "in_recovery")?,
        pid: get(row, "pid")?,
        status: text(row, "status")?,
        sender_host: text(row, "sender_host")?,
        sender_port: get(row, "sender_port")?,
        slot_name: text(row, "slot_name")?,
        timeline: get(row, "received_tli")?,
        flushed_lsn: text(row, "flushed_lsn")?,
        last_msg_send_time: micros(row, "last_msg_send_time")?,
        last_msg_receipt_time: micros(row, "last_msg_receipt_time")?,
        latest_end_lsn: text(row, "latest_end_lsn")?,
        latest_end_time: micros(row, "latest_end_time")?,
        receive_lsn: text(row, "receive_lsn")?,
        replay_lsn: text(row, "replay_lsn")?,
        replay_bytes: get(row, "replay_bytes")?,
        last_replay: micros(row, "last_replay")?,
        paused: get(row, "paused")?,
        hot_standby_feedback: get::<Option<bool>>(row, "hot_standby_feedback")?.unwrap_or(false),
        now: micros(row, "now")?.unwrap_or_default(),
    })
}

fn conflicts(row: &Row) -> Result<Conflicts, PaneError> {
    let n = |col: &str| get::<Option<i64>>(row, col).map(Option::unwrap_or_default);
    Ok(Conflicts {
        datname: text(row, "datname")?.unwrap_or_default(),
        tablespace: n("tablespace")?,
        lock: n("lock")?,
        snapshot: n("snapshot")?,
        bufferpin: n("bufferpin")?,
        deadlock: n("deadlock")?,
        logicalslot: get(row, "logicalslot")?,
    })
}

fn subscription(row: &Row) -> Result<Subscription, PaneError> {
    Ok(Subscription {
        name: text(row, "subname")?.unwrap_or_default(),
        datname: text(row, "datname")?,
        enabled: get::<Option<bool>>(row, "enabled")?.unwrap_or(false),
        slot_name: text(row, "slot_name")?,
        publications: text(row, "publications")?.unwrap_or_default(),
        pid: get(row, "pid")?,
        received_lsn: text(row, "received_lsn")?,
        latest_end_lsn: text(row, "latest_end_lsn")?,
        last_msg_send_time: micros(row, "last_msg_send_time")?,
        last_msg_receipt_time: micros(row, "last_msg_receipt_time")?,
        latest_end_time: micros(row, "latest_end_time")?,
        syncing: get::<Option<i64>>(row, "syncing")?.unwrap_or(0),
        apply_errors: get(row, "apply_errors")?,
        sync_errors: get(row, "sync_errors")?,
    })
}

fn publication(row: &Row) -> Result<Publication, PaneError> {
    let flag = |col: &str| get::<Option<bool>>(row, col).map(|b| b.unwrap_or(false));
    Ok(Publication {
        name: text(row, "pubname")?.unwrap_or_default(),
        all_tables: flag("all_tables")?,
        tables: get::<Option<i64>>(row, "tables")?.unwrap_or(0),
        inserts: flag("inserts")?,
        updates: flag("updates")?,
        deletes: flag("deletes")?,
    })
}
