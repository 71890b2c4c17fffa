//! The wait sampler: a light activity query on the monitoring connection, several times per
//! refresh, between refreshes (never overlapping one, never queued: a missed sample is skipped).
//! Samples go into [`History`]; the Waits pane gets a summary with the snapshot while shown.
//! Every refresh is a sample too (it reads every session anyway), so the sampler only adds
//! resolution between refreshes. The statement measures its own server time; the rate halves
//! while a sample costs more than its share of pgscope's budget, and climbs back when there is
//! room again. When even [`MIN_RATE_HZ`] is over the share (thousands of sessions), extra samples
//! pause: the refreshes keep the history going, and a probe now and then re-measures the cost.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::time::{Interval, MissedTickBehavior};
use tokio_postgres::Row;

use super::gate::Gate;
use super::history::{History, SampleRow, Sampled, TEXT_CHARS};
use super::rows::{get, pane_error, text};
use super::session::{DEADLINE, Session};
use crate::failure::Failure;
use crate::panes::waits::data::{SamplerStatus, Waits};
use crate::snapshot::{Backend, Capabilities, PaneError, Snapshot, Transport};

pub const DEFAULT_RATE_HZ: f64 = 10.0;
/// The range `--sample-rate` accepts; backing off never goes below the floor.
pub const MIN_RATE_HZ: f64 = 0.5;
pub const MAX_RATE_HZ: f64 = 50.0;
/// Below the range a user can ask for, extra samples add little to the refresh's own: the
/// sampler pauses and only probes its cost this often, to resume when sessions get fewer.
const PROBE_HZ: f64 = 1.0 / 30.0;
pub const DEFAULT_WINDOW_SECS: u32 = 15 * 60;

/// The sampler's share of pgscope's server-time budget per second (1 ms at 50 sessions, 3 ms
/// at 1,000). It stays at 0.5 ms as sessions grow: the refresh's one read of every session
/// grows with them and needs the rest.
const SAMPLER_BUDGET_US: f64 = 500.0;
/// Weight of the newest sample in the running mean of the cost.
const EWMA: f64 = 0.2;
/// Samples before the cost is trusted (the first executions of a prepared statement plan it).
const WARM_UP: u64 = 3;
/// Seconds the cost must stay low before the rate doubles back.
const CALM_SECS: f64 = 30.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Samples per second; 0 turns the sampler off.
    pub rate_hz: f64,
    pub window_secs: u32,
    /// The server's CPU cores, when the user knows them.
    pub cores: Option<u32>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rate_hz: DEFAULT_RATE_HZ,
            window_secs: DEFAULT_WINDOW_SECS,
            cores: None,
        }
    }
}

pub struct Sampler {
    cfg: Config,
    rate_hz: f64,
    ticker: Option<Interval>,
    history: History,
    gate: Gate,
    seq: u64,
    server_us: Option<f64>,
    round_trip_us: Option<f64>,
    /// Samples in a row that cost under half the budget at twice the rate.
    calm: u32,
    /// Refreshes per second, each of which is a sample too.
    refresh_hz: f64,
    refresh_samples: u64,
    error: Option<PaneError>,
}

impl Sampler {
    pub fn new(cfg: Config) -> Sampler {
        let rate_hz = if cfg.rate_hz > 0.0 {
            cfg.rate_hz.clamp(MIN_RATE_HZ, MAX_RATE_HZ)
        } else {
            0.0
        };
        Sampler {
            cfg,
            rate_hz,
            ticker: None,
            history: History::new(cfg.window_secs),
            gate: Gate::default(),
            seq: 0,
            server_us: None,
            round_trip_us: None,
            calm: 0,
            refresh_hz: 0.0,
            refresh_samples: 0,
            error: None,
        }
    }

    pub fn enabled(&self) -> bool {
        self.rate_hz > 0.0
    }

    /// Samples per second now (after any back-off).
    pub fn rate_hz(&self) -> f64 {
        self.rate_hz
    }

    /// Server time the extra samples take per second, in µs (0 before the first).
    pub fn spend_us_per_s(&self) -> f64 {
        if self.enabled() {
            self.server_us.unwrap_or(0.0) * self.rate_hz
        } else {
            0.0
        }
    }

    /// True while extra samples cost too much to be worth it and only the refreshes sample.
    pub fn paused(&self) -> bool {
        self.enabled() && self.rate_hz < MIN_RATE_HZ
    }

    /// Resolves at the next sample time; never when the sampler is off.
    pub async fn tick(&mut self) {
        if !self.enabled() {
            return std::future::pending().await;
        }
        let period = Duration::from_secs_f64(1.0 / self.rate_hz);
        // The first tick one period out: a new rate (a pause, say) takes effect without an
        // extra sample at once.
        let ticker = self.ticker.get_or_insert_with(|| {
            let mut t = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            t.set_missed_tick_behavior(MissedTickBehavior::Skip);
            t
        });
        ticker.tick().await;
    }

    /// Takes one sample. `Err` means the connection is unusable (lost, or frozen past the
    /// deadline); a failing statement only backs off and shows its error.
    pub async fn sample(&mut self, s: &Session) -> Result<(), Failure> {
        let at = SystemTime::now();
        let started = Instant::now();
        self.seq += 1;
        let stmt = s.sampler.as_ref().map_err(Clone::clone);
        let chars = TEXT_CHARS as i32;
        let work = self.gate.run(self.seq, async {
            let stmt = stmt?;
            s.client
                .query(stmt, &[&chars])
                .await
                .map_err(|e| pane_error(&e))
        });
        let work = tracing::Instrument::instrument(work, tracing::debug_span!("sampler"));
        let Ok(result) = tokio::time::timeout(DEADLINE, work).await else {
            return Err(super::link::no_answer(DEADLINE));
        };
        if s.client.is_closed() {
            return Err(super::link::lost(result.err().as_ref()));
        }
        let round_trip = started.elapsed().as_secs_f64() * 1e6;
        match result.and_then(|rows| parse(&rows)) {
            Ok((rows, server_us)) => {
                self.error = None;
                let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
                self.history
                    .record(i64::try_from(secs).unwrap_or(i64::MAX), &rows);
                self.observe_cost(server_us.unwrap_or(round_trip), round_trip);
            }
            Err(e) => self.error = Some(e),
        }
        Ok(())
    }

    fn observe_cost(&mut self, server_us: f64, round_trip_us: f64) {
        let mix = |old: Option<f64>, new: f64| Some(old.map_or(new, |o| o + EWMA * (new - o)));
        self.server_us = mix(self.server_us, server_us);
        self.round_trip_us = mix(self.round_trip_us, round_trip_us);
        if self.seq <= WARM_UP {
            self.server_us = Some(server_us.min(self.server_us.unwrap_or(server_us)));
            return;
        }
        let cost = self.server_us.unwrap_or(server_us);
        let budget = self.budget_us();
        if cost * self.rate_hz > budget && self.rate_hz > PROBE_HZ {
            // Straight to what the share affords, at least halving.
            let next = (self.rate_hz / 2.0).min(budget / cost);
            self.set_rate(if next < MIN_RATE_HZ { PROBE_HZ } else { next });
        } else if self.paused() {
            // Probes are far apart: the newest one alone decides, and one that fits the share
            // at the lowest rate resumes sampling.
            if server_us * MIN_RATE_HZ <= budget / 2.0 {
                self.server_us = Some(server_us);
                self.set_rate(MIN_RATE_HZ);
            }
        } else if self.rate_hz < self.wanted_hz() && cost * self.rate_hz * 2.0 <= budget / 2.0 {
            self.calm += 1;
            if f64::from(self.calm) >= CALM_SECS * self.rate_hz {
                self.set_rate((self.rate_hz * 2.0).min(self.wanted_hz()));
            }
        } else {
            self.calm = 0;
        }
    }

    fn wanted_hz(&self) -> f64 {
        self.cfg.rate_hz.clamp(MIN_RATE_HZ, MAX_RATE_HZ)
    }

    fn set_rate(&mut self, hz: f64) {
        tracing::info!(
            from_hz = self.rate_hz,
            to_hz = hz,
            server_us = self.server_us,
            budget_us = self.budget_us(),
            "sampler: rate changed"
        );
        self.rate_hz = hz;
        self.ticker = None;
        self.calm = 0;
    }

    /// The sampler's share of the server-time budget per second, in µs.
    pub fn budget_us(&self) -> f64 {
        SAMPLER_BUDGET_US
    }

    /// Called with every new snapshot: its sessions are a sample (the same rows the sample
    /// statement returns: sessions with a state other than idle), and the Waits pane gets the
    /// summary while shown. `interval` is the refresh interval.
    pub fn observe(&mut self, snapshot: &Snapshot, interval: Duration) {
        self.refresh_hz = 1.0 / interval.as_secs_f64().max(1e-3);
        // Off means no history; the pane still gets the summary that says so.
        if self.enabled()
            && let Ok(activity) = &snapshot.activity
        {
            // The rows the sample statement would return: sessions with a state but idle.
            let rows = activity
                .backends
                .iter()
                .filter(|b| b.state.as_deref().is_some_and(|s| s != "idle"));
            self.refresh_samples += 1;
            self.history
                .record(snapshot.taken_at.div_euclid(1_000_000), rows);
        }
    }

    /// The history as the pane shows it, as of `now` (Unix seconds).
    pub fn summary(&self, caps: &Capabilities, now: i64) -> Waits {
        let (seconds, windows) = self.history.summary(now);
        // A server on a local socket shares this machine's cores.
        let local = (caps.transport == Transport::Socket)
            .then(|| std::thread::available_parallelism().ok())
            .flatten()
            .and_then(|n| u32::try_from(n.get()).ok());
        Waits {
            sampler: SamplerStatus {
                enabled: self.enabled(),
                rate_hz: if self.enabled() {
                    self.wanted_hz()
                } else {
                    0.0
                },
                effective_hz: self.rate_hz,
                paused: self.paused(),
                refresh_hz: self.refresh_hz,
                server_us: self.server_us,
                round_trip_us: self.round_trip_us,
                budget_us: self.budget_us(),
                samples: self.seq + self.refresh_samples,
                error: self.error.clone(),
                window_secs: self.history.window(),
            },
            seconds,
            windows,
            cores: self.cfg.cores.or(local),
        }
    }
}

impl Sampled for Backend {
    fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }
    fn wait_event_type(&self) -> Option<&str> {
        self.wait_event_type.as_deref()
    }
    fn wait_event(&self) -> Option<&str> {
        self.wait_event.as_deref()
    }
    fn datname(&self) -> Option<&str> {
        self.datname.as_deref()
    }
    fn usename(&self) -> Option<&str> {
        self.usename.as_deref()
    }
    fn text(&self) -> &str {
        &self.query
    }
    fn query_id(&self) -> Option<i64> {
        self.query_id
    }
}

/// The sessions, and the server time from the statement's last row.
fn parse(rows: &[Row]) -> Result<(Vec<SampleRow>, Option<f64>), PaneError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut server_us = None;
    for row in rows {
        if let Some(us) = get::<Option<f64>>(row, "server_us")? {
            server_us = Some(us);
            continue;
        }
        out.push(SampleRow {
            state: text(row, "state")?,
            wait_event_type: text(row, "wait_event_type")?,
            wait_event: text(row, "wait_event")?,
            datname: text(row, "datname")?,
            usename: text(row, "usename")?,
            query: text(row, "query")?.unwrap_or_default(),
            query_id: get(row, "query_id")?,
        });
    }
    Ok((out, server_us))
}

impl super::pane::WaitHistory for Sampler {
    fn summary(&self, caps: &Capabilities, now: i64) -> Waits {
        Sampler::summary(self, caps, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(s: &mut Sampler, server_us: f64, n: usize) {
        for _ in 0..n {
            s.seq += 1;
            s.observe_cost(server_us, server_us * 3.0);
        }
    }

    #[test]
    fn backs_off_when_over_budget_and_climbs_back() {
        let mut s = Sampler::new(Config::default());
        assert!((s.budget_us() - 500.0).abs() < 1e-9);
        // 100 µs a sample at 10/s is 1 ms/s: twice the sampler's share.
        feed(&mut s, 100.0, 20);
        assert!((s.rate_hz() - 5.0).abs() < 1e-9, "{}", s.rate_hz());
        // Cheap again: back to 10/s only after a calm half minute.
        feed(&mut s, 10.0, 100);
        assert!((s.rate_hz() - 5.0).abs() < 1e-9);
        feed(&mut s, 10.0, 100);
        assert!((s.rate_hz() - 10.0).abs() < 1e-9);
        // Too dear even at the lowest rate: paused, probing now and then.
        feed(&mut s, 1e6, 50);
        assert!(s.paused());
        assert!((s.rate_hz() - PROBE_HZ).abs() < 1e-9);
        // A cheap probe resumes at the lowest rate.
        feed(&mut s, 10.0, 1);
        assert!(!s.paused());
        assert!((s.rate_hz() - MIN_RATE_HZ).abs() < 1e-9);
    }

    #[test]
    fn jumps_to_what_the_share_affords() {
        let mut s = Sampler::new(Config::default());
        // 400 µs a sample: the 0.5 ms share affords 1.25/s, not just half of 10/s.
        feed(&mut s, 400.0, 4);
        assert!((s.rate_hz() - 1.25).abs() < 1e-9, "{}", s.rate_hz());
        // 3 ms a sample (about 1,000 sessions): paused at once.
        let mut s = Sampler::new(Config::default());
        feed(&mut s, 3_000.0, 4);
        assert!(s.paused());
    }

    #[test]
    fn off_means_off() {
        let s = Sampler::new(Config {
            rate_hz: 0.0,
            ..Config::default()
        });
        assert!(!s.enabled());
    }
}
