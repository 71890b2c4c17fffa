//! Drawing the Replication pane (it reads the state only).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::config::theme::Theme;
use crate::state::State;
use crate::ui::pane::Draw;
use crate::ui::panes::replication;

impl Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        replication::draw(frame, area, state, theme);
    }

    fn summary(state: &State) -> String {
        replication::summary(state)
    }
}
