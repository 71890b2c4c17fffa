//! Per-database rates from two consecutive `SHOW STATS` reads: a pure function. PgBouncer keeps
//! its counters per database (every user's pool of it together), since the pooler started.

use super::model::{DbStats, Pooler};

/// Rates over the interval between two reads; `None` where a counter is missing in this
/// version, went down (the pooler restarted) or nothing happened to average over.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DbRates {
    pub database: String,
    pub xact_per_s: Option<f64>,
    pub query_per_s: Option<f64>,
    /// Mean transaction and query duration over the interval, µs.
    pub avg_xact_us: Option<f64>,
    pub avg_query_us: Option<f64>,
    /// Mean time a client waited for a server connection, µs: per server assignment (1.21+),
    /// else per transaction (what one assignment is in transaction pooling).
    pub avg_wait_us: Option<f64>,
    pub recv_per_s: Option<f64>,
    pub sent_per_s: Option<f64>,
}

/// Rates of every database in `cur` that `prev` also has. Empty when the reads cannot be
/// compared (same or reversed clock, a section failed).
pub fn compute(prev: &Pooler, cur: &Pooler) -> Vec<DbRates> {
    let secs = (cur.read_at - prev.read_at) as f64 / 1e6;
    let (Ok(before), Ok(now)) = (&prev.stats, &cur.stats) else {
        return Vec::new();
    };
    if secs <= 0.0 {
        return Vec::new();
    }
    now.iter()
        .filter_map(|c| {
            let p = before.iter().find(|p| p.database == c.database)?;
            Some(between(p, c, secs))
        })
        .collect()
}

fn between(p: &DbStats, c: &DbStats, secs: f64) -> DbRates {
    let delta = |f: fn(&DbStats) -> Option<i64>| -> Option<i64> {
        let d = f(c)?.checked_sub(f(p)?)?;
        (d >= 0).then_some(d)
    };
    let per_s = |d: Option<i64>| d.map(|d| d as f64 / secs);
    let mean = |total: Option<i64>, count: Option<i64>| match (total, count) {
        (Some(t), Some(n)) if n > 0 => Some(t as f64 / n as f64),
        _ => None,
    };
    let xacts = delta(|s| s.xact_count);
    let queries = delta(|s| s.query_count);
    let assignments = delta(|s| s.server_assignment_count).or(xacts);
    DbRates {
        database: c.database.clone(),
        xact_per_s: per_s(xacts),
        query_per_s: per_s(queries),
        avg_xact_us: mean(delta(|s| s.xact_time), xacts),
        avg_query_us: mean(delta(|s| s.query_time), queries),
        avg_wait_us: mean(delta(|s| s.wait_time), assignments),
        recv_per_s: per_s(delta(|s| s.received)),
        sent_per_s: per_s(delta(|s| s.sent)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pooler::model::Pooler;

    fn read(at_s: i64, stats: Vec<DbStats>) -> Pooler {
        Pooler {
            version: String::new(),
            read_at: at_s * 1_000_000,
            pools: Ok(Vec::new()),
            stats: Ok(stats),
            clients: Ok(Vec::new()),
            servers: Ok(Vec::new()),
            config: Ok(crate::pooler::model::Config::default()),
            databases: Ok(Vec::new()),
        }
    }

    fn db(xacts: i64, xact_time: i64, wait: i64, assigned: Option<i64>) -> DbStats {
        DbStats {
            database: "shop".into(),
            xact_count: Some(xacts),
            query_count: Some(xacts * 2),
            server_assignment_count: assigned,
            received: Some(xacts * 100),
            sent: Some(0),
            xact_time: Some(xact_time),
            query_time: Some(xact_time),
            wait_time: Some(wait),
        }
    }

    #[test]
    fn rates_over_two_reads() {
        let r = compute(
            &read(10, vec![db(100, 0, 0, None)]),
            &read(12, vec![db(300, 400_000, 1_000_000, None)]),
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].xact_per_s, Some(100.0));
        assert_eq!(r[0].query_per_s, Some(200.0));
        assert_eq!(r[0].avg_xact_us, Some(2_000.0));
        assert_eq!(r[0].avg_wait_us, Some(5_000.0));
        assert_eq!(r[0].recv_per_s, Some(10_000.0));
    }

    #[test]
    fn wait_is_per_assignment_when_known() {
        let r = compute(
            &read(0, vec![db(0, 0, 0, Some(0))]),
            &read(1, vec![db(10, 0, 1_000, Some(4))]),
        );
        assert_eq!(r[0].avg_wait_us, Some(250.0));
    }

    #[test]
    fn restart_or_idle_gives_none_not_zero() {
        let r = compute(
            &read(0, vec![db(500, 10, 10, None)]),
            &read(1, vec![db(3, 10, 10, None)]),
        );
        assert_eq!(r[0].xact_per_s, None, "counters went down: restarted");
        let idle = compute(
            &read(0, vec![db(5, 10, 10, None)]),
            &read(1, vec![db(5, 10, 10, None)]),
        );
        assert_eq!(idle[0].xact_per_s, Some(0.0));
        assert_eq!(idle[0].avg_xact_us, None, "no transaction to average");
        assert!(compute(&read(1, vec![]), &read(1, vec![])).is_empty());
    }
}
