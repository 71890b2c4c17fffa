//! Pacing: the refresh interval stretches while one refresh costs the server more than
//! pgscope's budget allows at the interval asked for. Reading pg_stat_activity is quadratic in
//! the number of sessions inside the server (each row looks up its process), so at about a
//! thousand sessions a single read costs milliseconds whatever the query selects: the one lever
//! left is how often to read. The budget grows with the session count, as operators expect a
//! busier server to cost a little more to watch, and the header says when pacing is in effect.

use std::time::Duration;

/// Server time allowed per second: 1 ms up to 50 sessions, 3 ms from 1,000, linear between.
pub fn budget_us(sessions: usize) -> f64 {
    const LOW: (f64, f64) = (50.0, 1_000.0);
    const HIGH: (f64, f64) = (1_000.0, 3_000.0);
    let n = sessions as f64;
    if n <= LOW.0 {
        LOW.1
    } else if n >= HIGH.0 {
        HIGH.1
    } else {
        LOW.1 + (n - LOW.0) * (HIGH.1 - LOW.1) / (HIGH.0 - LOW.0)
    }
}

/// Server time per second kept for what the refresh's own read does not measure (the header
/// and replication statements, the sampler's probes).
const OVERHEAD_US: f64 = 150.0;
/// The share of the budget pacing aims at: one read's cost varies by a third from refresh to
/// refresh on a busy server, and the running mean lags it.
const AIM: f64 = 0.9;
/// Intervals are whole quarter seconds, so the header does not flicker between close values.
const STEP: Duration = Duration::from_millis(250);
/// Pacing never stretches the interval past this (or past the interval asked for, if longer):
/// beyond it the data would be too old to act on, and reading costs what it costs.
const LONGEST: Duration = Duration::from_secs(10);
/// Weight of the newest refresh in the running mean of the cost.
const EWMA: f64 = 0.25;
/// A paced interval shrinks again only when the cost would allow one step less with this
/// margin, so that noise does not make it swing back and forth.
const SHRINK_MARGIN: f64 = 0.85;

#[derive(Debug, Clone, PartialEq)]
pub struct Pacer {
    adaptive: bool,
    /// Running mean of the server time of one refresh's read of the sessions, in µs.
    cost_us: Option<f64>,
    /// The interval in effect, and the one asked for when it was set.
    every: Option<(Duration, Duration)>,
}

impl Pacer {
    /// `adaptive` false keeps the interval asked for whatever a refresh costs.
    pub fn new(adaptive: bool) -> Pacer {
        Pacer {
            adaptive,
            cost_us: None,
            every: None,
        }
    }

    /// Mean server time of one refresh, once measured.
    pub fn cost_us(&self) -> Option<f64> {
        self.cost_us
    }

    /// Records one refresh: the server time of its read of `sessions` sessions, and what the
    /// sampler spends per second besides. Returns the interval to refresh at.
    pub fn observe(
        &mut self,
        asked: Duration,
        server_us: f64,
        sessions: usize,
        sampler_us_per_s: f64,
    ) -> Duration {
        // A clock stepped back during the read (NTP, a resumed VM) gives nonsense: skip it.
        if !server_us.is_finite() || server_us < 0.0 {
            return self.every(asked);
        }
        let cost = self
            .cost_us
            .map_or(server_us, |c| c + EWMA * (server_us - c));
        self.cost_us = Some(cost);
        let every = if self.adaptive {
            let room =
                (AIM * budget_us(sessions) - sampler_us_per_s - OVERHEAD_US).max(OVERHEAD_US);
            let stretched = round_up(secs(cost / room)).clamp(asked, asked.max(LONGEST));
            match self.every {
                // Shrink only with a margin below a paced interval; a new interval asked for
                // starts afresh.
                Some((cur, was_asked)) if was_asked == asked && stretched < cur && cur > asked => {
                    let relaxed = secs(cost / (room * SHRINK_MARGIN));
                    round_up(relaxed).clamp(stretched, cur)
                }
                _ => stretched,
            }
        } else {
            asked
        };
        self.every = Some((every, asked));
        every
    }

    /// The interval now: the one asked for, or longer while paced for it.
    pub fn every(&self, asked: Duration) -> Duration {
        match self.every {
            Some((e, was_asked)) if self.adaptive && was_asked == asked => e,
            _ => asked,
        }
    }

    /// True while refreshes come less often than asked.
    pub fn paced(&self, asked: Duration) -> bool {
        self.every(asked) > asked
    }
}

/// Seconds as a duration; what cannot be one (too large) is the longest interval.
fn secs(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or(LONGEST)
}

fn round_up(d: Duration) -> Duration {
    let steps = d.as_nanos().div_ceil(STEP.as_nanos());
    STEP * u32::try_from(steps).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: Duration = Duration::from_secs(1);

    #[test]
    fn budget_follows_the_session_count() {
        assert!((budget_us(10) - 1_000.0).abs() < 1e-9);
        assert!((budget_us(1_000) - 3_000.0).abs() < 1e-9);
        assert!((budget_us(525) - 2_000.0).abs() < 1e-9);
        assert!((budget_us(10_000) - 3_000.0).abs() < 1e-9);
    }

    #[test]
    fn cheap_refreshes_keep_the_interval_asked_for() {
        let mut p = Pacer::new(true);
        for _ in 0..10 {
            assert_eq!(p.observe(SEC, 300.0, 50, 400.0), SEC);
        }
        // Faster than a second is fine when it is cheap.
        let quarter = Duration::from_millis(250);
        let mut p = Pacer::new(true);
        assert_eq!(p.observe(quarter, 50.0, 10, 0.0), quarter);
        // But four reads a second of 300 µs are over the 1 ms budget at 50 sessions.
        let mut p = Pacer::new(true);
        assert_eq!(
            p.observe(quarter, 300.0, 50, 0.0),
            Duration::from_millis(500)
        );
    }

    #[test]
    fn dear_refreshes_stretch_it_in_quarter_seconds() {
        let mut p = Pacer::new(true);
        // 4.5 ms per read at 1,000 sessions, room 2.55 ms/s: 1.76 s, rounded up.
        let every = p.observe(SEC, 4_500.0, 1_000, 0.0);
        assert_eq!(every, Duration::from_secs(2));
        assert_eq!(p.every(SEC), every);
        // Never past the longest interval.
        assert_eq!(p.observe(SEC, 1e6, 1_000, 0.0), LONGEST);
        // Unless asked for a longer one.
        let mut p = Pacer::new(true);
        assert_eq!(p.observe(SEC * 30, 1e6, 1_000, 0.0), SEC * 30);
    }

    #[test]
    fn shrinks_back_only_with_a_margin() {
        let mut p = Pacer::new(true);
        assert_eq!(
            p.observe(SEC, 4_000.0, 1_000, 0.0),
            Duration::from_millis(1_750)
        );
        // Slightly cheaper: 1.5 s would fit, but not with the margin.
        for _ in 0..20 {
            p.observe(SEC, 3_600.0, 1_000, 0.0);
        }
        assert_eq!(p.every(SEC), Duration::from_millis(1_750));
        // Much cheaper: back to the interval asked for.
        for _ in 0..20 {
            p.observe(SEC, 500.0, 1_000, 0.0);
        }
        assert_eq!(p.every(SEC), SEC);
    }

    #[test]
    fn nonsense_readings_are_skipped() {
        let mut p = Pacer::new(true);
        assert_eq!(
            p.observe(SEC, 4_000.0, 1_000, 0.0),
            Duration::from_millis(1_750)
        );
        for bad in [-5_000.0, f64::NAN, f64::INFINITY] {
            assert_eq!(
                p.observe(SEC, bad, 1_000, 0.0),
                Duration::from_millis(1_750)
            );
        }
        assert!((p.cost_us().unwrap() - 4_000.0).abs() < 1e-9);
        // A dear sampler cannot make the room negative either.
        assert_eq!(p.observe(SEC, 4_000.0, 1_000, 1e9), LONGEST);
    }

    #[test]
    fn a_new_interval_asked_for_starts_afresh() {
        let mut p = Pacer::new(true);
        // Paced at 5 s asked for, then 1 s asked for: no margin carried over from 5 s.
        assert_eq!(p.observe(SEC * 5, 2_500.0, 1_000, 0.0), SEC * 5);
        assert!(!p.paced(SEC * 5));
        assert_eq!(p.every(SEC), SEC);
        assert_eq!(p.observe(SEC, 2_500.0, 1_000, 0.0), SEC);
        assert!(!p.paced(SEC));
    }

    #[test]
    fn fixed_keeps_the_interval_whatever_it_costs() {
        let mut p = Pacer::new(false);
        assert_eq!(p.observe(SEC, 1e6, 1_000, 0.0), SEC);
        assert_eq!(p.every(SEC), SEC);
        assert!(p.cost_us().is_some());
    }
}
