//! The Statements pane from hand-made reads: render snapshots at 80x24 and 200x50 (rates from
//! two reads a second apart, hostile text, evictions with other roles' hidden statements), the
//! missing extension's diagnosis, and the keys that sort and switch to cumulative totals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::time::Duration;

use fixtures::screen::{body_of, screen};
use fixtures::statements::{BUSY, HOSTILE, missing, read, ready, with};
use fixtures::{NOW, SEC};
use pgscope::action::Action;
use pgscope::panes::statements::{Key, Outcome, Read};
use pgscope::state::State;
use pgscope::update::{Msg, update};

fn feed(st: &mut State, outcome: Outcome, seq: u64, now: i64) {
    update(
        st,
        Msg::Snapshot {
            snapshot: with(outcome, seq, now),
            now,
        },
    );
}

/// The pane focused, with two reads a second apart.
fn state(w: u16, h: u16, reads: [Read; 2], sees_all: bool) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(w, h));
    update(&mut st, Msg::Action(Action::Pane(7)));
    for (i, r) in reads.into_iter().enumerate() {
        let now = r.now;
        feed(&mut st, ready(r, sees_all), i as u64 + 1, now);
    }
    st
}

fn busy() -> [Read; 2] {
    [read(NOW - SEC, 10, BUSY), read(NOW, 11, BUSY)]
}

#[test]
fn statements_80x24() {
    let st = state(80, 24, busy(), true);
    let text = screen(&st, 80, 24);
    // 95 calls in the second at 520 ms each second: half a core, the top row by time.
    let rows: Vec<&str> = text.lines().collect();
    let first = rows.iter().position(|l| l.contains("TIME/S")).unwrap() + 1;
    assert!(
        rows[first].contains("52.0%") && rows[first].contains("UPDATE accounts"),
        "{text}"
    );
    assert!(text.contains("interval over 1.0 s"), "{text}");
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn statements_200x50() {
    let st = state(200, 50, busy(), true);
    let text = screen(&st, 200, 50);
    assert!(text.contains("1200") && text.contains("INSERT INTO events (kind, payload) VALUES"));
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn hostile_text_is_neutralized() {
    for (w, h) in [(80, 24), (200, 50)] {
        let st = state(
            w,
            h,
            [read(NOW - SEC, 1, HOSTILE), read(NOW, 2, HOSTILE)],
            true,
        );
        let text = screen(&st, w, h);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{202e}'));
        insta::assert_snapshot!(format!("statements_hostile_{w}x{h}"), body_of(&text));
    }
}

#[test]
fn evictions_and_hidden_statements_are_said() {
    let mut reads = busy();
    reads[1].dealloc = Some(5);
    for r in &mut reads {
        let mut hidden = r.entries[0].clone();
        hidden.key = Key {
            userid: 11,
            queryid: None,
            ..hidden.key
        };
        hidden.hidden = 37;
        hidden.text = None;
        r.entries.push(hidden);
    }
    let st = state(200, 50, reads, false);
    let text = screen(&st, 200, 50);
    // Two evictions of 5% of 5000 entries each.
    assert!(text.contains("~500 entries evicted"), "{text}");
    assert!(text.contains("GRANT pg_read_all_stats"), "{text}");
    assert!(text.contains("37 statements of other roles"), "{text}");
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn the_missing_library_is_diagnosed_with_its_fix() {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(80, 24));
    update(&mut st, Msg::Action(Action::Pane(7)));
    feed(&mut st, missing(), 1, NOW);
    let text = screen(&st, 80, 24);
    assert!(text.contains("shared_preload_libraries"), "{text}");
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn sort_keys_and_cumulative_totals() {
    let mut st = state(200, 50, busy(), true);
    let top = |st: &State| st.views.statements.rows[0].text.clone().unwrap();
    assert!(top(&st).starts_with("UPDATE accounts"));
    // `<` sorts by calls: the inserts, 1200 a second.
    update(&mut st, Msg::Action(Action::SortPrev));
    assert!(top(&st).starts_with("INSERT INTO events"));
    update(&mut st, Msg::Action(Action::SortReverse));
    assert!(
        top(&st).starts_with("VACUUM"),
        "{:?}",
        st.views.statements.rows
    );
    // `w` four times: 1, 5, 15 minutes, then cumulative totals since each entry's reset.
    for _ in 0..4 {
        update(&mut st, Msg::Action(Action::CycleWaitsWindow));
    }
    let text = screen(&st, 200, 50);
    assert!(
        text.contains("cumulative") && text.contains("CALLS"),
        "{text}"
    );
    // 1000 + 1200 × 11 calls.
    assert!(text.contains("14200"), "{text}");
}

#[test]
fn a_opens_the_statements_sessions_in_activity_or_says_why_not() {
    let mut reads = busy();
    for r in &mut reads {
        let mut hidden = r.entries[1].clone();
        hidden.key = Key {
            userid: 11,
            queryid: None,
            ..hidden.key
        };
        hidden.hidden = 2;
        // Ten times the top row's time: the hidden row sorts first.
        hidden.counters.exec_ms *= 10.0;
        r.entries.push(hidden);
    }
    let mut st = state(200, 50, reads, false);
    assert_eq!(st.views.statements.rows[0].hidden, 2);
    update(&mut st, Msg::Action(Action::StatementSessions));
    assert_eq!(st.pane, pgscope::panes::Pane::Statements);
    assert!(
        st.message.as_deref().unwrap().contains("pg_read_all_stats"),
        "{:?}",
        st.message
    );
    // The next row is an ordinary statement: Activity filtered to its query id.
    update(&mut st, Msg::Action(Action::Down));
    let id = st.views.statements.selected.unwrap().queryid.unwrap();
    update(&mut st, Msg::Action(Action::StatementSessions));
    assert_eq!(st.pane, pgscope::panes::Pane::Activity);
    assert_eq!(st.views.activity.filter.text, format!("qid:{id}"));
}

#[test]
fn enter_shows_the_statement_formatted_and_sanitized() {
    let mut st = state(
        200,
        50,
        [read(NOW - SEC, 1, HOSTILE), read(NOW, 2, HOSTILE)],
        true,
    );
    update(&mut st, Msg::Action(Action::Details));
    let text = screen(&st, 200, 50);
    assert!(
        text.contains("queryid 1000") && text.contains("calls/s 50.0"),
        "{text}"
    );
    // The interval's figures and the totals together: 1000 + 50 × 2 calls.
    assert!(
        text.contains("last 1.0 s") && text.contains("cumulative") && text.contains("calls 1100"),
        "{text}"
    );
    // The cached text is whole: nothing is read on Enter.
    assert!(!text.contains("reading the full text"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{9b}'),
        "{text}"
    );
    insta::assert_snapshot!(body_of(&text));
    update(&mut st, Msg::Action(Action::Clear));
    assert!(screen(&st, 200, 50).contains("CALLS/S"));
}

#[test]
fn e_on_a_row_of_summed_statements_is_refused_with_the_reason_and_sends_nothing() {
    let mut reads = busy();
    for r in &mut reads {
        let mut hidden = r.entries[1].clone();
        hidden.key = Key {
            userid: 11,
            queryid: None,
            ..hidden.key
        };
        hidden.hidden = 2;
        hidden.counters.exec_ms *= 10.0;
        r.entries.push(hidden);
    }
    let mut st = state(200, 50, reads, false);
    assert_eq!(st.views.statements.rows[0].hidden, 2);
    let effects = update(&mut st, Msg::Action(Action::Explain));
    assert!(effects.is_empty(), "{effects:?}");
    let said = st.message.clone().unwrap();
    assert!(
        said.contains("sums 2 statements of other roles") && said.contains("no single statement"),
        "{said}"
    );
    assert_eq!(st.mode, pgscope::state::Mode::Normal);
    // Enter on it reads nothing either: there is no one text to read.
    assert!(update(&mut st, Msg::Action(Action::Details)).is_empty());
    // An ordinary statement is planned by the control task.
    update(&mut st, Msg::Action(Action::Clear));
    update(&mut st, Msg::Action(Action::Down));
    let effects = update(&mut st, Msg::Action(Action::Explain));
    assert!(
        matches!(
            effects.as_slice(),
            [pgscope::effect::Effect::Control(pgscope::effect::Job::ExplainStatement(r))]
                if r.statement.key.queryid.is_some() && !r.consented
        ),
        "{effects:?}"
    );
}
