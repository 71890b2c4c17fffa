//! The Connections pane from hand-made snapshots: render snapshots at 80x24 and 200x50 (busy,
//! every grouping, hidden sessions, hostile text, a pane error, tiny terminals) and the pure
//! update logic (grouping, sort, selection by key, Enter to Activity).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use fixtures::screen::{body_of, screen};

use std::sync::Arc;
use std::time::Duration;

use fixtures::connections::{busy_16, unprivileged};
use fixtures::{NOW, SEC, hostile, pane_error, snapshot};
use pgscope::action::Action;
use pgscope::panes::Pane;
use pgscope::panes::connections::groups::{GroupColumn, Grouping};
use pgscope::snapshot::Snapshot;
use pgscope::state::State;
use pgscope::update::{Effect, Msg, update};

fn state(w: u16, h: u16, snap: Arc<Snapshot>) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(w, h));
    update(&mut st, Msg::Action(Action::Pane(4)));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snap,
            now: NOW,
        },
    );
    st
}

fn act(st: &mut State, a: Action) -> Vec<Effect> {
    update(st, Msg::Action(a))
}

fn group_by(st: &mut State, g: Grouping) {
    while st.views.connections.grouping != g {
        act(st, Action::NextGrouping);
    }
}

fn keys(st: &State) -> Vec<String> {
    st.views
        .connections
        .groups
        .iter()
        .map(|g| g.key.clone().unwrap_or_else(|| "(hidden)".into()))
        .collect()
}

#[test]
fn busy_server_80x24() {
    let st = state(80, 24, busy_16());
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

/// The age buckets add up to the clients: pgscope's own session, not listed, is named.
#[test]
fn connection_ages_add_up_to_the_clients() {
    let st = state(200, 24, busy_16());
    let shown = screen(&st, 200, 24);
    let number_after = |line: &str, label: &str| -> usize {
        let rest = &line[line.find(label).unwrap() + label.len()..];
        rest.split_whitespace().next().unwrap().parse().unwrap()
    };
    let clients_line = shown.lines().find(|l| l.starts_with("clients ")).unwrap();
    let clients = number_after(clients_line, "clients ");
    let ages = shown.lines().find(|l| l.contains("conn age")).unwrap();
    let sum: usize = ["<1s ", "<1m ", "<1h ", "older ", "pgscope "]
        .iter()
        .map(|label| number_after(ages, label))
        .sum();
    assert_eq!(sum, clients, "{ages}");
}

#[test]
fn every_grouping_200x50() {
    let mut st = state(200, 50, busy_16());
    for g in Grouping::ALL {
        group_by(&mut st, g);
        let name = format!("by_{}", g.label().to_lowercase().replace(' ', "_"));
        insta::assert_snapshot!(name, body_of(&screen(&st, 200, 50)));
    }
}

#[test]
fn hidden_sessions_say_which_grant_fixes_it() {
    for (w, h) in [(80, 24), (200, 50)] {
        let st = state(w, h, unprivileged());
        let text = screen(&st, w, h);
        if w == 200 {
            assert!(text.contains("GRANT pg_read_all_stats TO app_rw"), "{text}");
        }
        insta::assert_snapshot!(format!("unprivileged_{w}x{h}"), body_of(&text));
    }
}

#[test]
fn hostile_text_is_neutralized() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut st = state(w, h, snapshot(1, hostile()));
        group_by(&mut st, Grouping::Application);
        let text = screen(&st, w, h);
        assert!(!text.contains('\u{1b}'));
        insta::assert_snapshot!(format!("hostile_{w}x{h}"), body_of(&text));
    }
}

#[test]
fn pane_error_is_shown_in_the_pane() {
    let st = state(80, 24, pane_error());
    let text = screen(&st, 80, 24);
    assert!(text.contains("connections: permission denied"), "{text}");
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(40, 8), (41, 9), (200, 9), (40, 60), (1, 1)] {
        let st = state(w, h, busy_16());
        let _ = screen(&st, w, h);
    }
}

#[test]
fn breakdown_counts_usage_and_idle_in_transaction() {
    let mut st = state(200, 50, busy_16());
    group_by(&mut st, Grouping::Database);
    let v = &st.views.connections;
    // 7 busy + grafana + 4 legacy-php + 6 inventory-svc + etl = 19 sessions, plus our own.
    assert_eq!(v.usage.clients, 20);
    assert_eq!((v.usage.replication, v.usage.background), (1, 2));
    assert_eq!(v.usage.reserved, Some(2));
    assert_eq!(v.usage.ordinary_free(), 0);
    assert_eq!(v.usage.level(), pgscope::slots::Level::Warning);
    assert_eq!(keys(&st), vec!["shop", "crm", "postgres"]);
    let shop = &v.groups[0];
    assert_eq!(shop.total, 17);
    assert_eq!(shop.states, [4, 11, 2, 0, 0, 0, 0]);
    assert_eq!(shop.oldest_state, Some(NOW - 95 * SEC));
    assert_eq!(v.groups[1].states[3], 1);
    assert_eq!((v.ages.under_second, v.ages.under_hour), (4, 0));
    // Longest idle in transaction first: the aborted etl session (400 s), then 101 (95 s).
    assert_eq!(v.idle_tx_total, 3);
    let pids: Vec<i32> = v.idle_tx.iter().map(|&i| st.backends()[i].pid).collect();
    assert_eq!(pids, vec![330, 101, 107]);
}

#[test]
fn sort_follows_the_key_and_reverses() {
    let mut st = state(200, 50, busy_16());
    group_by(&mut st, Grouping::Application);
    act(&mut st, Action::Down);
    let picked = st.views.connections.selected.clone();
    while st.views.connections.sort != GroupColumn::Key {
        act(&mut st, Action::SortNext);
    }
    assert!(!st.views.connections.descending);
    let sorted = keys(&st);
    let mut expected = sorted.clone();
    expected.sort();
    assert_eq!(sorted, expected);
    assert_eq!(st.views.connections.selected, picked);
    act(&mut st, Action::SortReverse);
    expected.reverse();
    assert_eq!(keys(&st), expected);
    // The Activity pane's sort is untouched.
    assert_eq!(
        st.views.activity.sort,
        pgscope::panes::activity::columns::Column::QueryAge
    );
}

#[test]
fn enter_opens_the_group_in_activity() {
    let mut st = state(200, 50, busy_16());
    group_by(&mut st, Grouping::Application);
    while st.views.connections.selected != Some(Some("inventory-svc".into())) {
        act(&mut st, Action::Down);
    }
    let effects = act(&mut st, Action::Details);
    assert_eq!(effects, vec![Effect::Focus(Pane::Activity)]);
    assert_eq!(st.pane, Pane::Activity);
    assert_eq!(st.views.activity.filter.text, "app:=inventory-svc");
    // Idle sessions are shown: the group is all idle, and a bulk action must see all of it.
    assert_eq!(st.views.activity.rows.len(), 6);

    // A backend type with a space is quoted; background processes are shown for it.
    let mut st = state(200, 50, busy_16());
    group_by(&mut st, Grouping::BackendType);
    while st.views.connections.selected != Some(Some("autovacuum launcher".into())) {
        act(&mut st, Action::Down);
    }
    act(&mut st, Action::Details);
    assert_eq!(
        st.views.activity.filter.text,
        "type:=\"autovacuum launcher\""
    );
    assert_eq!(st.views.activity.rows.len(), 1);
}

#[test]
fn churn_comes_from_two_snapshots() {
    let mut st = state(200, 50, busy_16());
    let mut next = (*busy_16()).clone();
    let mut b = fixtures::backend(900, "idle", "SELECT 1", 0);
    b.backend_start = Some(NOW + SEC / 2);
    let mut next_activity = next.activity.clone().unwrap();
    next_activity.now = NOW + 2 * SEC;
    next_activity.backends.push(b);
    next.activity = Ok(next_activity);
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: Arc::new(next),
            now: NOW + 2 * SEC,
        },
    );
    let churn = st.views.connections.churn.unwrap();
    assert_eq!(churn.new, 1);
    assert!((churn.per_sec - 0.5).abs() < 1e-9);
}

/// A drill-in's filter takes comparison terms: `/`, then ` idle>1m` keeps the group's sessions
/// idle for more than a minute, ready for a bulk terminate.
#[test]
fn a_drilled_group_narrows_by_idle_time() {
    let mut v = fixtures::connections::backends();
    for b in v.iter_mut().filter(|b| matches!(b.pid, 320 | 323)) {
        b.state_change = Some(NOW - 90 * SEC);
    }
    let snap = fixtures::connections::with_caps(&snapshot(1, v), fixtures::connections::caps_16());
    let mut st = state(200, 50, snap);
    group_by(&mut st, Grouping::Application);
    while st.views.connections.selected != Some(Some("inventory-svc".into())) {
        act(&mut st, Action::Down);
    }
    act(&mut st, Action::Details);
    assert_eq!(st.views.activity.rows.len(), 6);
    act(&mut st, Action::StartFilter);
    for c in " idle>1m".chars() {
        update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Char(c)));
    }
    update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Enter));
    assert_eq!(st.views.activity.filter.text, "app:=inventory-svc idle>1m");
    let mut pids: Vec<i32> = st
        .views
        .activity
        .rows
        .iter()
        .map(|&i| st.backends()[i].pid)
        .collect();
    pids.sort_unstable();
    assert_eq!(pids, vec![320, 323]);
    assert_eq!(st.message, None);

    // A threshold that does not parse shows nothing and says why on Enter.
    act(&mut st, Action::StartFilter);
    for c in "x".chars() {
        update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Char(c)));
    }
    update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Enter));
    assert!(st.views.activity.rows.is_empty());
    assert!(
        st.message
            .as_deref()
            .is_some_and(|m| m.contains("duration")),
        "{:?}",
        st.message
    );
}
