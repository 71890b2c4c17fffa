//! The Waits pane's keys: its rows are wait groups and query shapes; Enter opens their
//! sessions in Activity.

use crate::state::State;
use crate::update::pane::Keys;

impl Keys for super::Def {
    /// Only when shown, like Connections: grouping every session is not free.
    fn rebuild(state: &mut State, focused: bool) {
        if focused {
            let snapshot = state.shown.clone();
            let backends = snapshot
                .as_deref()
                .and_then(|s| s.activity.as_ref().ok())
                .map_or(&[][..], |a| a.backends.as_slice());
            let waits = snapshot.as_deref().and_then(waits_of);
            state.waits.rebuild(backends, waits);
        }
    }

    fn move_by(state: &mut State, delta: isize) {
        let snapshot = state.shown.clone();
        state
            .waits
            .move_by(delta, snapshot.as_deref().and_then(waits_of));
    }

    fn drill_in(state: &mut State) -> Option<bool> {
        Some(state.drill_into_wait())
    }
}

/// The Waits summary of a snapshot, when the pane was collected.
pub fn waits_of(s: &crate::snapshot::Snapshot) -> Option<&crate::snapshot::waits::Waits> {
    s.panes
        .waits
        .as_ref()
        .and_then(|w| w.as_ref().ok())
        .map(AsRef::as_ref)
}
