//! The Locks pane's view state: the blocking tree with a selection that follows the node (a
//! pid, or a prepared transaction's gid), and the switch to the grouped lock list.

use super::tree::{self as locks_tree, LockTree, NodeKey, TreeRow};
use crate::panes::locks::data::Locks;
use crate::snapshot::{Backend, Micros};

/// Lines of the tree and of the detail panel below it, for a pane body `body` rows high.
/// The one place both `update` (paging) and the renderer take the split from.
pub fn split(body: u16) -> (usize, usize) {
    // The tree has its own header line.
    let body = usize::from(body);
    let detail = if body >= 12 { (body / 3).min(12) } else { 0 };
    (body.saturating_sub(detail + 1), detail)
}

#[derive(Debug, Clone, Default)]
pub struct LocksView {
    /// Derived from the shown snapshot by [`LocksView::rebuild`].
    pub tree: LockTree,
    /// The selected node and the blocker it is shown under (a waiter blocked by several
    /// appears once under each).
    pub selected: Option<(NodeKey, Option<NodeKey>)>,
    pub cursor: usize,
    pub offset: usize,
    /// Show pg_locks grouped instead of the tree.
    pub show_list: bool,
    /// First line of the lock list.
    pub list_offset: usize,
}

impl LocksView {
    /// Rebuilds the tree and re-anchors the selection on its node.
    pub fn rebuild(&mut self, backends: &[Backend], locks: Option<&Locks>, page: usize) {
        self.tree = locks_tree::build(backends, locks);
        let rows = &self.tree.rows;
        let found = self.selected.as_ref().and_then(|(key, parent)| {
            rows.iter()
                .position(|r| &r.key == key && &r.parent == parent)
                .or_else(|| rows.iter().position(|r| &r.key == key))
        });
        self.cursor = match found {
            Some(pos) => pos,
            None => self.cursor.min(rows.len().saturating_sub(1)),
        };
        self.anchor(page);
    }

    pub fn move_by(&mut self, delta: isize, page: usize, list_len: usize) {
        if self.show_list {
            let max = list_len.saturating_sub(page.max(1));
            self.list_offset = self.list_offset.saturating_add_signed(delta).min(max);
            return;
        }
        if self.tree.rows.is_empty() {
            return;
        }
        let last = self.tree.rows.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.anchor(page);
    }

    /// Selects the first line showing `key` (a root is shown once, at depth 0).
    pub fn select(&mut self, key: &NodeKey, page: usize) -> bool {
        let Some(pos) = self.tree.rows.iter().position(|r| &r.key == key) else {
            return false;
        };
        self.show_list = false;
        self.cursor = pos;
        self.anchor(page);
        true
    }

    pub fn selected_row(&self) -> Option<&TreeRow> {
        self.selected.as_ref()?;
        self.tree.rows.get(self.cursor)
    }

    /// The selected backend; a prepared transaction has none (it is ended with COMMIT PREPARED
    /// or ROLLBACK PREPARED, not a signal).
    pub fn selected_pid(&self) -> Option<i32> {
        match self.selected_row()?.key {
            NodeKey::Pid(pid) => Some(pid),
            NodeKey::Prepared(_) => None,
        }
    }

    fn anchor(&mut self, page: usize) {
        self.selected = self
            .tree
            .rows
            .get(self.cursor)
            .map(|r| (r.key.clone(), r.parent.clone()));
        let page = page.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + page {
            self.offset = self.cursor + 1 - page;
        }
        self.offset = self.offset.min(self.tree.rows.len().saturating_sub(page));
    }
}

/// The longest lock wait now: from pg_locks.waitstart when the Locks pane has it (14+), else
/// the query age of the sessions waiting on a lock. The flag says which one it is.
pub fn longest_wait(
    backends: &[Backend],
    locks: Option<&Locks>,
    now: Micros,
) -> Option<(Micros, bool)> {
    let waited = locks.and_then(|l| {
        l.contended
            .iter()
            .filter(|l| !l.granted)
            .filter_map(|l| l.waitstart)
            .min()
    });
    if let Some(start) = waited {
        return Some((now - start, true));
    }
    backends
        .iter()
        .filter(|b| b.is_waiting_on_lock())
        .filter_map(|b| b.query_start)
        .min()
        .map(|start| (now - start, false))
}

impl crate::state::views::View for super::Def {
    type Model = LocksView;
}
