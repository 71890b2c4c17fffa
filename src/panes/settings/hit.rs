//! Clicks in the Settings pane: a parameter's line selects it, by the same lines and scroll
//! as drawing.

use ratatui::layout::Rect;

use super::lines::{lines, scroll};
use crate::hit::{Hit, Pick, Target};
use crate::state::State;

impl Hit for super::Def {
    type Key = String;

    fn at(state: &State, body: Rect, _x: u16, y: u16) -> Target {
        let Some(s) = state.settings_data() else {
            return Target::Body;
        };
        let all = lines(
            s,
            &state.views.settings,
            state.tables.get(crate::state::tables::Table::Settings),
            usize::from(body.width));
        let top = scroll(&all, state.views.settings.selected.as_deref(), usize::from(body.height));
        let at = top + usize::from(y.saturating_sub(body.y));
        match all.get(at).and_then(|l| l.name.clone()) {
            Some(name) => Target::Pick(Pick::Settings(name)),
            None => Target::Body,
        }
    }

    fn select(state: &mut State, key: String) {
        if let Some(pos) = state.views.settings.rows.iter().position(|r| *r == key) {
            state.views.settings.cursor = pos;
        }
        state.views.settings.selected = Some(key);
    }
}
