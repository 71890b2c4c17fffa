//! Mouse input through `update`: a click selects the row drawn under it (and the selection then
//! follows that pid), a click on a tab switches panes, on a column header sorts (again:
//! reverses); the wheel moves the selection. Hit-testing is a pure function of the state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::time::Duration;

use fixtures::screen::{cell_of, screen};
use fixtures::{NOW, backend, busy, snapshot};
use pgscope::action::Action;
use pgscope::hit::{Target, target};
use pgscope::panes::Pane;
use pgscope::panes::activity::columns::Column;
use pgscope::state::{Mode, State};
use pgscope::update::mouse::MouseInput;
use pgscope::update::{Effect, Msg, update};

/// Where `needle` is drawn on the 80x24 screen, at or below line `from`.
fn drawn(st: &State, needle: &str, from: usize) -> (u16, u16) {
    cell_of(&screen(st, 80, 24), needle, from)
}

/// The table's header line, found by its first column's title.
fn header_line(st: &State) -> u16 {
    drawn(st, "PID", 0).1
}

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
    st.backends()[st.views.activity.rows[row]].pid
}

#[test]
fn a_click_selects_the_row_and_the_selection_follows_its_pid() {
    let mut st = state();
    let third = pid_at_row(&st, 2);
    let (_, y) = drawn(&st, &third.to_string(), usize::from(header_line(&st)) + 1);
    assert_eq!(target(&st, 10, y), Target::Row(2));
    click(&mut st, 10, y);
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
    // Below the last row (the footer's line is the last): nothing changes.
    let below = drawn(&st, "? help", 0).1 - 1;
    assert!(st.views.activity.rows.len() < usize::from(below - header_line(&st)));
    click(&mut st, 10, below);
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(third));
}

#[test]
fn a_click_on_a_tab_switches_panes() {
    let mut st = state();
    // At 80 columns the focused tab keeps its name and the others shorten theirs:
    // " 1 Activity ", then a space, then " 2 Lock ".
    let (x1, tabs) = drawn(&st, " 1 Activity ", 0);
    let (x2, _) = drawn(&st, " 2 Lock ", 0);
    assert_eq!(target(&st, x1, tabs), Target::Tab(Pane::Activity));
    assert_eq!(target(&st, x2 - 1, tabs), Target::None);
    assert_eq!(target(&st, x2 + 2, tabs), Target::Tab(Pane::Locks));
    let effects = click(&mut st, x2 + 2, tabs);
    assert_eq!(st.pane, Pane::Locks);
    assert_eq!(effects, vec![Effect::Focus(Pane::Locks)]);
}

#[test]
fn a_click_on_a_column_header_sorts_and_again_reverses() {
    let mut st = state();
    // PID is the first column, then a space and, at 80 cells, STATE (USER and DB give way to
    // the query's room).
    let (pid, y) = drawn(&st, "PID", 0);
    let (next, _) = drawn(&st, "STATE", usize::from(y));
    assert_eq!(target(&st, pid, y), Target::Header(Column::Pid));
    assert_eq!(target(&st, next - 1, y), Target::Body);
    assert_eq!(target(&st, next, y), Target::Header(Column::State));
    click(&mut st, pid, y);
    assert_eq!(
        (st.views.activity.sort, st.views.activity.descending),
        (Column::Pid, false)
    );
    let first = pid_at_row(&st, 0);
    assert_eq!(first, 101);
    click(&mut st, pid, y);
    assert!(st.views.activity.descending);
    assert_eq!(pid_at_row(&st, 0), 107);
}

#[test]
fn the_header_follows_the_configured_columns() {
    let mut st = state();
    st.views.activity.columns = vec![Column::Query, Column::Pid];
    // Query first: it takes the spare width, PID is at the right edge.
    let (query, y) = drawn(&st, "QUERY", 0);
    let (pid, _) = drawn(&st, "PID", usize::from(y));
    assert_eq!(target(&st, query, y), Target::Header(Column::Query));
    // The title is right-aligned: the column starts its width before the title's end.
    let start = pid + 3 - Column::Pid.width();
    assert_eq!(target(&st, start - 1, y), Target::Body);
    assert_eq!(target(&st, start, y), Target::Header(Column::Pid));
    assert_eq!(target(&st, pid + 2, y), Target::Header(Column::Pid));
}

#[test]
fn the_wheel_moves_the_selection_or_scrolls_an_overlay() {
    let mut st = state();
    let before = st.views.activity.cursor;
    update(&mut st, Msg::Mouse(MouseInput::WheelDown));
    assert_eq!(st.views.activity.cursor, before + 3);
    update(&mut st, Msg::Mouse(MouseInput::WheelUp));
    assert_eq!(st.views.activity.cursor, before);
}

#[test]
fn clicks_behind_an_overlay_do_nothing() {
    let mut st = state();
    update(&mut st, Msg::Action(Action::ToggleHelp));
    let selected = pgscope::update::pane::selected_pid(&st);
    let (x, tabs) = drawn(&st, " 2 Lock ", 0);
    assert!(click(&mut st, x + 2, tabs).is_empty());
    let row = header_line(&st) + 3;
    click(&mut st, 10, row);
    assert_eq!(st.pane, Pane::Activity);
    assert_eq!(pgscope::update::pane::selected_pid(&st), selected);
    assert!(matches!(st.mode, Mode::Help(_)));
}

#[test]
fn a_tiny_terminal_has_no_targets() {
    let mut st = state();
    update(&mut st, Msg::Resize(20, 5));
    assert_eq!(target(&st, 0, 2), Target::None);
    click(&mut st, 0, 2);
    assert_eq!(st.pane, Pane::Activity);
}
