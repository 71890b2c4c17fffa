//! What drawing asks of every pane, through the registry: its body, its summary for the tab
//! line, and what is drawn at a cell (from the same layout functions the drawing uses).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::hit::Target;
use crate::config::theme::Theme;
use crate::panes::Pane;
use crate::state::State;

pub trait Draw {
    /// Draws the pane's body into `area`, reading the state only.
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme);

    /// One line for the tab line: what the pane shows in a few words.
    fn summary(state: &State) -> String;

    /// What a click at (`x`, `y`) inside `body` means (a selectable row, a column header...).
    fn hit(state: &State, body: Rect, x: u16, y: u16) -> Target;
}

macro_rules! dispatch {
    ($(($n:literal, $variant:ident, $module:ident)),* $(,)?) => {
        pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
            match state.pane {
                $(Pane::$variant => <crate::panes::$module::Def as Draw>::draw(frame, area, state, theme),)*
            }
        }

        pub fn summary(state: &State) -> String {
            match state.pane {
                $(Pane::$variant => <crate::panes::$module::Def as Draw>::summary(state),)*
            }
        }

        pub fn hit(state: &State, body: Rect, x: u16, y: u16) -> Target {
            match state.pane {
                $(Pane::$variant => <crate::panes::$module::Def as Draw>::hit(state, body, x, y),)*
            }
        }
    };
}
crate::panes::for_each_pane!(dispatch);
