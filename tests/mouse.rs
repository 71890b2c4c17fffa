//! Mouse input through `update`: a click selects the row drawn under it (and the selection then
//! follows that pid), a click on a tab switches panes, on a column header sorts (again:
//! reverses); the wheel moves the selection. Hit-testing is a pure function of the state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::time::Duration;

use fixtures::{NOW, backend, busy, snapshot};
use pgscope::action::Action;
use pgscope::hit::{Target, target};
use pgscope::panes::Pane;
use pgscope::panes::activity::columns::Column;
use pgscope::state::{Mode, State};
use pgscope::update::mouse::MouseInput;
use pgscope::update::{Effect, Msg, update};

/// 80x24: header lines 0-1, tabs on line 2, the table header on line 3, rows from line 4.
const FIRST_ROW: u16 = 4;

fn state() -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(80, 24));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, busy()),
            now: NOW,
        },
    );
    st
}

fn click(st: &mut State, x: u16, y: u16) -> Vec<Effect> {
    update(st, Msg::Mouse(MouseInput::Click { x, y }))
}

fn pid_at_row(st: &State, row: usize) -> i32 {
    st.backends()[st.activity.rows[row]].pid
}

#[test]
fn a_click_selects_the_row_and_the_selection_follows_its_pid() {
    let mut st = state();
    let third = pid_at_row(&st, 2);
    assert_eq!(target(&st, 10, FIRST_ROW + 2), Target::Row(2));
    click(&mut st, 10, FIRST_ROW + 2);
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(third));
    // A refresh where that backend moved to the top of the list: still selected.
    let mut moved = busy();
    let at = moved.iter().position(|b| b.pid == third).unwrap();
    let b = moved.remove(at);
    moved.insert(0, b);
    moved.push(backend(999, "active", "SELECT 1", 500));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(2, moved),
            now: NOW,
        },
    );
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(third));
    // Below the last row: nothing changes.
    click(&mut st, 10, 22);
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(third));
}

#[test]
fn a_click_on_a_tab_switches_panes() {
    let mut st = state();
    // " 1 Activity " is cells 0-11, then a space, then " 2 Locks ".
    assert_eq!(target(&st, 0, 2), Target::Tab(Pane::Activity));
    assert_eq!(target(&st, 12, 2), Target::None);
    assert_eq!(target(&st, 14, 2), Target::Tab(Pane::Locks));
    let effects = click(&mut st, 14, 2);
    assert_eq!(st.pane, Pane::Locks);
    assert_eq!(effects, vec![Effect::Focus(Pane::Locks)]);
}

#[test]
fn a_click_on_a_column_header_sorts_and_again_reverses() {
    let mut st = state();
    // PID is the first column (7 cells), then a space and, at 80 cells, USER (DB does not fit).
    assert_eq!(target(&st, 2, 3), Target::Header(Column::Pid));
    assert_eq!(target(&st, 7, 3), Target::Body);
    assert_eq!(target(&st, 8, 3), Target::Header(Column::User));
    click(&mut st, 2, 3);
    assert_eq!(
        (st.activity.sort, st.activity.descending),
        (Column::Pid, false)
    );
    let first = pid_at_row(&st, 0);
    assert_eq!(first, 101);
    click(&mut st, 2, 3);
    assert!(st.activity.descending);
    assert_eq!(pid_at_row(&st, 0), 107);
}

#[test]
fn the_header_follows_the_configured_columns() {
    let mut st = state();
    st.activity.columns = vec![Column::Query, Column::Pid];
    // Query first: it takes the spare width, PID is at the right edge (cells 72-78).
    assert_eq!(target(&st, 0, 3), Target::Header(Column::Query));
    assert_eq!(target(&st, 71, 3), Target::Body);
    assert_eq!(target(&st, 72, 3), Target::Header(Column::Pid));
    assert_eq!(target(&st, 78, 3), Target::Header(Column::Pid));
}

#[test]
fn the_wheel_moves_the_selection_or_scrolls_an_overlay() {
    let mut st = state();
    let before = st.activity.cursor;
    update(&mut st, Msg::Mouse(MouseInput::WheelDown));
    assert_eq!(st.activity.cursor, before + 3);
    update(&mut st, Msg::Mouse(MouseInput::WheelUp));
    assert_eq!(st.activity.cursor, before);
}

#[test]
fn clicks_behind_an_overlay_do_nothing() {
    let mut st = state();
    update(&mut st, Msg::Action(Action::ToggleHelp));
    let selected = pgscope::update::pane::selected_pid(&st);
    assert!(click(&mut st, 14, 2).is_empty());
    click(&mut st, 10, FIRST_ROW + 3);
    assert_eq!(st.pane, Pane::Activity);
    assert_eq!(pgscope::update::pane::selected_pid(&st), selected);
    assert_eq!(st.mode, Mode::Help);
}

#[test]
fn a_tiny_terminal_has_no_targets() {
    let mut st = state();
    update(&mut st, Msg::Resize(20, 5));
    assert_eq!(target(&st, 0, 2), Target::None);
    click(&mut st, 0, 2);
    assert_eq!(st.pane, Pane::Activity);
}
