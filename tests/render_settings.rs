//! The Settings pane from hand-made snapshots: render snapshots at 80x24 and 200x50 (pending
//! restart first, overrides, file issues, a check), hostile server text neutralized, the pane's
//! own `/` search, Enter's long description, and a section error kept in its section.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use fixtures::screen::{body_of, screen};
use fixtures::{NOW, busy, snapshot};
use pgscope::action::Action;
use pgscope::panes::settings::data::{Facts, FileError, Override, Param, Params, Settings};
use pgscope::snapshot::PaneError;
use pgscope::state::State;
use pgscope::update::{FilterKey, Msg, update};

fn param(name: &str, setting: &str, unit: Option<&str>, boot: &str, source: &str) -> Param {
    Param {
        name: name.into(),
        setting: setting.into(),
        unit: unit.map(Into::into),
        vartype: "integer".into(),
        category: "Resource Usage / Memory".into(),
        short_desc: format!("Sets {name}."),
        extra_desc: None,
        context: "user".into(),
        source: source.into(),
        sourcefile: (source == "configuration file")
            .then(|| "/etc/postgresql/15/main/postgresql.conf".into()),
        sourceline: (source == "configuration file").then_some(42),
        boot_val: Some(boot.into()),
        reset_val: Some(setting.into()),
        pending_restart: false,
    }
}

fn settings() -> Settings {
    let mut shared = param(
        "shared_buffers",
        "16384",
        Some("8kB"),
        "1024",
        "configuration file",
    );
    shared.context = "postmaster".into();
    shared.pending_restart = true;
    let mut work_mem = param(
        "work_mem",
        "65536",
        Some("kB"),
        "4096",
        "configuration file",
    );
    work_mem.extra_desc = Some("Used by sorts and hash tables before spilling to disk.".into());
    let rows = vec![
        param("max_connections", "100", None, "100", "default"),
        work_mem,
        shared,
        param(
            "idle_in_transaction_session_timeout",
            "0",
            Some("ms"),
            "0",
            "default",
        ),
        param("statement_timeout", "30000", Some("ms"), "0", "database"),
    ];
    Settings {
        params: Ok(Params {
            files_visible: true,
            rows,
        }),
        overrides: Ok(vec![Override {
            database: Some("billing".into()),
            role: None,
            name: "statement_timeout".into(),
            value: "30s".into(),
        }]),
        file_errors: Ok(vec![
            FileError {
                sourcefile: Some("/var/lib/postgresql/15/main/postgresql.auto.conf".into()),
                sourceline: Some(3),
                name: Some("shared_buffers".into()),
                setting: Some("128MB".into()),
                error: "setting could not be applied".into(),
            },
            FileError {
                sourcefile: Some("/var/lib/postgresql/15/main/postgresql.auto.conf".into()),
                sourceline: Some(4),
                name: None,
                setting: None,
                error: "syntax error".into(),
            },
        ]),
        facts: Ok(Facts {
            idle_in_xact: 2,
            longest_idle_in_xact: Some(620.0),
            active: 3,
            sessions: 12,
            complete: true,
        }),
    }
}

fn hostile() -> Settings {
    let mut s = settings();
    if let Ok(p) = &mut s.params {
        let mut evil = param(
            &format!("custom.\u{1b}]0;pwned\u{7}{}", "very_long_name_".repeat(10)),
            "\u{202e}evil\u{9b}31m",
            None,
            "",
            "configuration file",
        );
        evil.vartype = "string".into();
        p.rows.push(evil);
    }
    if let Ok(o) = &mut s.overrides {
        o.push(Override {
            database: Some("日本語データベース\u{1b}[2J".into()),
            role: Some("r\u{0}x".into()),
            name: "search_path".into(),
            value: "\u{1b}[31mred".into(),
        });
    }
    s
}

fn with(s: Settings, seq: u64) -> Arc<pgscope::snapshot::Snapshot> {
    let mut snap = (*snapshot(seq, busy())).clone();
    snap.panes.settings = Some(Ok(Box::new(s)));
    Arc::new(snap)
}

fn state(w: u16, h: u16, s: Settings) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    shows(&mut st, w, h, s);
    st
}

/// The pane on a `w`×`h` terminal with `s` read.
fn shows(st: &mut State, w: u16, h: u16, s: Settings) {
    update(st, Msg::Resize(w, h));
    update(st, Msg::Action(Action::Pane(9)));
    update(
        st,
        Msg::Snapshot {
            snapshot: with(s, 1),
            now: NOW,
        },
    );
}

#[test]
fn settings_80x24() {
    let st = state(80, 24, settings());
    let text = screen(&st, 80, 24);
    assert!(
        text.contains("idle_in_transaction_session_timeout"),
        "{text}"
    );
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn settings_200x50() {
    let st = state(200, 50, settings());
    let text = screen(&st, 200, 50);
    let body = body_of(&text);
    // The pending restart comes first among the parameters; built-in defaults are not listed.
    let shared = body.find("shared_buffers").unwrap();
    let work = body.find("work_mem").unwrap();
    assert!(shared < work, "{body}");
    assert!(!body.contains("max_connections"), "{body}");
    assert!(body.contains("pending restart"), "{body}");
    assert!(
        body.contains("billing") && body.contains("syntax error"),
        "{body}"
    );
    insta::assert_snapshot!(body);
}

#[test]
fn hostile_text_is_neutralized() {
    for (w, h) in [(80, 24), (200, 50)] {
        let st = state(w, h, hostile());
        let text = screen(&st, w, h);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{202e}'));
        assert!(!text.contains('\u{0}'));
        insta::assert_snapshot!(format!("settings_hostile_{w}x{h}"), body_of(&text));
    }
}

#[test]
fn search_is_the_panes_own_and_esc_clears_it() {
    let mut st = state(120, 40, settings());
    update(&mut st, Msg::Action(Action::StartFilter));
    for c in "work".chars() {
        update(&mut st, Msg::FilterKey(FilterKey::Char(c)));
    }
    assert_eq!(st.views.settings.search, "work");
    assert!(st.views.activity.filter.text.is_empty());
    assert_eq!(st.views.settings.rows, vec!["work_mem".to_owned()]);
    let text = screen(&st, 120, 40);
    assert!(!text.contains("shared_buffers     "), "{text}");
    update(&mut st, Msg::FilterKey(FilterKey::Esc));
    assert!(st.views.settings.search.is_empty());
    assert!(st.views.settings.rows.len() > 1);
}

#[test]
fn enter_shows_the_long_description() {
    let mut st = state(120, 40, settings());
    update(&mut st, Msg::Action(Action::Down));
    assert_eq!(
        st.views.settings.selected.as_deref(),
        Some("statement_timeout")
    );
    update(&mut st, Msg::Action(Action::Down));
    assert_eq!(st.views.settings.selected.as_deref(), Some("work_mem"));
    update(&mut st, Msg::Action(Action::Details));
    let text = screen(&st, 120, 40);
    assert!(text.contains("spilling to disk"), "{text}");
}

#[test]
fn a_failed_section_stays_in_its_section() {
    let mut s = settings();
    s.file_errors = Err(PaneError {
        sqlstate: Some("42501".into()),
        message: "permission denied for view pg_file_settings".into(),
    });
    let st = state(120, 40, s);
    let text = screen(&st, 120, 40);
    assert!(
        text.contains("permission denied for view pg_file_settings"),
        "{text}"
    );
    assert!(text.contains("GRANT"), "{text}");
    assert!(text.contains("work_mem"), "{text}");
}

/// `[settings] columns` chooses the parameter list's columns and their order.
#[test]
fn configured_columns_show_in_their_order() {
    let mut st = State::new(Duration::from_secs(1), NOW);
    pgscope::config::Config::parse(
        std::path::Path::new("custom.toml"),
        "[settings]\ncolumns = [\"value\", \"name\"]\n",
    )
    .unwrap()
    .apply(&mut st);
    shows(&mut st, 200, 50, settings());
    let text = screen(&st, 200, 50);
    let header = text.lines().find(|l| l.contains("NAME")).unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["VALUE", "NAME"]
    );
    assert!(
        text.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["64", "MiB", "work_mem"]),
        "{text}"
    );
}
