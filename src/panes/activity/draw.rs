//! Drawing the Activity pane (it reads the state only).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::config::theme::Theme;
use crate::state::State;
use crate::ui::pane::Draw;
use crate::ui::panes::activity;

impl Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        activity::draw(frame, area, state, theme);
    }

    fn summary(state: &State) -> String {
        activity::summary(state)
    }
}
