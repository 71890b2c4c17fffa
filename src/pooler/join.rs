//! Which PostgreSQL backend is behind each pooler server connection: a pure function of one
//! pooler read and one Activity snapshot. A server connection's `remote_pid` is the backend's
//! pid, and its `local_port` is the backend's `client_port`; both must agree, so a pid that the
//! server reused for another session (or a coincidence on another host) never joins.

use std::collections::HashMap;

use super::model::Conn;
use crate::snapshot::{Activity, Backend};

/// The outcome for one server row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendJoin {
    /// `index` into the Activity snapshot's backends. `port_checked` is false only for a
    /// unix-socket server connection, which has no port to compare.
    Joined {
        pid: i32,
        index: usize,
        port_checked: bool,
    },
    /// No pid yet (the connection is logging in) or none in this PgBouncer version.
    NoPid,
    /// pgscope sees no backend with this pid.
    NotFound,
    /// A backend has the pid but another client port: not this connection.
    OtherConnection,
    /// The backend's client port is hidden from pgscope's role (pg_read_all_stats needed).
    PortHidden,
}

/// Why no server row can be joined at all: said once above the list, not on every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unjoinable {
    /// pgscope watches no database server (the pooler alone), or its Activity read failed.
    NoDatabaseConnection,
    /// The pooler's connections to `addr:port` are not backends of the server pgscope
    /// watches: every one with a pid was looked for and none matched.
    OtherServer { addr: String, port: Option<i32> },
}

impl BackendJoin {
    /// A short word for the backend column when there is no pid to show.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Joined { .. } => "",
            Self::NoPid => "no pid",
            Self::NotFound => "not seen",
            Self::OtherConnection => "pid reused",
            Self::PortHidden => "hidden",
        }
    }
}

/// The text carries the pooler's `addr` (server text): sanitize it at draw like the rest.
impl std::fmt::Display for Unjoinable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoDatabaseConnection => f.write_str(
                "backends unknown: pgscope is not connected to the database server behind the pooler",
            ),
            Self::OtherServer { addr, port } => {
                let port = port.map_or_else(|| "n/a".to_owned(), |p| p.to_string());
                write!(
                    f,
                    "the pooler's connections to {addr}:{port} are not backends of the server \
                     pgscope watches (another host or cluster)"
                )
            }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Join {
    /// One per server row, in the same order.
    pub rows: Vec<Option<BackendJoin>>,
    pub unjoinable: Vec<Unjoinable>,
}

impl Join {
    pub fn backend<'a>(&self, server: usize, activity: &'a Activity) -> Option<&'a Backend> {
        match self.rows.get(server)? {
            Some(BackendJoin::Joined { index, .. }) => activity.backends.get(*index),
            _ => None,
        }
    }
}

/// `activity` is `None` when pgscope has no database connection (or its read failed): then
/// nothing joins, for one stated reason.
pub fn join(servers: &[Conn], activity: Option<&Activity>) -> Join {
    let Some(activity) = activity else {
        return Join {
            rows: vec![None; servers.len()],
            unjoinable: (!servers.is_empty())
                .then_some(Unjoinable::NoDatabaseConnection)
                .into_iter()
                .collect(),
        };
    };
    let by_pid: HashMap<i32, usize> = activity
        .backends
        .iter()
        .enumerate()
        .map(|(i, b)| (b.pid, i))
        .collect();
    let rows: Vec<Option<BackendJoin>> = servers
        .iter()
        .map(|s| Some(one(s, &by_pid, &activity.backends)))
        .collect();
    Join {
        unjoinable: other_servers(servers, &rows),
        rows,
    }
}

fn one(s: &Conn, by_pid: &HashMap<i32, usize>, backends: &[Backend]) -> BackendJoin {
    let Some(pid) = s.remote_pid else {
        return BackendJoin::NoPid;
    };
    let Some(&index) = by_pid.get(&pid) else {
        return BackendJoin::NotFound;
    };
    let unix = s.addr.as_deref() == Some("unix");
    match (backends[index].client_port, s.local_port) {
        (None, _) => BackendJoin::PortHidden,
        (Some(-1), _) if unix => BackendJoin::Joined {
            pid,
            index,
            port_checked: false,
        },
        (Some(port), Some(local)) if port == local && !unix => BackendJoin::Joined {
            pid,
            index,
            port_checked: true,
        },
        _ => BackendJoin::OtherConnection,
    }
}

/// Server targets (addr, port) with at least one pid where not a single row joined.
fn other_servers(servers: &[Conn], rows: &[Option<BackendJoin>]) -> Vec<Unjoinable> {
    let mut targets: Vec<((String, Option<i32>), bool)> = Vec::new();
    for (s, row) in servers.iter().zip(rows) {
        let Some(row) = row else { continue };
        if matches!(row, BackendJoin::NoPid | BackendJoin::PortHidden) {
            continue;
        }
        let key = (s.addr.clone().unwrap_or_default(), s.port);
        let joined = matches!(row, BackendJoin::Joined { .. });
        match targets.iter_mut().find(|(k, _)| *k == key) {
            Some((_, any)) => *any |= joined,
            None => targets.push((key, joined)),
        }
    }
    targets
        .into_iter()
        .filter(|(_, any)| !any)
        .map(|((addr, port), _)| Unjoinable::OtherServer { addr, port })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(pid: i32, local_port: i32, addr: &str) -> Conn {
        Conn {
            kind: "S".into(),
            addr: Some(addr.into()),
            port: Some(5432),
            local_port: Some(local_port),
            remote_pid: (pid > 0).then_some(pid),
            ..Conn::default()
        }
    }

    fn backend(pid: i32, port: Option<i32>) -> Backend {
        Backend {
            pid,
            client_port: port,
            ..Backend::default()
        }
    }

    fn activity(backends: Vec<Backend>) -> Activity {
        Activity {
            backends,
            ..Activity::default()
        }
    }

    #[test]
    fn joins_on_pid_and_port() {
        let a = activity(vec![
            backend(10, Some(40_001)),
            backend(11, Some(40_002)),
            backend(12, None),
        ]);
        let servers = [
            server(11, 40_002, "10.0.0.5"),
            server(10, 40_999, "10.0.0.5"),
            server(12, 40_003, "10.0.0.5"),
            server(13, 40_004, "10.0.0.5"),
            server(0, 40_005, "10.0.0.5"),
        ];
        let j = join(&servers, Some(&a));
        assert_eq!(
            j.rows,
            vec![
                Some(BackendJoin::Joined {
                    pid: 11,
                    index: 1,
                    port_checked: true
                }),
                Some(BackendJoin::OtherConnection),
                Some(BackendJoin::PortHidden),
                Some(BackendJoin::NotFound),
                Some(BackendJoin::NoPid),
            ]
        );
        assert!(j.unjoinable.is_empty(), "{:?}", j.unjoinable);
        assert_eq!(j.backend(0, &a).map(|b| b.pid), Some(11));
        assert_eq!(j.backend(1, &a), None);
    }

    #[test]
    fn unix_socket_joins_on_pid_alone() {
        let a = activity(vec![backend(10, Some(-1))]);
        let j = join(&[server(10, 0, "unix")], Some(&a));
        assert_eq!(
            j.rows[0],
            Some(BackendJoin::Joined {
                pid: 10,
                index: 0,
                port_checked: false
            })
        );
        // A TCP row never joins a unix-socket backend, even with the same pid.
        let j = join(&[server(10, 0, "10.0.0.5")], Some(&a));
        assert_eq!(j.rows[0], Some(BackendJoin::OtherConnection));
    }

    #[test]
    fn says_when_the_pooler_talks_to_another_server() {
        let a = activity(vec![backend(10, Some(40_001))]);
        let servers = [
            server(10, 40_001, "127.0.0.1"),
            server(77, 50_000, "10.9.9.9"),
            server(78, 50_001, "10.9.9.9"),
        ];
        let j = join(&servers, Some(&a));
        assert_eq!(
            j.unjoinable,
            vec![Unjoinable::OtherServer {
                addr: "10.9.9.9".into(),
                port: Some(5432)
            }]
        );
    }

    #[test]
    fn without_a_database_connection_nothing_joins() {
        let j = join(&[server(10, 1, "x")], None);
        assert_eq!(j.rows, vec![None]);
        assert_eq!(j.unjoinable, vec![Unjoinable::NoDatabaseConnection]);
        assert!(join(&[], None).unjoinable.is_empty());
        assert!(j.unjoinable[0].to_string().contains("not connected"));
        let other = Unjoinable::OtherServer {
            addr: "10.9.9.9".into(),
            port: None,
        };
        assert!(other.to_string().contains("10.9.9.9:n/a"), "{other}");
    }
}
