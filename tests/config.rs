//! The config file, keymaps and user themes from fixture files: what a valid file changes, and
//! the exact message (path, line, cause) of each kind of mistake; how an explicit file differs
//! from one at the default location; the binary's `config` command and exit status.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyModifiers};
use pgscope::action::Action;
use pgscope::config::color::Depth;
use pgscope::config::themes::ThemeSet;
use pgscope::config::{self, Config, Source};
use pgscope::keymap::{Chord, KeyMode, Keymap};
use pgscope::panes::Pane;
use pgscope::panes::activity::columns::Column;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(name)
}

/// The messages of a broken fixture, with the path shortened to the file name.
fn problems(name: &str) -> Vec<String> {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let errors = Config::parse(&path, &text).unwrap_err();
    errors
        .0
        .iter()
        .map(|e| e.to_string().replace(&path.display().to_string(), name))
        .collect()
}

fn key(c: char) -> Chord {
    Chord::plain(KeyCode::Char(c))
}

#[test]
fn a_valid_file_overrides_only_what_it_names() {
    let path = fixture("valid.toml");
    let c = Config::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(c.refresh_interval, Duration::from_secs(2));
    assert_eq!(c.default_pane, Pane::Locks);
    assert_eq!(c.theme.as_deref(), Some("high-contrast"));
    assert!(c.read_only && !c.mouse);
    assert_eq!(
        c.activity.columns,
        [Column::Pid, Column::State, Column::QueryAge, Column::Query]
    );
    assert!(c.activity.show_idle && !c.activity.show_background);
    assert!((c.thresholds.warning - 0.5).abs() < f64::EPSILON);
    // Not named: the default.
    assert!((c.thresholds.danger - 0.95).abs() < f64::EPSILON);

    let (keys, clashes) = Keymap::build(&c.rebinds);
    assert!(clashes.is_empty());
    let press = |mode, pending: &mut Option<Chord>, chord| keys.press(mode, pending, chord);
    let mut pending = None;
    let ctrl_q = Chord::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert_eq!(
        press(KeyMode::Normal, &mut pending, ctrl_q),
        Some(Action::Quit)
    );
    // `q` was replaced, not added to.
    assert_eq!(press(KeyMode::Normal, &mut pending, key('q')), None);
    // `g g` is a sequence now; a lone `g` waits.
    assert_eq!(press(KeyMode::Normal, &mut pending, key('g')), None);
    assert_eq!(pending, Some(key('g')));
    assert_eq!(
        press(KeyMode::Normal, &mut pending, key('g')),
        Some(Action::Top)
    );
    assert_eq!(pending, None);
    // Space was taken from `tag` for `pause`; `tag` keeps no key.
    assert_eq!(
        press(KeyMode::Normal, &mut pending, key(' ')),
        Some(Action::TogglePause)
    );
    assert!(keys.documented().all(|e| e.action != Action::Tag));
    // Unbound with [].
    assert_eq!(press(KeyMode::Normal, &mut pending, key('t')), None);
    // Popup keys first, then the normal ones.
    assert_eq!(
        press(KeyMode::Popup, &mut pending, key(' ')),
        Some(Action::Down)
    );
    assert_eq!(
        press(KeyMode::Popup, &mut pending, key('k')),
        Some(Action::Up)
    );
    // Help shows the live keys.
    let top = keys.documented().find(|e| e.action == Action::Top).unwrap();
    assert_eq!(top.label, "g g");
    let quit = keys
        .documented()
        .find(|e| e.action == Action::Quit)
        .unwrap();
    assert_eq!(quit.label, "Ctrl-Q");
}

#[test]
fn a_key_that_breaks_a_sequence_counts_on_its_own() {
    let path = fixture("valid.toml");
    let c = Config::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let (keys, _) = Keymap::build(&c.rebinds);
    let mut pending = None;
    assert_eq!(keys.press(KeyMode::Normal, &mut pending, key('g')), None);
    assert_eq!(
        keys.press(KeyMode::Normal, &mut pending, key('j')),
        Some(Action::Down)
    );
    assert_eq!(pending, None);
}

#[test]
fn unknown_keys_are_reported_with_their_line() {
    assert_eq!(
        problems("unknown_key.toml"),
        [
            "unknown_key.toml:3: unknown field `refersh`, expected one of `refresh_interval`, `default_pane`, `theme`, `read_only`, `mouse`, `adaptive_interval`, `pooler`, `activity`, `locks`, `waits`, `connections`, `progress`, `replication`, `statements`, `tables`, `settings`, `thresholds`, `sampler`, `keys`, `fleet`"
        ]
    );
    assert_eq!(
        problems("unknown_section_key.toml"),
        [
            "unknown_section_key.toml:3: unknown field `show_iddle`, expected one of `columns`, `show_idle`, `show_background`"
        ]
    );
}

#[test]
fn syntax_and_type_errors_are_reported_with_their_line() {
    let syntax = problems("syntax.toml");
    assert_eq!(syntax.len(), 1);
    assert!(syntax[0].starts_with("syntax.toml:2: "), "{syntax:?}");
    assert_eq!(
        problems("wrong_type.toml"),
        ["wrong_type.toml:1: invalid type: string \"yes\", expected a boolean"]
    );
}

#[test]
fn every_bad_value_is_reported_not_just_the_first() {
    assert_eq!(
        problems("bad_values.toml"),
        [
            "bad_values.toml:1: refresh_interval: 0.1 is outside 0.25 to 3600 seconds",
            "bad_values.toml:2: default_pane: unknown pane \"nope\" (one of activity, locks, waits, connections, replication, progress, statements, tables, settings, pooler, or a number)",
            "bad_values.toml:5: activity.columns: unknown column \"bogus\" (one of pid, database, user, application, client, type, state, wait, xact_age, query_age, state_age, blocked_by, query)",
            "bad_values.toml:5: activity.columns: \"pid\" twice",
            "bad_values.toml:8: thresholds.connections_danger: 1.5 is not a share between 0 and 1 (0.8 = 80%)",
        ]
    );
}

#[test]
fn bad_key_bindings_are_explained() {
    assert_eq!(
        problems("bad_keys.toml"),
        [
            "bad_keys.toml:3: keys.normal: unknown action \"launch\" (`pgscope config --dump` lists them)",
            "bad_keys.toml:4: keys.normal.top: unknown key \"bogus\" in \"ctrl-bogus\"",
            "bad_keys.toml:5: keys.normal.bottom: \"g g g\": a binding is at most 2 keys in a row",
        ]
    );
}

#[test]
fn clashes_are_reported() {
    assert_eq!(
        problems("clash.toml"),
        [
            "clash.toml:2: keys.normal: \"x\" is bound to both quit and pause",
            "clash.toml:5: keys.normal: \"g\" (top) starts \"g g\" (bottom), which could then never be typed",
        ]
    );
}

#[test]
fn an_explicit_broken_file_is_an_error_a_default_one_a_warning() {
    let path = fixture("unknown_key.toml");
    let e = config::load(&Source::Explicit(path.clone())).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("{}:3: unknown field", path.display()))
    );

    let loaded = config::load(&Source::Default(path.clone())).unwrap();
    assert_eq!(loaded.config, Config::default());
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].line, Some(3));

    // Missing at the default location: simply the defaults. Missing when named: an error.
    let missing = fixture("no-such-file.toml");
    let loaded = config::load(&Source::Default(missing.clone())).unwrap();
    assert!(loaded.warnings.is_empty());
    let e = config::load(&Source::Explicit(missing.clone())).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: cannot read: No such file or directory (os error 2)",
            missing.display()
        )
    );
}

#[test]
fn the_flag_wins_over_the_environment() {
    let flag = fixture("valid.toml");
    assert_eq!(
        Source::locate(Some(&flag), Some("/elsewhere.toml")),
        Source::Explicit(flag)
    );
    assert_eq!(
        Source::locate(None, Some("/elsewhere.toml")),
        Source::Explicit(PathBuf::from("/elsewhere.toml"))
    );
    assert_eq!(
        Source::Explicit(fixture("valid.toml")).themes_dir(),
        Some(fixture("themes"))
    );
}

#[test]
fn user_themes_load_and_broken_ones_are_explained() {
    let (mut set, problems) = ThemeSet::load(Some(&fixture("themes")), Depth::Ansi256);
    let names = set.names();
    assert_eq!(
        names,
        ["default", "light", "high-contrast", "monochrome", "ocean"]
    );
    let msgs: Vec<String> = problems
        .iter()
        .map(|p| {
            p.to_string()
                .replace(&fixture("themes").display().to_string(), "themes")
        })
        .collect();
    assert_eq!(
        msgs,
        [
            "themes/broken.toml:3: role selection: invalid color \"ultraviolet\"",
            "themes/unknown_role.toml:2: unknown role \"rows\"",
        ]
    );
    set.select("ocean").unwrap();
    let ocean = set.current();
    // #b0e0e6 on a 256-color terminal: the nearest xterm index, not truecolor.
    assert!(matches!(
        ocean.row.fg,
        Some(ratatui::style::Color::Indexed(_))
    ));
    // A role the file leaves out keeps the default theme's style.
    assert_eq!(
        ocean.header,
        pgscope::config::theme::Theme::builtin("default")
            .unwrap()
            .header
    );
    set.select("light").unwrap();
    assert_eq!(set.current().row.fg, Some(ratatui::style::Color::Blue));
}

fn pgscope(args: &[&str], config_home: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pgscope"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env_remove("PGSCOPE_CONFIG")
        .output()
        .unwrap()
}

#[test]
fn the_binary_reports_config_problems_before_anything_else() {
    let home = tempfile::tempdir().unwrap();
    // An explicit broken file: exit 2 with one psql-style line.
    let bad = fixture("unknown_key.toml");
    let out = pgscope(&["--config", bad.to_str().unwrap()], home.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "pgscope: error: {}:3: unknown field `refersh`",
            bad.display()
        )),
        "{err}"
    );

    // The same file at the default location: a warning, then pgscope goes on (here to fail
    // connecting to a socket directory that does not exist).
    let dir = home.path().join("pgscope");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&bad, dir.join("config.toml")).unwrap();
    let out = pgscope(&["-h", "/nonexistent", "-p", "1"], home.path());
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "pgscope: warning: {}:3: unknown field `refersh`, expected one of `refresh_interval`, `default_pane`, `theme`, `read_only`, `mouse`, `adaptive_interval`, `pooler`, `activity`, `locks`, `waits`, `connections`, `progress`, `replication`, `statements`, `tables`, `settings`, `thresholds`, `sampler`, `keys`, `fleet` (using the default settings)",
            dir.join("config.toml").display()
        )
    );
    assert!(err.contains("/nonexistent"), "{err}");

    // An unknown --theme is a usage error too.
    let out = pgscope(&["--theme", "neon"], home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown theme \"neon\""));
}

#[test]
fn config_dump_prints_the_commented_defaults() {
    let home = tempfile::tempdir().unwrap();
    let out = pgscope(&["config", "--dump"], home.path());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# pgscope configuration"));
    assert!(text.contains("quit = [\"q\", \"ctrl-c\"]  # quit"));
    // What it prints is a valid config equal to the defaults.
    let c = Config::parse(Path::new("dump"), &text).unwrap();
    assert_eq!(
        Config {
            rebinds: Vec::new(),
            ..c
        },
        Config::default()
    );

    let out = pgscope(&["config"], home.path());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "config file: {} (not there: the defaults apply)",
            home.path().join("pgscope/config.toml").display()
        )),
        "{text}"
    );
}

#[test]
fn sampler_settings_come_from_the_file_and_flags_win() {
    let path = std::path::Path::new("config.toml");
    let config =
        Config::parse(path, "[sampler]\nrate = 2\nwindow_minutes = 5\ncores = 8\n").unwrap();
    assert!((config.sampler.rate_hz - 2.0).abs() < f64::EPSILON);
    assert_eq!(
        (config.sampler.window_secs, config.sampler.cores),
        (300, Some(8))
    );
    let off = Config::parse(path, "[sampler]\nenabled = false\n").unwrap();
    assert!(off.sampler.rate_hz.abs() < f64::EPSILON);
    let err = Config::parse(path, "\n[sampler]\nrate = 500\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("config.toml:3: sampler.rate: 500 is outside"),
        "{err}"
    );

    let flags = pgscope::cli::SamplingFlags {
        sample_rate: Some(5.0),
        no_sampler: false,
        cores: None,
    };
    let merged = flags.over(config.sampler);
    assert!((merged.rate_hz - 5.0).abs() < f64::EPSILON);
    assert_eq!(merged.cores, Some(8));
}

#[test]
fn the_pooler_key_names_an_admin_console() {
    let text = "pooler = \"host=127.0.0.1 port=6432 dbname=pgbouncer\"\n";
    let c = Config::parse(Path::new("pooler.toml"), text).unwrap();
    assert_eq!(
        c.pooler.as_deref(),
        Some("host=127.0.0.1 port=6432 dbname=pgbouncer")
    );
    assert_eq!(Config::default().pooler, None);
}

#[test]
fn connections_group_by_application_unless_the_file_says_otherwise() {
    use pgscope::panes::connections::groups::Grouping;
    use pgscope::state::State;
    let path = Path::new("config.toml");
    assert_eq!(
        Config::default().connections_grouping,
        Grouping::Application
    );
    let mut st = State::new(Duration::from_secs(1), 0);
    Config::default().apply(&mut st);
    assert_eq!(st.views.connections.grouping, Grouping::Application);

    let c = Config::parse(path, "[connections]\ngroup_by = \"backend_type\"\n").unwrap();
    assert_eq!(c.connections_grouping, Grouping::BackendType);
    c.apply(&mut st);
    assert_eq!(st.views.connections.grouping, Grouping::BackendType);
    // Column lists in the same section still apply.
    let c = Config::parse(
        path,
        "[connections]\ngroup_by = \"user\"\ngroups = [\"group\", \"total\"]\n",
    )
    .unwrap();
    assert_eq!(c.connections_grouping, Grouping::User);

    let err = Config::parse(path, "\n[connections]\ngroup_by = \"app\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "config.toml:3: connections.group_by: unknown grouping \"app\" (one of application, database, user, client, backend_type)"
        ),
        "{err}"
    );
}
