//! The Progress pane's view state: a selection over its rows that name a backend (operations,
//! then horizon holders), anchored on the row's key, and the ETAs derived from the last two
//! snapshots.

use super::eta::{self as progress_eta, Eta};
use crate::snapshot::Micros;
use crate::panes::progress::data::{HolderKind, OpKind, Progress};

/// A selectable row, by what it is about rather than where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKey {
    Op { pid: i32, kind: Option<OpKind> },
    Holder { pid: i32 },
}

impl RowKey {
    pub fn pid(self) -> i32 {
        match self {
            RowKey::Op { pid, .. } | RowKey::Holder { pid } => pid,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ProgressView {
    pub selected: Option<RowKey>,
    pub cursor: usize,
    /// Selectable rows in display order. Derived by [`ProgressView::rebuild`].
    pub rows: Vec<RowKey>,
    /// One per operation of the snapshot whose server clock is `etas_at`, in its order.
    /// Derived by [`ProgressView::update_etas`] when a snapshot is shown.
    pub etas: Vec<Option<Eta>>,
    pub etas_at: Micros,
}

impl ProgressView {
    /// Recomputes the ETAs from the previously shown snapshot's operations and the new one's.
    pub fn update_etas(&mut self, prev: Option<&Progress>, cur: Option<&Progress>) {
        self.etas = cur.map_or_else(Vec::new, |cur| progress_eta::etas(prev, cur));
        self.etas_at = cur.map_or(0, |c| c.now);
    }

    /// The ETA of operation `i` of `shown`; `None` when the ETAs were derived for another
    /// snapshot (the view was paused in between).
    pub fn eta(&self, shown: &Progress, i: usize) -> Option<Eta> {
        if self.etas_at != shown.now {
            return None;
        }
        self.etas.get(i).copied().flatten()
    }

    /// Recomputes `rows` and re-anchors the selection on its key.
    pub fn rebuild(&mut self, progress: Option<&Progress>) {
        self.rows.clear();
        if let Some(p) = progress {
            if let Ok(ops) = &p.ops {
                self.rows.extend(ops.iter().map(|o| RowKey::Op {
                    pid: o.pid,
                    kind: o.kind,
                }));
            }
            if let Ok(holders) = &p.horizon {
                self.rows.extend(
                    holders
                        .iter()
                        .filter_map(|h| h.pid.map(|pid| RowKey::Holder { pid })),
                );
            }
        }
        let found = self
            .selected
            .and_then(|key| self.rows.iter().position(|r| *r == key));
        self.cursor = match found {
            Some(pos) => pos,
            None => self.cursor.min(self.rows.len().saturating_sub(1)),
        };
        self.selected = self.rows.get(self.cursor).copied();
    }

    /// Moves the selection by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.selected = self.rows.get(self.cursor).copied();
    }
}

/// The session holding the horizon back the most: the first backend or walsender holder (the
/// server lists them oldest first, owners of an xid before sessions that merely see it).
/// Slots and prepared transactions have no session to show.
pub fn horizon_culprit(progress: &Progress) -> Option<i32> {
    let holders = progress.horizon.as_ref().ok()?;
    holders
        .iter()
        .find(|h| matches!(h.kind, HolderKind::Backend | HolderKind::Standby))
        .and_then(|h| h.pid)
}

impl crate::state::views::View for super::Def {
    type Model = ProgressView;
}
