//! The Pooler pane's sections as stacked: status, databases, pools, servers, clients. Their
//! shapes come from the view model alone, so drawing and a click plan the same lines.

use crate::layout::Shape;
use crate::snapshot::Link;
use crate::state::State;

/// Every table has a title line and a column header.
const HEADS: usize = 2;

pub const STATUS: usize = 0;
pub const DATABASES: usize = 1;
pub const POOLS: usize = 2;
pub const SERVERS: usize = 3;
pub const CLIENTS: usize = 4;

/// Lines above the tables: the pooler's version and clients, and the link when it is not up.
pub fn status_lines(state: &State) -> usize {
    1 + usize::from(state.views.pooler.link != Link::Connected)
}

/// The sections' shapes in drawing order; only the status without a read. A failed or empty
/// list is one line.
pub fn shapes(state: &State) -> Vec<Shape> {
    let status = Shape {
        heads: status_lines(state),
        rows: 0,
        focus: None,
    };
    let v = &state.views.pooler;
    let Some(p) = v.latest.as_deref() else {
        return vec![status];
    };
    let len = |r: Result<usize, ()>| r.unwrap_or(1).max(1);
    let [pools, servers, clients] = v.starts();
    // Where the cursor is, by section: rows are pools, then servers, then clients.
    let focus = |start: usize, end: usize| {
        (v.is_cursor(v.cursor) && (start..end).contains(&v.cursor)).then(|| v.cursor - start)
    };
    let databases = v.saturation.as_ref().map_or(0, |s| s.databases.len());
    vec![
        status,
        Shape {
            heads: HEADS,
            rows: databases.max(1),
            focus: None,
        },
        Shape {
            heads: HEADS,
            rows: len(p.pools.as_ref().map(Vec::len).map_err(drop)),
            focus: focus(pools, servers),
        },
        Shape {
            heads: HEADS + v.join.unjoinable.len(),
            rows: len(p.servers.as_ref().map(Vec::len).map_err(drop)),
            focus: focus(servers, clients),
        },
        Shape {
            heads: HEADS,
            rows: len(p.clients.as_ref().map(Vec::len).map_err(drop)),
            focus: focus(clients, v.rows.len()),
        },
    ]
}
