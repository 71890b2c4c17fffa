//! Clicks in the Waits pane: a line of the Now list selects that wait group (by its label), a
//! line of the history's top waits or top queries selects that wait or query (by its key).
//! The lists have no sort: they are ordered by sessions.

use ratatui::layout::Rect;

use crate::hit::{Hit, Pick, Target};
use crate::layout::line_in;
use crate::state::State;
use crate::panes::waits::view::RowKey;
use super::layout::{areas, first_shown, heights, key_at, tops};

impl Hit for super::Def {
    type Key = super::view::RowKey;

    fn at(state: &State, body: Rect, x: u16, y: u16) -> Target {
        at(state, body, x, y)
    }

    fn select(state: &mut State, key: Self::Key) {
        state.views.waits.selected = Some(key);
    }
}

fn at(state: &State, body: Rect, x: u16, y: u16) -> Target {
    let (rows, chart) = heights(state, body.height);
    let [now, history] = areas(state, body);
    if line_in(now, y).is_some() {
        return now_at(state, body, y, rows);
    }
    tops(state, history, chart)
        .and_then(|(area, window)| key_at(state, window, area, x, y))
        .map_or(Target::Body, |key| Target::Pick(Pick::Waits(key)))
}

/// The Now list: its title, its column header, then `rows` lines.
fn now_at(state: &State, body: Rect, y: u16, rows: usize) -> Target {
    let activity_ok = state.shown.as_deref().is_some_and(|s| s.activity.is_ok());
    let Some(line @ 2..) = line_in(body, y) else {
        return Target::Body;
    };
    if !activity_ok || line - 2 >= rows {
        return Target::Body;
    }
    let groups = &state.views.waits.groups;
    groups
        .get(first_shown(state, rows) + line - 2)
        .map_or(Target::Body, |g| {
            Target::Pick(Pick::Waits(RowKey::Wait(g.label.clone())))
        })
}
