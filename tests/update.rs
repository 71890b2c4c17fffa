//! Pure `update` tests: sort, filter, selection following a pid, pause, intervals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::time::Duration;

use fixtures::{NOW, backend, busy, snapshot};
use pgscope::action::Action;
use pgscope::panes::activity::columns::Column;
use pgscope::state::{Mode, State};
use pgscope::update::{Effect, FilterKey, Msg, update};

fn state_with(backends: Vec<pgscope::snapshot::Backend>) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(200, 50));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, backends),
            now: NOW,
        },
    );
    st
}

fn shown_pids(st: &State) -> Vec<i32> {
    st.views
        .activity
        .rows
        .iter()
        .map(|&i| st.backends()[i].pid)
        .collect()
}

fn act(st: &mut State, a: Action) -> Vec<Effect> {
    update(st, Msg::Action(a))
}

#[test]
fn default_sort_is_longest_query_first_and_hides_idle() {
    let st = state_with(busy());
    assert_eq!(shown_pids(&st), vec![101, 102, 103, 107, 104, 105]);
    assert_eq!(st.views.activity.selected, Some(101));
}

#[test]
fn sort_columns_and_reverse() {
    let mut st = state_with(busy());
    // Bounded: a sort key that never comes round fails instead of hanging.
    for _ in 0..st.views.activity.columns.len() {
        if st.views.activity.sort == Column::Pid {
            break;
        }
        act(&mut st, Action::SortPrev);
    }
    assert_eq!(st.views.activity.sort, Column::Pid, "Pid never came round");
    assert_eq!(shown_pids(&st), vec![101, 102, 103, 104, 105, 107]);
    act(&mut st, Action::SortReverse);
    assert_eq!(shown_pids(&st), vec![107, 105, 104, 103, 102, 101]);
}

#[test]
fn selection_follows_the_pid_through_a_resort_and_refresh() {
    let mut st = state_with(busy());
    act(&mut st, Action::Down);
    act(&mut st, Action::Down);
    assert_eq!(st.views.activity.selected, Some(103));
    act(&mut st, Action::SortReverse);
    assert_eq!(st.views.activity.selected, Some(103));
    let mut next = busy();
    next.reverse();
    next[0].query_start = Some(NOW - 10_000 * fixtures::SEC);
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(2, next),
            now: NOW,
        },
    );
    assert_eq!(st.views.activity.selected, Some(103));
    let row = st.views.activity.rows[st.views.activity.cursor];
    assert_eq!(st.backends()[row].pid, 103);
}

#[test]
fn selection_stays_in_place_when_the_backend_ends() {
    let mut st = state_with(busy());
    act(&mut st, Action::Down);
    assert_eq!(st.views.activity.selected, Some(102));
    let gone: Vec<_> = busy().into_iter().filter(|b| b.pid != 102).collect();
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(2, gone),
            now: NOW,
        },
    );
    assert_eq!(st.views.activity.selected, Some(103));
}

#[test]
fn filter_typing_narrows_and_esc_clears() {
    let mut st = state_with(busy());
    act(&mut st, Action::StartFilter);
    for c in "user:batch".chars() {
        update(&mut st, Msg::FilterKey(FilterKey::Char(c)));
    }
    assert_eq!(shown_pids(&st), vec![101]);
    update(&mut st, Msg::FilterKey(FilterKey::Enter));
    assert_eq!(st.mode, Mode::Normal);
    assert_eq!(shown_pids(&st), vec![101]);
    act(&mut st, Action::Clear);
    assert_eq!(shown_pids(&st).len(), 6);
}

#[test]
fn toggles_show_idle_and_background() {
    let mut bg = backend(300, "", "", 0);
    bg.backend_type = "checkpointer".into();
    bg.state = None;
    let mut all = busy();
    all.push(bg);
    let mut st = state_with(all);
    assert!(!shown_pids(&st).contains(&106));
    act(&mut st, Action::ToggleIdle);
    assert!(shown_pids(&st).contains(&106));
    assert!(!shown_pids(&st).contains(&300));
    act(&mut st, Action::ToggleBackground);
    assert!(shown_pids(&st).contains(&300));
}

#[test]
fn pause_freezes_the_view_but_keeps_rates_and_freshness() {
    let mut st = state_with(busy());
    act(&mut st, Action::TogglePause);
    let later = NOW + 2 * fixtures::SEC;
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(2, vec![backend(999, "active", "x", 1)]),
            now: later,
        },
    );
    assert_eq!(st.shown.as_ref().unwrap().seq, 1);
    assert_eq!(st.latest.as_ref().unwrap().seq, 2);
    assert!(!shown_pids(&st).contains(&999));
    act(&mut st, Action::TogglePause);
    assert_eq!(shown_pids(&st), vec![999]);
}

#[test]
fn stale_after_twice_the_interval_or_three_seconds() {
    let mut st = state_with(busy());
    update(&mut st, Msg::Tick(NOW + 2_900_000));
    assert!(!st.is_stale());
    update(&mut st, Msg::Tick(NOW + 3_100_000));
    assert!(st.is_stale());
}

#[test]
fn interval_keys_emit_effects_within_bounds() {
    let mut st = state_with(busy());
    assert_eq!(
        act(&mut st, Action::SlowerRefresh),
        vec![Effect::SetInterval(Duration::from_secs(2))]
    );
    act(&mut st, Action::FasterRefresh);
    act(&mut st, Action::FasterRefresh);
    assert_eq!(
        act(&mut st, Action::FasterRefresh),
        vec![Effect::SetInterval(Duration::from_millis(250))]
    );
    assert!(act(&mut st, Action::FasterRefresh).is_empty());
    assert_eq!(act(&mut st, Action::Quit), vec![Effect::Quit]);
}

#[test]
fn scrolling_keeps_the_selection_on_screen() {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(80, 15));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, fixtures::many(300)),
            now: NOW,
        },
    );
    let page = st.page_rows();
    act(&mut st, Action::PageDown);
    assert_eq!(st.views.activity.cursor, page);
    assert!(
        st.views.activity.offset <= st.views.activity.cursor
            && st.views.activity.cursor < st.views.activity.offset + page
    );
    act(&mut st, Action::Bottom);
    assert_eq!(st.views.activity.cursor, st.views.activity.rows.len() - 1);
    act(&mut st, Action::Top);
    assert_eq!((st.views.activity.cursor, st.views.activity.offset), (0, 0));
}

/// `--min-duration`: only queries that have run that long, measured on the server's clock;
/// with `--filter`, both apply.
#[test]
fn min_duration_keeps_only_long_queries() {
    let mut st = State::new(Duration::from_secs(1), NOW);
    st.views.activity.min_duration = Some(Duration::from_secs(30));
    update(&mut st, Msg::Resize(200, 50));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, busy()),
            now: NOW,
        },
    );
    assert_eq!(shown_pids(&st), vec![101, 102, 103, 107]);
    st.views.activity.filter = pgscope::state::filter::Filter::parse("app:nightly");
    act(&mut st, Action::SortReverse);
    assert_eq!(shown_pids(&st), vec![101]);
}

/// The filter narrows Connections' list of sessions idle in a transaction, and the list still
/// names the right sessions of the snapshot (it holds their places among all of them).
#[test]
fn the_idle_in_transaction_list_follows_the_filter() {
    let mut one = backend(101, "idle in transaction", "UPDATE a", 30);
    one.application_name = "one".into();
    let mut two = backend(102, "idle in transaction", "UPDATE b", 20);
    two.application_name = "two".into();
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(120, 40));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, vec![one, two]),
            now: NOW,
        },
    );
    update(&mut st, Msg::Action(Action::Pane(4)));
    let listed = |st: &State| -> Vec<i32> {
        let all = st.backends();
        st.views
            .connections
            .idle_tx
            .iter()
            .map(|&i| all[i].pid)
            .collect()
    };
    assert_eq!(listed(&st), [101, 102]);
    st.views.activity.filter = pgscope::state::filter::Filter::parse("app:two");
    update(&mut st, Msg::Action(Action::Pane(1)));
    update(&mut st, Msg::Action(Action::Pane(4)));
    assert_eq!(listed(&st), [102]);
    assert_eq!(st.views.connections.idle_tx_total, 1);
}
