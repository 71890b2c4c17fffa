//! How often to read pg_stat_statements. Whatever a reader selects, the extension's function
//! builds every entry (all its columns) into a tuplestore before the first row comes out, so
//! at 10,000 entries the levers left are the room that tuplestore gets and how often to read.
//!
//! Backend CPU per call with 9,604 entries, PostgreSQL 15, on a 2-core VM shared with other
//! builds (`cargo bench --bench statements_server`, three runs): `count(*)` over
//! `pg_stat_statements(false)` 9.7-13 ms (the floor any reader pays); the pane's counters read
//! 17.7-18.7 ms; a read with texts 32-33 ms; a naive `SELECT * FROM pg_stat_statements` 38.7-43
//! ms.
//! With `work_mem` room for the function's tuplestore, which otherwise spills to a temporary
//! file at the default 4 MB (the reader raises the session's, see `read`), the same run measured
//! 5.0 ms for the floor and 10.7 ms for the counters read: about 0.28 of the naive read, still
//! over 3 ms, and the 3 ms budget is kept by spacing reads:
//! the cost is measured (from the read's own pg_stat_statements entry, else the round trip) and
//! reads are spaced so that they take at most [`BUDGET_US_PER_S`] of server time per second;
//! the interval rates then span the real time between two reads.

use std::time::Duration;

/// Server time per second the pane's reads may take.
pub const BUDGET_US_PER_S: f64 = 3_000.0;
/// The share of the budget aimed at: one read's cost varies from refresh to refresh.
const AIM: f64 = 0.9;
/// Weight of the newest read in the running mean.
const EWMA: f64 = 0.25;
/// Intervals are whole quarter seconds, so the pane does not flicker between close values.
const STEP: Duration = Duration::from_millis(250);
/// Never further apart than this (or than the interval asked for, if longer).
const LONGEST: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pace {
    cost_us: Option<f64>,
}

impl Pace {
    /// Records the round trip of one counters read (not one that also read texts: those are
    /// rare and would keep the interval long long after).
    pub fn observe(&mut self, read_us: f64) {
        if !read_us.is_finite() || read_us < 0.0 {
            return;
        }
        self.cost_us = Some(self.cost_us.map_or(read_us, |c| c + EWMA * (read_us - c)));
    }

    /// The running mean of one read's cost, in µs, once measured.
    pub fn cost_us(&self) -> Option<f64> {
        self.cost_us
    }

    /// How far apart reads should be when the refresh interval asked for is `asked`.
    pub fn every(&self, asked: Duration) -> Duration {
        let Some(cost) = self.cost_us else {
            return asked;
        };
        let secs = cost / (AIM * BUDGET_US_PER_S);
        if secs <= asked.as_secs_f64() {
            return asked;
        }
        let steps = (secs / STEP.as_secs_f64()).ceil();
        STEP.mul_f64(steps).min(LONGEST.max(asked))
    }

    /// Whether a read is due `since` the last one.
    pub fn due(&self, asked: Duration, since: Duration) -> bool {
        since >= self.every(asked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cheap_reads_follow_the_interval_and_costly_ones_are_spaced() {
        let asked = Duration::from_secs(1);
        let mut p = Pace::default();
        assert_eq!(p.every(asked), asked);
        p.observe(800.0);
        assert_eq!(p.every(asked), asked);
        let mut p = Pace::default();
        // 12 ms a read: 12 / 2.7 = 4.44 s, so every 4.5 s.
        p.observe(12_000.0);
        assert_eq!(p.every(asked), Duration::from_millis(4_500));
        assert!(!p.due(asked, Duration::from_secs(4)));
        assert!(p.due(asked, Duration::from_secs(5)));
        p.observe(1e9);
        assert_eq!(p.every(asked), LONGEST);
        assert_eq!(p.every(Duration::from_secs(30)), Duration::from_secs(30));
    }
}
