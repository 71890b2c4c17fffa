//! Render snapshots of the Replication pane: a primary (80x24, 200x50) with its lag
//! sparklines, a standby with replay paused, PostgreSQL 12's missing columns as n/a, hostile
//! names, failing sections, tiny terminals; and the header's replication figures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use fixtures::screen::{body_of, screen};

use std::sync::Arc;
use std::time::Duration;

use fixtures::NOW;
use fixtures::replication::{
    errors, hostile, primary, primary_summary, standby, standby_summary, with,
};
use pgscope::action::Action;
use pgscope::panes::replication::data::{Replication, Summary};
use pgscope::snapshot::Snapshot;
use pgscope::state::State;
use pgscope::update::{Msg, update};

fn show(st: &mut State, snap: Arc<Snapshot>) {
    update(
        st,
        Msg::Snapshot {
            snapshot: snap,
            now: NOW,
        },
    );
}

/// The pane focused after `refreshes` snapshots whose standby lag grows, so the sparkline
/// has a history.
fn state(w: u16, h: u16, repl: &Replication, summary: &Summary, version: i32) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(w, h));
    update(&mut st, Msg::Action(Action::Pane(5)));
    for i in 0..12_i64 {
        let mut r = repl.clone();
        if let Ok(senders) = &mut r.senders {
            for s in senders.iter_mut() {
                s.replay_bytes = s.replay_bytes.map(|b| b * (i % 6 + 1) / 6);
            }
        }
        show(&mut st, with(r, summary.clone(), version, i as u64 + 1));
    }
    st
}

#[test]
fn primary_80x24() {
    let st = state(80, 24, &primary(), &primary_summary(), 150_018);
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn primary_200x50_with_the_idle_slot_selected() {
    let mut st = state(200, 50, &primary(), &primary_summary(), 170_000);
    for _ in 0..2 {
        update(&mut st, Msg::Action(Action::Down));
    }
    assert_eq!(
        pgscope::update::pane::selected_pid(&st),
        None,
        "an inactive slot names no backend"
    );
    update(&mut st, Msg::Action(Action::Up));
    assert_eq!(
        pgscope::update::pane::selected_pid(&st),
        Some(4102),
        "the logical sender"
    );
    update(&mut st, Msg::Action(Action::Down));
    insta::assert_snapshot!(body_of(&screen(&st, 200, 50)));
}

#[test]
fn pg12_lacks_slot_columns_200x50() {
    let st = state(200, 50, &primary(), &primary_summary(), 120_022);
    insta::assert_snapshot!(body_of(&screen(&st, 200, 50)));
}

#[test]
fn standby_80x24() {
    let st = state(80, 24, &standby(), &standby_summary(), 160_004);
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn standby_200x50() {
    let st = state(200, 50, &standby(), &standby_summary(), 160_004);
    insta::assert_snapshot!(body_of(&screen(&st, 200, 50)));
}

#[test]
fn standby_whose_receiver_is_down_80x24() {
    let mut repl = standby();
    if let Ok(rc) = &mut repl.receiver {
        rc.pid = None;
        rc.status = None;
    }
    let mut summary = standby_summary();
    summary.receiver_status = None;
    let st = state(80, 24, &repl, &summary, 160_004);
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn hostile_names_200x50() {
    let st = state(200, 50, &hostile(), &primary_summary(), 170_000);
    let text = screen(&st, 200, 50);
    assert!(!text.contains('\u{1b}'));
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn failing_sections_80x24() {
    let st = state(80, 24, &errors(), &primary_summary(), 150_018);
    let text = screen(&st, 80, 24);
    assert!(text.contains("GRANT pg_monitor"), "{text}");
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn tiny_terminals_draw() {
    for (w, h) in [(40, 8), (41, 9), (60, 12), (80, 10)] {
        for (repl, summary) in [
            (primary(), primary_summary()),
            (standby(), standby_summary()),
        ] {
            let st = state(w, h, &repl, &summary, 150_018);
            screen(&st, w, h);
        }
    }
}

#[test]
fn paused_view_keeps_the_history_frozen() {
    let mut st = state(80, 24, &primary(), &primary_summary(), 150_018);
    let before = st.views.replication.history.clone();
    update(&mut st, Msg::Action(Action::TogglePause));
    show(&mut st, with(primary(), primary_summary(), 150_018, 99));
    assert_eq!(st.views.replication.history, before);
}
