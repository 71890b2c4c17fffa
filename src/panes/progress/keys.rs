//! The Progress pane's keys: operations and horizon holders are selectable by their backend.

use crate::snapshot::Snapshot;
use crate::snapshot::progress::Progress;
use crate::state::State;
use crate::state::progress::RowKey;
use crate::update::pane::Keys;

impl Keys for super::Def {
    /// ETAs come from the previously shown snapshot and the new one.
    fn on_snapshot(state: &mut State, new: &Snapshot, showing: bool) {
        if showing {
            let prev = state.shown.as_deref().and_then(progress_of);
            state.progress.update_etas(prev, progress_of(new));
        }
    }

    fn rebuild(state: &mut State, _focused: bool) {
        let snapshot = state.shown.clone();
        state
            .progress
            .rebuild(snapshot.as_deref().and_then(progress_of));
    }

    fn move_by(state: &mut State, delta: isize) {
        state.progress.move_by(delta);
    }

    fn selected_pid(state: &State) -> Option<i32> {
        state.progress.selected.map(RowKey::pid)
    }
}

/// The Progress data of a snapshot, when the pane was collected.
pub fn progress_of(s: &Snapshot) -> Option<&Progress> {
    s.panes.progress.as_ref().and_then(|p| p.as_ref().ok())
}
