//! One server of the fleet as its collector publishes it: the latest good read, rates over the
//! last two, a short TPS history, the role at first contact, and the link with the time it went
//! down. Plain owned data; the collector keeps it across reads and reconnects, so the fleet
//! screen loses nothing while a server is opened in the full UI.

use std::collections::VecDeque;
use std::time::Duration;

use crate::failure::Failure;
use crate::panes::replication::data::Summary;
use crate::rates::{self, Rates};
use crate::snapshot::{Link, Micros, PaneError, ServerInfo};

/// Points of the TPS sparkline.
pub const HISTORY: usize = 8;

/// What the sessions do, aggregated on the server (`sql/load.sql`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Load {
    /// Client backends, of `max_connections`.
    pub conns: i64,
    pub active: i64,
    pub idle_tx: i64,
    /// The oldest idle-in-transaction session's time in that state.
    pub idle_tx_us: Option<i64>,
    pub lock_waits: i64,
    /// The longest lock wait, measured from its query's start.
    pub lock_wait_us: Option<i64>,
    /// The longest running query (active client backends, pgscope's own left out).
    pub longest_us: Option<i64>,
    /// The oldest database's `age(datfrozenxid)`.
    pub xid_age: Option<i64>,
    /// The xmin horizon's age: sessions, slots and prepared transactions.
    pub xmin_age: Option<i64>,
}

/// One read of a PostgreSQL server: the header's facts, its replication summary and the load.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub info: ServerInfo,
    pub replication: Result<Summary, PaneError>,
    pub load: Result<Load, PaneError>,
}

/// One read of a PgBouncer admin console, summed over its pools.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pooling {
    /// `SHOW VERSION`, raw pooler text.
    pub version: String,
    pub pools: Option<usize>,
    /// Clients queued for a server connection.
    pub waiting: Option<i64>,
    /// The oldest waiting client's wait.
    pub maxwait_us: Option<i64>,
    /// Server connections in use (active, idle, used, tested, login).
    pub servers: Option<i64>,
    /// Why SHOW POOLS failed, if it did.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Postgres(Box<Reading>),
    Pooler(Pooling),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: String,
    pub group: Option<String>,
    pub link: Link,
    /// The latest good read (kept, shown as of then, while the server is down).
    pub data: Option<Data>,
    /// `pg_control_system()`'s identifier, read once per connection: servers that share it are
    /// one cluster. `Err`: not readable (it needs pg_monitor or superuser).
    pub system_id: Option<Result<String, PaneError>>,
    /// Client clock of the latest good read.
    pub last_good: Option<Micros>,
    /// Client clock of the first failure since the last good read.
    pub down_since: Option<Micros>,
    pub rates: Option<Rates>,
    /// TPS of the last reads, oldest first.
    pub tps: VecDeque<f64>,
    /// In recovery at the first good read: a standby then and a primary now was promoted.
    pub started_standby: Option<bool>,
    /// The interval reads are made at (STALE is measured against it).
    pub every: Duration,
}

impl Member {
    pub fn new(name: &str, group: Option<&str>, every: Duration) -> Member {
        Member {
            name: name.to_owned(),
            group: group.map(str::to_owned),
            link: Link::Connecting,
            data: None,
            system_id: None,
            last_good: None,
            down_since: None,
            rates: None,
            tps: VecDeque::with_capacity(HISTORY),
            started_standby: None,
            every,
        }
    }

    /// A good read of a PostgreSQL server at client time `now`.
    pub fn observe(&mut self, reading: Reading, now: Micros) {
        if let Some(Data::Postgres(prev)) = &self.data {
            self.rates = rates::compute(&prev.info, &reading.info);
            if let Some(r) = self.rates {
                if self.tps.len() == HISTORY {
                    self.tps.pop_front();
                }
                self.tps.push_back(r.tps);
            }
        }
        self.started_standby.get_or_insert(reading.info.in_recovery);
        self.data = Some(Data::Postgres(Box::new(reading)));
        self.good(now);
    }

    /// A good read of a PgBouncer console.
    pub fn observe_pooler(&mut self, pooling: Pooling, now: Micros) {
        self.data = Some(Data::Pooler(pooling));
        self.good(now);
    }

    fn good(&mut self, now: Micros) {
        self.link = Link::Connected;
        self.last_good = Some(now);
        self.down_since = None;
    }

    /// The connection failed or could not be made; the next attempt is in `retry_in`.
    pub fn down(&mut self, cause: Failure, retry_in: Duration, now: Micros) {
        self.down_since.get_or_insert(now);
        self.link = Link::Down { cause, retry_in };
    }

    /// The PostgreSQL read, if the latest data is one.
    pub fn reading(&self) -> Option<&Reading> {
        match &self.data {
            Some(Data::Postgres(r)) => Some(r),
            _ => None,
        }
    }

    pub fn pooling(&self) -> Option<&Pooling> {
        match &self.data {
            Some(Data::Pooler(p)) => Some(p),
            _ => None,
        }
    }

    /// The latest data is older than max(2 × interval, 3 s), as for one server.
    pub fn is_stale(&self, now: Micros) -> bool {
        let limit = (2 * self.every).max(Duration::from_secs(3)).as_micros() as i64;
        self.last_good
            .is_some_and(|t| now.saturating_sub(t) > limit)
    }

    /// A standby at first contact that is a primary now.
    pub fn promoted(&self) -> bool {
        self.started_standby == Some(true) && self.reading().is_some_and(|r| !r.info.in_recovery)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(now: Micros, xacts: i64, in_recovery: bool) -> Reading {
        Reading {
            info: ServerInfo {
                in_recovery,
                now,
                xacts,
                ..ServerInfo::default()
            },
            replication: Err(PaneError {
                sqlstate: None,
                message: "x".into(),
            }),
            load: Ok(Load::default()),
        }
    }

    #[test]
    fn tps_history_keeps_the_last_points_and_promotion_is_seen() {
        let mut m = Member::new("a", None, Duration::from_secs(1));
        for i in 0..12 {
            m.observe(reading(i * 1_000_000, i * 10, i < 5), i);
        }
        assert_eq!(m.tps.len(), HISTORY);
        assert!((m.tps[0] - 10.0).abs() < 1e-9);
        assert!(m.promoted());
    }

    #[test]
    fn down_keeps_the_first_failure_time_until_a_good_read() {
        let mut m = Member::new("a", None, Duration::from_secs(1));
        m.down(
            Failure::new(crate::failure::Kind::Connection, "x"),
            Duration::ZERO,
            5,
        );
        m.down(
            Failure::new(crate::failure::Kind::Connection, "y"),
            Duration::ZERO,
            9,
        );
        assert_eq!(m.down_since, Some(5));
        m.observe(reading(1, 1, false), 10);
        assert_eq!(m.down_since, None);
        assert!(!m.is_stale(10 + 3_000_000));
        assert!(m.is_stale(10 + 3_000_001));
    }
}
