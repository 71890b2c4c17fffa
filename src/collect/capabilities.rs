//! Capabilities of the server and of our login, detected once per connection. Collectors pick
//! their SQL by version from these; the UI says which grant is missing instead of silently
//! showing less.

use tokio_postgres::Client;

use super::rows::{get, pane_error, text};
use crate::snapshot::{Capabilities, PaneError};

const SQL: &str = include_str!("sql/capabilities.sql");

/// The oldest major pgscope supports.
pub const MIN_VERSION_NUM: i32 = 120_000;

pub async fn detect(client: &Client) -> Result<Capabilities, PaneError> {
    // Checked first with a query every version answers, so that an old server gets a clear
    // message instead of an error from a newer catalog.
    let row = client
        .query_one(
            "SELECT current_setting('server_version_num')::int4, current_setting('server_version')",
            &[],
        )
        .await
        .map_err(|e| pane_error(&e))?;
    let num: i32 = row.try_get(0).map_err(|e| pane_error(&e))?;
    if num < MIN_VERSION_NUM {
        let version: String = row.try_get(1).map_err(|e| pane_error(&e))?;
        return Err(PaneError {
            sqlstate: None,
            message: format!(
                "server version {version} is not supported (pgscope supports PostgreSQL 12 and later)"
            ),
        });
    }
    let row = client
        .query_one(SQL, &[])
        .await
        .map_err(|e| pane_error(&e))?;
    Ok(Capabilities {
        version_num: get(&row, "version_num")?,
        version: text(&row, "version")?.unwrap_or_default(),
        in_recovery: get(&row, "in_recovery")?,
        own_pid: get(&row, "own_pid")?,
        login: text(&row, "login")?.unwrap_or_default(),
        superuser: get::<Option<bool>>(&row, "superuser")?.unwrap_or(false),
        pg_monitor: get(&row, "pg_monitor")?,
        pg_read_all_stats: get(&row, "pg_read_all_stats")?,
        pg_signal_backend: get(&row, "pg_signal_backend")?,
        can_blocking_pids: get(&row, "can_blocking_pids")?,
        pg_stat_statements: text(&row, "pg_stat_statements")?,
        max_connections: get(&row, "max_connections")?,
        superuser_reserved_connections: get(&row, "superuser_reserved_connections")?,
        reserved_connections: get(&row, "reserved_connections")?,
        track_activity_query_size: get(&row, "track_activity_query_size")?,
        ..Capabilities::default()
    })
}

/// The SQL for `version_num` from files per version threshold: the newest threshold not above
/// the server's version. A major newer than any threshold gets the newest SQL.
pub fn pick(version_num: i32, by_threshold: &[(i32, &'static str)]) -> &'static str {
    by_threshold
        .iter()
        .filter(|(min, _)| *min <= version_num)
        .max_by_key(|(min, _)| *min)
        .or_else(|| by_threshold.iter().min_by_key(|(min, _)| *min))
        .map_or("", |(_, sql)| sql)
}

#[cfg(test)]
mod tests {
    use super::pick;

    #[test]
    fn picks_the_newest_threshold_not_above_the_version() {
        let files = [
            (120_000, "twelve"),
            (140_000, "fourteen"),
            (130_000, "thirteen"),
        ];
        assert_eq!(pick(120_022, &files), "twelve");
        assert_eq!(pick(130_000, &files), "thirteen");
        assert_eq!(pick(150_018, &files), "fourteen");
        assert_eq!(pick(190_000, &files), "fourteen");
    }
}
