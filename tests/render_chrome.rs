//! The screen's chrome at the sizes people use: the header keeps what signals trouble at every
//! width, the tab line shows every tab, the footer shows the focused pane's own keys, every
//! binding of the help overlay is reachable by scrolling, and its search narrows it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::time::Duration;

use fixtures::screen::screen;
use fixtures::{NOW, busy, snapshot};
use pgscope::action::Action;
use pgscope::failure::{Failure, Kind};
use pgscope::keymap::Keymap;
use pgscope::snapshot::Link;
use pgscope::state::{Mode, Pane, State};
use pgscope::update::{FilterKey, Msg, update};

const SIZES: [(u16, u16); 4] = [(60, 20), (80, 24), (120, 40), (200, 50)];

fn state(w: u16, h: u16) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    st.views.pooler.configured = true;
    update(&mut st, Msg::Resize(w, h));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, busy()),
            now: NOW,
        },
    );
    st
}

/// The header's lines: everything above the tab line.
fn header(text: &str, w: u16) -> String {
    let rows = usize::from(pgscope::layout::header_rows(w));
    text.lines().take(rows).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_header_keeps_what_signals_trouble_at_every_width() {
    for (w, h) in SIZES {
        let mut st = state(w, h);
        update(&mut st, Msg::Action(Action::TogglePause));
        update(
            &mut st,
            Msg::Link {
                link: Link::Down {
                    cause: Failure::new(Kind::Connection, "connection lost"),
                    retry_in: Duration::from_secs(2),
                },
                now: NOW + 5_000_000,
            },
        );
        let text = screen(&st, w, h);
        let head = header(&text, w);
        for item in [
            "PRIMARY",
            "conns 8/100",
            "lock waits 2",
            "updated ",
            "STALE",
            "PAUSED",
            "disconnected: connection lost",
        ] {
            assert!(head.contains(item), "{w}x{h}: {item:?} missing:\n{head}");
        }
        // What drops goes whole: never a cut label.
        assert!(!head.contains('…') || head.contains("tps …"), "{head}");
    }
}

/// A login without pg_monitor is told which grant shows the hidden rows, at every width.
#[test]
fn a_missing_grant_is_said_in_the_header() {
    for (w, h) in SIZES {
        let mut snap = (*snapshot(1, busy())).clone();
        let mut caps = (*snap.caps).clone();
        caps.pg_read_all_stats = false;
        caps.login = "mon".into();
        snap.caps = std::sync::Arc::new(caps);
        let mut st = State::new(Duration::from_secs(1), NOW);
        update(&mut st, Msg::Resize(w, h));
        update(
            &mut st,
            Msg::Snapshot {
                snapshot: std::sync::Arc::new(snap),
                now: NOW,
            },
        );
        let head = header(&screen(&st, w, h), w);
        assert!(
            head.contains("other users' queries hidden: GRANT pg_monitor TO mon"),
            "{w}x{h}:\n{head}"
        );
        assert!(head.contains("conns 8/100"), "{w}x{h}:\n{head}");
    }
}

#[test]
fn a_header_without_trouble_has_room_for_everything_from_80_columns() {
    let st = state(60, 20);
    let head = header(&screen(&st, 60, 20), 60);
    assert!(
        head.contains("conns 8/100") && head.contains("lock waits 2"),
        "{head}"
    );
    // From 80 columns on, a server without trouble has room for everything.
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let st = state(w, h);
        let head = header(&screen(&st, w, h), w);
        for item in ["PG 15.18", "up 3d00h", "hit ", "every 1s", "idle 1"] {
            assert!(head.contains(item), "{w}x{h}: {item:?} missing:\n{head}");
        }
    }
}

#[test]
fn the_tab_line_shows_every_tab_and_the_focused_one_by_name() {
    for (w, h) in SIZES {
        for &pane in Pane::ALL {
            let mut st = state(w, h);
            update(&mut st, Msg::Action(Action::Pane(pane.number())));
            assert_eq!(st.pane, pane);
            let text = screen(&st, w, h);
            let tabs = text
                .lines()
                .nth(usize::from(pgscope::layout::header_rows(w)))
                .unwrap();
            for &p in Pane::ALL {
                assert!(
                    tabs.contains(&format!(" {} ", p.key())),
                    "{w}x{h} {pane:?}: tab {p:?} missing: {tabs}"
                );
            }
            if w >= 80 {
                assert!(
                    tabs.contains(&format!(" {} {} ", pane.key(), pane.name())),
                    "{w}x{h}: {tabs}"
                );
            }
        }
    }
}

#[test]
fn the_footer_shows_the_focused_panes_keys_first() {
    let want = [
        (Pane::Activity, "Enter details  c cancel"),
        (Pane::Locks, "v tree/list"),
        (Pane::Waits, "w window"),
        (Pane::Connections, "o grouping"),
        (Pane::Replication, "Enter details"),
        (Pane::Progress, "x horizon holder"),
        (Pane::Statements, "w span  a sessions"),
        (Pane::Tables, "s exact size"),
        (Pane::Settings, "/ search"),
        (Pane::Pooler, "Enter backend"),
    ];
    for (w, h) in SIZES {
        for (pane, keys) in want {
            let mut st = state(w, h);
            update(&mut st, Msg::Action(Action::Pane(pane.number())));
            let text = screen(&st, w, h);
            let footer = text.lines().last().unwrap();
            assert!(
                footer.starts_with(&format!("? help  {keys}")),
                "{w}x{h} {pane:?}: {footer}"
            );
            // Whole hints only: the line ends in a word of a hint and blanks.
            assert!(!footer.trim_end().ends_with("  "), "{footer}");
        }
    }
}

/// Every documented binding, for every pane focused, shows up when the overlay is paged
/// through from top to bottom, at the smallest size too.
#[test]
fn every_help_binding_is_reachable_by_scrolling() {
    let keymap = Keymap::default();
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        for &pane in Pane::ALL {
            let mut st = state(w, h);
            update(&mut st, Msg::Action(Action::Pane(pane.number())));
            update(&mut st, Msg::Action(Action::ToggleHelp));
            let mut seen = String::new();
            for _ in 0..40 {
                seen.push_str(&screen(&st, w, h));
                update(&mut st, Msg::Action(Action::Down));
            }
            assert!(matches!(st.mode, Mode::Help(_)));
            for e in keymap.documented() {
                let line = format!("{}  {}", e.label, e.help);
                assert!(
                    seen.contains(&line),
                    "{w}x{h} {pane:?}: {line:?} never shown"
                );
            }
            update(&mut st, Msg::Action(Action::Quit));
            assert_eq!(st.mode, Mode::Normal, "q closes help, it does not quit");
        }
    }
}

#[test]
fn help_pages_and_searches() {
    let mut st = state(80, 24);
    update(&mut st, Msg::Action(Action::ToggleHelp));
    let first = screen(&st, 80, 24);
    assert!(first.contains(" keys 1-"), "{first}");
    insta::assert_snapshot!("help_80x24_first_page", first);
    update(&mut st, Msg::Action(Action::Bottom));
    let last = screen(&st, 80, 24);
    assert!(last.contains("P  Pooler"), "{last}");
    update(&mut st, Msg::Action(Action::StartFilter));
    for c in "cancel".chars() {
        update(&mut st, Msg::HelpSearch(FilterKey::Char(c)));
    }
    let found = screen(&st, 80, 24);
    assert!(found.contains("cancel the query"), "{found}");
    assert!(!found.contains("reverse sort"), "{found}");
    assert!(found.contains("search: cancel"), "{found}");
    insta::assert_snapshot!("help_80x24_searched", found);
    update(&mut st, Msg::HelpSearch(FilterKey::Enter));
    update(&mut st, Msg::Action(Action::Clear));
    update(&mut st, Msg::Action(Action::Clear));
    assert_eq!(st.mode, Mode::Normal);
}
