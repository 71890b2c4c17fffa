//! The Tables pane's SQL and decode: the database and its autovacuum settings, the top tables
//! by the pane's sort key, and indexes (database-wide, and of the selected table). Catalogs and
//! statistics functions only, so a table under ACCESS EXCLUSIVE never delays a read; the server
//! ranks and caps, so 100,000 tables cost one bounded result.

use tokio_postgres::{Client, Row, Statement};

use crate::collect::gate::Gate;
use crate::collect::rows::{get, micros, pane_error, text};
use crate::collect::sql::{self, Since};
use crate::panes::tables::data::{
    IndexList, IndexRow, Meta, TableList, TableRow, Tables, Thresholds,
};
pub use crate::panes::tables::model::Ask;
use crate::snapshot::PaneError;

pub const META_SQL: &str = include_str!("sql/meta.sql");
const TABLES_BASE: &str = include_str!("sql/tables.sql");
pub const INDEXES_SQL: &str = include_str!("sql/indexes.sql");
pub const DATABASES_SQL: &str = include_str!("sql/databases.sql");

/// Inserted tuples since the last vacuum (the insert threshold's counter), from 13.
const INS_SINCE_VACUUM: [Since; 2] = [
    (120_000, "NULL::int8 AS n_ins_since_vacuum"),
    (
        130_000,
        "pg_stat_get_ins_since_vacuum(r.relid) AS n_ins_since_vacuum",
    ),
];
/// Updates that moved the row to another page (not HOT for lack of room), from 16.
const NEWPAGE_UPD: [Since; 2] = [
    (120_000, "NULL::int8 AS n_tup_newpage_upd"),
    (
        160_000,
        "pg_stat_get_tuples_newpage_updated(r.relid) AS n_tup_newpage_upd",
    ),
];
/// When the table was last read by a sequential or an index scan, from 16.
const LAST_SCANS: [Since; 2] = [
    (
        120_000,
        "NULL::timestamptz AS last_seq_scan, NULL::timestamptz AS last_idx_scan",
    ),
    (
        160_000,
        "pg_stat_get_lastscan(r.relid) AS last_seq_scan,
       (SELECT max(pg_stat_get_lastscan(x.indexrelid)) FROM pg_index x
         WHERE x.indrelid = r.relid) AS last_idx_scan",
    ),
];
/// Time spent vacuuming since the statistics reset, from 18.
const VACUUM_TIME: [Since; 2] = [
    (
        120_000,
        "NULL::float8 AS total_vacuum_time, NULL::float8 AS total_autovacuum_time",
    ),
    (
        180_000,
        "pg_stat_get_total_vacuum_time(r.relid) AS total_vacuum_time,
       pg_stat_get_total_autovacuum_time(r.relid) AS total_autovacuum_time",
    ),
];

/// The tables statement for a server version.
pub fn tables_sql(version_num: i32) -> String {
    sql::fill(
        TABLES_BASE,
        &[
            ("ins_since_vacuum", sql::one(version_num, &INS_SINCE_VACUUM)),
            ("newpage_upd", sql::one(version_num, &NEWPAGE_UPD)),
            ("last_scans", sql::one(version_num, &LAST_SCANS)),
            ("vacuum_time", sql::one(version_num, &VACUUM_TIME)),
        ],
    )
}

/// Caps that keep each result small whatever the database's size.
pub const MAX_TABLES: i64 = 200;
pub const MAX_INDEXES: i64 = 200;
pub const MAX_TABLE_INDEXES: i64 = 100;

/// Prepared once per connection; one that fails keeps its error for its section.
pub struct Statements {
    meta: Result<Statement, PaneError>,
    tables: Result<Statement, PaneError>,
    indexes: Result<Statement, PaneError>,
    databases: Result<Statement, PaneError>,
}

impl Statements {
    pub async fn prepare(client: &Client, version_num: i32) -> Statements {
        let tables_sql = tables_sql(version_num);
        let prep = |sql: &str| {
            let sql = sql.to_owned();
            async move { client.prepare(&sql).await.map_err(|e| pane_error(&e)) }
        };
        let (meta, tables, indexes, databases) = tokio::join!(
            prep(META_SQL),
            prep(&tables_sql),
            prep(INDEXES_SQL),
            prep(DATABASES_SQL)
        );
        Statements {
            meta,
            tables,
            indexes,
            databases,
        }
    }
}

/// Failure gates, one per query.
#[derive(Default)]
pub struct Gates {
    meta: Gate,
    tables: Gate,
    indexes: Gate,
    table_indexes: Gate,
    databases: Gate,
}


/// Runs the pane's queries concurrently on the one connection.
pub async fn collect(
    client: &Client,
    st: &Statements,
    seq: u64,
    gates: &mut Gates,
    ask: Ask,
) -> Tables {
    let meta = gates.meta.run(seq, async {
        let stmt = st.meta.as_ref().map_err(Clone::clone)?;
        let row = client
            .query_one(stmt, &[])
            .await
            .map_err(|e| pane_error(&e))?;
        meta(&row)
    });
    let tables = gates.tables.run(seq, async {
        let stmt = st.tables.as_ref().map_err(Clone::clone)?;
        let rows = client
            .query(stmt, &[&MAX_TABLES, &ask.sort.sql_key(), &ask.ascending])
            .await
            .map_err(|e| pane_error(&e))?;
        table_list(&rows)
    });
    let indexes = gates
        .indexes
        .run(seq, index_query(client, &st.indexes, MAX_INDEXES, None));
    let table_indexes = async {
        match ask.selected {
            None => None,
            Some(relid) => Some(
                gates
                    .table_indexes
                    .run(
                        seq,
                        index_query(client, &st.indexes, MAX_TABLE_INDEXES, Some(relid)),
                    )
                    .await,
            ),
        }
    };
    let databases = read_databases(client, st, seq, &mut gates.databases);
    let (meta, tables, indexes, table_indexes, databases) =
        tokio::join!(meta, tables, indexes, table_indexes, databases);
    Tables {
        meta,
        tables,
        indexes,
        selected: ask.selected,
        table_indexes,
        databases,
    }
}

/// The selected table's indexes alone, between two reads of the whole list.
pub async fn table_indexes(
    client: &Client,
    st: &Statements,
    seq: u64,
    gates: &mut Gates,
    relid: u32,
) -> Result<IndexList, PaneError> {
    gates
        .table_indexes
        .run(
            seq,
            index_query(client, &st.indexes, MAX_TABLE_INDEXES, Some(relid)),
        )
        .await
}

/// The databases the login may connect to.
pub async fn databases(
    client: &Client,
    st: &Statements,
    seq: u64,
    gates: &mut Gates,
) -> Result<Vec<String>, PaneError> {
    read_databases(client, st, seq, &mut gates.databases).await
}

async fn read_databases(
    client: &Client,
    st: &Statements,
    seq: u64,
    gate: &mut Gate,
) -> Result<Vec<String>, PaneError> {
    gate.run(seq, async {
            let stmt = st.databases.as_ref().map_err(Clone::clone)?;
            let rows = client
                .query(stmt, &[])
                .await
                .map_err(|e| pane_error(&e))?;
            rows.iter()
                .map(|r| text(r, "datname").map(Option::unwrap_or_default))
                .collect()
        })
        .await
}

async fn index_query(
    client: &Client,
    stmt: &Result<Statement, PaneError>,
    cap: i64,
    relid: Option<u32>,
) -> Result<IndexList, PaneError> {
    let stmt = stmt.as_ref().map_err(Clone::clone)?;
    let rows = client
        .query(stmt, &[&cap, &relid])
        .await
        .map_err(|e| pane_error(&e))?;
    let mut out = IndexList::default();
    for row in &rows {
        out.total = get(row, "total")?;
        out.rows.push(index(row)?);
    }
    Ok(out)
}

fn meta(row: &Row) -> Result<Meta, PaneError> {
    Ok(Meta {
        datname: text(row, "datname")?.unwrap_or_default(),
        read_at: micros(row, "read_at")?.unwrap_or_default(),
        block_size: get(row, "block_size")?,
        autovacuum: get(row, "autovacuum")?,
        track_counts: get(row, "track_counts")?,
        settings: Thresholds {
            vac_base: get(row, "vac_base")?,
            vac_scale: get(row, "vac_scale")?,
            vac_max: get::<Option<f64>>(row, "vac_max")?.filter(|m| *m >= 0.0),
            ins_base: get(row, "ins_base")?,
            ins_scale: get(row, "ins_scale")?,
            anl_base: get(row, "anl_base")?,
            anl_scale: get(row, "anl_scale")?,
        },
        freeze_max_age: get(row, "freeze_max_age")?,
        stats_reset: micros(row, "stats_reset")?,
    })
}

fn table_list(rows: &[Row]) -> Result<TableList, PaneError> {
    let mut out = TableList::default();
    for row in rows {
        out.total = get(row, "total")?;
        out.read_at = micros(row, "read_at")?;
        out.rows.push(table(row)?);
    }
    Ok(out)
}

fn table(row: &Row) -> Result<TableRow, PaneError> {
    Ok(TableRow {
        relid: get(row, "relid")?,
        schema: text(row, "schemaname")?.unwrap_or_default(),
        name: text(row, "relname")?.unwrap_or_default(),
        relkind: text(row, "relkind")?.unwrap_or_default(),
        temporary: text(row, "relpersistence")?.as_deref() == Some("t"),
        pages: get::<Option<i64>>(row, "relpages")?.unwrap_or_default(),
        toast_pages: get(row, "toast_pages")?,
        index_pages: get(row, "index_pages")?,
        reltuples: get::<Option<f64>>(row, "reltuples")?.filter(|t| *t >= 0.0),
        xid_age: get::<Option<i32>>(row, "xid_age")?.map(i64::from),
        mxid_age: get::<Option<i32>>(row, "mxid_age")?.map(i64::from),
        autovacuum_enabled: get(row, "opt_enabled")?,
        options: Thresholds {
            vac_base: get(row, "opt_vac_base")?,
            vac_scale: get(row, "opt_vac_scale")?,
            vac_max: get(row, "opt_vac_max")?,
            ins_base: get(row, "opt_ins_base")?,
            ins_scale: get(row, "opt_ins_scale")?,
            anl_base: get(row, "opt_anl_base")?,
            anl_scale: get(row, "opt_anl_scale")?,
        },
        live: get::<Option<i64>>(row, "n_live_tup")?.unwrap_or_default(),
        dead: get::<Option<i64>>(row, "n_dead_tup")?.unwrap_or_default(),
        mods_since_analyze: get::<Option<i64>>(row, "n_mod_since_analyze")?.unwrap_or_default(),
        ins_since_vacuum: get(row, "n_ins_since_vacuum")?,
        seq_scan: get::<Option<i64>>(row, "seq_scan")?.unwrap_or_default(),
        seq_tup_read: get::<Option<i64>>(row, "seq_tup_read")?.unwrap_or_default(),
        idx_scan: get(row, "idx_scan")?,
        n_tup_ins: get::<Option<i64>>(row, "n_tup_ins")?.unwrap_or_default(),
        n_tup_upd: get::<Option<i64>>(row, "n_tup_upd")?.unwrap_or_default(),
        n_tup_del: get::<Option<i64>>(row, "n_tup_del")?.unwrap_or_default(),
        n_tup_hot_upd: get::<Option<i64>>(row, "n_tup_hot_upd")?.unwrap_or_default(),
        n_tup_newpage_upd: get(row, "n_tup_newpage_upd")?,
        last_seq_scan: micros(row, "last_seq_scan")?,
        last_idx_scan: micros(row, "last_idx_scan")?,
        last_vacuum: micros(row, "last_vacuum")?,
        last_autovacuum: micros(row, "last_autovacuum")?,
        last_analyze: micros(row, "last_analyze")?,
        last_autoanalyze: micros(row, "last_autoanalyze")?,
        vacuum_count: get::<Option<i64>>(row, "vacuum_count")?.unwrap_or_default(),
        autovacuum_count: get::<Option<i64>>(row, "autovacuum_count")?.unwrap_or_default(),
        analyze_count: get::<Option<i64>>(row, "analyze_count")?.unwrap_or_default(),
        autoanalyze_count: get::<Option<i64>>(row, "autoanalyze_count")?.unwrap_or_default(),
        total_vacuum_ms: get(row, "total_vacuum_time")?,
        total_autovacuum_ms: get(row, "total_autovacuum_time")?,
    })
}

fn index(row: &Row) -> Result<IndexRow, PaneError> {
    let contype = text(row, "contype")?.and_then(|c| c.chars().next());
    let constraint = match (contype, text(row, "constraint_ident")?) {
        (Some(c), Some(name)) => Some((c, name)),
        _ => None,
    };
    Ok(IndexRow {
        indexrelid: get(row, "indexrelid")?,
        relid: get(row, "indrelid")?,
        schema: text(row, "schemaname")?.unwrap_or_default(),
        table: text(row, "table_name")?.unwrap_or_default(),
        name: text(row, "index_name")?.unwrap_or_default(),
        method: text(row, "amname")?.unwrap_or_default(),
        partitioned: text(row, "index_kind")?.as_deref() == Some("I"),
        index_ident: text(row, "index_ident")?.unwrap_or_default(),
        table_ident: text(row, "table_ident")?.unwrap_or_default(),
        pages: get::<Option<i64>>(row, "relpages")?.unwrap_or_default(),
        scans: get::<Option<i64>>(row, "idx_scan")?.unwrap_or_default(),
        valid: get(row, "indisvalid")?,
        ready: get(row, "indisready")?,
        unique: get(row, "indisunique")?,
        primary: get(row, "indisprimary")?,
        exclusion: get(row, "indisexclusion")?,
        replica_identity: get(row, "indisreplident")?,
        constraint,
        building: get::<Option<bool>>(row, "building")?.unwrap_or(false),
        duplicate_of: text(row, "duplicate_of")?,
    })
}

#[cfg(test)]
mod tests {
    use super::tables_sql;

    /// Each gated column from the version that has it, no slot left unfilled.
    #[test]
    fn columns_by_version() {
        for v in [120_000, 130_000, 150_000, 160_000, 170_000, 180_000] {
            let s = tables_sql(v);
            assert!(!s.contains('{'), "{v}");
            assert_eq!(s.contains("pg_stat_get_ins_since_vacuum"), v >= 130_000);
            assert_eq!(
                s.contains("pg_stat_get_tuples_newpage_updated"),
                v >= 160_000
            );
            assert_eq!(s.contains("pg_stat_get_lastscan"), v >= 160_000);
            assert_eq!(s.contains("pg_stat_get_total_vacuum_time"), v >= 180_000);
        }
    }
}
