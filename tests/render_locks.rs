//! Render snapshots of the Locks pane: the tree (80x24, 200x50, deep and wide, narrow), the
//! grouped lock list, hostile names, and the pane's errors with the grant that fixes them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use fixtures::screen::{body_of, screen};

use std::sync::Arc;
use std::time::Duration;

use fixtures::locks::{many_waiters, pile, with_locks};
use fixtures::{NOW, pane_error};
use pgscope::action::Action;
use pgscope::snapshot::{PaneError, Snapshot};
use pgscope::state::State;
use pgscope::update::{Msg, update};

/// The Locks pane focused on `snap`, `down` rows below the first.
fn locks_state(w: u16, h: u16, snap: Arc<Snapshot>, down: usize) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(w, h));
    update(&mut st, Msg::Action(Action::Pane(2)));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snap,
            now: NOW,
        },
    );
    for _ in 0..down {
        update(&mut st, Msg::Action(Action::Down));
    }
    st
}

fn pile_snapshot() -> Arc<Snapshot> {
    let (backends, locks) = pile();
    with_locks(backends, Ok(locks))
}

#[test]
fn tree_80x24() {
    let st = locks_state(80, 24, pile_snapshot(), 1);
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn tree_200x50() {
    let st = locks_state(200, 50, pile_snapshot(), 1);
    insta::assert_snapshot!(body_of(&screen(&st, 200, 50)));
}

#[test]
fn prepared_xact_selected_200x50() {
    let st = locks_state(200, 50, pile_snapshot(), 8);
    insta::assert_snapshot!(body_of(&screen(&st, 200, 50)));
}

#[test]
fn lock_list_80x24() {
    let mut st = locks_state(80, 24, pile_snapshot(), 0);
    update(&mut st, Msg::Action(Action::ToggleLockList));
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn deep_and_wide_200x50() {
    let st = locks_state(200, 50, with_locks(many_waiters(300), Ok(pile().1)), 12);
    insta::assert_snapshot!(body_of(&screen(&st, 200, 50)));
}

#[test]
fn narrow_and_tiny_terminals_draw() {
    for (w, h) in [(40, 8), (41, 12), (60, 15), (1, 1), (200, 3)] {
        let st = locks_state(w, h, pile_snapshot(), 3);
        let _ = screen(&st, w, h);
    }
    let st = locks_state(40, 12, pile_snapshot(), 3);
    insta::assert_snapshot!(body_of(&screen(&st, 40, 12)));
}

#[test]
fn hostile_names_200x50() {
    let (mut backends, mut locks) = pile();
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J表\u{202e}x";
    for b in &mut backends {
        b.query = format!("SELECT 1 /* {evil} */ {}", "x".repeat(100_000));
        b.usename = Some(format!("ユーザー{evil}"));
    }
    for l in locks.contended.iter_mut().chain(locks.by_pid.iter_mut()) {
        l.target.relname = l.target.relname.as_ref().map(|r| format!("{r}{evil}"));
        if let Some(p) = &mut l.prepared {
            p.gid = format!("px{evil}");
        }
    }
    // The prepared transaction's gid is in the tree's key as well.
    for b in &mut backends {
        if b.blocked_by == [0] {
            b.query = evil.to_owned();
        }
    }
    let st = locks_state(200, 50, with_locks(backends, Ok(locks)), 8);
    let text = screen(&st, 200, 50);
    assert!(
        text.contains("␛]0;pwned␇"),
        "escapes shown, not interpreted"
    );
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn lock_details_permission_error_80x24() {
    let (backends, _) = pile();
    let err = PaneError {
        sqlstate: Some("42501".into()),
        message: "permission denied for function pg_lock_status".into(),
    };
    let st = locks_state(80, 24, with_locks(backends, Err(err)), 0);
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn blocking_tree_needs_pg_blocking_pids_80x24() {
    let st = locks_state(80, 24, pane_error(), 0);
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

/// A prepared transaction that is a root starts at the left edge with its label and gid (never
/// as `0└─prepared xac…`): cut at its end at 80 columns, whole at 160.
#[test]
fn a_prepared_root_keeps_its_label_at_the_left_edge() {
    let (backends, mut locks) = pile();
    for l in locks.contended.iter_mut().chain(locks.by_pid.iter_mut()) {
        if let Some(p) = &mut l.prepared {
            p.gid = "tx-2026-11-28-0001".to_owned();
        }
    }
    let snap = with_locks(backends, Ok(locks));
    for w in [80u16, 160] {
        let st = locks_state(w, 24, snap.clone(), 0);
        let text = body_of(&screen(&st, w, 24));
        let line = text
            .lines()
            .find(|l| l.contains("prepared xact"))
            .unwrap_or_else(|| panic!("{text}"));
        let want = if w == 80 {
            "prepared xact tx"
        } else {
            "prepared xact tx-2026-11-28-0001 "
        };
        assert!(line.starts_with(want), "{w}: {line}\n{text}");
        if w == 80 {
            insta::assert_snapshot!(text);
        }
    }
}
