//! The Tables pane's keys: `<` `>` choose the sort key, `r` reverses it.

use crate::action::Action;
use crate::effect::Effect;
use crate::panes::tables::data::Tables;
use crate::snapshot::Snapshot;
use crate::state::State;
use crate::update::pane::{Hint, Keys};

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::ExactSize, "exact size"),
        (Action::SortNext, "sort"),
        (Action::SortReverse, "reverse"),
    ];

    fn on_snapshot(state: &mut State, new: &Snapshot, showing: bool) {
        if showing {
            let shown = state.shown.clone();
            state
                .views
                .tables
                .follow(shown.as_deref().and_then(tables_of), tables_of(new));
        }
    }

    fn rebuild(state: &mut State, _focused: bool) {
        let shown = state.shown.clone();
        state
            .views
            .tables
            .rebuild(shown.as_deref().and_then(tables_of));
    }

    fn move_by(state: &mut State, delta: isize) {
        state.views.tables.move_by(delta);
    }

    fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
        match action {
            Action::SortNext => state.views.tables.cycle_sort(true),
            Action::SortPrev => state.views.tables.cycle_sort(false),
            Action::SortReverse => state.views.tables.reverse = !state.views.tables.reverse,
            // Measured by the control task on its own connection to the same database.
            Action::ExactSize => {
                let view = &state.views.tables;
                return Some(
                    view.selected
                        .map(|relid| {
                            vec![Effect::Control(crate::effect::Job::ExactSize {
                                relid,
                                datname: view.database.clone(),
                            })]
                        })
                        .unwrap_or_default(),
                );
            }
            Action::NextDatabase => {
                let list = state
                    .tables_data()
                    .and_then(|t| t.databases.as_ref().ok())
                    .cloned()
                    .unwrap_or_default();
                let shown = state
                    .tables_data()
                    .and_then(|t| t.meta.as_ref().ok())
                    .map(|m| m.datname.clone());
                state.views.tables.next_database(&list, shown.as_deref());
            }
            _ => return None,
        }
        Self::rebuild(state, true);
        Some(Vec::new())
    }
}

/// The Tables data of a snapshot, when the pane was collected.
pub fn tables_of(s: &Snapshot) -> Option<&Tables> {
    s.panes
        .tables
        .as_ref()
        .and_then(|p| p.as_ref().ok())
        .map(AsRef::as_ref)
}

impl State {
    /// The Tables data of the shown snapshot, when the pane was collected.
    pub fn tables_data(&self) -> Option<&Tables> {
        self.shown.as_deref().and_then(tables_of)
    }
}
