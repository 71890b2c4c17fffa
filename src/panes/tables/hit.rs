//! Clicks in the Tables pane: a table's line selects it, by the same lines, split and scroll
//! as drawing.

use ratatui::layout::Rect;

use super::lines::{details, list, scroll, split};
use crate::hit::{Hit, Pick, Target};
use crate::state::State;

impl Hit for super::Def {
    type Key = u32;

    fn at(state: &State, body: Rect, _x: u16, y: u16) -> Target {
        let Some(t) = state.tables_data() else {
            return Target::Body;
        };
        let view = &state.tables_pane;
        let w = usize::from(body.width);
        let chosen = state.tables.get(crate::state::tables::Table::Tables);
        let top = list(t, view, chosen, w);
        let (list_h, _) = split(top.len(), details(t, view, w).len(), usize::from(body.height));
        let row = usize::from(y.saturating_sub(body.y));
        if row >= list_h {
            return Target::Body;
        }
        let from = scroll(&top, view.selected, list_h);
        match top.get(from + row).and_then(|l| l.relid) {
            Some(id) => Target::Pick(Pick::Tables(id)),
            None => Target::Body,
        }
    }

    fn select(state: &mut State, key: u32) {
        if let Some(pos) = state.tables_pane.model.rows.iter().position(|r| r.row.relid == key) {
            state.tables_pane.cursor = pos;
        }
        state.tables_pane.selected = Some(key);
    }
}
