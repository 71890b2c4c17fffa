//! Rows of the composed statements into plain entries. Columns are read by position (the
//! composer fixes their order, with typed NULLs for what the version lacks): by name would scan
//! the column list for every value of 10,000 rows.

use std::collections::HashMap;
use std::sync::Arc;

use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use super::model::{Counters, Entry, Key, Read};
use crate::collect::rows::{Lossy, to_micros};
use crate::snapshot::PaneError;

fn at<'a, T: FromSql<'a>>(row: &'a Row, idx: usize) -> Result<T, PaneError> {
    row.try_get(idx).map_err(|e| PaneError {
        sqlstate: None,
        message: format!("unexpected value in pg_stat_statements column {idx}: {e}"),
    })
}

fn key(row: &Row) -> Result<Key, PaneError> {
    Ok(Key {
        userid: at(row, 0)?,
        dbid: at(row, 1)?,
        queryid: at(row, 2)?,
        toplevel: at(row, 3)?,
    })
}

/// One row of `Sql::counters`.
pub fn entry(row: &Row) -> Result<Entry, PaneError> {
    let counters = Counters {
        calls: at::<Option<i64>>(row, 4)?.unwrap_or(0),
        exec_ms: at::<Option<f64>>(row, 5)?.unwrap_or(0.0),
        plans: at(row, 6)?,
        plan_ms: at(row, 7)?,
        rows: at::<Option<i64>>(row, 8)?.unwrap_or(0),
        shared_hit: at::<Option<i64>>(row, 9)?.unwrap_or(0),
        shared_read: at::<Option<i64>>(row, 10)?.unwrap_or(0),
        temp_written: at::<Option<i64>>(row, 11)?.unwrap_or(0),
        wal_bytes: at(row, 12)?,
        io_read_ms: at::<Option<f64>>(row, 13)?.unwrap_or(0.0),
        io_write_ms: at::<Option<f64>>(row, 14)?.unwrap_or(0.0),
    };
    let since: Option<std::time::SystemTime> = at(row, 15)?;
    Ok(Entry {
        key: key(row)?,
        counters,
        stats_since: since.map(to_micros),
        text: None,
        text_cut: false,
        hidden: 0,
    })
}

/// All rows of one counters read, with the texts of a `Sql::texts` read, and the fingerprint
/// of each entry (see `sql`). Rows whose queryid the server hid (another role's, without
/// pg_read_all_stats) are summed per user, database and level, so that the load they add is
/// still counted; they have no fingerprint.
pub fn entries(
    rows: &[Row],
    with_texts: bool,
) -> Result<(Vec<Entry>, HashMap<Key, i64>), PaneError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut fps = HashMap::with_capacity(rows.len());
    let mut hidden: HashMap<Key, usize> = HashMap::new();
    for row in rows {
        let mut e = entry(row)?;
        if e.key.queryid.is_some() {
            if let Some(fp) = at::<Option<i64>>(row, 16)? {
                fps.insert(e.key, fp);
            }
            if with_texts && let Some((t, cut)) = text(row)? {
                e.text = Some(t);
                e.text_cut = cut;
            }
            out.push(e);
            continue;
        }
        if let Some(&i) = hidden.get(&e.key) {
            let sum = &mut out[i];
            sum.counters.add(&e.counters);
            sum.hidden += 1;
            sum.stats_since = sum.stats_since.max(e.stats_since);
        } else {
            hidden.insert(e.key, out.len());
            out.push(Entry { hidden: 1, ..e });
        }
    }
    Ok((out, fps))
}

/// The row of `Sql::info`, with the entries read next to it.
pub fn read(info: &Row, entries: Vec<Entry>) -> Result<Read, PaneError> {
    let time = |idx| -> Result<Option<i64>, PaneError> {
        Ok(at::<Option<std::time::SystemTime>>(info, idx)?.map(to_micros))
    };
    Ok(Read {
        now: time(0)?.unwrap_or(0),
        started: time(1)?.unwrap_or(0),
        stats_reset: time(2)?,
        dealloc: at(info, 3)?,
        entries,
    })
}

/// The text columns of a `Sql::texts` row: the text (cut) and whether it was cut; `None` for
/// the entries whose text was not asked for.
pub fn text(row: &Row) -> Result<Option<(Arc<str>, bool)>, PaneError> {
    let query: Option<Lossy> = at(row, 17)?;
    let cut: Option<bool> = at(row, 18)?;
    Ok(query.map(|q| (Arc::from(q.0), cut.unwrap_or(false))))
}
