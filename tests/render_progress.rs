//! The Progress pane from hand-made snapshots: render snapshots at 80x24 and 200x50 (busy,
//! hostile text and long names, section errors, "n/a" on an old server), ETAs derived in
//! `update` from two snapshots, and the jump to the horizon holder in Activity.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use fixtures::screen::{body_of, screen};

use std::time::Duration;

use fixtures::progress::{errors, hostile, progress, with};
use fixtures::{NOW, SEC};
use pgscope::action::Action;
use pgscope::panes::Pane;
use pgscope::panes::progress::data::{OpKind, Progress};
use pgscope::panes::progress::view::RowKey;
use pgscope::state::State;
use pgscope::update::{Effect, Msg, update};

fn feed(st: &mut State, p: Progress, seq: u64) {
    let now = p.now;
    update(
        st,
        Msg::Snapshot {
            snapshot: with(p, seq),
            now,
        },
    );
}

/// The Progress pane focused, with two snapshots a second apart so ETAs exist.
fn state(w: u16, h: u16, p: Progress) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(w, h));
    update(&mut st, Msg::Action(Action::Pane(6)));
    let mut earlier = p.clone();
    earlier.now -= SEC;
    if let Ok(ops) = &mut earlier.ops {
        for op in ops {
            op.done = op.done.map(|d| d - 100);
        }
    }
    feed(&mut st, earlier, 1);
    feed(&mut st, p, 2);
    st
}

#[test]
fn progress_80x24() {
    let st = state(80, 24, progress());
    let text = screen(&st, 80, 24);
    assert!(
        text.contains("oldest 1,234,567 xids, 1h01m old, held by pid 107"),
        "{text}"
    );
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn progress_200x50() {
    let st = state(200, 50, progress());
    let text = screen(&st, 200, 50);
    // 4,800 of 12,000 blocks at 100 blocks/s: 72 s to go.
    assert!(text.contains("1m12s"), "{text}");
    assert!(text.contains("autovac (wrap)") && text.contains("oid 16400 in billing"));
    assert!(text.contains("workers 1/3 busy") && text.contains("off"));
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn hostile_text_and_long_names_are_neutralized() {
    for (w, h) in [(80, 24), (200, 50)] {
        let st = state(w, h, hostile());
        let text = screen(&st, w, h);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}'));
        if w == 200 {
            assert!(text.contains("␛]0;pwned␇"), "{text}");
        }
        insta::assert_snapshot!(format!("progress_hostile_{w}x{h}"), body_of(&text));
    }
}

#[test]
fn section_errors_stay_in_their_section() {
    let st = state(120, 40, errors());
    let text = screen(&st, 120, 40);
    assert!(text.contains("permission denied for view pg_stat_progress_vacuum (SQLSTATE 42501)"));
    assert!(text.contains("GRANT pg_monitor"));
    assert!(text.contains("statement timeout (SQLSTATE 57014)"));
    assert!(
        text.contains("legacy") && text.contains("public.events"),
        "{text}"
    );
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn an_old_server_says_na_for_views_it_lacks() {
    let mut p = progress();
    p.unavailable = vec![OpKind::Analyze, OpKind::BaseBackup, OpKind::Copy];
    p.ops = Ok(Vec::new());
    let mut st = state(100, 30, p.clone());
    let mut snap = (*with(p, 3)).clone();
    let mut caps = (*snap.caps).clone();
    caps.version_num = 120_022;
    snap.caps = std::sync::Arc::new(caps);
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: std::sync::Arc::new(snap),
            now: NOW,
        },
    );
    let text = screen(&st, 100, 30);
    assert!(
        text.contains("n/a on PG 12: analyze, base backup, copy"),
        "{text}"
    );
    assert!(text.contains("no long operation running"));
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(40, 8), (41, 9), (60, 12), (300, 10), (40, 100)] {
        let st = state(w, h, hostile());
        let _ = screen(&st, w, h);
    }
}

#[test]
fn x_selects_the_horizon_holder_in_activity() {
    let mut st = state(120, 40, progress());
    // The holder (107) is idle in transaction: shown by default; hide it by a filter first.
    st.views.activity.filter = pgscope::state::filter::Filter::parse("app:nothing-matches");
    let effects = update(&mut st, Msg::Action(Action::ShowHorizonHolder));
    assert_eq!(effects, vec![Effect::Focus(Pane::Activity)]);
    assert_eq!(st.pane, Pane::Activity);
    assert_eq!(st.views.activity.selected, Some(107));
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(107));
    assert!(
        st.views.activity.filter.is_empty(),
        "the filter hid the holder"
    );
}

#[test]
fn selection_follows_the_operation_across_refreshes() {
    let mut st = state(120, 40, progress());
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(300));
    update(&mut st, Msg::Action(Action::Down));
    update(&mut st, Msg::Action(Action::Down));
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(302));
    let mut p = progress();
    p.now += SEC;
    if let Ok(ops) = &mut p.ops {
        ops.reverse();
    }
    feed(&mut st, p, 3);
    assert_eq!(
        st.views.progress.selected,
        Some(RowKey::Op {
            pid: 302,
            kind: Some(OpKind::CreateIndex)
        })
    );
    // Past the operations come the horizon holders that are sessions.
    update(&mut st, Msg::Action(Action::Bottom));
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(150));
}
