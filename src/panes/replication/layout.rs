//! The Replication pane's sections as stacked: their shapes come from the data and the
//! selection alone, so drawing and a click plan the same lines without styling anything.

use crate::layout::Shape;
use crate::panes::replication::data::{Replication, Summary};
use crate::panes::replication::view::{ReplicationView, RowKey};
use crate::snapshot::{PaneError, Snapshot};

/// Whether the server is a standby: then the WAL receiver and the recovery conflicts come
/// first. Told by the receiver's read, or by the summary when that read failed.
pub fn standby(r: &Replication, snapshot: &Snapshot) -> bool {
    match &r.receiver {
        Ok(rc) => rc.in_recovery,
        Err(_) => summary_of(snapshot).is_some_and(|s| s.in_recovery),
    }
}

pub fn summary_of(snapshot: &Snapshot) -> Option<&Summary> {
    snapshot.replication_summary.as_ref()?.as_deref().ok()
}

/// An error line, and under a permission error the grant that fixes it.
fn error_rows(e: &PaneError) -> usize {
    1 + usize::from(e.is_permission())
}

/// Rows of a table section, and the selected one among them.
fn table<T>(
    list: Result<&[T], &PaneError>,
    view: &ReplicationView,
    key: impl Fn(&T) -> RowKey,
) -> Shape {
    match list {
        Err(e) => Shape {
            heads: 2,
            rows: error_rows(e),
            focus: None,
        },
        Ok(list) => Shape {
            heads: 2,
            rows: list.len(),
            focus: list.iter().position(|t| view.is_selected(&key(t))),
        },
    }
}

/// The shapes in drawing order: on a standby the receiver (a title and four lines) and the
/// conflicts (databases with any) first; then senders, slots and subscriptions.
pub fn shapes(r: &Replication, standby: bool, view: &ReplicationView) -> Vec<Shape> {
    let mut out = Vec::with_capacity(5);
    if standby {
        out.push(Shape {
            heads: 1,
            rows: r.receiver.as_ref().map_or_else(error_rows, |_| 4),
            focus: None,
        });
        out.push(Shape {
            heads: 2,
            rows: r.conflicts.as_ref().map_or_else(error_rows, |c| {
                c.iter().filter(|c| c.total() > 0).count()
            }),
            focus: None,
        });
    }
    out.push(table(r.senders.as_deref(), view, |s| RowKey::Sender(s.pid)));
    out.push(table(
        r.slots.as_ref().map(|s| s.slots.as_slice()),
        view,
        |s| RowKey::Slot(s.name.clone()),
    ));
    out.push(table(r.subscriptions.as_deref(), view, |s| {
        RowKey::Subscription(s.name.clone())
    }));
    out
}
