//! The vocabulary of the snapshot document that every pane's part shares: a pane's outcome,
//! errors with their SQLSTATE, times in RFC 3339 with an offset, durations in seconds. A leaf:
//! the panes' export modules and the document frame build on it.

use serde::{Deserialize, Serialize};

use crate::snapshot::{Micros, PaneError};

/// A pane's outcome: its data, or why it has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaneDoc<T> {
    pub error: Option<ErrorDoc>,
    pub data: Option<T>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDoc {
    pub sqlstate: Option<String>,
    pub message: String,
}

impl From<&PaneError> for ErrorDoc {
    fn from(e: &PaneError) -> Self {
        ErrorDoc {
            sqlstate: e.sqlstate.clone(),
            message: e.message.clone(),
        }
    }
}

/// RFC 3339 with the offset (UTC), to the microsecond.
pub fn time(us: Micros) -> Option<String> {
    chrono::DateTime::from_timestamp_micros(us)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, false))
}

pub fn time_opt(us: Option<Micros>) -> Option<String> {
    us.and_then(time)
}

/// Seconds from `start` to `now` (both µs), never negative.
pub fn secs_since(start: Option<Micros>, now: Micros) -> Option<f64> {
    start.map(|s| now.saturating_sub(s).max(0) as f64 / 1e6)
}

/// Microseconds as seconds.
pub fn secs(us: i64) -> f64 {
    us as f64 / 1e6
}
