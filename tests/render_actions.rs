//! Render snapshots of the action overlays: the confirmation, the outcome report, the details
//! view (with hostile text and a 1 MB query) and an EXPLAIN result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use fixtures::screen::screen;

use std::time::Duration;

use fixtures::{NOW, busy, hostile, snapshot};
use pgscope::action::Action;
use pgscope::effect::{Details, Done, ExplainReport, LockLine, Outcome, SignalKind, SignalReport};
use pgscope::state::State;
use pgscope::update::{Msg, update};

fn state(w: u16, h: u16, backends: Vec<pgscope::snapshot::Backend>) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(w, h));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, backends),
            now: NOW,
        },
    );
    st
}

#[test]
fn confirmation_lists_every_target_and_defaults_to_no() {
    let mut st = state(120, 30, busy());
    update(&mut st, Msg::Action(Action::Tag));
    update(&mut st, Msg::Action(Action::Down));
    update(&mut st, Msg::Action(Action::Tag));
    update(&mut st, Msg::Action(Action::Terminate));
    let text = screen(&st, 120, 30);
    assert!(text.contains("terminate 2 backends?"));
    // The keys that answer, and that No is the default.
    assert!(text.contains("y yes · n/Esc no · Tab moves · Enter picks (No by default)"));
    insta::assert_snapshot!(text);
}

#[test]
fn outcome_report() {
    let mut st = state(100, 24, busy());
    update(&mut st, Msg::Action(Action::Terminate));
    let effects = update(&mut st, Msg::Confirm(pgscope::update::ConfirmKey::Yes));
    let [pgscope::update::Effect::Control(pgscope::effect::Job::Signal(req))] = &effects[..] else {
        panic!("{effects:?}")
    };
    let t = req.targets[0].clone();
    let results = vec![
        (t.clone(), Outcome::Terminated),
        (t.clone(), Outcome::StillAlive { waited_secs: 5 }),
        (t.clone(), Outcome::Changed),
        (
            t,
            Outcome::Refused {
                sqlstate: Some("42501".into()),
                message: "permission denied to terminate process".into(),
            },
        ),
    ];
    let report = SignalReport {
        kind: SignalKind::Terminate,
        results,
        via_monitoring: None,
    };
    update(
        &mut st,
        Msg::Done(Done::Signal {
            report,
            log_error: None,
        }),
    );
    insta::assert_snapshot!(screen(&st, 100, 24));
}

/// 80 targets at 80x24: the totals first, the list scrolls, the close hint stays in the title.
#[test]
fn bulk_outcome_report_fits_and_scrolls() {
    let mut st = state(80, 24, busy());
    update(&mut st, Msg::Action(Action::Terminate));
    let effects = update(&mut st, Msg::Confirm(pgscope::update::ConfirmKey::Yes));
    let [pgscope::update::Effect::Control(pgscope::effect::Job::Signal(req))] = &effects[..] else {
        panic!("{effects:?}")
    };
    let t = req.targets[0].clone();
    let results = (0..80)
        .map(|i| {
            let mut t = t.clone();
            t.pid = 1_000 + i;
            let outcome = if i % 10 == 0 {
                Outcome::Changed
            } else {
                Outcome::Terminated
            };
            (t, outcome)
        })
        .collect();
    update(
        &mut st,
        Msg::Done(Done::Signal {
            report: SignalReport {
                kind: SignalKind::Terminate,
                results,
                via_monitoring: None,
            },
            log_error: None,
        }),
    );
    let shown = screen(&st, 80, 24);
    assert!(
        shown.contains("80 targets: changed, not signalled 8 · terminated 72"),
        "{shown}"
    );
    assert!(shown.contains("Esc close"), "{shown}");
    assert!(
        shown.contains("pid 1000:") && !shown.contains("pid 1079:"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
    for _ in 0..100 {
        update(&mut st, Msg::Action(Action::Down));
    }
    let shown = screen(&st, 80, 24);
    assert!(
        shown.contains("pid 1079:") && shown.contains("of 80"),
        "{shown}"
    );
}

#[test]
fn details_with_hostile_text_and_a_huge_query() {
    let mut st = state(120, 40, hostile());
    update(&mut st, Msg::Action(Action::Details));
    let pid = pgscope::update::pane::selected_pid(&st).unwrap();
    let details = Details {
        pid,
        query: Some(format!(
            "SELECT *\n  FROM t -- \u{1b}]0;pwned\u{7}\n WHERE x = 1 /* {} */",
            "y".repeat(1_000_000)
        )),
        truncated: false,
        locks: vec![LockLine {
            locktype: "relation".into(),
            mode: "AccessShareLock".into(),
            granted: true,
            object: "public.t".into(),
        }],
        backend_xmin_age: Some(42),
        progress: Some("vacuum: scanning heap".into()),
        error: None,
    };
    update(&mut st, Msg::Done(Done::Details(details)));
    let text = screen(&st, 120, 40);
    assert!(text.contains("␛]0;pwned␇") && !text.contains('\u{1b}'));
    insta::assert_snapshot!(text);
}

#[test]
fn explain_result_and_refusal() {
    let mut st = state(100, 24, busy());
    update(&mut st, Msg::Action(Action::Down));
    update(&mut st, Msg::Action(Action::Explain));
    let plan = vec![
        "Update on accounts  (cost=0.29..8.31 rows=0 width=0)".to_owned(),
        "  ->  Index Scan using accounts_pkey on accounts  (cost=0.29..8.31 rows=1 width=10)"
            .to_owned(),
    ];
    update(
        &mut st,
        Msg::Done(Done::Explain(ExplainReport {
            pid: 102,
            result: Ok(plan),
            ask: None,
        })),
    );
    insta::assert_snapshot!("explain_plan", screen(&st, 100, 24));
    update(&mut st, Msg::Action(Action::Clear));
    update(&mut st, Msg::Action(Action::Explain));
    let why =
        "the query text was truncated at track_activity_query_size: cannot EXPLAIN".to_owned();
    update(
        &mut st,
        Msg::Done(Done::Explain(ExplainReport {
            pid: 102,
            result: Err(pgscope::failure::Failure::new(
                pgscope::failure::Kind::Client,
                why,
            )),
            ask: None,
        })),
    );
    insta::assert_snapshot!("explain_refused", screen(&st, 100, 24));
}

/// The question before planning other roles' code: the whole warning and the keys that answer
/// it are on screen, even at 80 columns where the warning wraps.
#[test]
fn explain_question_shows_its_keys() {
    let mut st = state(80, 24, busy());
    update(&mut st, Msg::Action(Action::Down));
    update(&mut st, Msg::Action(Action::Explain));
    let ask = "Planning runs as the backend's role \"app\" (SET LOCAL ROLE), but the planner may \
               run trap(integer) (owner app), and such code can switch back to login \"mon\" \
               and use its privileges. Plan anyway?";
    update(
        &mut st,
        Msg::Done(Done::Explain(ExplainReport {
            pid: 102,
            result: Ok(Vec::new()),
            ask: Some(ask.to_owned()),
        })),
    );
    let shown = screen(&st, 80, 24);
    assert!(shown.contains(" y  yes, plan anyway"), "{shown}");
    assert!(shown.contains("Enter or Esc  no (the default)"), "{shown}");
    assert!(shown.contains("Plan anyway?"), "{shown}");
    insta::assert_snapshot!("explain_question", shown);
}
