//! The Replication pane's keys: senders, slots and subscriptions are selectable by name.

use crate::snapshot::Snapshot;
use crate::panes::replication::data::Replication;
use crate::state::State;
use crate::action::Action;
use crate::update::pane::{Hint, Keys};

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::Details, "details"),
        (Action::Cancel, "cancel"),
        (Action::Terminate, "terminate"),
    ];

    /// The lag history grows with each snapshot shown.
    fn on_snapshot(state: &mut State, new: &Snapshot, showing: bool) {
        if showing {
            state.views.replication.observe(replication_of(new));
        }
    }

    fn rebuild(state: &mut State, _focused: bool) {
        let snapshot = state.shown.clone();
        state
            .views
            .replication
            .rebuild(snapshot.as_deref().and_then(replication_of));
    }

    fn move_by(state: &mut State, delta: isize) {
        state.views.replication.move_by(delta);
    }

    fn selected_pid(state: &State) -> Option<i32> {
        state.views.replication.selected_pid()
    }
}

/// The Replication data of a snapshot, when the pane was collected.
pub fn replication_of(s: &Snapshot) -> Option<&Replication> {
    s.panes
        .replication
        .as_ref()
        .and_then(|r| r.as_ref().ok())
        .map(AsRef::as_ref)
}
