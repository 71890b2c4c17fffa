//! Drawing the Progress pane (it reads the state only), and what is drawn where.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::config::theme::Theme;
use crate::state::State;
use crate::ui::hit::Target;
use crate::ui::pane::Draw;
use crate::ui::panes::progress;

impl Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        progress::draw(frame, area, state, theme);
    }

    fn summary(state: &State) -> String {
        progress::summary(state)
    }

    fn hit(state: &State, body: Rect, x: u16, y: u16) -> Target {
        let _ = x; // rows span the width
        crate::ui::hit::sections::progress_at(state, body, y)
    }
}
