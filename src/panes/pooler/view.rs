//! The Pooler pane's view model: the pooler's newest read, what update derives from it (rates
//! between two reads, saturation, the pairing of clients and servers, the join of server rows
//! to backends), the display order of its lists, and a selection that follows a row's identity
//! (a pool's names, a connection's `ptr` and `connect_time`) across refreshes that reorder them.

use std::sync::Arc;
use std::time::Duration;

use crate::pooler::Pooler;
use crate::pooler::join::Join;
use crate::pooler::link::Links;
use crate::pooler::model::{Conn, Pool};
use crate::pooler::rates::DbRates;
use crate::pooler::saturation::Saturation;
use crate::snapshot::{Link, Micros};

#[derive(Debug, Clone, Default)]
pub struct PoolerView {
    /// A pooler was given (`--pooler`, the config file, or the target itself): the pane is
    /// reachable. Without one, Tab skips it.
    pub configured: bool,
    /// pgscope's own target is the pooler's admin console: there is no database connection,
    /// and the Pooler pane is the only one with data.
    pub only: bool,
    /// The pooler task's connection, apart from the database's.
    pub link: Link,
    /// The read on screen.
    pub latest: Option<Arc<Pooler>>,
    /// Client clock (µs) of the newest read that arrived, paused or not: the pooler's data age.
    pub last_read: Option<Micros>,
    pub rates: Vec<DbRates>,
    pub saturation: Option<Saturation>,
    /// One outcome per server row of `latest`, against the shown Activity snapshot.
    pub join: Join,
    /// Which client holds which server, by index into `latest`'s lists.
    pub links: Links,
    /// Pools in display order (indices into `latest.pools`): most waiting first.
    pub pool_order: Vec<usize>,
    /// Clients in display order (indices into `latest.clients`): waiting ones first, longest
    /// wait first. Servers keep the pooler's order, which `join` is indexed by.
    pub client_order: Vec<usize>,
    /// Selectable rows in display order: pools, servers, clients.
    pub rows: Vec<RowKey>,
    /// Server rows in `rows` (0 when SHOW SERVERS failed).
    pub server_rows: usize,
    pub selected: Option<RowKey>,
    pub cursor: usize,
}

/// A connection's identity: PgBouncer's `ptr` is the address of its struct, reused after the
/// connection closes, so the time it connected is part of the key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConnKey {
    pub ptr: Option<String>,
    pub connect_time: Option<String>,
}

impl ConnKey {
    pub fn of(c: &Conn) -> ConnKey {
        ConnKey {
            ptr: c.ptr.clone(),
            connect_time: c.connect_time.clone(),
        }
    }
}

/// A selectable row, by what it is rather than where it is drawn.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RowKey {
    Pool { database: String, user: String },
    Server(ConnKey),
    Client(ConnKey),
}

impl RowKey {
    pub fn pool(p: &Pool) -> RowKey {
        RowKey::Pool {
            database: p.database.clone(),
            user: p.user.clone(),
        }
    }
}

/// Data older than this is STALE, as for the database: max(2 x interval, 3 s).
pub fn stale_after(every: Duration) -> Micros {
    (2 * every).max(Duration::from_secs(3)).as_micros() as Micros
}

impl PoolerView {
    /// Recomputes the display orders and `rows`, and re-anchors the selection on its key (or
    /// keeps the cursor's place when that row is gone).
    pub fn rebuild(&mut self) {
        self.pool_order.clear();
        self.client_order.clear();
        self.rows.clear();
        if let Some(p) = self.latest.clone() {
            if let Ok(pools) = &p.pools {
                self.pool_order = (0..pools.len()).collect();
                self.pool_order.sort_by_key(|&i| {
                    let p = &pools[i];
                    (
                        std::cmp::Reverse(p.cl_waiting.unwrap_or(0)),
                        std::cmp::Reverse(p.maxwait_us.unwrap_or(0)),
                        p.database.clone(),
                        p.user.clone(),
                    )
                });
                self.rows
                    .extend(self.pool_order.iter().map(|&i| RowKey::pool(&pools[i])));
            }
            self.server_rows = 0;
            if let Ok(servers) = &p.servers {
                self.rows
                    .extend(servers.iter().map(|s| RowKey::Server(ConnKey::of(s))));
                self.server_rows = servers.len();
            }
            if let Ok(clients) = &p.clients {
                self.client_order = (0..clients.len()).collect();
                // Stable: clients that do not wait keep the pooler's order.
                self.client_order.sort_by_key(|&i| {
                    let c = &clients[i];
                    let waiting = c.state == "waiting";
                    (!waiting, std::cmp::Reverse(c.wait_us.unwrap_or(0)))
                });
                self.rows.extend(
                    self.client_order
                        .iter()
                        .map(|&i| RowKey::Client(ConnKey::of(&clients[i]))),
                );
            }
        }
        // The cursor's own row first: without `ptr` (no such version known, but a proxy
        // speaking the console protocol may lack it) keys repeat.
        let found = self.selected.as_ref().and_then(|key| {
            if self.rows.get(self.cursor) == Some(key) {
                Some(self.cursor)
            } else {
                self.rows.iter().position(|r| r == key)
            }
        });
        self.cursor = found.unwrap_or_else(|| self.cursor.min(self.rows.len().saturating_sub(1)));
        self.selected = self.rows.get(self.cursor).cloned();
    }

    /// Where each list starts in `rows`: pools, servers, clients.
    pub fn starts(&self) -> [usize; 3] {
        let pools = self.pool_order.len();
        [0, pools, pools + self.server_rows]
    }

    /// Row `i` of `rows` is the selected one. By position, not by key: two rows of a version
    /// without `ptr` would share a key.
    pub fn is_cursor(&self, i: usize) -> bool {
        self.selected.is_some() && self.cursor == i
    }

    /// Moves the selection by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1) as isize;
        let next = (self.cursor as isize).saturating_add(delta).clamp(0, last);
        self.cursor = next as usize;
        self.selected = self.rows.get(self.cursor).cloned();
    }

    /// Selects the row known by `key`, if it is still there.
    pub fn select(&mut self, key: RowKey) {
        if let Some(i) = self.rows.iter().position(|r| *r == key) {
            self.cursor = i;
            self.selected = Some(key);
        }
    }

    /// The index into `latest.servers` of the selected server row, or of the server the
    /// selected client holds.
    pub fn selected_server(&self) -> Option<usize> {
        let p = self.latest.as_deref()?;
        match self.selected.as_ref()? {
            RowKey::Server(key) => p
                .servers
                .as_ref()
                .ok()?
                .iter()
                .position(|s| ConnKey::of(s) == *key),
            RowKey::Client(key) => {
                let i = p
                    .clients
                    .as_ref()
                    .ok()?
                    .iter()
                    .position(|c| ConnKey::of(c) == *key)?;
                self.links.client_server.get(i).copied().flatten()
            }
            RowKey::Pool { .. } => None,
        }
    }

    /// The pooler's data is older than `stale_after(every)` at `now`.
    pub fn is_stale(&self, now: Micros, every: Duration) -> bool {
        self.last_read
            .is_some_and(|t| now.saturating_sub(t) > stale_after(every))
    }
}

impl crate::state::views::View for super::Def {
    type Model = PoolerView;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pooler::model::Config;

    fn conn(ptr: &str, at: &str, state: &str, wait: i64) -> Conn {
        Conn {
            ptr: Some(ptr.into()),
            connect_time: Some(at.into()),
            state: state.into(),
            wait_us: Some(wait),
            ..Conn::default()
        }
    }

    fn read(clients: Vec<Conn>) -> Arc<Pooler> {
        Arc::new(Pooler {
            version: String::new(),
            read_at: 0,
            pools: Ok(Vec::new()),
            stats: Ok(Vec::new()),
            clients: Ok(clients),
            servers: Ok(Vec::new()),
            config: Ok(Config::default()),
            databases: Ok(Vec::new()),
        })
    }

    #[test]
    fn the_selection_follows_the_connection_when_rows_reorder() {
        let mut v = PoolerView {
            latest: Some(read(vec![
                conn("0x1", "t1", "active", 0),
                conn("0x2", "t1", "waiting", 5),
                conn("0x3", "t1", "waiting", 9),
            ])),
            ..PoolerView::default()
        };
        v.rebuild();
        // Waiting clients first, longest wait first.
        assert_eq!(v.client_order, [2, 1, 0]);
        v.move_by(1);
        let picked = RowKey::Client(ConnKey {
            ptr: Some("0x2".into()),
            connect_time: Some("t1".into()),
        });
        assert_eq!(v.selected, Some(picked.clone()));
        // 0x2 got its server and the other waits longer now: it moves to the end.
        v.latest = Some(read(vec![
            conn("0x1", "t1", "waiting", 20),
            conn("0x2", "t1", "active", 0),
            conn("0x3", "t1", "waiting", 19),
        ]));
        v.rebuild();
        assert_eq!(v.selected, Some(picked));
        assert_eq!(v.cursor, 2);
    }

    #[test]
    fn a_reused_ptr_is_another_connection() {
        let mut v = PoolerView {
            latest: Some(read(vec![conn("0x1", "t1", "active", 0)])),
            ..PoolerView::default()
        };
        v.rebuild();
        let first = v.selected.clone();
        v.latest = Some(read(vec![
            conn("0x9", "t0", "active", 0),
            conn("0x1", "t2", "active", 0),
        ]));
        v.rebuild();
        assert_ne!(v.selected, first, "same ptr, later connect_time: not the same row");
        assert_eq!(v.cursor, 0, "the cursor keeps its place");
    }

    #[test]
    fn rows_without_identity_keep_the_cursor() {
        let bare = |state: &str| Conn {
            state: state.into(),
            ..Conn::default()
        };
        let mut v = PoolerView {
            latest: Some(read(vec![bare("active"), bare("active"), bare("active")])),
            ..PoolerView::default()
        };
        v.rebuild();
        v.move_by(2);
        v.rebuild();
        assert_eq!(v.cursor, 2);
        assert!(v.is_cursor(2) && !v.is_cursor(0));
        assert_eq!(v.starts(), [0, 0, 0]);
    }

    #[test]
    fn stale_after_twice_the_interval_or_3s() {
        let v = PoolerView {
            last_read: Some(10_000_000),
            ..PoolerView::default()
        };
        let s = Duration::from_secs;
        assert!(!v.is_stale(12_900_000, s(1)));
        assert!(v.is_stale(13_100_000, s(1)));
        assert!(!v.is_stale(19_000_000, s(5)));
        assert!(!PoolerView::default().is_stale(i64::MAX, s(1)));
    }
}
