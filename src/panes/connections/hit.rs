//! Clicks in the Connections pane: a group's line selects that group (by its key), a column
//! header of the groups sorts by it. The idle-in-transaction list below has no selection.

use ratatui::layout::Rect;

use crate::hit::{Hit, Pick, Target};
use crate::layout::line_in;
use crate::state::State;
use crate::state::tables::Table;
use super::layout::{areas, group_layout};

impl Hit for super::Def {
    type Key = super::groups::GroupKey;

    fn at(state: &State, body: Rect, x: u16, y: u16) -> Target {
        at(state, body, x, y)
    }

    fn select(state: &mut State, key: Self::Key) {
        state.views.connections.selected = Some(key);
    }
}

fn at(state: &State, body: Rect, x: u16, y: u16) -> Target {
    // Without activity rows the pane shows why instead of the table.
    if state.shown.as_deref().is_none_or(|s| s.activity.is_err()) {
        return Target::Body;
    }
    let view = &state.views.connections;
    let [_, table, _] = areas(view, body);
    let Some(line) = line_in(table, y) else {
        return Target::Body;
    };
    if line == 0 {
        let cols = group_layout(
            view,
            state.tables.get(Table::ConnectionsGroups),
            table.width,
        );
        return crate::columns::at(&cols, usize::from(table.x), usize::from(x))
            .map_or(Target::Body, Target::GroupHeader);
    }
    // The same clamp as drawing.
    let page = usize::from(table.height - 1);
    let offset = view.offset.min(view.groups.len().saturating_sub(page));
    view.groups
        .get(offset + line - 1)
        .map_or(Target::Body, |g| Target::Pick(Pick::Connections(g.key.clone())))
}
