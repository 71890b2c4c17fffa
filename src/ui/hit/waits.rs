//! Clicks in the Waits pane: a line of the Now list selects that wait group (by its label).
//! The list has no sort: it is ordered by sessions.

use ratatui::layout::Rect;

use super::{Pick, Target, line_in};
use crate::state::State;
use crate::state::waits::RowKey;
use crate::ui::panes::waits::{first_shown, heights};

pub(super) fn at(state: &State, body: Rect, y: u16) -> Target {
    let activity_ok = state.shown.as_deref().is_some_and(|s| s.activity.is_ok());
    let (rows, _) = heights(state, body.height);
    // The Now list: its title, its column header, then `rows` lines.
    let Some(line @ 2..) = line_in(body, y) else {
        return Target::Body;
    };
    if !activity_ok || line - 2 >= rows {
        return Target::Body;
    }
    let groups = &state.waits.groups;
    groups
        .get(first_shown(state, rows) + line - 2)
        .map_or(Target::Body, |g| {
            Target::Pick(Pick::Wait(RowKey::Wait(g.label.clone())))
        })
}
