//! Clicks in the Statements pane: a row selects its statement, by its entry's key.

use ratatui::layout::Rect;

use super::draw::HEAD;
use crate::hit::{Hit, Pick, Target};
use crate::layout::line_in;
use crate::state::State;

impl Hit for super::Def {
    type Key = super::Key;

    fn at(state: &State, body: Rect, _x: u16, y: u16) -> Target {
        let v = &state.statements;
        let head = usize::from(HEAD);
        let Some(line) = line_in(body, y).filter(|l| *l >= head) else {
            return Target::Body;
        };
        let height = usize::from(body.height.saturating_sub(HEAD));
        v.rows
            .get(v.first_shown(height) + line - head)
            .map_or(Target::Body, |r| Target::Pick(Pick::Statements(r.key)))
    }

    fn select(state: &mut State, key: Self::Key) {
        let v = &mut state.statements;
        if let Some(i) = v.rows.iter().position(|r| r.key == key) {
            v.cursor = i;
            v.selected = Some(key);
        }
    }
}
