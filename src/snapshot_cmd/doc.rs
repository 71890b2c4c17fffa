//! The JSON document's frame, schema 1 (`assets/snapshot.schema.json`): what every document
//! carries besides the panes, and the shared vocabulary of the panes' parts (times in RFC 3339
//! with an offset, durations in seconds, errors with their SQLSTATE). These are the public
//! output's own types: internal structs may change without changing what scripts read.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::export::Panes;
use super::vocab::ErrorDoc;

/// The version of the document's layout; a change that could break a reader bumps it.
pub const SCHEMA: u32 = 1;

/// Where a snapshot sits in the run.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    /// 1-based number of this snapshot.
    pub number: u32,
    pub count: u32,
    /// `--count 1`: two reads an interval apart, only the second printed.
    pub reads_for_rates: bool,
    pub interval: Duration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Doc {
    pub schema: u32,
    /// 1-based number of the snapshot, of `count`.
    pub snapshot: u32,
    pub count: u32,
    pub interval_s: f64,
    /// How the rates were measured: "two reads one interval apart" for a single snapshot,
    /// "since the previous snapshot" later, null for the first of several.
    pub rates_over: Option<String>,
    pub taken_at: String,
    pub server: Option<Server>,
    pub server_error: Option<ErrorDoc>,
    pub rates: Option<RatesDoc>,
    pub filter: Option<String>,
    pub min_duration_s: Option<f64>,
    pub panes: Panes,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub version: String,
    pub version_num: i32,
    pub in_recovery: bool,
    pub start_time: Option<String>,
    pub now: Option<String>,
    pub max_connections: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatesDoc {
    pub tps: f64,
    pub hit_ratio: Option<f64>,
}
