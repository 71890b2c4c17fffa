//! Clicks in the Statements pane: a column header sorts by its figure (again: reverses), a row
//! selects its statement, by its entry's key. The header's columns come from the same fit as
//! the drawing's.

use ratatui::layout::Rect;

use super::columns::{RATES, TOTALS};
use super::draw::HEAD;
use super::view::Sort;
use crate::hit::{Hit, Pick, Target};
use crate::layout::line_in;
use crate::state::State;
use crate::state::tables::Table;
use crate::ui::panes::section_table::{Col, layout};

impl Hit for super::Def {
    type Key = super::Key;

    fn at(state: &State, body: Rect, x: u16, y: u16) -> Target {
        let v = &state.views.statements;
        let head = usize::from(HEAD);
        let Some(line) = line_in(body, y) else {
            return Target::Body;
        };
        if v.details {
            return Target::Body;
        }
        if line + 1 == head {
            return header_at(state, body, x);
        }
        if line < head {
            return Target::Body;
        }
        let height = usize::from(body.height.saturating_sub(HEAD));
        v.rows
            .get(v.first_shown(height) + line - head)
            .map_or(Target::Body, |r| Target::Pick(Pick::Statements(r.key)))
    }

    fn select(state: &mut State, key: Self::Key) {
        let v = &mut state.views.statements;
        if let Some(i) = v.rows.iter().position(|r| r.key == key) {
            v.cursor = i;
            v.selected = Some(key);
        }
    }

    fn sort_by(state: &mut State, key: u8) {
        let Some(&sort) = Sort::ALL.get(usize::from(key)) else {
            return;
        };
        let v = &mut state.views.statements;
        if v.sort == sort {
            v.ascending = !v.ascending;
        } else {
            v.sort = sort;
            v.ascending = false;
        }
    }
}

/// The sort key of the column header drawn at `x`, as `draw` lays the header out.
fn header_at(state: &State, body: Rect, x: u16) -> Target {
    let cols: &[Col] = if state.views.statements.mode.rates() {
        &RATES
    } else {
        &TOTALS
    };
    let lay = layout(cols, state.tables.get(Table::Statements), body.width);
    let mut left = usize::from(body.x);
    for (i, w) in lay {
        if (left..left + w).contains(&usize::from(x)) {
            return cols[i].sort.map_or(Target::Body, Target::SortKey);
        }
        left += w + 1;
    }
    Target::Body
}
