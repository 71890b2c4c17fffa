//! The Pooler pane's keys: a selection over pools, servers and clients, and Enter on a server
//! row joined to its backend (or on a client holding such a server), which selects that
//! backend in Activity.

use super::feed::rejoin;
use crate::pooler::join;
use crate::state::State;
use crate::action::Action;
use crate::update::pane::{Hint, Keys};

fn joined_pid(state: &State) -> Option<i32> {
    let server = state.views.pooler.selected_server()?;
    match state.views.pooler.join.rows.get(server)? {
        Some(join::BackendJoin::Joined { pid, .. }) => Some(*pid),
        _ => None,
    }
}

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::Details, "backend"),
    ];

    fn rebuild(state: &mut State, _focused: bool) {
        rejoin(state);
    }

    fn move_by(state: &mut State, delta: isize) {
        state.views.pooler.move_by(delta);
    }

    fn selected_pid(state: &State) -> Option<i32> {
        joined_pid(state)
    }

    /// Enter on a joined server row: its backend, selected in Activity (a filter hiding it
    /// is cleared); update then opens Activity. On a row without a backend Enter says so.
    fn drill_in(state: &mut State) -> Option<bool> {
        let Some(pid) = joined_pid(state) else {
            state.message = Some("no backend joined to this row".to_owned());
            return Some(false);
        };
        let backend = state.backends().iter().find(|b| b.pid == pid).cloned();
        let now = state.server_now();
        let view = &mut state.views.activity;
        if let Some(b) = backend {
            if !view.filter.matches(&b, now) {
                view.filter = crate::state::filter::Filter::default();
            }
            view.show_idle |= b.state.as_deref() == Some("idle");
        }
        view.selected = Some(pid);
        Some(true)
    }
}
