//! One entry's full text, read on demand (details on Enter, EXPLAIN): the list's cache keeps
//! only the first `sql::TEXT_CAP` characters.

use tokio_postgres::Client;

use super::model::Key;
use super::probe::Setup;
use super::sql::{Features, Sql};
use crate::collect::rows::{Lossy, pane_error};
use crate::snapshot::PaneError;

/// Room in `work_mem` for every entry of `pg_stat_statements.max` with its text: 3 kB each,
/// between 4 MB and 64 MB, never lowered. At the default 4 MB, 9,600 entries with ~430-character
/// texts spilled 1,013 temporary blocks per read (and still 904 with 10 MB); the session is the
/// control connection's or the monitoring one's, whose other statements are small.
const WORK_MEM: &str = "SELECT set_config('work_mem', r.kb || 'kB', false)
  FROM (SELECT least(greatest(3 * coalesce(
            current_setting('pg_stat_statements.max', true)::int8, 5000), 4096), 65536) AS kb) r
 WHERE pg_size_bytes(current_setting('work_mem')) < r.kb * 1024";

/// One entry's full text, read on demand (details, EXPLAIN): the cache keeps only the first
/// `sql::TEXT_CAP` characters. `None` when the entry is gone or its text is hidden.
pub async fn full_text(
    client: &Client,
    setup: &Setup,
    key: &Key,
) -> Result<Option<String>, PaneError> {
    full_text_of(client, setup.features, &setup.schema, key).await
}

/// [`full_text`] from the extension's version and schema alone (the control task has no
/// `Setup`). One call of `pg_stat_statements(true)` filtered by the key: the function reads
/// the whole text file and puts every entry with its text in a tuplestore whatever the filter,
/// so its cost grows with the entries; the session's `work_mem` is first raised to hold them
/// (pipelined: one round trip).
pub async fn full_text_of(
    client: &Client,
    features: Features,
    schema: &str,
    key: &Key,
) -> Result<Option<String>, PaneError> {
    let Some(queryid) = key.queryid else {
        return Ok(None);
    };
    let sql = Sql::compose(features, schema);
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 4] =
        [&key.userid, &key.dbid, &queryid, &key.toplevel];
    let (room, row) = tokio::join!(
        client.query(WORK_MEM, &[]),
        client.query_opt(&sql.full_text, &params)
    );
    room.map_err(|e| pane_error(&e))?;
    let row = row.map_err(|e| pane_error(&e))?;
    match row {
        Some(r) => {
            let q: Option<Lossy> = r.try_get(0).map_err(|e| pane_error(&e))?;
            Ok(q.map(|q| q.0))
        }
        None => Ok(None),
    }
}

