//! The Waits pane's keys: its rows are wait groups and query shapes; Enter opens their
//! sessions in Activity.

use crate::state::State;
use crate::action::Action;
use crate::update::pane::{Hint, Keys};
use crate::state::filter::Filter;
use super::data::Waits;

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::CycleWaitsWindow, "window"),
        (Action::Details, "sessions"),
    ];

    /// Only when shown, like Connections: grouping every session is not free.
    fn rebuild(state: &mut State, focused: bool) {
        if focused {
            let snapshot = state.shown.clone();
            // The filter narrows what is waited on now; the sampled history is server-wide.
            let activity = snapshot.as_deref().and_then(|s| s.activity.as_ref().ok());
            let (all, now) = activity.map_or((&[][..], 0), |a| (a.backends.as_slice(), a.now));
            let backends = state.views.activity.narrowed(all, now);
            let waits = snapshot.as_deref().and_then(waits_of);
            state.views.waits.rebuild(&backends, waits);
        }
    }

    fn move_by(state: &mut State, delta: isize) {
        let snapshot = state.shown.clone();
        state
            .views
            .waits
            .move_by(delta, snapshot.as_deref().and_then(waits_of));
    }

    fn drill_in(state: &mut State) -> Option<bool> {
        Some(state.drill_into_wait())
    }
}

/// The Waits summary of a snapshot, when the pane was collected.
pub fn waits_of(s: &crate::snapshot::Snapshot) -> Option<&crate::panes::waits::data::Waits> {
    s.panes
        .waits
        .as_ref()
        .and_then(|w| w.as_ref().ok())
        .map(AsRef::as_ref)
}

impl State {
    /// The Waits summary of the shown snapshot, when the pane was collected.
    pub fn waits_data(&self) -> Option<&Waits> {
        self.shown
            .as_deref()
            .and_then(|s| s.panes.waits.as_ref())
            .and_then(|w| w.as_ref().ok())
            .map(AsRef::as_ref)
    }

    /// Enter on a wait group or a top query: the Activity pane filtered to its sessions.
    /// False when the selection has no filter (nothing selected, or "other queries").
    pub fn drill_into_wait(&mut self) -> bool {
        let Some(text) = self.views.waits.drill_filter() else {
            return false;
        };
        let view = &mut self.views.activity;
        view.filter = Filter::parse(&text);
        view.show_background = true;
        view.selected = None;
        view.cursor = 0;
        view.offset = 0;
        true
    }
}
