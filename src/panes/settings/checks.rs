//! A few checks of the settings against what the server is doing, stated as observations with
//! their reason and the setting that would change it — never as commands. Pure.

use crate::panes::settings::data::{Facts, Param, Params};
use crate::panes::settings::model::server_value;

#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The parameter to look at.
    pub setting: &'static str,
    /// What is the case, with the numbers.
    pub what: String,
    /// Why it matters.
    pub why: &'static str,
    /// What changing it would do.
    pub change: &'static str,
}

/// What the checks know besides the parameters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    pub facts: Option<&'a Facts>,
    /// A connection pooler is configured in front of this server (pgscope's `P` pane).
    pub pooler: bool,
}

fn get<'a>(params: &'a Params, name: &str) -> Option<&'a Param> {
    params.rows.iter().find(|p| p.name == name)
}

/// Checks look at the server's value, not what this connection SET for itself.
fn is(params: &Params, name: &str, value: &str) -> bool {
    get(params, name).is_some_and(|p| server_value(p) == value)
}

fn int(params: &Params, name: &str) -> Option<i64> {
    get(params, name).and_then(|p| server_value(p).trim().parse().ok())
}

/// `max_connections` counts as far above the sessions in use past this ratio (and a floor, so
/// that a small server with 100 slots is left alone).
const CONNECTIONS_RATIO: i64 = 10;
const CONNECTIONS_FLOOR: i64 = 200;

pub fn checks(params: &Params, cx: Context<'_>) -> Vec<Observation> {
    let mut out = Vec::new();
    let idle = cx.facts.map_or(0, |f| f.idle_in_xact);
    if idle > 0 && int(params, "idle_in_transaction_session_timeout") == Some(0) {
        let longest = cx
            .facts
            .and_then(|f| f.longest_idle_in_xact)
            .map(|s| format!(", the longest for {s:.0} s"))
            .unwrap_or_default();
        out.push(Observation {
            setting: "idle_in_transaction_session_timeout",
            what: format!("{idle} sessions sit idle in a transaction{longest}, with no timeout"),
            why: "an open transaction keeps its locks and holds back vacuum for the whole server",
            change: "a timeout (per role or database where some clients need longer) ends them",
        });
    }
    if is(params, "autovacuum", "off") {
        out.push(Observation {
            setting: "autovacuum",
            what: "autovacuum is off".to_owned(),
            why: "dead rows accumulate and transaction ids approach wraparound; anti-wraparound \
                  vacuums still start, at the worst time",
            change: "on lets the server vacuum and analyze as tables change",
        });
    }
    if is(params, "track_counts", "off") {
        out.push(Observation {
            setting: "track_counts",
            what: "track_counts is off".to_owned(),
            why: "autovacuum decides from these counters: without them it cannot see dead rows",
            change: "on",
        });
    }
    if let (Some(max), Some(f)) = (int(params, "max_connections"), cx.facts)
        && !cx.pooler
        && f.complete
        && max >= CONNECTIONS_FLOOR
        && max > CONNECTIONS_RATIO * f.active.max(1)
        && max > 2 * f.sessions
    {
        out.push(Observation {
            setting: "max_connections",
            what: format!(
                "max_connections is {max} while {} sessions are active ({} connected), with no \
                 pooler configured",
                f.active, f.sessions
            ),
            why: "every slot costs memory and snapshot work even when idle, and a burst of \
                  connections can overload the server instead of queueing",
            change: "a pooler in front (PgBouncer) lets max_connections stay near the cores' count",
        });
    }
    if int(params, "log_min_duration_statement") == Some(-1) {
        out.push(Observation {
            setting: "log_min_duration_statement",
            what: "slow statements are not logged".to_owned(),
            why: "after an incident, the log cannot say which statements were slow",
            change: "a threshold (for example 1s) logs every statement that takes longer",
        });
    }
    if is(params, "track_io_timing", "off") {
        out.push(Observation {
            setting: "track_io_timing",
            what: "I/O time is not measured".to_owned(),
            why: "pg_stat_statements and EXPLAIN cannot tell time spent reading from disk",
            change: "on (check pg_test_timing first on unusual hardware)",
        });
    }
    if is(params, "log_lock_waits", "off") {
        out.push(Observation {
            setting: "log_lock_waits",
            what: "long lock waits are not logged".to_owned(),
            why: "lock pile-ups leave no trace once they are over",
            change: "on logs waits longer than deadlock_timeout",
        });
    }
    if int(params, "log_autovacuum_min_duration") == Some(-1) {
        out.push(Observation {
            setting: "log_autovacuum_min_duration",
            what: "autovacuum runs are not logged".to_owned(),
            why: "a vacuum that cannot keep up leaves no trace",
            change: "a threshold (for example 10min) logs the slow runs",
        });
    }
    if let Some(size) = int(params, "track_activity_query_size")
        && size <= 1024
    {
        out.push(Observation {
            setting: "track_activity_query_size",
            what: format!("query texts are cut at {size} bytes"),
            why: "long queries are truncated in pg_stat_activity, and cannot be explained",
            change: "a larger size (for example 4kB; needs a restart)",
        });
    }
    for name in ["fsync", "full_page_writes"] {
        if is(params, name, "off") {
            out.push(Observation {
                setting: if name == "fsync" {
                    "fsync"
                } else {
                    "full_page_writes"
                },
                what: format!("{name} is off"),
                why: "a crash of the server or the machine can corrupt the database",
                change: "on, unless the data can be rebuilt from elsewhere",
            });
        }
    }
    let pending = params.rows.iter().filter(|p| p.pending_restart).count();
    if pending > 0 {
        out.push(Observation {
            setting: "(restart)",
            what: format!("{pending} parameters changed in a file wait for a restart"),
            why: "the running server still uses the old values",
            change: "a restart applies them (or revert the files)",
        });
    }
    out
}

#[cfg(test)]
#[path = "checks_tests.rs"]
mod tests;
