//! Keys with a meaning for the blocking tree: moving in the tree or the lock list, switching
//! between them, the jump to the root blocker, and refusing signals to a prepared transaction.

use std::fmt::Write as _;

use super::{Effect, focus, rebuild};
use crate::action::Action;
use crate::state::locks::split;
use crate::state::locks_tree::{self, NodeKey};
use crate::state::{Pane, State};

/// The Locks pane's keys; `None` passes the action on to the global keys.
pub(super) fn on_pane_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    match action {
        Action::ToggleLockList => {
            state.locks.show_list = !state.locks.show_list;
            Some(Vec::new())
        }
        Action::Cancel | Action::Terminate => {
            let NodeKey::Prepared(gid) = &state.locks.selected_row()?.key else {
                return None;
            };
            // No backend to signal: its locks go away only when it is finished by hand.
            state.message = Some(format!(
                "prepared xact '{gid}' has no backend to signal: end it with COMMIT PREPARED or ROLLBACK PREPARED '{gid}'"
            ));
            Some(Vec::new())
        }
        _ => None,
    }
}

pub(super) fn move_by(state: &mut State, delta: isize) {
    let (tree, detail) = split(state.size.1);
    let page = if state.locks.show_list {
        tree + detail
    } else {
        tree
    };
    let groups = state
        .shown
        .as_deref()
        .and_then(|s| s.locks.as_ref())
        .and_then(|l| l.as_ref().ok())
        .map_or(0, |l| l.groups.len());
    state.locks.move_by(delta, page, groups);
}

fn label(key: &NodeKey) -> String {
    match key {
        NodeKey::Pid(pid) => format!("pid {pid}"),
        NodeKey::Prepared(gid) => format!("prepared xact '{gid}'"),
    }
}

/// Selects the root blocker where the operator is: in Activity its row (so cancel/terminate
/// act on it at once), in Locks its node. A root that Activity cannot show (a prepared
/// transaction, or a row hidden by the filter) is shown in the Locks pane instead.
pub(super) fn jump_to_root(state: &mut State) -> Vec<Effect> {
    let key = match state.pane {
        Pane::Locks => state.locks.selected_row().map(|r| r.key.clone()),
        _ => state.selected_pid().map(NodeKey::Pid),
    };
    let Some(key) = key else {
        state.message = Some("no backend selected".to_owned());
        return Vec::new();
    };
    let roots = locks_tree::roots_of(&state.locks.tree, &key);
    let Some(root) = roots.first().cloned() else {
        state.message = Some(format!("{} is not in a lock wait", label(&key)));
        return Vec::new();
    };
    let blocked = state
        .locks
        .tree
        .rows
        .iter()
        .find(|r| r.key == root)
        .map_or(0, |r| r.blocked_below);
    let mut msg = format!("root blocker: {} (blocks {blocked})", label(&root));
    if roots.len() > 1 {
        let _ = write!(msg, ", 1 of {} roots", roots.len());
    }
    state.message = Some(msg);
    let (page, _) = split(state.size.1);
    if state.pane == Pane::Activity
        && let NodeKey::Pid(pid) = root
    {
        let backends = state.backends();
        let visible = state
            .activity
            .rows
            .iter()
            .any(|&i| backends.get(i).is_some_and(|b| b.pid == pid));
        if visible {
            state.activity.selected = Some(pid);
            rebuild(state);
            return Vec::new();
        }
    }
    state.locks.select(&root, page);
    focus(state, Pane::Locks)
}
