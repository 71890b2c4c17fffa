//! Clicks in the Tables pane: a table's line selects it, a column header ranks by its key
//! (again: reverses), by the same lines, split, scroll and column fit as drawing.

use ratatui::layout::Rect;

use super::columns::COLUMNS;
use super::lines::{Kind, details, layout, list, scroll, split};
use super::model::SortKey;
use crate::hit::{Hit, Pick, Target};
use crate::state::State;

impl Hit for super::Def {
    type Key = u32;

    fn at(state: &State, body: Rect, x: u16, y: u16) -> Target {
        let Some(t) = state.tables_data() else {
            return Target::Body;
        };
        let view = &state.views.tables;
        let w = usize::from(body.width);
        let chosen = state.tables.get(crate::state::tables::Table::Tables);
        let top = list(t, view, chosen, w);
        let (list_h, _) = split(top.len(), details(t, view, w).len(), usize::from(body.height));
        let row = usize::from(y.saturating_sub(body.y));
        if row >= list_h {
            return Target::Body;
        }
        let from = scroll(&top, view.selected, list_h);
        let Some(line) = top.get(from + row) else {
            return Target::Body;
        };
        if line.kind == Kind::Header {
            let x = usize::from(x.saturating_sub(body.x));
            return crate::columns::at(&layout(chosen, w), 0, x)
                .and_then(|i| COLUMNS.get(i)?.sort)
                .map_or(Target::Body, Target::SortKey);
        }
        line.relid
            .map_or(Target::Body, |id| Target::Pick(Pick::Tables(id)))
    }

    /// The server ranks by the key: the next read brings the top 200 by it.
    fn sort_by(state: &mut State, key: u8) {
        let Some(&sort) = SortKey::ALL.get(usize::from(key)) else {
            return;
        };
        let v = &mut state.views.tables;
        if v.sort == sort {
            v.reverse = !v.reverse;
        } else {
            v.sort = sort;
            v.reverse = false;
        }
    }

    fn select(state: &mut State, key: u32) {
        if let Some(pos) = state.views.tables.model.rows.iter().position(|r| r.row.relid == key) {
            state.views.tables.cursor = pos;
        }
        state.views.tables.selected = Some(key);
    }
}
