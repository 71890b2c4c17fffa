//! The mouse: a click selects a row (by its key — pid, node, group, wait, slot... — like the
//! keys), switches to a clicked tab, or sorts by a clicked column header where the table has a
//! sort (again: reverses); the wheel moves the selection, or scrolls the details and EXPLAIN
//! views. Where a click lands comes from `crate::hit`.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::{Effect, focus, pane, rebuild};
use crate::action::Action;
use crate::hit::{self, Target};
use crate::state::{Mode, State};

/// Rows per wheel notch.
const WHEEL_ROWS: isize = 3;

/// The mouse events pgscope answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseInput {
    Click { x: u16, y: u16 },
    WheelUp,
    WheelDown,
}

pub fn from_event(m: &MouseEvent) -> Option<MouseInput> {
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(MouseInput::Click {
            x: m.column,
            y: m.row,
        }),
        MouseEventKind::ScrollUp => Some(MouseInput::WheelUp),
        MouseEventKind::ScrollDown => Some(MouseInput::WheelDown),
        _ => None,
    }
}

pub(super) fn on_mouse(state: &mut State, input: MouseInput) -> Vec<Effect> {
    let delta = match input {
        MouseInput::WheelUp => -WHEEL_ROWS,
        MouseInput::WheelDown => WHEEL_ROWS,
        MouseInput::Click { x, y } => return on_click(state, x, y),
    };
    match state.mode {
        Mode::Normal => pane::move_by(state, delta),
        Mode::Help(_) => super::help::on_wheel(state, delta),
        Mode::Details(_) | Mode::Explain(_) => {
            let action = if delta < 0 { Action::Up } else { Action::Down };
            for _ in 0..WHEEL_ROWS {
                super::overlays::on_overlay_action(state, action);
            }
        }
        _ => {}
    }
    Vec::new()
}

fn on_click(state: &mut State, x: u16, y: u16) -> Vec<Effect> {
    // Dialogs and overlays own the screen; a click behind them does nothing.
    if state.mode != Mode::Normal {
        return Vec::new();
    }
    state.message = None;
    match hit::target(state, x, y) {
        Target::Tab(pane) => return focus(state, pane),
        Target::Header(col) => {
            let view = &mut state.views.activity;
            sort_by(
                &mut view.sort,
                &mut view.descending,
                col,
                col.descending_by_default(),
            );
            rebuild(state);
        }
        Target::Row(index) => {
            let delta = index as isize - state.views.activity.cursor as isize;
            crate::panes::activity::keys::move_by(state, delta);
        }
        Target::GroupHeader(col) => {
            let view = &mut state.views.connections;
            sort_by(
                &mut view.sort,
                &mut view.descending,
                col,
                col.descending_by_default(),
            );
            rebuild(state);
        }
        Target::SortKey(key) => {
            hit::sort_by(state, key);
            rebuild(state);
        }
        Target::Pick(pick) => {
            hit::select(state, pick);
            // Re-anchors the cursor on the key just selected.
            rebuild(state);
        }
        Target::Body | Target::None => {}
    }
    Vec::new()
}

/// A header click: sorts by the column, or reverses the order if it already is the sort.
fn sort_by<C: PartialEq>(sort: &mut C, descending: &mut bool, col: C, by_default: bool) {
    if *sort == col {
        *descending = !*descending;
    } else {
        *sort = col;
        *descending = by_default;
    }
}
