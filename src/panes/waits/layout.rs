//! Where the Waits pane's parts go: the Now list, the history's timeline and its top lists, and
//! the line each list shows first. Pure, read by drawing and by a click.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::panes::waits::data::{Waits, Window};
use crate::state::State;
use crate::panes::waits::view::RowKey;

/// The pane's `area` split into the Now list (title and header included) and the history.
pub fn areas(state: &State, area: Rect) -> [Rect; 2] {
    let (now_rows, _) = heights(state, area.height);
    Layout::vertical([
        Constraint::Length(u16::try_from(now_rows + 2).unwrap_or(u16::MAX)),
        Constraint::Min(0),
    ])
    .areas(area)
}

/// Rows of the Now list and lines of the timeline in a body `height` lines high.
pub fn heights(state: &State, height: u16) -> (usize, usize) {
    // Fixed lines: Now title and header, history title and legend, top lists header.
    let rest = usize::from(height).saturating_sub(5);
    let chart = (rest / 3).clamp(2, 10).min(rest);
    let groups = state.views.waits.groups.len().max(1);
    let now_rows = groups.min(((rest - chart) / 2).max(1)).min(rest - chart);
    (now_rows, chart)
}

/// The first Now group shown in `rows` rows: the window ends at the selected one.
pub fn first_shown(state: &State, rows: usize) -> usize {
    let v = &state.views.waits;
    let selected = v
        .groups
        .iter()
        .position(|g| v.selected.as_ref() == Some(&RowKey::Wait(g.label.clone())));
    selected.map_or(0, |s| (s + 1).saturating_sub(rows))
}

/// Cells left of the chart for the axis labels.
pub const AXIS: usize = 6;

/// The history's `area` split into the lines above the top lists (title, the sampler's error,
/// the timeline, the legend) and the top lists.
pub fn history_split(area: Rect, waits: &Waits, chart: usize) -> [Rect; 2] {
    let timeline = if usize::from(area.width) > AXIS {
        chart
    } else {
        0
    };
    let used = 2 + usize::from(waits.sampler.error.is_some()) + timeline;
    let used = u16::try_from(used).unwrap_or(u16::MAX);
    Layout::vertical([Constraint::Length(used), Constraint::Min(0)]).areas(area)
}

/// Where the top lists are drawn in the history's `area`, and the window they show; `None`
/// when they are not drawn.
pub fn tops(state: &State, area: Rect, chart: usize) -> Option<(Rect, &Window)> {
    let waits = state.waits_data()?;
    if !waits.sampler.enabled {
        return None;
    }
    let window = state.views.waits.shown_window(Some(waits))?;
    let [_, tables] = history_split(area, waits, chart);
    Some((tables, window))
}

/// Width of the top waits list when there is room for both lists side by side.
const WAITS_WIDTH: u16 = 40;

/// Narrower than this, only the top queries are shown.
const SIDE_BY_SIDE: u16 = 100;

/// The top waits (on wide terminals) and the top queries, in the history's `area` under the
/// timeline.
pub fn tops_split(area: Rect) -> (Option<Rect>, Rect) {
    if area.width >= SIDE_BY_SIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Length(WAITS_WIDTH), Constraint::Min(0)]).areas(area);
        (Some(left), right)
    } else {
        (None, area)
    }
}

/// The first of a list's rows shown in `rows` lines: the window ends at the selected row.
pub fn list_start(selected: Option<usize>, rows: usize) -> usize {
    selected.map_or(0, |s| (s + 1).saturating_sub(rows))
}

pub fn selected_wait(state: &State, w: &Window) -> Option<usize> {
    match &state.views.waits.selected {
        Some(RowKey::TopWait(label)) => w.events.iter().position(|e| e.label == *label),
        _ => None,
    }
}

pub fn selected_query(state: &State, w: &Window) -> Option<usize> {
    match &state.views.waits.selected {
        Some(RowKey::Query(key)) => w.queries.iter().position(|q| q.key == *key),
        _ => None,
    }
}

/// The line of a list drawn in `area` at `y`: its row, past the one heading line.
fn row_at(area: Rect, y: u16, selected: Option<usize>) -> Option<usize> {
    if y <= area.y || y >= area.y + area.height {
        return None;
    }
    let rows = usize::from(area.height - 1);
    Some(list_start(selected, rows) + usize::from(y - area.y - 1))
}

/// The key of the line drawn at (`x`, `y`) of the tables' `area`, if it is a top wait or query.
pub fn key_at(state: &State, w: &Window, area: Rect, x: u16, y: u16) -> Option<RowKey> {
    let (left, right) = tops_split(area);
    if let Some(left) = left
        && x < left.x + left.width
    {
        let e = w.events.get(row_at(left, y, selected_wait(state, w))?)?;
        return Some(RowKey::TopWait(e.label.clone()));
    }
    let q = w.queries.get(row_at(right, y, selected_query(state, w))?)?;
    Some(RowKey::Query(q.key.clone()))
}
