//! Render snapshots of the whole screen from hand-made state, at 80x24 and 200x50: a busy
//! server, hostile text, a pane error, help, and a terminal too small. `render_functions_only_read`
//! is enforced by the signature: `ui::draw` takes `&State`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use fixtures::screen::screen;

use std::time::Duration;

use fixtures::{NOW, busy, hostile, pane_error, snapshot};
use pgscope::action::Action;
use pgscope::failure::{Failure, Kind};
use pgscope::snapshot::Link;
use pgscope::state::State;
use pgscope::update::{Msg, update};

fn state(w: u16, h: u16, snap: std::sync::Arc<pgscope::snapshot::Snapshot>) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(w, h));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snap,
            now: NOW,
        },
    );
    st
}

#[test]
fn busy_server_80x24() {
    let st = state(80, 24, snapshot(1, busy()));
    let text = screen(&st, 80, 24);
    insta::assert_snapshot!(text);
}

#[test]
fn busy_server_200x50() {
    let mut st = state(200, 50, snapshot(1, busy()));
    update(&mut st, Msg::Action(Action::ToggleIdle));
    let text = screen(&st, 200, 50);
    insta::assert_snapshot!(text);
}

#[test]
fn hostile_text_is_neutralized() {
    for (w, h) in [(80, 24), (200, 50)] {
        let st = state(w, h, snapshot(1, hostile()));
        let text = screen(&st, w, h);
        assert!(!text.contains('\u{1b}'));
        if w == 200 {
            assert!(text.contains("␛]0;pwned␇"), "{text}");
        }
        insta::assert_snapshot!(format!("hostile_{w}x{h}"), text);
    }
}

#[test]
fn pane_error_is_shown_in_the_pane() {
    let st = state(80, 24, pane_error());
    let text = screen(&st, 80, 24);
    assert!(text.contains("permission denied for function pg_blocking_pids (SQLSTATE 42501)"));
    insta::assert_snapshot!(text);
}

#[test]
fn stale_paused_and_disconnected_are_visible() {
    let mut st = state(200, 50, snapshot(1, busy()));
    update(&mut st, Msg::Action(Action::TogglePause));
    update(
        &mut st,
        Msg::Link {
            link: Link::Down {
                cause: Failure::new(
                    Kind::Connection,
                    "connection lost: terminating connection due to administrator command",
                ),
                retry_in: Duration::from_secs(2),
            },
            now: NOW + 5_000_000,
        },
    );
    let text = screen(&st, 200, 50);
    assert!(
        text.contains("STALE")
            && text.contains("PAUSED")
            && text.contains("disconnected: connection lost")
    );
    insta::assert_snapshot!(text);
}

#[test]
fn help_is_generated_from_the_keymap() {
    let mut st = state(80, 24, snapshot(1, busy()));
    update(&mut st, Msg::Action(Action::ToggleHelp));
    let text = screen(&st, 80, 24);
    // The focused pane's keys come first; the rest is a scroll away (tests/render_chrome.rs).
    assert!(text.contains("Activity pane") && text.contains("cancel the query"));
    insta::assert_snapshot!(text);
}

#[test]
fn tiny_terminals_say_so() {
    for (w, h) in [(20, 5), (1, 1), (200, 1), (10, 100)] {
        let st = state(w, h, snapshot(1, busy()));
        let text = screen(&st, w, h);
        // As much of the message as the width holds, on the first line.
        let want: String = "terminal too small".chars().take(usize::from(w)).collect();
        assert!(
            text.lines().next().unwrap().starts_with(&want),
            "{w}x{h}: {text}"
        );
    }
}

/// Refreshes paced below the interval asked for: the header says so, and STALE waits for the
/// interval in effect.
#[test]
fn paced_interval_in_the_header() {
    let mut snap = (*snapshot(1, busy())).clone();
    snap.pacing.every = Duration::from_millis(1_750);
    let mut st = state(200, 50, std::sync::Arc::new(snap));
    let text = screen(&st, 200, 50);
    // At 200 columns the header is one line.
    let header = text.lines().next().unwrap();
    assert!(header.contains("every 1.75s (paced)"), "{header}");
    // 3.4 s without data: stale at 1 s, not at 1.75 s (limit 3.5 s).
    update(&mut st, Msg::Tick(NOW + 3_400_000));
    assert!(!st.is_stale());
    update(&mut st, Msg::Tick(NOW + 3_600_000));
    assert!(st.is_stale());
}

/// The header's clock follows the UTC offset the app loop reads with the clock: after a
/// daylight-saving change it moves by the hour at once, with no restart.
#[test]
fn header_clock_follows_a_new_utc_offset() {
    let mut st = state(200, 50, snapshot(1, busy()));
    let updated = |st: &State| {
        let text = screen(st, 200, 50);
        let at = text.find("updated ").unwrap() + "updated ".len();
        text[at..at + 8].to_owned()
    };
    let before = updated(&st);
    update(&mut st, Msg::UtcOffset(3_600));
    let after = updated(&st);
    let secs = |hms: &str| {
        let p: Vec<i64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
        p[0] * 3600 + p[1] * 60 + p[2]
    };
    assert_eq!(
        (secs(&after) - secs(&before)).rem_euclid(86_400),
        3_600,
        "{before} {after}"
    );
}
