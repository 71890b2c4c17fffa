//! The details view's on-demand data: the full query text of one pid (never of all), its locks,
//! and its snapshot age.

use tokio_postgres::Client;
use tokio_postgres::types::ToSql;

use super::time::to_system;
use crate::collect::rows::{failure, get, text};
use crate::effect::{Details, DetailsRequest, FullText, LockLine};
use crate::failure::{Failure, Kind};

const QUERY: &str = "SELECT a.query,
       octet_length(a.query) >= pg_size_bytes(current_setting('track_activity_query_size')) - 1
           AS truncated,
       age(a.backend_xmin) AS xmin_age
  FROM pg_stat_activity a
 WHERE a.pid = $1 AND a.backend_start = $2";

// Relation names come from the catalog by oid: no regclass cast, no lock taken.
const LOCKS: &str = "SELECT l.locktype, l.mode, l.granted,
       coalesce(n.nspname || '.' || c.relname,
                -- A relation of another database is not in this catalog: say where it is.
                CASE WHEN l.relation IS NOT NULL THEN 'oid ' || l.relation || ' in ' || d.datname END,
                CASE WHEN l.locktype = 'transactionid' THEN 'xid ' || l.transactionid END,
                CASE WHEN l.locktype = 'virtualxid' THEN 'vxid ' || l.virtualxid END,
                CASE WHEN l.locktype = 'advisory' THEN 'key ' || l.classid || ':' || l.objid END,
                CASE WHEN l.objid IS NOT NULL THEN 'object ' || l.classid || ':' || l.objid END,
                '') AS object
  FROM pg_locks l
  LEFT JOIN pg_class c ON c.oid = l.relation
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_database d ON d.oid = l.database
 WHERE l.pid = $1
 ORDER BY l.granted, l.locktype, object
 LIMIT 200";

/// The pid's row in whichever progress view has one; the views a version lacks are left out.
fn progress_sql(version_num: i32) -> String {
    let mut views = vec![
        ("vacuum", "pg_stat_progress_vacuum", "phase"),
        ("create index", "pg_stat_progress_create_index", "phase"),
        ("cluster", "pg_stat_progress_cluster", "phase"),
    ];
    if version_num >= 130_000 {
        views.push(("analyze", "pg_stat_progress_analyze", "phase"));
        views.push(("base backup", "pg_stat_progress_basebackup", "phase"));
    }
    if version_num >= 140_000 {
        views.push(("copy", "pg_stat_progress_copy", "command"));
    }
    views
        .iter()
        .map(|(kind, view, phase)| {
            format!("SELECT '{kind}: ' || {phase} AS progress FROM {view} WHERE pid = $1")
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// The full query text of one backend (pinned by its start), for the clipboard.
pub async fn full_text(client: &Client, req: &DetailsRequest) -> FullText {
    let started = to_system(req.backend_start);
    let row = client.query_opt(QUERY, &[&req.pid, &started]).await;
    let (text, truncated) = match row {
        Ok(Some(row)) => (
            text(&row, "query")
                .map_err(|e| e.to_string())
                .and_then(|q| q.ok_or_else(|| "no query text".to_owned())),
            get::<Option<bool>>(&row, "truncated")
                .ok()
                .flatten()
                .unwrap_or(false),
        ),
        Ok(None) => (Err("the backend ended or was replaced".to_owned()), false),
        Err(e) => (Err(crate::collect::rows::pane_error(&e).to_string()), false),
    };
    FullText {
        pid: req.pid,
        text,
        truncated,
    }
}

pub async fn fetch(client: &Client, version_num: i32, req: &DetailsRequest) -> Details {
    let mut details = Details {
        pid: req.pid,
        query: None,
        truncated: false,
        locks: Vec::new(),
        backend_xmin_age: None,
        progress: None,
        error: None,
    };
    let progress = progress_sql(version_num);
    let started = to_system(req.backend_start);
    let (by_identity, by_pid): (&[&(dyn ToSql + Sync)], &[&(dyn ToSql + Sync)]) =
        (&[&req.pid, &started], &[&req.pid]);
    let (row, locks, running) = tokio::join!(
        client.query_opt(QUERY, by_identity),
        client.query(LOCKS, by_pid),
        client.query(progress.as_str(), by_pid)
    );
    // Progress is a nice-to-have: without the privilege the row is simply not there.
    details.progress = running.ok().and_then(|rows| {
        rows.first()
            .and_then(|r| text(r, "progress").ok().flatten())
    });
    match row {
        Ok(Some(row)) => {
            details.query = text(&row, "query").ok().flatten();
            details.truncated = get::<Option<bool>>(&row, "truncated")
                .ok()
                .flatten()
                .unwrap_or(false);
            details.backend_xmin_age = get(&row, "xmin_age").ok().flatten();
        }
        Ok(None) => {
            details.error = Some(Failure::new(
                Kind::Client,
                "the backend ended or was replaced",
            ));
        }
        Err(e) => details.error = Some(failure(&e)),
    }
    match locks {
        Ok(rows) => {
            details.locks = rows
                .iter()
                .filter_map(|r| {
                    Some(LockLine {
                        locktype: text(r, "locktype").ok()??,
                        mode: text(r, "mode").ok()?.unwrap_or_default(),
                        granted: get(r, "granted").ok()?,
                        object: text(r, "object").ok()?.unwrap_or_default(),
                    })
                })
                .collect();
        }
        Err(e) if details.error.is_none() => {
            details.error = Some(failure(&e));
        }
        Err(_) => {}
    }
    details
}
