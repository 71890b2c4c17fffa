//! What drawing asks of every pane, through the registry: its body and its summary for the
//! tab line. What is drawn at a cell is `crate::hit`'s, from the same layout functions.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::config::theme::Theme;
use crate::panes::Pane;
use crate::state::State;

pub trait Draw {
    /// Draws the pane's body into `area`, reading the state only.
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme);

    /// One line for the tab line: what the pane shows in a few words.
    fn summary(state: &State) -> String;
}

macro_rules! dispatch {
    ($(($n:literal, $key:literal, $variant:ident, $module:ident, $short:literal)),* $(,)?) => {
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

    };
}
crate::panes::for_each_pane!(dispatch);
