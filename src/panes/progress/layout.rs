//! The Progress pane's sections as stacked: their shapes come from the data and the selection
//! alone, so drawing and a click plan the same lines without styling anything.

use crate::layout::Shape;
use crate::panes::progress::data::Progress;
use crate::panes::progress::view::RowKey;

/// Every section has a title line and a column header.
const HEADS: usize = 2;

/// The shapes of the operations, horizon, wraparound and autovacuum sections, in drawing
/// order. A failed section shows one error line; an empty operations or horizon list says so
/// in one line.
pub fn shapes(p: &Progress, selected: Option<RowKey>) -> [Shape; 4] {
    let shape = |rows: usize, focus: Option<usize>| Shape {
        heads: HEADS,
        rows,
        focus,
    };
    let ops = match &p.ops {
        Ok(ops) => shape(
            ops.len().max(1),
            ops.iter().position(|o| {
                selected
                    == Some(RowKey::Op {
                        pid: o.pid,
                        kind: o.kind,
                    })
            }),
        ),
        Err(_) => shape(1, None),
    };
    let horizon = match &p.horizon {
        Ok(h) => shape(
            h.len().max(1),
            h.iter()
                .position(|h| h.pid.is_some_and(|pid| selected == Some(RowKey::Holder { pid }))),
        ),
        Err(_) => shape(1, None),
    };
    let freeze = shape(p.freeze.as_ref().map_or(1, |f| f.databases.len()), None);
    let overdue = shape(p.overdue.as_ref().map_or(1, |o| o.tables.len()), None);
    [ops, horizon, freeze, overdue]
}
