//! Clicks in the Progress pane: operations and horizon holders select their backend. The
//! sections are planned from their shapes, as drawing plans them; the tables have no sort.

use ratatui::layout::Rect;

use super::layout::shapes;
use crate::hit::{Hit, Pick, Target};
use crate::layout::slot_at;
use crate::state::State;
use crate::panes::progress::view::RowKey;

impl Hit for super::Def {
    type Key = super::view::RowKey;

    fn at(state: &State, body: Rect, _x: u16, y: u16) -> Target {
        let Some(p) = state.progress_data() else {
            return Target::Body;
        };
        let key = match slot_at(&shapes(p, state.views.progress.selected), body, y) {
            Some((0, row)) => p
                .ops
                .as_ref()
                .ok()
                .and_then(|o| o.get(row))
                .map(|o| RowKey::Op {
                    pid: o.pid,
                    kind: o.kind,
                }),
            Some((1, row)) => p
                .horizon
                .as_ref()
                .ok()
                .and_then(|h| h.get(row)?.pid)
                .map(|pid| RowKey::Holder { pid }),
            _ => None,
        };
        key.map_or(Target::Body, |k| Target::Pick(Pick::Progress(k)))
    }

    fn select(state: &mut State, key: Self::Key) {
        state.views.progress.selected = Some(key);
    }
}
