//! The Activity pane's keys: its rows are backends, so selection and actions follow the pid.

use crate::state::State;
use crate::action::Action;
use crate::update::pane::{Hint, Keys};

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::Details, "details"),
        (Action::Cancel, "cancel"),
        (Action::Terminate, "terminate"),
        (Action::Explain, "explain"),
        (Action::CopyQuery, "copy"),
        (Action::Tag, "tag"),
        (Action::RootBlocker, "root blocker"),
        (Action::ToggleIdle, "idle"),
        (Action::ToggleBackground, "background"),
        (Action::SortNext, "sort"),
    ];

    fn rebuild(state: &mut State, _focused: bool) {
        let page = state.page_rows();
        let snapshot = state.shown.clone();
        let backends = snapshot
            .as_deref()
            .and_then(|s| s.activity.as_ref().ok())
            .map_or(&[][..], |a| a.backends.as_slice());
        let now = state.server_now();
        state.views.activity.rebuild(backends, now, page);
    }

    fn move_by(state: &mut State, delta: isize) {
        move_by(state, delta);
    }

    fn selected_pid(state: &State) -> Option<i32> {
        state.views.activity.selected
    }
}

/// Moves the selection by `delta` rows of the table as shown.
pub fn move_by(state: &mut State, delta: isize) {
    let page = state.page_rows();
    let snapshot = state.shown.clone();
    let backends = snapshot
        .as_deref()
        .and_then(|s| s.activity.as_ref().ok())
        .map_or(&[][..], |a| a.backends.as_slice());
    state.views.activity.move_by(delta, backends, page);
}
