//! The Locks pane in `pgscope snapshot`: the blocking tree in display order (depth and parent
//! give its shape; `branch` is the guide the TUI draws) and pg_locks grouped, as the pane
//! shows them.

use serde::{Deserialize, Serialize};

use super::data::{Lock, LockTarget, Locks};
use super::tree::{NodeKey, TreeRow};
use crate::snapshot::{Backend, PaneError};
use crate::snapshot_cmd::vocab::{secs_since, time_opt};
use crate::snapshot_cmd::export::{Export, activity_error};
use crate::state::State;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Out {
    pub roots: usize,
    /// Sessions waiting on a lock with a known blocker.
    pub waiting: usize,
    /// Lock waits whose session this login cannot see.
    pub hidden_waiters: usize,
    pub tree: Vec<Node>,
    /// pg_locks grouped by type, object, mode and granted, waiting first.
    pub locks: Vec<Group>,
    /// Groups before the server's cap, and rows in pg_locks.
    pub groups_total: i64,
    pub locks_total: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub depth: usize,
    /// The tree guides before the node, e.g. "│ └─ ".
    pub branch: String,
    /// `None` for a prepared transaction.
    pub pid: Option<i32>,
    pub prepared_gid: Option<String>,
    /// The blocker this line is shown under: a pid, or null for a root or a prepared parent.
    pub parent_pid: Option<i32>,
    pub blocked_by_several: bool,
    pub cycle: bool,
    pub repeat: bool,
    pub blocked_below: usize,
    pub wants_mode: Option<String>,
    pub wants_on: Option<String>,
    pub waiting_s: Option<f64>,
    pub holds_mode: Option<String>,
    pub user: Option<String>,
    pub database: Option<String>,
    pub state: Option<String>,
    pub query_duration_s: Option<f64>,
    pub query: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub locktype: String,
    pub database: Option<String>,
    pub relation: Option<String>,
    pub mode: String,
    pub granted: bool,
    pub count: i64,
    pub waitstart: Option<String>,
}

/// What a lock is on, in a few words (schema.relation, xid, or the lock type).
fn object(t: &LockTarget) -> String {
    match (&t.schema, &t.relname) {
        (Some(s), Some(r)) => format!("{s}.{r}"),
        (None, Some(r)) => r.clone(),
        _ => t
            .transactionid
            .clone()
            .or_else(|| t.virtualxid.clone())
            .map_or_else(|| t.locktype.clone(), |x| format!("{} {x}", t.locktype)),
    }
}

fn node(row: &TreeRow, backends: &[Backend], locks: Option<&Locks>, now: i64) -> Node {
    let lock = |i: Option<usize>| -> Option<&Lock> { i.and_then(|i| locks?.contended.get(i)) };
    let b = row.backend.and_then(|i| backends.get(i));
    let wants = lock(row.wants);
    Node {
        depth: row.depth,
        branch: row.prefix.clone(),
        pid: match row.key {
            NodeKey::Pid(p) => Some(p),
            NodeKey::Prepared(_) => None,
        },
        prepared_gid: match &row.key {
            NodeKey::Prepared(g) => Some(g.clone()),
            NodeKey::Pid(_) => None,
        },
        parent_pid: match row.parent {
            Some(NodeKey::Pid(p)) => Some(p),
            _ => None,
        },
        blocked_by_several: row.multi,
        cycle: row.cycle,
        repeat: row.repeat,
        blocked_below: row.blocked_below,
        wants_mode: wants.map(|l| l.mode.clone()),
        wants_on: wants.map(|l| object(&l.target)),
        waiting_s: secs_since(wants.and_then(|l| l.waitstart), now),
        holds_mode: lock(row.holds).map(|l| l.mode.clone()),
        user: b.and_then(|b| b.usename.clone()),
        database: b.and_then(|b| b.datname.clone()),
        state: b.and_then(|b| b.state.clone()),
        query_duration_s: b.and_then(|b| secs_since(b.query_start, now)),
        query: b.map(|b| b.query.clone()),
    }
}

impl Export for super::Def {
    type Out = Out;
    const TABLE: &'static str = "tree";
    type Row = Node;

    fn export(state: &State) -> Result<Out, PaneError> {
        if let Some(e) = activity_error(state) {
            return Err(e);
        }
        let snapshot = state.shown.as_deref();
        let locks = match snapshot.and_then(|s| s.panes.locks.as_ref()) {
            Some(Err(e)) => return Err(e.clone()),
            Some(Ok(l)) => Some(l),
            None => None,
        };
        let now = snapshot
            .and_then(|s| s.activity.as_ref().ok())
            .map_or(state.now, |a| a.now);
        let backends = state.backends();
        let tree = &state.views.locks.tree;
        Ok(Out {
            roots: tree.roots,
            waiting: tree.waiting,
            hidden_waiters: tree.hidden_waiters,
            tree: tree
                .rows
                .iter()
                .map(|r| node(r, backends, locks, now))
                .collect(),
            locks: locks.map_or_else(Vec::new, |l| {
                l.groups
                    .iter()
                    .map(|g| Group {
                        locktype: g.target.locktype.clone(),
                        database: g.target.datname.clone(),
                        relation: g.target.relname.as_ref().map(|_| object(&g.target)),
                        mode: g.mode.clone(),
                        granted: g.granted,
                        count: g.count,
                        waitstart: time_opt(g.waitstart),
                    })
                    .collect()
            }),
            groups_total: locks.map_or(0, |l| l.groups_total),
            locks_total: locks.map_or(0, |l| l.locks_total),
        })
    }
}
