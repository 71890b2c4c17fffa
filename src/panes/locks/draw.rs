//! Drawing the Locks pane (it reads the state only), and what is drawn where.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::config::theme::Theme;
use crate::state::State;
use crate::ui::hit::Target;
use crate::ui::pane::Draw;
use crate::ui::panes::locks;

impl Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        locks::draw(frame, area, state, theme);
    }

    fn summary(state: &State) -> String {
        locks::summary(state)
    }

    fn hit(state: &State, body: Rect, x: u16, y: u16) -> Target {
        let _ = x; // rows span the width
        crate::ui::hit::locks::at(state, body, y)
    }
}
