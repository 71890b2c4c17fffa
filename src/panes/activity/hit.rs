//! Clicks in the Activity pane: a column header sorts by it, a row selects its backend.

use ratatui::layout::Rect;

use super::layout::view_layout;
use crate::hit::{Hit, Target};
use crate::state::State;

impl Hit for super::Def {
    /// Activity's rows and headers are `Target::Row` and `Target::Header`.
    type Key = std::convert::Infallible;

    /// The Activity table: its header line, then one line per row from the scroll offset.
    fn at(state: &State, body: Rect, x: u16, y: u16) -> Target {
        let view = &state.views.activity;
        if y == body.y {
            let cols = view_layout(body.width, view);
            return crate::columns::at(&cols, usize::from(body.x), usize::from(x))
                .map_or(Target::Body, Target::Header);
        }
        let page = usize::from(body.height.saturating_sub(1));
        // The same clamp as drawing.
        let offset = view.offset.min(view.rows.len().saturating_sub(page));
        let index = offset + usize::from(y - body.y - 1);
        if index < view.rows.len() {
            Target::Row(index)
        } else {
            Target::Body
        }
    }

    fn select(_: &mut State, key: Self::Key) {
        match key {}
    }
}
