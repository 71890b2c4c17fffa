//! Where the Connections pane's parts and group columns go: pure, read by drawing and by a
//! click.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::columns::{Fit, fit};
use crate::panes::connections::groups::{COLS, GroupColumn, GroupKey};
use crate::panes::connections::view::ConnectionsView;

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
/// that fit by priority, in the configured order; the group's name grows up to its longest.
pub fn group_layout(
    view: &ConnectionsView,
    chosen: &[usize],
    width: u16,
) -> Vec<(GroupColumn, usize)> {
    let mut cols = COLS;
    if view.usage.hidden > 0 {
        // Hidden sessions have no state: that count matters more than the oldest connection.
        let no_state = GroupColumn::State(6).index();
        let conn_age = GroupColumn::ConnAge.index();
        let p = cols[no_state].priority;
        cols[no_state].priority = cols[conn_age].priority;
        cols[conn_age].priority = p;
    }
    let longest = view
        .groups
        .iter()
        .map(|g| crate::text::width(&key_text(&g.key)))
        .chain([crate::text::width(view.grouping.label()) + 1])
        .max()
        .unwrap_or(0);
    let fit_to = Fit {
        width: usize::from(width),
        wide_from: 0,
    };
    let key = GroupColumn::Key.index();
    fit(&cols, chosen, fit_to, |i| if i == key { longest } else { 0 })
        .into_iter()
        .map(|(i, w)| (GroupColumn::ALL[i], w))
        .collect()
}

/// A group's name as drawn.
pub fn key_text(key: &GroupKey) -> String {
    match key.as_deref() {
        None => "(hidden)".to_owned(),
        Some("") => "(empty)".to_owned(),
        Some(k) => k.to_owned(),
    }
}
