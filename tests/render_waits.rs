//! The Waits pane from hand-made snapshots: render snapshots at 80x24 and 200x50 (Now groups,
//! the timeline with cores, top waits and queries), hostile text, the sampler's error and the
//! sampler turned off; the window key; Enter on a group or a query filtering Activity.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use fixtures::screen::{body_of, screen};
use fixtures::waits::{backends, history, sampler_error, with_waits};
use fixtures::{NOW, hostile, pane_error};
use pgscope::action::Action;
use pgscope::panes::Pane;
use pgscope::panes::waits::data::{QueryKey, SamplerStatus, Waits};
use pgscope::panes::waits::view::RowKey;
use pgscope::snapshot::Snapshot;
use pgscope::state::State;
use pgscope::update::{Effect, Msg, update};

const REPORT: &str =
    "SELECT a.id, sum(o.amount) FROM orders o JOIN accounts a ON a.id = o.account_id GROUP BY 1";

fn state(w: u16, h: u16, snap: Arc<Snapshot>, down: usize) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(w, h));
    update(&mut st, Msg::Action(Action::Pane(3)));
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

fn busy() -> Arc<Snapshot> {
    with_waits(backends(), history(REPORT))
}

#[test]
fn waits_80x24() {
    let st = state(80, 24, busy(), 1);
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn waits_200x50_with_a_query_selected() {
    let st = state(200, 50, busy(), 5);
    assert!(matches!(st.views.waits.selected, Some(RowKey::Query(_))));
    insta::assert_snapshot!(body_of(&screen(&st, 200, 50)));
}

#[test]
fn one_minute_window_200x50() {
    let mut st = state(200, 50, busy(), 0);
    // 5 min → 15 min → 1 min.
    update(&mut st, Msg::Action(Action::CycleWaitsWindow));
    update(&mut st, Msg::Action(Action::CycleWaitsWindow));
    assert_eq!(st.views.waits.window, 0);
    insta::assert_snapshot!(body_of(&screen(&st, 200, 50)));
}

#[test]
fn hostile_text_200x50() {
    let evil = "SELECT 1 /* \u{1b}]0;pwned\u{7}\u{1b}[2J表\u{202e}x */";
    let mut h = history(evil);
    h.windows[1].events[0].label = format!("IO:{evil}");
    let st = state(200, 50, with_waits(hostile(), h), 6);
    let out = screen(&st, 200, 50);
    assert!(!out.contains('\u{1b}'));
    insta::assert_snapshot!(body_of(&out));
}

#[test]
fn sampler_error_and_back_off_80x24() {
    let st = state(
        80,
        24,
        with_waits(backends(), sampler_error(history(REPORT))),
        0,
    );
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn sampler_off_and_activity_error_80x24() {
    let off = Waits {
        sampler: SamplerStatus::default(),
        ..Waits::default()
    };
    let st = state(80, 24, with_waits(backends(), off), 0);
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
    let st = state(80, 24, pane_error(), 0);
    insta::assert_snapshot!("activity_error_80x24", body_of(&screen(&st, 80, 24)));
}

#[test]
fn tiny_terminals_draw() {
    for (w, h) in [(40, 8), (41, 9), (60, 12), (1, 1), (200, 3), (300, 100)] {
        let st = state(w, h, busy(), 3);
        let _ = screen(&st, w, h);
    }
}

#[test]
fn enter_on_a_group_filters_activity() {
    let mut st = state(200, 50, busy(), 0);
    assert_eq!(st.views.waits.selected, Some(RowKey::Wait("CPU".into())));
    let fx = update(&mut st, Msg::Action(Action::Details));
    assert_eq!(fx, vec![Effect::Focus(Pane::Activity)]);
    assert_eq!(st.views.activity.filter.text, "wait:=CPU");
    let shown: Vec<i32> = st
        .views
        .activity
        .rows
        .iter()
        .map(|&i| st.backends()[i].pid)
        .collect();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown.contains(&104) && shown.contains(&105), "{shown:?}");
}

#[test]
fn enter_on_a_query_with_an_id_filters_by_query_id() {
    let mut st = state(200, 50, busy(), 0);
    let groups = st.views.waits.groups.len();
    for _ in 0..groups {
        update(&mut st, Msg::Action(Action::Down));
    }
    // The top query of the 5-minute window: the lock waiters' UPDATE, query_id 22.
    assert_eq!(
        st.views.waits.selected,
        Some(RowKey::Query(QueryKey::Id(22)))
    );
    update(&mut st, Msg::Action(Action::Details));
    assert_eq!(st.pane, Pane::Activity);
    assert_eq!(st.views.activity.filter.text, "qid:22");
}

/// With the sampler off the collect side still hands the pane a summary, so it says "off"
/// instead of waiting for samples that never come; and the refreshes record nothing.
#[test]
fn sampler_off_reaches_the_pane() {
    use pgscope::collect::sampler::{Config, Sampler};
    let mut sampler = Sampler::new(Config {
        rate_hz: 0.0,
        ..Config::default()
    });
    let mut snap: Snapshot = (*fixtures::snapshot(1, backends())).clone();
    sampler.observe(&snap, Duration::from_secs(1));
    pgscope::collect::pane::after(&sampler, &mut snap, Pane::Waits);
    let waits = snap.panes.waits.as_ref().unwrap().as_ref().unwrap();
    assert!(!waits.sampler.enabled, "{:?}", waits.sampler);
    assert_eq!(waits.sampler.samples, 0);
    let st = state(80, 24, Arc::new(snap), 0);
    let text = screen(&st, 80, 24);
    assert!(text.contains("--no-sampler"), "{text}");
}

/// At thousands of sessions the sampler pauses; the history says so and what a sample costs.
#[test]
fn paused_sampler_is_explained() {
    let mut waits = history(REPORT);
    waits.sampler.paused = true;
    waits.sampler.effective_hz = 1.0 / 30.0;
    waits.sampler.server_us = Some(3_100.0);
    waits.sampler.refresh_hz = 0.5;
    let st = state(200, 50, with_waits(backends(), waits), 0);
    let text = screen(&st, 200, 50);
    assert!(
        text.contains(
            "sampling with each refresh (every 2s) only: extra samples paused (3.1 ms each, too \
             dear for the 0.50 ms/s share)"
        ),
        "{text}"
    );
}

/// Every refresh is a sample: its non-idle sessions go into the history as they are.
#[test]
fn a_refresh_is_a_sample() {
    use pgscope::collect::sampler::{Config, Sampler};
    let mut sampler = Sampler::new(Config::default());
    let mut snap: Snapshot = (*fixtures::snapshot(1, backends())).clone();
    sampler.observe(&snap, Duration::from_secs(1));
    pgscope::collect::pane::after(&sampler, &mut snap, Pane::Waits);
    let waits = snap.panes.waits.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(waits.sampler.samples, 1);
    let second = waits.seconds.last().unwrap();
    let busy = backends()
        .iter()
        .filter(|b| b.state.as_deref().is_some_and(|s| s != "idle"))
        .count();
    assert_eq!(second.sessions.iter().sum::<u32>() as usize, busy);
    assert!(busy > 0);
}

/// At 160 columns the history's title drops whole parts instead of being cut, and the top
/// queries' MAIN WAITS column starts at the same cell on every line.
#[test]
fn history_title_fits_and_main_waits_align_at_160() {
    let st = state(160, 40, busy(), 0);
    let text = body_of(&screen(&st, 160, 40));
    let title = text.lines().find(|l| l.contains("HISTORY")).unwrap();
    assert!(!title.contains('…'), "{title}");
    assert!(title.trim_end().ends_with("w: window"), "{title}");
    let lines: Vec<&str> = text.lines().collect();
    let head = lines.iter().position(|l| l.contains("MAIN WAITS")).unwrap();
    let at = |l: &str, s: &str| l.find(s).map(|b| l[..b].chars().count());
    let column = at(lines[head], "MAIN WAITS").unwrap();
    let rows: Vec<&str> = lines[head + 1..]
        .iter()
        .copied()
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert!(rows.len() >= 2, "{text}");
    for row in rows {
        let waits: String = row.chars().skip(column).collect();
        let before: String = row.chars().take(column).collect();
        assert!(before.ends_with(' '), "{row}");
        assert!(
            !waits.starts_with(' '),
            "main waits start at {column}: {row}"
        );
    }
}
