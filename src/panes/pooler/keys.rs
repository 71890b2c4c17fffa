//! The Pooler pane in update: a pooler read arriving, its link, the server-row selection and
//! Enter on a joined server row, which selects its backend in Activity.

use std::sync::Arc;

use crate::action::Action;
use crate::panes::Pane;
use crate::pooler::{Pooler, join, rates, saturation};
use crate::snapshot::Link;
use crate::state::State;
use crate::update::Effect;
use crate::update::pane::Keys;

/// A read from the pooler task; frozen like snapshots while paused.
pub fn on_read(state: &mut State, read: Arc<Pooler>) {
    state.pooler.link = Link::Connected;
    if state.paused {
        return;
    }
    let view = &mut state.pooler;
    view.rates = view
        .latest
        .as_deref()
        .map(|prev| rates::compute(prev, &read))
        .unwrap_or_default();
    view.saturation = Some(saturation::compute(&read));
    view.latest = Some(read);
    rejoin(state);
}

pub fn on_link(state: &mut State, link: Link) {
    state.pooler.link = link;
}

/// Server rows of the read on screen.
pub fn servers(state: &State) -> &[crate::pooler::model::Conn] {
    state
        .pooler
        .latest
        .as_deref()
        .and_then(|p| p.servers.as_ref().ok())
        .map_or(&[], Vec::as_slice)
}

fn rejoin(state: &mut State) {
    let activity = state.shown.as_deref().and_then(|s| s.activity.as_ref().ok());
    let joined = join::join(servers(state), activity);
    let n = servers(state).len();
    state.pooler.join = joined;
    state.pooler.selected = state.pooler.selected.min(n.saturating_sub(1));
}

fn joined_pid(state: &State) -> Option<i32> {
    match state.pooler.join.rows.get(state.pooler.selected)? {
        Some(join::BackendJoin::Joined { pid, .. }) => Some(*pid),
        _ => None,
    }
}

impl Keys for super::Def {
    fn rebuild(state: &mut State, _focused: bool) {
        rejoin(state);
    }

    fn move_by(state: &mut State, delta: isize) {
        let n = servers(state).len();
        let cur = state.pooler.selected as isize;
        let next = cur.saturating_add(delta).clamp(0, n.saturating_sub(1) as isize);
        state.pooler.selected = next as usize;
    }

    fn selected_pid(state: &State) -> Option<i32> {
        joined_pid(state)
    }

    /// Enter on a joined server row: its backend, selected in Activity (a filter hiding it
    /// is cleared). On a row without a backend Enter does nothing.
    fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
        if action != Action::Details {
            return None;
        }
        let Some(pid) = joined_pid(state) else {
            state.message = Some("no backend joined to this server connection".to_owned());
            return Some(Vec::new());
        };
        let backend = state.backends().iter().find(|b| b.pid == pid).cloned();
        let view = &mut state.activity;
        if let Some(b) = backend {
            if !view.filter.matches(&b) {
                view.filter = crate::state::filter::Filter::default();
            }
            view.show_idle |= b.state.as_deref() == Some("idle");
        }
        view.selected = Some(pid);
        crate::update::rebuild(state);
        Some(crate::update::focus(state, Pane::Activity))
    }
}
