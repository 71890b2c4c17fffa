//! The Statements pane's snapshot part: one read of pg_stat_statements as plain owned data.
//! Nothing here knows about tokio or PostgreSQL types; a counter the server's extension
//! version does not have is `None` (shown as n/a, never as 0).

use std::sync::Arc;

use crate::snapshot::Micros;

/// One pg_stat_statements entry's identity: the extension's own hash key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub userid: u32,
    pub dbid: u32,
    /// `None` for other roles' statements when our role lacks `pg_read_all_stats`: the server
    /// hides their queryid and text. Such rows are summed into one entry per user, database
    /// and level (see `decode`).
    pub queryid: Option<i64>,
    /// Top-level statement or nested in a function (extension 1.9+, PostgreSQL 14+).
    pub toplevel: Option<bool>,
}

/// Cumulative counters of one entry since it was created (or last reset).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counters {
    pub calls: i64,
    /// Total execution time in ms (`total_time` before extension 1.8).
    pub exec_ms: f64,
    /// Planning counts and time (1.8+); they stay 0 unless `pg_stat_statements.track_planning`.
    pub plans: Option<i64>,
    pub plan_ms: Option<f64>,
    pub rows: i64,
    pub shared_hit: i64,
    pub shared_read: i64,
    pub temp_written: i64,
    /// WAL bytes generated (1.8+).
    pub wal_bytes: Option<f64>,
    /// Time spent reading and writing shared blocks, in ms, when `track_io_timing` is on.
    pub io_read_ms: f64,
    pub io_write_ms: f64,
}

impl Counters {
    /// Whether every counter is at least the other's: an entry that went down was reset (or
    /// evicted and created again) in between.
    pub fn covers(&self, earlier: &Counters) -> bool {
        self.calls >= earlier.calls
            && self.exec_ms >= earlier.exec_ms
            && self.rows >= earlier.rows
            && self.shared_hit >= earlier.shared_hit
            && self.shared_read >= earlier.shared_read
            && self.temp_written >= earlier.temp_written
            && opt_ge(self.plans, earlier.plans)
            && opt_ge(self.plan_ms, earlier.plan_ms)
            && opt_ge(self.wal_bytes, earlier.wal_bytes)
    }

    /// Adds another entry's counters (for the summed entries of hidden statements).
    pub fn add(&mut self, o: &Counters) {
        self.calls = self.calls.saturating_add(o.calls);
        self.exec_ms += o.exec_ms;
        self.plans = opt_add(self.plans, o.plans);
        self.plan_ms = opt_add(self.plan_ms, o.plan_ms);
        self.rows = self.rows.saturating_add(o.rows);
        self.shared_hit = self.shared_hit.saturating_add(o.shared_hit);
        self.shared_read = self.shared_read.saturating_add(o.shared_read);
        self.temp_written = self.temp_written.saturating_add(o.temp_written);
        self.wal_bytes = opt_add(self.wal_bytes, o.wal_bytes);
        self.io_read_ms += o.io_read_ms;
        self.io_write_ms += o.io_write_ms;
    }
}

fn opt_ge<T: PartialOrd>(a: Option<T>, b: Option<T>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a >= b,
        _ => true,
    }
}

fn opt_add<T: std::ops::Add<Output = T>>(a: Option<T>, b: Option<T>) -> Option<T> {
    Some(a? + b?)
}

/// One statement as read this refresh.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Key,
    pub counters: Counters,
    /// When the entry's counters started (extension 1.11+, PostgreSQL 17+).
    pub stats_since: Option<Micros>,
    /// The normalized query text, cut to `sql::TEXT_CAP` characters; raw server text that must
    /// pass through `text::sanitize` before reaching the terminal. `None` until fetched.
    pub text: Option<Arc<str>>,
    /// The text was longer than the cap; the full text must be read on demand.
    pub text_cut: bool,
    /// How many hidden rows this entry sums (0 for an ordinary statement).
    pub hidden: u32,
}

/// One read of pg_stat_statements with the facts needed to compare it with another.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Read {
    /// The server's clock at the read; rates are measured on it.
    pub now: Micros,
    /// `pg_postmaster_start_time()`: a restart empties the statistics.
    pub started: Micros,
    /// `pg_stat_statements_info.stats_reset` (1.9+): when all entries were last reset.
    pub stats_reset: Option<Micros>,
    /// `pg_stat_statements_info.dealloc` (1.9+): entries evicted since `stats_reset`.
    pub dealloc: Option<i64>,
    pub entries: Vec<Entry>,
}

/// The pane's data for one refresh.
#[derive(Debug, Clone, PartialEq)]
pub struct Statements {
    pub read: Arc<Read>,
    /// Role and database names by oid, for the rows' user and database columns.
    pub names: Arc<Names>,
    /// What the extension provides and what the settings allow.
    pub setup: Arc<super::probe::Setup>,
    /// How long this refresh's reads took on the client, round trip included, in µs.
    pub read_us: u64,
    /// What one counters read costs the server, in µs (the running mean the pacing uses), once
    /// measured; `on_server` says it comes from the read's own pg_stat_statements entry rather
    /// than the round trip (an upper bound, until that entry shows up).
    pub cost_us: Option<f64>,
    pub on_server: bool,
    /// How far apart reads are at the interval asked for, in ms: more than the interval when
    /// a read costs more than the budget (see `pace`).
    pub every_ms: u64,
    /// Whether texts were read this refresh (a separate, costlier read).
    pub texts_read: bool,
    /// Rows the server sent this refresh: fewer than the entries when only the changed ones
    /// came (see `held`).
    pub rows_sent: usize,
}

/// Oid to name maps, refreshed when an unknown oid shows up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    pub roles: std::collections::HashMap<u32, String>,
    pub databases: std::collections::HashMap<u32, String>,
}

/// Why the pane has no data: pg_stat_statements is not there (with the fix), or a read failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    Missing(super::probe::Missing),
    Error(crate::snapshot::PaneError),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unavailable::Missing(m) => f.write_str(&m.explain()),
            Unavailable::Error(e) => e.fmt(f),
        }
    }
}
