//! The Progress pane's keys: operations and horizon holders are selectable by their backend.

use crate::snapshot::Snapshot;
use crate::panes::progress::data::Progress;
use crate::state::State;
use super::view::{RowKey, horizon_culprit};
use crate::action::Action;
use crate::update::pane::{Hint, Keys};

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::ShowHorizonHolder, "horizon holder"),
        (Action::Details, "details"),
        (Action::Cancel, "cancel"),
        (Action::Terminate, "terminate"),
    ];

    /// ETAs come from the previously shown snapshot and the new one.
    fn on_snapshot(state: &mut State, new: &Snapshot, showing: bool) {
        if showing {
            let prev = state.shown.as_deref().and_then(progress_of);
            state.views.progress.update_etas(prev, progress_of(new));
        }
    }

    fn rebuild(state: &mut State, _focused: bool) {
        let snapshot = state.shown.clone();
        state
            .views
            .progress
            .rebuild(snapshot.as_deref().and_then(progress_of));
    }

    fn move_by(state: &mut State, delta: isize) {
        state.views.progress.move_by(delta);
    }

    fn selected_pid(state: &State) -> Option<i32> {
        state.views.progress.selected.map(RowKey::pid)
    }
}

/// The Progress data of a snapshot, when the pane was collected.
pub fn progress_of(s: &Snapshot) -> Option<&Progress> {
    s.panes.progress.as_ref().and_then(|p| p.as_ref().ok())
}

impl State {
    /// The Progress data of the shown snapshot, when the pane was collected.
    pub fn progress_data(&self) -> Option<&Progress> {
        self.shown
            .as_deref()
            .and_then(|s| s.panes.progress.as_ref())
            .and_then(|p| p.as_ref().ok())
    }

    /// Selects the horizon's culprit session in the Activity view and makes sure the view shows
    /// it (idle sessions and background processes such as walsenders are hidden by default).
    /// False when no session holds the horizon.
    pub fn select_horizon_culprit(&mut self) -> bool {
        let Some(pid) = self.progress_data().and_then(horizon_culprit) else {
            return false;
        };
        let backend = self.backends().iter().find(|b| b.pid == pid).cloned();
        let now = self.server_now();
        let view = &mut self.views.activity;
        if let Some(b) = backend {
            if !view.filter.matches(&b, now) {
                view.filter = crate::state::filter::Filter::default();
            }
            view.show_idle |= b.state.as_deref() == Some("idle");
            view.show_background |= !b.is_client();
        }
        view.selected = Some(pid);
        true
    }
}
