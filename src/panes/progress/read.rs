//! The Progress pane: long operations (pg_stat_progress_*), tables overdue for vacuum, freeze
//! ages and the xmin horizon's holders. Four small queries, pipelined, each behind its own gate
//! so a failing one degrades only its section.

use tokio_postgres::{Client, Row, Statement};

use crate::collect::sql::{self, Since};
use crate::collect::gate::Gate;
use crate::collect::rows::{get, micros, pane_error, text};
use crate::collect::pane::{After, Cx, Read};
use crate::snapshot::{Capabilities, PaneError, Part};
use crate::panes::progress::data::{
    DbAge, Freeze, HolderKind, HorizonHolder, OpKind, Operation, Overdue, OverdueTable, Progress,
};

/// Long operations: one base statement over `ops`, a union of one branch per progress view,
/// each from the version that has the view.
const OPS_BASE: &str = include_str!("sql/ops.sql");
pub const OPS: [Since; 6] = [
    (120_000, include_str!("sql/ops_vacuum.sql")),
    (130_000, include_str!("sql/ops_analyze.sql")),
    (120_000, include_str!("sql/ops_create_index.sql")),
    (120_000, include_str!("sql/ops_cluster.sql")),
    (130_000, include_str!("sql/ops_base_backup.sql")),
    (140_000, include_str!("sql/ops_copy.sql")),
];
/// VACUUM's counts: dead tuples until 16; dead item bytes, and indexes processed, from 17.
pub const VACUUM_COUNTS: [Since; 2] = [
    (
        120_000,
        "p.num_dead_tuples AS dead_now, p.max_dead_tuples AS dead_max,
           'tuples' AS dead_unit, NULL::int8 AS dead_items,
           NULL::int8 AS parts_done, NULL::int8 AS parts_total,
           NULL::text AS parts_unit, NULL::int8 AS tuples",
    ),
    (
        170_000,
        "p.dead_tuple_bytes AS dead_now, p.max_dead_tuple_bytes AS dead_max,
           'bytes' AS dead_unit, p.num_dead_item_ids AS dead_items,
           p.indexes_processed AS parts_done, p.indexes_total AS parts_total,
           'indexes' AS parts_unit, NULL::int8 AS tuples",
    ),
];

/// The long operations statement for a server version.
pub fn ops_sql(version_num: i32) -> String {
    let ops = sql::all(version_num, &OPS, "\n    UNION ALL\n");
    sql::fill(
        OPS_BASE,
        &[
            ("ops", &ops),
            ("vacuum_counts", sql::one(version_num, &VACUUM_COUNTS)),
        ],
    )
}
pub const OVERDUE_SQL: &str = include_str!("sql/overdue.sql");
pub const FREEZE_SQL: &str = include_str!("sql/freeze.sql");
pub const HORIZON_SQL: &str = include_str!("sql/horizon.sql");

/// Caps that keep each query's result small whatever the server's size.
pub const MAX_OPS: i64 = 100;
pub const MAX_OVERDUE: i64 = 20;
pub const MAX_DATABASES: i64 = 50;
pub const MAX_HOLDERS_PER_SOURCE: i64 = 10;

/// Prepared once per connection. A statement that fails to prepare keeps its error and shows
/// it in its section, instead of failing the whole session.
pub struct Statements {
    version_num: i32,
    ops: Result<Statement, PaneError>,
    overdue: Result<Statement, PaneError>,
    freeze: Result<Statement, PaneError>,
    horizon: Result<Statement, PaneError>,
}

impl Statements {
    pub async fn prepare(client: &Client, version_num: i32) -> Statements {
        let ops_sql = ops_sql(version_num);
        let prep = |sql: &str| {
            let sql = sql.to_owned();
            async move { client.prepare(&sql).await.map_err(|e| pane_error(&e)) }
        };
        let (ops, overdue, freeze, horizon) = tokio::join!(
            prep(&ops_sql),
            prep(OVERDUE_SQL),
            prep(FREEZE_SQL),
            prep(HORIZON_SQL),
        );
        Statements {
            version_num,
            ops,
            overdue,
            freeze,
            horizon,
        }
    }
}

/// Failure gates, one per query.
#[derive(Default)]
pub struct Gates {
    ops: Gate,
    overdue: Gate,
    freeze: Gate,
    horizon: Gate,
}

/// Runs the pane's queries concurrently on the one connection. `now` is left at 0: the caller
/// sets it from the header's server clock, read in the same pipeline.
pub async fn collect(client: &Client, st: &Statements, seq: u64, gates: &mut Gates) -> Progress {
    let ops = gates.ops.run(seq, async {
        let rows = query(client, &st.ops, MAX_OPS).await?;
        rows.iter().map(operation).collect::<Result<Vec<_>, _>>()
    });
    let overdue = gates.overdue.run(seq, async {
        let rows = query(client, &st.overdue, MAX_OVERDUE).await?;
        overdue(&rows)
    });
    let freeze = gates.freeze.run(seq, async {
        let rows = query(client, &st.freeze, MAX_DATABASES).await?;
        freeze(&rows)
    });
    let horizon = gates.horizon.run(seq, async {
        let rows = query(client, &st.horizon, MAX_HOLDERS_PER_SOURCE).await?;
        rows.iter().map(holder).collect::<Result<Vec<_>, _>>()
    });
    let (ops, overdue, freeze, horizon) = tokio::join!(ops, overdue, freeze, horizon);
    Progress {
        now: 0,
        ops,
        unavailable: OpKind::ALL
            .into_iter()
            .filter(|k| k.since() > st.version_num)
            .collect(),
        overdue,
        freeze,
        horizon,
    }
}

async fn query(
    client: &Client,
    stmt: &Result<Statement, PaneError>,
    cap: i64,
) -> Result<Vec<Row>, PaneError> {
    let stmt = stmt.as_ref().map_err(Clone::clone)?;
    client
        .query(stmt, &[&cap])
        .await
        .map_err(|e| pane_error(&e))
}

fn operation(row: &Row) -> Result<Operation, PaneError> {
    Ok(Operation {
        kind: text(row, "kind")?.as_deref().and_then(OpKind::from_label),
        pid: get(row, "pid")?,
        datname: text(row, "datname")?,
        relid: get(row, "relid")?,
        relname: text(row, "relname")?,
        command: text(row, "command")?.unwrap_or_default(),
        phase: text(row, "phase")?.unwrap_or_default(),
        unit: text(row, "unit")?.unwrap_or_default(),
        done: get(row, "done")?,
        total: get(row, "total")?,
        started: micros(row, "started")?,
        autovacuum: get(row, "autovacuum")?,
        wraparound: get(row, "wraparound")?,
        index_cycles: get(row, "index_cycles")?,
        dead_now: get(row, "dead_now")?,
        dead_max: get(row, "dead_max")?,
        dead_unit: text(row, "dead_unit")?,
        dead_items: get(row, "dead_items")?,
        parts_done: get(row, "parts_done")?,
        parts_total: get(row, "parts_total")?,
        parts_unit: text(row, "parts_unit")?,
        tuples: get(row, "tuples")?,
        table_dead: get(row, "table_dead")?,
    })
}

fn overdue(rows: &[Row]) -> Result<Overdue, PaneError> {
    let mut out = Overdue::default();
    for row in rows {
        out.over_threshold = get(row, "over_threshold")?;
        out.with_dead = get(row, "with_dead")?;
        out.tables.push(OverdueTable {
            relname: text(row, "relname")?.unwrap_or_default(),
            dead: get(row, "dead")?,
            threshold: get(row, "threshold")?,
            autovacuum_disabled: get(row, "autovacuum_disabled")?,
            last_autovacuum: micros(row, "last_autovacuum")?,
            last_vacuum: micros(row, "last_vacuum")?,
            autovacuum_count: get(row, "autovacuum_count")?,
        });
    }
    Ok(out)
}

fn freeze(rows: &[Row]) -> Result<Freeze, PaneError> {
    let mut out = Freeze::default();
    for row in rows {
        out.autovacuum = get(row, "autovacuum")?;
        out.track_counts = get(row, "track_counts")?;
        out.max_workers = get(row, "max_workers")?;
        out.freeze_max_age = get(row, "freeze_max_age")?;
        out.multixact_freeze_max_age = get(row, "multixact_freeze_max_age")?;
        out.total = get(row, "total")?;
        out.databases.push(DbAge {
            datname: text(row, "datname")?.unwrap_or_default(),
            xid_age: get(row, "xid_age")?,
            mxid_age: get(row, "mxid_age")?,
        });
    }
    Ok(out)
}

fn holder(row: &Row) -> Result<HorizonHolder, PaneError> {
    let kind = match text(row, "kind")?.as_deref() {
        Some("standby") => HolderKind::Standby,
        Some("slot") => HolderKind::Slot,
        Some("prepared") => HolderKind::Prepared,
        _ => HolderKind::Backend,
    };
    Ok(HorizonHolder {
        kind,
        pid: get(row, "pid")?,
        name: text(row, "name")?.unwrap_or_default(),
        datname: text(row, "datname")?,
        usename: text(row, "usename")?,
        state: text(row, "state")?,
        what: text(row, "what")?.unwrap_or_default(),
        xid_age: get::<Option<i64>>(row, "xid_age")?.unwrap_or_default(),
        since: micros(row, "since")?,
    })
}

impl Read for super::Def {
    type Statements = Statements;
    type Gates = Gates;
    const STATEMENTS: i64 = 4;

    async fn prepare(client: &Client, caps: &Capabilities) -> Statements {
        Statements::prepare(client, caps.version_num).await
    }

    async fn read(cx: Cx<'_>, st: &Statements, gates: &mut Gates) -> Part<Progress> {
        if !cx.focused {
            return None;
        }
        Some(Ok(collect(cx.client, st, cx.seq, gates).await))
    }

    /// The operations' ages and ETAs are measured against the server's clock of the refresh.
    fn after(cx: &After<'_>, part: &mut Part<Progress>) {
        if let Some(Ok(p)) = part {
            p.now = cx.now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ops_sql;

    /// Each view from the version that has it, VACUUM's counts renamed in 17, no slot left.
    #[test]
    fn operations_by_version() {
        let has = |v, text: &str| ops_sql(v).contains(text);
        for v in [120_000, 130_000, 140_000, 160_000, 170_000, 180_000] {
            assert!(!ops_sql(v).contains('{'), "{v}");
            assert!(has(v, "pg_stat_progress_vacuum") && has(v, "pg_stat_progress_cluster"));
            assert_eq!(has(v, "pg_stat_progress_analyze"), v >= 130_000, "{v}");
            assert_eq!(has(v, "pg_stat_progress_basebackup"), v >= 130_000, "{v}");
            assert_eq!(has(v, "pg_stat_progress_copy"), v >= 140_000, "{v}");
            assert_eq!(has(v, "p.dead_tuple_bytes"), v >= 170_000, "{v}");
            assert_eq!(has(v, "p.num_dead_tuples"), v < 170_000, "{v}");
        }
    }
}
