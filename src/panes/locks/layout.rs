//! Where the Locks pane's parts go: pure, read by drawing and by a click.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::state::State;
use crate::panes::locks::view::split;

/// The pane body split into the tree (its header line first) and the detail panel below.
pub fn tree_areas(area: Rect) -> [Rect; 2] {
    let (_, detail) = split(area.height);
    Layout::vertical([Constraint::Min(1), Constraint::Length(detail as u16)]).areas(area)
}

/// Whether the body shows the tree (rather than the lock list or why there is no tree).
pub fn shows_tree(state: &State) -> bool {
    state
        .shown
        .as_deref()
        .is_some_and(|s| s.activity.is_ok() && !state.views.locks.show_list && s.caps.can_blocking_pids)
}
