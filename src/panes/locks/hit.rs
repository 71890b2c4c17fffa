//! Clicks in the Locks pane: a line of the blocking tree selects its node (under the blocker it
//! is drawn under). The tree has no sort (it is ordered by impact); the lock list has no rows
//! to select.

use ratatui::layout::Rect;

use crate::hit::{Hit, Pick, Target};
use crate::layout::line_in;
use crate::state::State;
use super::layout::{shows_tree, tree_areas};

impl Hit for super::Def {
    type Key = (super::tree::NodeKey, Option<super::tree::NodeKey>);

    fn at(state: &State, body: Rect, _x: u16, y: u16) -> Target {
        at(state, body, y)
    }

    fn select(state: &mut State, key: Self::Key) {
        state.views.locks.selected = Some(key);
    }
}

fn at(state: &State, body: Rect, y: u16) -> Target {
    if !shows_tree(state) {
        return Target::Body;
    }
    let [top, _] = tree_areas(body);
    // Line 0 is the column header.
    let Some(line @ 1..) = line_in(top, y) else {
        return Target::Body;
    };
    let rows = &state.views.locks.tree.rows;
    // The same clamp as drawing.
    let page = usize::from(top.height.saturating_sub(1));
    let offset = state.views.locks.offset.min(rows.len().saturating_sub(page));
    rows.get(offset + line - 1).map_or(Target::Body, |r| {
        Target::Pick(Pick::Locks((r.key.clone(), r.parent.clone())))
    })
}
