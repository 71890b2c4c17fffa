//! Where the Connections pane's parts and group columns go: pure, read by drawing and by a
//! click.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::columns::fit_columns;
use crate::panes::connections::view::ConnectionsView;
use crate::panes::connections::groups::GroupColumn;

/// Group columns in the order they are given up as the terminal narrows.
const GROUP_PRIORITY: [GroupColumn; 11] = [
    GroupColumn::Key,
    GroupColumn::Total,
    GroupColumn::State(0),
    GroupColumn::State(1),
    GroupColumn::State(2),
    GroupColumn::StateAge,
    GroupColumn::State(3),
    GroupColumn::ConnAge,
    GroupColumn::State(6),
    GroupColumn::State(4),
    GroupColumn::State(5),
];

/// The widest the group name column gets.
const KEY_MAX: usize = 40;

/// The pane body split into the summary, the groups table (its header line first) and the
/// idle-in-transaction list.
pub fn areas(view: &ConnectionsView, area: Rect) -> [Rect; 3] {
    let areas = view.areas(area.height);
    Layout::vertical([
        Constraint::Length(areas.summary),
        Constraint::Length(areas.groups),
        Constraint::Length(areas.attention),
    ])
    .areas(area)
}

/// The group columns shown at `width`: the configured ones (indices into `GroupColumn::ALL`)
/// that fit, in the configured order.
pub fn group_layout(
    view: &ConnectionsView,
    chosen: &[usize],
    width: u16,
) -> Vec<(GroupColumn, usize)> {
    let mut priority = GROUP_PRIORITY;
    if view.usage.hidden > 0 {
        // Hidden sessions have no state: that count matters more than the oldest connection.
        priority.swap(7, 8);
    }
    let order: Vec<GroupColumn> = chosen
        .iter()
        .filter_map(|&i| GroupColumn::ALL.get(i).copied())
        .collect();
    let priority: Vec<GroupColumn> = priority.into_iter().filter(|c| order.contains(c)).collect();
    let mut cols = fit_columns(
        &order,
        &priority,
        |c| usize::from(c.width()),
        GroupColumn::Key,
        usize::from(width),
    );
    // Numbers far from their names are hard to read on a wide screen.
    for (col, w) in &mut cols {
        if *col == GroupColumn::Key {
            *w = (*w).min(KEY_MAX);
        }
    }
    cols
}
