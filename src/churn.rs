//! Connection churn from two consecutive snapshots, and how old the connections are: a pure
//! function, on the server's clock. Many young connections are the sign of an application
//! without a pool.

use crate::slots::holds_slot;
use crate::snapshot::{Activity, Backend, Micros};

const SECOND: Micros = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Churn {
    /// Client connections that started since the previous snapshot and are still there.
    pub new: usize,
    /// `new` per second of server time between the two snapshots. Connections that started and
    /// ended between two refreshes are not seen, so this is a lower bound.
    pub per_sec: f64,
}

/// `None` when the two snapshots cannot be compared (same or reversed server clock).
pub fn compute(prev: &Activity, cur: &Activity) -> Option<Churn> {
    let span = cur.now - prev.now;
    if span <= 0 {
        return None;
    }
    // A connection that started after the previous snapshot's clock but before its list was
    // read is already known: skip it by identity.
    let known: Vec<(i32, Micros)> = prev
        .backends
        .iter()
        .filter_map(|b| {
            b.backend_start
                .filter(|&t| t > prev.now)
                .map(|t| (b.pid, t))
        })
        .collect();
    let new = cur
        .backends
        .iter()
        .filter(|b| b.is_client())
        .filter_map(|b| b.backend_start.map(|t| (b.pid, t)))
        .filter(|&(pid, t)| t > prev.now && t <= cur.now && !known.contains(&(pid, t)))
        .count();
    Some(Churn {
        new,
        per_sec: new as f64 / (span as f64 / SECOND as f64),
    })
}

/// How many client connections are younger than 1 s, 1 min, 1 h, and older.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ages {
    pub under_second: usize,
    pub under_minute: usize,
    pub under_hour: usize,
    pub older: usize,
    /// Hidden sessions: their start time is not visible.
    pub unknown: usize,
}

impl Ages {
    pub fn compute(backends: &[Backend], now: Micros) -> Ages {
        let mut a = Ages::default();
        for b in backends.iter().filter(|b| holds_slot(b)) {
            match b.backend_start.map(|t| now - t) {
                None => a.unknown += 1,
                Some(age) if age < SECOND => a.under_second += 1,
                Some(age) if age < 60 * SECOND => a.under_minute += 1,
                Some(age) if age < 3_600 * SECOND => a.under_hour += 1,
                Some(_) => a.older += 1,
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(pid: i32, start: Micros) -> Backend {
        Backend {
            pid,
            backend_type: "client backend".into(),
            backend_start: Some(start),
            ..Backend::default()
        }
    }

    fn activity(now: Micros, backends: Vec<Backend>) -> Activity {
        Activity {
            now,
            backends,
            own_pid: 0,
        }
    }

    #[test]
    fn counts_connections_started_between_the_snapshots() {
        let prev = activity(10 * SECOND, vec![client(1, 0), client(2, 10 * SECOND + 5)]);
        let mut worker = client(9, 11 * SECOND);
        worker.backend_type = "parallel worker".into();
        let cur = activity(
            12 * SECOND,
            vec![
                client(1, 0),
                client(2, 10 * SECOND + 5),
                client(3, 11 * SECOND),
                client(4, 12 * SECOND),
                worker,
            ],
        );
        let c = compute(&prev, &cur).unwrap();
        assert_eq!(c.new, 2);
        assert!((c.per_sec - 1.0).abs() < 1e-9);
        assert!(compute(&cur, &prev).is_none());
    }

    #[test]
    fn age_buckets() {
        let now = 10_000 * SECOND;
        let mut hidden = Backend {
            datname: Some("shop".into()),
            usename: Some("app".into()),
            query: crate::slots::HIDDEN_QUERY.into(),
            ..Backend::default()
        };
        let ages = Ages::compute(
            &[
                client(1, now - SECOND / 2),
                client(2, now - SECOND),
                client(3, now - 59 * SECOND),
                client(4, now - 3_599 * SECOND),
                client(5, now - 3_600 * SECOND),
                hidden.clone(),
            ],
            now,
        );
        assert_eq!(
            ages,
            Ages {
                under_second: 1,
                under_minute: 2,
                under_hour: 1,
                older: 1,
                unknown: 1
            }
        );
        hidden.datname = None;
        assert_eq!(Ages::compute(&[hidden], now), Ages::default());
    }
}
