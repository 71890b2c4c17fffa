//! Keys with a meaning for the blocking tree: moving in the tree or the lock list, switching
//! between them, the jump to the root blocker, and refusing signals to a prepared transaction.

use std::fmt::Write as _;

use super::tree::{self as locks_tree, NodeKey};
use super::view::split;
use crate::action::Action;
use crate::effect::Effect;
use crate::panes::Pane;
use crate::state::State;
use crate::update::pane::{self, Hint, Keys, Request};

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::ToggleLockList, "tree/list"),
        (Action::RootBlocker, "root blocker"),
        (Action::Details, "details"),
        (Action::Cancel, "cancel"),
        (Action::Terminate, "terminate"),
    ];

    fn rebuild(state: &mut State, _focused: bool) {
        let snapshot = state.shown.clone();
        let backends = snapshot
            .as_deref()
            .and_then(|s| s.activity.as_ref().ok())
            .map_or(&[][..], |a| a.backends.as_slice());
        let locks = snapshot
            .as_deref()
            .and_then(|s| s.panes.locks.as_ref())
            .and_then(|l| l.as_ref().ok());
        let (tree_page, _) = split(state.viewport.body_rows());
        state.views.locks.rebuild(backends, locks, tree_page);
    }

    fn move_by(state: &mut State, delta: isize) {
        move_by(state, delta);
    }

    fn selected_pid(state: &State) -> Option<i32> {
        state.views.locks.selected_pid()
    }

    fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
        match action {
            Action::ToggleLockList => {
                state.views.locks.show_list = !state.views.locks.show_list;
                Some(Vec::new())
            }
            Action::Cancel | Action::Terminate => refuse_prepared(state),
            _ => None,
        }
    }
}

/// The jump to the root blocker, from any pane; `Some` when the action was handled here, with
/// what `update` is to do next.
pub fn on_global_action(state: &mut State, action: Action) -> Option<Request> {
    match action {
        Action::RootBlocker => Some(jump_to_root(state)),
        // Meaningful in the Locks pane only, and handled there; elsewhere it does nothing.
        Action::ToggleLockList => Some(Request::Done),
        _ => None,
    }
}

/// Cancel and terminate on a prepared transaction: nothing to signal, and it says what to do.
fn refuse_prepared(state: &mut State) -> Option<Vec<Effect>> {
            let NodeKey::Prepared(gid) = &state.views.locks.selected_row()?.key else {
                return None;
            };
            // No backend to signal: its locks go away only when it is finished by hand.
            state.message = Some(format!(
                "prepared xact '{gid}' has no backend to signal: end it with COMMIT PREPARED or ROLLBACK PREPARED '{gid}'"
            ));
            Some(Vec::new())
}

fn move_by(state: &mut State, delta: isize) {
    let (tree, detail) = split(state.viewport.body_rows());
    let page = if state.views.locks.show_list {
        tree + detail
    } else {
        tree
    };
    let groups = state
        .shown
        .as_deref()
        .and_then(|s| s.panes.locks.as_ref())
        .and_then(|l| l.as_ref().ok())
        .map_or(0, |l| l.groups.len());
    state.views.locks.move_by(delta, page, groups);
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
fn jump_to_root(state: &mut State) -> Request {
    let key = match state.pane {
        Pane::Locks => state.views.locks.selected_row().map(|r| r.key.clone()),
        _ => pane::selected_pid(state).map(NodeKey::Pid),
    };
    let Some(key) = key else {
        state.message = Some("no backend selected".to_owned());
        return Request::Done;
    };
    let roots = locks_tree::roots_of(&state.views.locks.tree, &key);
    let Some(root) = roots.first().cloned() else {
        state.message = Some(format!("{} is not in a lock wait", label(&key)));
        return Request::Done;
    };
    let blocked = state
        .views
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
    let (page, _) = split(state.viewport.body_rows());
    if state.pane == Pane::Activity
        && let NodeKey::Pid(pid) = root
    {
        let backends = state.backends();
        let visible = state
            .views
            .activity
            .rows
            .iter()
            .any(|&i| backends.get(i).is_some_and(|b| b.pid == pid));
        if visible {
            state.views.activity.selected = Some(pid);
            return Request::Rebuild;
        }
    }
    state.views.locks.select(&root, page);
    Request::Focus(Pane::Locks)
}
