//! Mouse input in the panes besides Activity, through `update`: a click on a row selects that
//! row's key (node, group, wait, operation, slot...) and the selection then follows the key; a
//! click on a Connections column header sorts by it and a second click reverses; clicks behind
//! a dialog do nothing. Rows are found on the drawn screen, so hit-testing and drawing agree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use fixtures::screen::screen;
use fixtures::{NOW, progress, replication, waits};
use pgscope::action::Action;
use pgscope::hit::{Target, target};
use pgscope::panes::connections::groups::GroupColumn;
use pgscope::panes::locks::tree::NodeKey;
use pgscope::snapshot::Snapshot;
use pgscope::state::{Mode, Pane, State};
use pgscope::update::mouse::MouseInput;
use pgscope::update::{Msg, update};

fn state(pane: u8, snap: Arc<Snapshot>) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(80, 24));
    update(&mut st, Msg::Action(Action::Pane(pane)));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snap,
            now: NOW,
        },
    );
    st
}

fn click(st: &mut State, x: u16, y: u16) {
    update(st, Msg::Mouse(MouseInput::Click { x, y }));
}

/// The screen line at or below `from` where `needle` is drawn.
fn line_of(st: &State, needle: &str, from: usize) -> u16 {
    let text = screen(st, 80, 24);
    let y = text
        .lines()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{text}"))
        .0;
    u16::try_from(y).unwrap()
}

fn refresh(st: &mut State, snap: Arc<Snapshot>) {
    update(
        st,
        Msg::Snapshot {
            snapshot: snap,
            now: NOW,
        },
    );
}

fn pile() -> Arc<Snapshot> {
    let (backends, locks) = fixtures::locks::pile();
    fixtures::locks::with_locks(backends, Ok(locks))
}

#[test]
fn locks_a_click_selects_the_node_under_the_blocker_it_is_drawn_under() {
    let mut st = state(2, pile());
    // 203 waits on 104 and on 202: it is drawn under each; the second line is under 202.
    let first = line_of(&st, "203", 3);
    let second = line_of(&st, "203", usize::from(first) + 1);
    click(&mut st, 2, second);
    assert_eq!(
        st.views.locks.selected,
        Some((NodeKey::Pid(203), Some(NodeKey::Pid(202))))
    );
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(203));
    click(&mut st, 2, first);
    assert_eq!(
        st.views.locks.selected,
        Some((NodeKey::Pid(203), Some(NodeKey::Pid(104))))
    );
    // The tree has no sort: its header line is no target.
    let header = line_of(&st, "BLK", 0);
    assert_eq!(target(&st, 2, header), Target::Body);
    // A refresh keeps the node.
    refresh(&mut st, pile());
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(203));
}

#[test]
fn connections_a_click_selects_the_group_and_a_header_sorts() {
    let mut st = state(4, fixtures::connections::busy_16());
    let second = st.views.connections.groups[1].key.clone();
    let y = line_of(&st, second.as_deref().unwrap(), 4);
    click(&mut st, 1, y);
    assert_eq!(st.views.connections.selected, Some(second.clone()));
    // The header line is the one naming the grouping; the first column is the group key.
    let header = line_of(&st, "APPLICATION", 3);
    assert_eq!(
        target(&st, 1, header),
        Target::GroupHeader(GroupColumn::Key)
    );
    click(&mut st, 1, header);
    assert_eq!(
        (st.views.connections.sort, st.views.connections.descending),
        (GroupColumn::Key, false)
    );
    let keys: Vec<_> = st
        .views
        .connections
        .groups
        .iter()
        .map(|g| g.key.clone())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    click(&mut st, 1, header);
    assert!(st.views.connections.descending);
    let reversed: Vec<_> = st
        .views
        .connections
        .groups
        .iter()
        .map(|g| g.key.clone())
        .collect();
    sorted.reverse();
    assert_eq!(reversed, sorted);
    // The selection stayed on its group through both sorts.
    assert_eq!(st.views.connections.selected, Some(second));
}

#[test]
fn waits_a_click_selects_the_wait_group() {
    let snap = waits::with_waits(waits::backends(), waits::history("SELECT 1"));
    let mut st = state(3, snap);
    let y = line_of(&st, "Timeout:PgSleep", 4);
    click(&mut st, 1, y);
    assert_eq!(
        st.views.waits.selected,
        Some(pgscope::panes::waits::view::RowKey::Wait(
            "Timeout:PgSleep".into()
        ))
    );
}

/// The cell where `needle` is drawn on a 200x50 screen, at or below line `from`, starting in
/// the columns `cols`.
fn cell_of(st: &State, needle: &str, from: usize, cols: Range<usize>) -> (u16, u16) {
    let text = screen(st, 200, 50);
    let x_of = |l: &str| l.find(needle).map(|i| pgscope::text::width(&l[..i]));
    let (y, x) = text
        .lines()
        .enumerate()
        .skip(from)
        .find_map(|(y, l)| x_of(l).filter(|x| cols.contains(x)).map(|x| (y, x)))
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{text}"));
    (u16::try_from(x).unwrap(), u16::try_from(y).unwrap())
}

#[test]
fn waits_a_click_selects_a_top_wait_or_a_top_query() {
    use pgscope::panes::waits::data::QueryKey;
    use pgscope::panes::waits::view::RowKey;
    let snap = || waits::with_waits(waits::backends(), waits::history("SELECT 1"));
    let mut st = state(3, snap());
    update(&mut st, Msg::Resize(200, 50));
    let (_, tops) = cell_of(&st, "TOP WAITS", 0, 0..1);
    let top = usize::from(tops);
    // In the top waits list, left; the top queries name it too, further right.
    let (x, y) = cell_of(&st, "IO:DataFileRead", top, 0..40);
    click(&mut st, x + 2, y);
    let wait = Some(RowKey::TopWait("IO:DataFileRead".into()));
    assert_eq!(st.views.waits.selected, wait);
    // A refresh keeps it; Enter would show its sessions in Activity.
    refresh(&mut st, snap());
    assert_eq!(st.views.waits.selected, wait);
    assert_eq!(
        st.views.waits.drill_filter().as_deref(),
        Some("wait:=IO:DataFileRead")
    );

    let (x, y) = cell_of(&st, "(idle in transaction)", top, 40..200);
    click(&mut st, x, y);
    assert_eq!(
        st.views.waits.selected,
        Some(RowKey::Query(QueryKey::IdleInTransaction))
    );
    // The same line in the other list is another key.
    click(&mut st, 1, y);
    assert!(matches!(st.views.waits.selected, Some(RowKey::TopWait(_))));
    click(&mut st, x, y);

    // The lists' headings, the line under the last query and a blank line of the top waits
    // are no targets: the selection stays.
    let selected = st.views.waits.selected.clone();
    let queries = u16::try_from(st.waits_data().unwrap().windows[1].queries.len()).unwrap();
    let waits_n = u16::try_from(st.waits_data().unwrap().windows[1].events.len()).unwrap();
    for (x, y) in [
        (1, tops),
        (60, tops),
        (60, tops + queries + 1),
        (1, tops + waits_n + 1),
    ] {
        assert_eq!(target(&st, x, y), Target::Body, "({x}, {y})");
        click(&mut st, x, y);
        assert_eq!(st.views.waits.selected, selected);
    }
}

#[test]
fn progress_a_click_selects_the_operation_or_the_horizon_holder() {
    let mut st = state(6, progress::with(progress::progress(), 1));
    let y = line_of(&st, "302", 3);
    click(&mut st, 0, y);
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(302));
    assert!(matches!(
        st.views.progress.selected,
        Some(pgscope::panes::progress::view::RowKey::Op { pid: 302, .. })
    ));
    let y = line_of(&st, "replica-1", 3);
    click(&mut st, 0, y);
    assert_eq!(
        st.views.progress.selected,
        Some(pgscope::panes::progress::view::RowKey::Holder { pid: 150 })
    );
    // A slot holder names no backend: not selectable, the selection stays.
    let y = line_of(&st, "cdc_slot", 3);
    click(&mut st, 0, y);
    assert_eq!(
        st.views.progress.selected,
        Some(pgscope::panes::progress::view::RowKey::Holder { pid: 150 })
    );
}

#[test]
fn replication_a_click_selects_the_sender_or_the_slot() {
    use pgscope::panes::replication::view::RowKey;
    let snap = replication::with(
        replication::primary(),
        replication::primary_summary(),
        160_000,
        1,
    );
    let mut st = state(5, snap);
    let y = line_of(&st, "forgotten_standby", 3);
    click(&mut st, 0, y);
    assert_eq!(
        st.views.replication.selected,
        Some(RowKey::Slot("forgotten_standby".into()))
    );
    let y = line_of(&st, "4101", 3);
    click(&mut st, 0, y);
    assert_eq!(st.views.replication.selected, Some(RowKey::Sender(4101)));
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(4101));
}

#[test]
fn clicks_behind_a_dialog_do_nothing_in_any_pane() {
    let mut st = state(2, pile());
    let y = line_of(&st, "203", 3);
    let before = st.views.locks.selected.clone();
    update(&mut st, Msg::Action(Action::ToggleHelp));
    click(&mut st, 2, y);
    assert_eq!(st.views.locks.selected, before);
    assert!(matches!(st.mode, Mode::Help(_)));

    let mut st = state(4, fixtures::connections::busy_16());
    let header = line_of(&st, "APPLICATION", 3);
    let sort = (st.views.connections.sort, st.views.connections.descending);
    update(&mut st, Msg::Action(Action::ToggleHelp));
    click(&mut st, 1, header);
    assert_eq!(
        (st.views.connections.sort, st.views.connections.descending),
        sort
    );
    assert_eq!(st.pane, Pane::Connections);
}

#[test]
fn statements_a_header_click_sorts_and_a_row_click_selects_the_statement() {
    use fixtures::statements::{BUSY, read, ready, with};
    use pgscope::panes::statements::view::Sort;
    let mut st = State::new(Duration::from_secs(1), fixtures::NOW);
    update(&mut st, Msg::Resize(80, 24));
    update(&mut st, Msg::Action(Action::Pane(7)));
    for (seq, r) in [
        (1, read(fixtures::NOW - fixtures::SEC, 10, BUSY)),
        (2, read(fixtures::NOW, 11, BUSY)),
    ] {
        let now = r.now;
        refresh(&mut st, with(ready(r, true), seq, now));
    }
    assert_eq!(st.views.statements.sort, Sort::Time);
    let head = line_of(&st, "CALLS/S", 0);
    let text = screen(&st, 80, 24);
    let x = text
        .lines()
        .nth(usize::from(head))
        .unwrap()
        .find("CALLS/S")
        .unwrap();
    let x = u16::try_from(x).unwrap();
    click(&mut st, x + 1, head);
    assert_eq!(
        (st.views.statements.sort, st.views.statements.ascending),
        (Sort::Calls, false)
    );
    let top = st.views.statements.rows[0].text.clone().unwrap();
    assert!(top.starts_with("INSERT INTO events"), "{top}");
    // Again: reversed.
    click(&mut st, x + 1, head);
    assert_eq!(
        (st.views.statements.sort, st.views.statements.ascending),
        (Sort::Calls, true)
    );
    // The query header has no sort: nothing changes.
    let q = text
        .lines()
        .nth(usize::from(head))
        .unwrap()
        .find("QUERY")
        .unwrap();
    click(&mut st, u16::try_from(q).unwrap(), head);
    assert_eq!(
        (st.views.statements.sort, st.views.statements.ascending),
        (Sort::Calls, true)
    );
    // A row: its statement is selected, and stays selected when the order changes.
    let y = line_of(&st, "UPDATE accounts", usize::from(head) + 1);
    click(&mut st, 2, y);
    let picked = st.views.statements.selected.unwrap();
    assert_eq!(picked.queryid, Some(1001));
    update(&mut st, Msg::Action(Action::SortReverse));
    assert_eq!(st.views.statements.selected, Some(picked));
    let cursor = st.views.statements.cursor;
    assert_eq!(st.views.statements.rows[cursor].key, picked);
}
