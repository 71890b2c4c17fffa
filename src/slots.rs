//! Connection slots: how many of `max_connections` are taken, by what, and how close to the
//! limit that is. One definition of the warning and danger levels for the header and the
//! Connections pane.

use crate::snapshot::{Backend, Capabilities};

/// Share of `max_connections` in use from which the count is shown as a warning.
pub const WARNING_RATIO: f64 = 0.80;
/// Share from which it is shown as danger: new ordinary logins are about to be refused.
pub const DANGER_RATIO: f64 = 0.95;

/// What pg_stat_activity shows instead of the query of a session we may not see.
pub const HIDDEN_QUERY: &str = "<insufficient privilege>";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Normal,
    Warning,
    Danger,
}

/// Shares of `max_connections` from which the count is a warning and a danger (config file
/// `[thresholds]`; the defaults are the constants above).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub warning: f64,
    pub danger: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warning: WARNING_RATIO,
            danger: DANGER_RATIO,
        }
    }
}

impl Thresholds {
    /// The alarm level of `used` slots out of `max`.
    pub fn level(&self, used: i32, max: i32) -> Level {
        let ratio = f64::from(used) / f64::from(max.max(1));
        if ratio >= self.danger {
            Level::Danger
        } else if ratio >= self.warning {
            Level::Warning
        } else {
            Level::Normal
        }
    }
}

/// The alarm level of `used` slots out of `max` at the default thresholds.
pub fn level(used: i32, max: i32) -> Level {
    Thresholds::default().level(used, max)
}

/// Another user's session we lack the privilege to see: state, client, type and start are NULL.
pub fn is_hidden(b: &Backend) -> bool {
    b.query == HIDDEN_QUERY && b.backend_type.is_empty()
}

/// A hidden session that may hold a client slot: client backends always have a database and a
/// user. (Parallel workers and logical walsenders look the same from outside; they are the
/// rare exception, so the count is an upper bound.)
pub fn maybe_client(b: &Backend) -> bool {
    is_hidden(b) && b.datname.is_some() && b.usename.is_some()
}

/// A session that counts against `max_connections`, as far as we can tell.
pub fn holds_slot(b: &Backend) -> bool {
    b.is_client() || maybe_client(b)
}

/// Slots used: the sessions that hold one, plus our own (not in the list). An upper bound when
/// some sessions are hidden.
pub fn used(backends: &[Backend]) -> i32 {
    let n = backends.iter().filter(|b| holds_slot(b)).count();
    i32::try_from(n).unwrap_or(i32::MAX).saturating_add(1)
}

/// Every process on the server, split by what it is, against the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Visible client backends, our own session included.
    pub clients: i32,
    /// Hidden sessions that may be clients (see [`maybe_client`]).
    pub hidden_clients: i32,
    /// All hidden sessions, clients or not.
    pub hidden: i32,
    /// WAL senders: they use `max_wal_senders`, not client slots.
    pub replication: i32,
    /// Autovacuum, background workers, parallel workers and auxiliary processes.
    pub background: i32,
    pub max_connections: i32,
    pub superuser_reserved: i32,
    /// `reserved_connections` (16+; `None` before).
    pub reserved: Option<i32>,
}

impl Usage {
    pub fn compute(backends: &[Backend], caps: &Capabilities) -> Usage {
        let mut u = Usage {
            clients: 1,
            max_connections: caps.max_connections,
            superuser_reserved: caps.superuser_reserved_connections,
            reserved: caps.reserved_connections,
            ..Usage::default()
        };
        for b in backends {
            if b.is_client() {
                u.clients += 1;
            } else if is_hidden(b) {
                u.hidden += 1;
                u.hidden_clients += i32::from(maybe_client(b));
            } else if b.backend_type == "walsender" {
                u.replication += 1;
            } else {
                u.background += 1;
            }
        }
        u
    }

    /// Slots used, counting every hidden session that may be a client.
    pub fn used(&self) -> i32 {
        self.clients.saturating_add(self.hidden_clients)
    }

    /// Slots a role without superuser or `pg_use_reserved_connections` can take in all.
    pub fn ordinary_limit(&self) -> i32 {
        self.max_connections - self.superuser_reserved - self.reserved.unwrap_or(0)
    }

    /// Slots still free for ordinary roles (never negative).
    pub fn ordinary_free(&self) -> i32 {
        (self.ordinary_limit() - self.used()).max(0)
    }

    /// The alarm level at the default thresholds.
    pub fn level(&self) -> Level {
        self.level_at(&Thresholds::default())
    }

    pub fn level_at(&self, thresholds: &Thresholds) -> Level {
        thresholds.level(self.used(), self.max_connections)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc(kind: &str) -> Backend {
        Backend {
            backend_type: kind.into(),
            ..Backend::default()
        }
    }

    fn hidden(db: Option<&str>, user: Option<&str>) -> Backend {
        Backend {
            datname: db.map(Into::into),
            usename: user.map(Into::into),
            query: HIDDEN_QUERY.into(),
            ..Backend::default()
        }
    }

    #[test]
    fn levels_at_the_thresholds() {
        assert_eq!(level(79, 100), Level::Normal);
        assert_eq!(level(80, 100), Level::Warning);
        assert_eq!(level(94, 100), Level::Warning);
        assert_eq!(level(95, 100), Level::Danger);
        assert_eq!(level(3, 0), Level::Danger);
    }

    #[test]
    fn usage_splits_clients_replication_background_and_hidden() {
        let caps = Capabilities {
            max_connections: 20,
            superuser_reserved_connections: 3,
            reserved_connections: Some(2),
            ..Capabilities::default()
        };
        let backends = vec![
            proc("client backend"),
            proc("client backend"),
            proc("walsender"),
            proc("checkpointer"),
            proc("autovacuum launcher"),
            hidden(Some("shop"), Some("app")),
            hidden(None, Some("postgres")),
            hidden(None, None),
        ];
        let u = Usage::compute(&backends, &caps);
        assert_eq!((u.clients, u.hidden_clients, u.hidden), (3, 1, 3));
        assert_eq!((u.replication, u.background), (1, 2));
        assert_eq!(u.used(), 4);
        assert_eq!(used(&backends), 4);
        assert_eq!(u.ordinary_limit(), 15);
        assert_eq!(u.ordinary_free(), 11);
        assert_eq!(u.level(), Level::Normal);
    }
}
