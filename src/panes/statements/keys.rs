//! The Statements pane's keys: `<` `>` choose the sorted figure, `r` reverses it, `w` cycles
//! interval, 1/5/15 minute windows and cumulative totals; rows are selected by entry.

use super::Outcome;
use crate::action::Action;
use crate::snapshot::{PaneError, Snapshot};
use crate::state::State;
use crate::update::Effect;
use crate::update::pane::Keys;

impl Keys for super::Def {
    /// Rates come from consecutive reads: every new read is observed, shown or not.
    fn on_snapshot(state: &mut State, new: &Snapshot, _showing: bool) {
        if let Some(Ok(Outcome::Ready(s))) = &new.panes.statements {
            state.statements.observe(&s.read);
        }
    }

    fn rebuild(state: &mut State, focused: bool) {
        if focused {
            state.statements.rebuild();
        }
    }

    fn move_by(state: &mut State, delta: isize) {
        state.statements.move_by(delta);
    }

    fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
        let view = &mut state.statements;
        match action {
            Action::SortNext | Action::SortPrev => {
                view.sort = view.sort.step(action == Action::SortNext);
                view.ascending = false;
            }
            Action::SortReverse => view.ascending = !view.ascending,
            Action::CycleWaitsWindow => view.mode = view.mode.next(),
            _ => return None,
        }
        view.rebuild();
        Some(Vec::new())
    }
}

impl State {
    /// The pane's part of the shown snapshot: `None` before it was read.
    pub fn statements_part(&self) -> Option<&Result<Outcome, PaneError>> {
        self.shown.as_deref()?.panes.statements.as_ref()
    }
}
