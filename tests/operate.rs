//! Pure tests of acting on backends: tagging, the confirmation that defaults to No, read-only
//! mode, refusals, and what the control task's results do to the screen state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::time::Duration;

use fixtures::{NOW, busy, snapshot};
use pgscope::action::Action;
use pgscope::effect::{Done, ExplainReport, Job, Outcome, SignalKind, SignalReport};
use pgscope::state::{Mode, State};
use pgscope::update::ConfirmKey;
use pgscope::update::{Effect, Msg, update};

fn state() -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(200, 50));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, busy()),
            now: NOW,
        },
    );
    st
}

fn act(st: &mut State, a: Action) -> Vec<Effect> {
    update(st, Msg::Action(a))
}

fn signal_job(effects: &[Effect]) -> &pgscope::effect::SignalRequest {
    match effects {
        [Effect::Control(Job::Signal(req))] => req,
        other => panic!("expected one signal job, got {other:?}"),
    }
}

#[test]
fn terminate_asks_first_and_defaults_to_no() {
    let mut st = state();
    assert_eq!(st.views.activity.selected, Some(101));
    assert!(act(&mut st, Action::Terminate).is_empty());
    assert!(matches!(st.mode, Mode::Confirm(ref c) if !c.yes));
    // Enter on the default answer does nothing.
    assert!(update(&mut st, Msg::Confirm(ConfirmKey::Enter)).is_empty());
    assert_eq!(st.mode, Mode::Normal);

    act(&mut st, Action::Terminate);
    let effects = update(&mut st, Msg::Confirm(ConfirmKey::Yes));
    let req = signal_job(&effects);
    assert_eq!(req.kind, SignalKind::Terminate);
    assert_eq!(req.targets.len(), 1);
    assert_eq!(req.targets[0].pid, 101);
    assert_eq!(req.targets[0].backend_start, NOW - 3_600 * fixtures::SEC);
}

#[test]
fn cancel_pins_the_running_query_and_skips_idle_sessions() {
    let mut st = state();
    act(&mut st, Action::Down);
    assert_eq!(st.views.activity.selected, Some(102));
    act(&mut st, Action::Cancel);
    update(&mut st, Msg::Confirm(ConfirmKey::Toggle));
    let effects = update(&mut st, Msg::Confirm(ConfirmKey::Enter));
    let req = signal_job(&effects);
    assert_eq!(req.targets[0].query_start, Some(NOW - 80 * fixtures::SEC));

    // The root blocker is idle in transaction: nothing to cancel, so no dialog.
    act(&mut st, Action::Top);
    assert!(act(&mut st, Action::Cancel).is_empty());
    assert_eq!(st.mode, Mode::Normal);
    assert!(
        st.message
            .as_deref()
            .unwrap()
            .contains("not running a query")
    );
}

#[test]
fn tagged_backends_are_acted_on_together_and_untagged_after() {
    let mut st = state();
    act(&mut st, Action::Tag);
    act(&mut st, Action::Down);
    act(&mut st, Action::Tag);
    assert_eq!(
        st.tagged.keys().copied().collect::<Vec<_>>(),
        vec![101, 102]
    );
    act(&mut st, Action::Terminate);
    let effects = update(&mut st, Msg::Confirm(ConfirmKey::Yes));
    let pids: Vec<i32> = signal_job(&effects).targets.iter().map(|t| t.pid).collect();
    assert_eq!(pids, vec![101, 102]);
    assert!(st.tagged.is_empty());
}

#[test]
fn tag_all_shown_follows_the_filter() {
    let mut st = state();
    act(&mut st, Action::StartFilter);
    for c in "state:active".chars() {
        update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Char(c)));
    }
    update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Enter));
    act(&mut st, Action::TagAllShown);
    assert_eq!(
        st.tagged.keys().copied().collect::<Vec<_>>(),
        vec![102, 103, 104, 105]
    );
    act(&mut st, Action::UntagAll);
    assert!(st.tagged.is_empty());
}

#[test]
fn read_only_never_emits_a_signal_or_explain() {
    let mut st = state();
    st.read_only = true;
    for a in [Action::Terminate, Action::Cancel, Action::Explain] {
        assert!(act(&mut st, a).is_empty());
        assert_eq!(st.mode, Mode::Normal);
        assert!(
            st.message
                .as_deref()
                .unwrap()
                .contains("disabled (read-only)"),
            "{a:?}"
        );
    }
}

#[test]
fn results_are_shown_until_a_key() {
    let mut st = state();
    let report = SignalReport {
        kind: SignalKind::Terminate,
        results: vec![],
        via_monitoring: None,
    };
    update(
        &mut st,
        Msg::Done(Done::Signal {
            report,
            log_error: None,
        }),
    );
    assert!(matches!(st.mode, Mode::Report(_)));
    act(&mut st, Action::Clear);
    assert_eq!(st.mode, Mode::Normal);
    // Any other key closes the report and still does its work: `q` quits at once.
    update(
        &mut st,
        Msg::Done(Done::Signal {
            report: SignalReport {
                kind: SignalKind::Terminate,
                results: vec![],
                via_monitoring: None,
            },
            log_error: None,
        }),
    );
    let effects = act(&mut st, Action::Quit);
    assert_eq!(st.mode, Mode::Normal);
    assert!(effects.contains(&Effect::Quit), "{effects:?}");
    assert_eq!(
        Outcome::StillAlive { waited_secs: 5 }.describe(),
        "signal sent; not terminated within 5 s"
    );
}

#[test]
fn details_fetch_for_the_selected_pid_and_explain_from_there() {
    let mut st = state();
    act(&mut st, Action::Down);
    let effects = act(&mut st, Action::Details);
    assert!(matches!(&effects[..], [Effect::Control(Job::Details(d))] if d.pid == 102));
    assert!(matches!(st.mode, Mode::Details(_)));
    let effects = act(&mut st, Action::Explain);
    assert!(
        matches!(&effects[..], [Effect::Control(Job::Explain(r))] if r.pid == 102 && r.datname == "shop")
    );
    assert!(matches!(st.mode, Mode::Explain(_)));
    act(&mut st, Action::Clear);
    assert_eq!(st.mode, Mode::Normal);
}

/// When planning may run other roles' code the server asks first: only `y` plans (with consent);
/// `n`, Enter and Esc send nothing and close the question; Tab moves nothing.
#[test]
fn explain_question_answers_y_n_enter_esc() {
    for (key, plans) in [
        (ConfirmKey::No, false),
        (ConfirmKey::Enter, false),
        (ConfirmKey::Yes, true),
    ] {
        let mut st = state();
        act(&mut st, Action::Down);
        let effects = act(&mut st, Action::Explain);
        assert!(matches!(&effects[..], [Effect::Control(Job::Explain(r))] if !r.consented));
        update(
            &mut st,
            Msg::Done(Done::Explain(ExplainReport {
                pid: 102,
                result: Ok(Vec::new()),
                ask: Some("Plan anyway?".to_owned()),
            })),
        );
        assert!(matches!(st.mode, Mode::Confirm(_)), "{key:?}");
        assert!(update(&mut st, Msg::Confirm(ConfirmKey::Toggle)).is_empty());
        let effects = update(&mut st, Msg::Confirm(key));
        if plans {
            assert!(
                matches!(&effects[..], [Effect::Control(Job::Explain(r))] if r.consented && r.pid == 102)
            );
            assert!(matches!(st.mode, Mode::Explain(_)));
        } else {
            assert!(effects.is_empty(), "{key:?}: {effects:?}");
            assert_eq!(st.mode, Mode::Normal, "{key:?}");
        }
    }
}

/// Another role's session, as a login without pg_read_all_stats sees it: listed like a client
/// (it holds a connection slot), and cancel/terminate say which privilege is missing.
#[test]
fn another_roles_session_is_listed_and_the_refusal_names_the_privilege() {
    let mut hidden = fixtures::backend(900, "active", "<insufficient privilege>", 10);
    hidden.state = None;
    hidden.backend_type = String::new();
    hidden.backend_start = None;
    hidden.query_start = None;
    hidden.xact_start = None;
    hidden.state_change = None;
    hidden.application_name = String::new();
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(200, 50));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, vec![hidden]),
            now: NOW,
        },
    );
    assert_eq!(
        st.views.activity.rows.len(),
        1,
        "hidden as a background process"
    );
    assert_eq!(st.views.activity.selected, Some(900));
    for a in [Action::Cancel, Action::Terminate] {
        assert!(act(&mut st, a).is_empty());
        let msg = st.message.clone().unwrap();
        assert!(
            msg.ends_with("another role's session: requires pg_signal_backend or the same role"),
            "{msg}"
        );
        assert_eq!(st.mode, Mode::Normal);
    }
}

/// One dispatch: the mode that has the keyboard answers first, then the pane, then the global
/// keys. Esc and cancel each land in exactly one place.
#[test]
fn keys_go_to_the_mode_then_the_pane_then_the_global_keys() {
    let mut st = state();
    act(&mut st, Action::StartFilter);
    for c in "app:x".chars() {
        update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Char(c)));
    }
    update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Enter));
    assert_eq!(st.views.activity.filter.text, "app:x");
    act(&mut st, Action::Clear);
    assert_eq!(
        st.views.activity.filter.text, "",
        "Esc in normal mode clears the filter"
    );

    // Esc in the details view closes it and leaves the filter alone.
    act(&mut st, Action::StartFilter);
    for c in "user:batch".chars() {
        update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Char(c)));
    }
    update(&mut st, Msg::FilterKey(pgscope::update::FilterKey::Enter));
    assert_eq!(st.views.activity.selected, Some(101));
    let opened = act(&mut st, Action::Details);
    assert!(matches!(opened[..], [Effect::Control(Job::Details(_))]));
    act(&mut st, Action::Clear);
    assert_eq!(st.mode, Mode::Normal);
    assert_eq!(st.views.activity.filter.text, "user:batch");
    act(&mut st, Action::Clear);
    assert_eq!(st.views.activity.filter.text, "");

    // While the confirmation is open, an action that reaches `update` does nothing: the dialog
    // owns the keyboard (its answers come as `ConfirmKey`).
    act(&mut st, Action::Down);
    act(&mut st, Action::Terminate);
    assert!(matches!(st.mode, Mode::Confirm(_)));
    assert!(act(&mut st, Action::Quit).is_empty());
    assert!(matches!(st.mode, Mode::Confirm(_)));
    assert!(update(&mut st, Msg::Confirm(ConfirmKey::No)).is_empty());
    assert_eq!(st.mode, Mode::Normal);
    // Outside a mode, the global keys answer.
    assert_eq!(act(&mut st, Action::Quit), vec![Effect::Quit]);
}

/// `y` reads the full text of the selected backend (the list holds only its start) and copies
/// it when it arrives; when it cannot be read, the listed text of a backend still there.
#[test]
fn copy_reads_the_full_text_of_the_selected_pid() {
    use pgscope::effect::FullText;
    let mut st = state();
    let effects = act(&mut st, Action::CopyQuery);
    let [Effect::Control(Job::CopyText(req))] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(req.pid, 101);
    assert_eq!(req.backend_start, NOW - 3_600 * fixtures::SEC);

    let full = "SELECT 1 /* ".to_owned() + &"x".repeat(5_000) + " */";
    let done = Done::CopyText(FullText {
        pid: 101,
        text: Ok(full.clone()),
        truncated: false,
    });
    assert_eq!(update(&mut st, Msg::Done(done)), vec![Effect::Copy(full)]);
    assert!(st.message.as_deref().unwrap().contains("5015 characters"));

    let listed = st
        .backends()
        .iter()
        .find(|b| b.pid == 101)
        .unwrap()
        .query
        .clone();
    let failed = |pid| {
        Msg::Done(Done::CopyText(FullText {
            pid,
            text: Err("the backend ended or was replaced".to_owned()),
            truncated: false,
        }))
    };
    assert_eq!(update(&mut st, failed(101)), vec![Effect::Copy(listed)]);
    assert!(update(&mut st, failed(999)).is_empty());
    assert!(st.message.as_deref().unwrap().starts_with("nothing copied"));
}
