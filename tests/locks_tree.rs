//! The blocking tree as a pure function: roots first by impact, waiters under each of their
//! blockers, prepared transactions named, cycles shown once, and the root-blocker jump.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::fmt::Write as _;
use std::time::Duration;

use fixtures::NOW;
use fixtures::locks::{many_waiters, pile, waiter, with_locks};
use pgscope::action::Action;
use pgscope::panes::locks::tree::{NodeKey, build, roots_of};
use pgscope::state::{Pane, State};
use pgscope::update::{Effect, Msg, update};

fn shape(tree: &pgscope::panes::locks::tree::LockTree) -> Vec<String> {
    tree.rows
        .iter()
        .map(|r| {
            let key = match &r.key {
                NodeKey::Pid(p) => p.to_string(),
                NodeKey::Prepared(g) => format!("px:{g}"),
            };
            let mut s = format!("{}{key}", "  ".repeat(r.depth));
            if r.multi {
                s.push('*');
            }
            if r.cycle {
                s.push('@');
            }
            if r.repeat {
                s.push('^');
            }
            let _ = write!(s, " [{}]", r.blocked_below);
            s
        })
        .collect()
}

#[test]
fn roots_first_with_their_whole_pile() {
    let (backends, locks) = pile();
    let tree = build(&backends, Some(&locks));
    assert_eq!(
        shape(&tree),
        [
            "101 [4]",
            "  102 [3]",
            "    103 [2]",
            "      104 [1]",
            "        203* [0]",
            "201 [2]",
            "  202 [1]",
            "    203*^ [0]",
            "px:px [1]",
            "  301 [0]",
        ]
    );
    assert_eq!(tree.roots, 3);
    assert_eq!(tree.waiting, 6);
    // What each waiter wants and what its parent holds on it.
    let row = |k: i32| tree.rows.iter().find(|r| r.key == NodeKey::Pid(k)).unwrap();
    let c = &locks.contended;
    let r102 = row(102);
    assert_eq!(c[r102.wants.unwrap()].mode, "ShareLock");
    assert_eq!(c[r102.parent_holds.unwrap()].pid, Some(101));
    assert_eq!(c[row(101).holds.unwrap()].mode, "ExclusiveLock");
    let px = tree
        .rows
        .iter()
        .find(|r| r.key == NodeKey::Prepared("px".into()))
        .unwrap();
    assert_eq!(
        px.prepared.as_ref().unwrap().owner.as_deref(),
        Some("batch")
    );
    assert_eq!(
        c[row(301).parent_holds.unwrap()].mode,
        "AccessExclusiveLock"
    );
    // The shape does not need the lock details; only the prepared transaction's name does.
    let bare = build(&backends, None);
    assert_eq!(bare.rows.len(), tree.rows.len());
    assert!(
        bare.rows
            .iter()
            .any(|r| r.key == NodeKey::Prepared(String::new()))
    );
}

#[test]
fn roots_of_a_waiter_under_two_blockers() {
    let (backends, locks) = pile();
    let tree = build(&backends, Some(&locks));
    assert_eq!(
        roots_of(&tree, &NodeKey::Pid(203)),
        [NodeKey::Pid(101), NodeKey::Pid(201)]
    );
    assert_eq!(
        roots_of(&tree, &NodeKey::Pid(301)),
        [NodeKey::Prepared("px".into())]
    );
    assert_eq!(roots_of(&tree, &NodeKey::Pid(101)), [NodeKey::Pid(101)]);
    assert!(roots_of(&tree, &NodeKey::Pid(401)).is_empty());
}

#[test]
fn a_cycle_is_shown_once_not_looped() {
    let backends = vec![
        waiter(1, &[3], "a", 10),
        waiter(2, &[1], "b", 10),
        waiter(3, &[2], "c", 10),
        waiter(4, &[2], "d", 5),
    ];
    let tree = build(&backends, None);
    assert_eq!(
        shape(&tree),
        ["1 [3]", "  2 [3]", "    3 [3]", "      1@ [3]", "    4 [0]"]
    );
    assert_eq!(roots_of(&tree, &NodeKey::Pid(4)), [NodeKey::Pid(1)]);
}

#[test]
fn thousands_of_waiters_build_without_blowing_up() {
    let backends = many_waiters(5_000);
    let tree = build(&backends, None);
    assert_eq!(tree.roots, 100);
    // Every waiter once, plus the second listing of each doubly blocked one.
    let doubles = backends.iter().filter(|b| b.blocked_by.len() > 1).count();
    assert_eq!(tree.rows.len(), 5_000 + doubles);
}

fn state_with_pile() -> State {
    let (backends, locks) = pile();
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(120, 40));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: with_locks(backends, Ok(locks)),
            now: NOW,
        },
    );
    st
}

#[test]
fn selection_follows_the_node_and_actions_get_its_pid() {
    let mut st = state_with_pile();
    let fx = update(&mut st, Msg::Action(Action::Pane(2)));
    assert_eq!(fx, [Effect::Focus(Pane::Locks)]);
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(101));
    for _ in 0..4 {
        update(&mut st, Msg::Action(Action::Down));
    }
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(203));
    // A refresh in which 102 is gone re-anchors on 203 under the same blocker.
    let (mut backends, mut locks) = pile();
    backends.retain(|b| b.pid != 102);
    backends
        .iter_mut()
        .find(|b| b.pid == 103)
        .unwrap()
        .blocked_by = vec![101];
    locks.contended.retain(|l| l.pid != Some(102));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: with_locks(backends, Ok(locks)),
            now: NOW,
        },
    );
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(203));
    let row = st.views.locks.selected_row().unwrap();
    assert_eq!(row.parent, Some(NodeKey::Pid(104)));
}

#[test]
fn root_blocker_key_from_activity_and_from_locks() {
    let mut st = state_with_pile();
    // Activity: select 104 (sorted by query age, the selection follows the pid).
    st.views.activity.selected = Some(104);
    update(&mut st, Msg::Resize(120, 40));
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(104));
    let fx = update(&mut st, Msg::Action(Action::RootBlocker));
    assert!(fx.is_empty(), "stays in Activity: {fx:?}");
    assert_eq!(st.pane, Pane::Activity);
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(101));
    assert!(
        st.message
            .as_deref()
            .unwrap()
            .contains("pid 101 (blocks 4)")
    );

    // A prepared transaction has no Activity row: the Locks pane shows it.
    st.views.activity.selected = Some(301);
    update(&mut st, Msg::Resize(120, 40));
    let fx = update(&mut st, Msg::Action(Action::RootBlocker));
    assert_eq!(fx, [Effect::Focus(Pane::Locks)]);
    assert_eq!(
        st.views.locks.selected_row().unwrap().key,
        NodeKey::Prepared("px".into())
    );
    assert_eq!(
        pgscope::update::pane::selected_pid(&st),
        None,
        "no backend to signal"
    );
    update(&mut st, Msg::Action(Action::Terminate));
    assert!(st.message.as_deref().unwrap().contains("ROLLBACK PREPARED"));

    // In Locks: from 202 to its root 201.
    let pos = st
        .views
        .locks
        .tree
        .rows
        .iter()
        .position(|r| r.key == NodeKey::Pid(202))
        .unwrap();
    update(&mut st, Msg::Action(Action::Top));
    for _ in 0..pos {
        update(&mut st, Msg::Action(Action::Down));
    }
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(202));
    update(&mut st, Msg::Action(Action::RootBlocker));
    assert_eq!(pgscope::update::pane::selected_pid(&st), Some(201));
}
