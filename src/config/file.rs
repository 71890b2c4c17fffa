//! The config file's shape (serde, unknown keys refused) and its checks, laid over the defaults:
//! a setting the file does not name keeps its default. Every problem is reported with its line.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::Config;
use super::error::{FileError, FileErrors, Problems, line_of};
use super::names;
use super::tables;
use crate::action::Action;
use crate::keymap::{self, KeyMode, Keymap, Rebind, Seq};
use crate::panes::connections::groups::Grouping;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    refresh_interval: Option<Spanned<Number>>,
    default_pane: Option<Spanned<String>>,
    theme: Option<String>,
    read_only: Option<bool>,
    mouse: Option<bool>,
    adaptive_interval: Option<bool>,
    pooler: Option<String>,
    activity: Option<Activity>,
    locks: Option<tables::Locks>,
    waits: Option<tables::Waits>,
    connections: Option<tables::Connections>,
    progress: Option<tables::Progress>,
    replication: Option<tables::Replication>,
    statements: Option<tables::Statements>,
    tables: Option<tables::Tables>,
    settings: Option<tables::Settings>,
    thresholds: Option<Thresholds>,
    sampler: Option<Sampler>,
    keys: Option<Keys>,
    fleet: Option<crate::fleet::config::Section>,
}

/// TOML keeps integers and floats apart; `refresh_interval = 2` should work as well as `2.0`.
#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    fn get(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Activity {
    columns: Option<Spanned<Vec<Spanned<String>>>>,
    show_idle: Option<bool>,
    show_background: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Thresholds {
    connections_warning: Option<Spanned<Number>>,
    connections_danger: Option<Spanned<Number>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sampler {
    enabled: Option<bool>,
    rate: Option<Spanned<Number>>,
    window_minutes: Option<Spanned<i64>>,
    cores: Option<Spanned<i64>>,
}

type KeyTable = BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Keys {
    normal: Option<KeyTable>,
    popup: Option<KeyTable>,
}

/// Parses `text` (read from `path`) over the defaults.
pub fn parse(path: &Path, text: &str) -> Result<Config, FileErrors> {
    let mut file: File = toml::from_str(text).map_err(|e| FileError::toml(path, text, &e))?;
    let mut p = Problems {
        path,
        text,
        errors: Vec::new(),
    };
    let mut config = Config::default();
    if let Some(v) = file.refresh_interval {
        let secs = v.get_ref().get();
        if (0.25..=3600.0).contains(&secs) {
            config.refresh_interval = Duration::from_secs_f64(secs);
        } else {
            p.at(
                v.span(),
                format!("refresh_interval: {secs} is outside 0.25 to 3600 seconds"),
            );
        }
    }
    if let Some(v) = file.default_pane {
        match names::parse_pane(v.get_ref()) {
            Some(pane) => config.default_pane = pane,
            None => p.at(
                v.span(),
                format!(
                    "default_pane: unknown pane \"{}\" (one of {}, or a number)",
                    v.get_ref(),
                    names::pane_names()
                ),
            ),
        }
    }
    if let Some(t) = file.theme {
        config.theme = (t != "auto").then_some(t);
    }
    config.read_only = file.read_only.unwrap_or(config.read_only);
    config.mouse = file.mouse.unwrap_or(config.mouse);
    config.adaptive_interval = file.adaptive_interval.unwrap_or(config.adaptive_interval);
    config.pooler = file.pooler.or(config.pooler);
    if let Some(a) = file.activity {
        activity(&mut p, a, &mut config);
    }
    if let Some(g) = file.connections.as_mut().and_then(|c| c.group_by.take()) {
        match Grouping::parse(g.get_ref()) {
            Some(grouping) => config.connections_grouping = grouping,
            None => p.at(
                g.span(),
                format!(
                    "connections.group_by: unknown grouping \"{}\" (one of {})",
                    g.get_ref(),
                    Grouping::ALL.map(Grouping::name).join(", ")
                ),
            ),
        }
    }
    tables::apply(
        &mut p,
        [
            file.locks.map(tables::Locks::lists),
            file.waits.map(tables::Waits::lists),
            file.connections.map(tables::Connections::lists),
            file.progress.map(tables::Progress::lists),
            file.replication.map(tables::Replication::lists),
            file.statements.map(tables::Statements::lists),
            file.tables.map(tables::Tables::lists),
            file.settings.map(tables::Settings::lists),
        ],
        &mut config.tables,
    );
    if let Some(t) = file.thresholds {
        thresholds(&mut p, t, &mut config);
    }
    if let Some(s) = file.sampler {
        sampler(&mut p, s, &mut config);
    }
    if let Some(k) = file.keys {
        keys(&mut p, k, &mut config);
    }
    if let Some(f) = file.fleet {
        match f.check() {
            Ok(()) => config.fleet = f,
            Err(e) => p
                .errors
                .push(FileError::new(p.path, None, format!("fleet: {e}"))),
        }
    }
    // In file order (tables come out of serde sorted by key); stable, so same-line order holds.
    p.errors.sort_by_key(|e| e.line.unwrap_or(usize::MAX));
    if p.errors.is_empty() {
        Ok(config)
    } else {
        Err(FileErrors(p.errors))
    }
}

fn activity(p: &mut Problems, a: Activity, config: &mut Config) {
    if let Some(cols) = a.columns {
        let mut chosen = Vec::new();
        for c in cols.get_ref() {
            match names::parse_column(c.get_ref()) {
                Some(col) if chosen.contains(&col) => {
                    p.at(
                        c.span(),
                        format!("activity.columns: \"{}\" twice", c.get_ref()),
                    );
                }
                Some(col) => chosen.push(col),
                None => p.at(
                    c.span(),
                    format!(
                        "activity.columns: unknown column \"{}\" (one of {})",
                        c.get_ref(),
                        names::column_names()
                    ),
                ),
            }
        }
        if chosen.is_empty() {
            p.at(
                cols.span(),
                "activity.columns: name at least one column".into(),
            );
        }
        config.activity.columns = chosen;
    }
    let defaults = &mut config.activity;
    defaults.show_idle = a.show_idle.unwrap_or(defaults.show_idle);
    defaults.show_background = a.show_background.unwrap_or(defaults.show_background);
}

fn thresholds(p: &mut Problems, t: Thresholds, config: &mut Config) {
    let mut ratio = |v: Option<Spanned<Number>>, name: &str, into: &mut f64| {
        let Some(v) = v else { return };
        let x = v.get_ref().get();
        if (0.0..=1.0).contains(&x) {
            *into = x;
        } else {
            p.at(
                v.span(),
                format!("thresholds.{name}: {x} is not a share between 0 and 1 (0.8 = 80%)"),
            );
        }
    };
    let levels = &mut config.thresholds;
    ratio(
        t.connections_warning,
        "connections_warning",
        &mut levels.warning,
    );
    ratio(
        t.connections_danger,
        "connections_danger",
        &mut levels.danger,
    );
    if levels.warning > levels.danger {
        p.errors.push(FileError::new(
            p.path,
            None,
            "thresholds: connections_warning is above connections_danger",
        ));
    }
}

fn sampler(p: &mut Problems, s: Sampler, config: &mut Config) {
    use crate::collect::sampler::{MAX_RATE_HZ, MIN_RATE_HZ};
    let into = &mut config.sampler;
    if let Some(rate) = s.rate {
        let hz = rate.get_ref().get();
        if (MIN_RATE_HZ..=MAX_RATE_HZ).contains(&hz) {
            into.rate_hz = hz;
        } else {
            let cause = format!(
                "sampler.rate: {hz} is outside {MIN_RATE_HZ} to {MAX_RATE_HZ} samples per second"
            );
            p.at(rate.span(), cause);
        }
    }
    if s.enabled == Some(false) {
        into.rate_hz = 0.0;
    }
    if let Some(minutes) = s.window_minutes {
        match u32::try_from(*minutes.get_ref()) {
            Ok(m @ 1..=60) => into.window_secs = m * 60,
            _ => p.at(
                minutes.span(),
                "sampler.window_minutes: not between 1 and 60".to_owned(),
            ),
        }
    }
    if let Some(cores) = s.cores {
        match u32::try_from(*cores.get_ref()) {
            Ok(n @ 1..) => into.cores = Some(n),
            _ => p.at(
                cores.span(),
                "sampler.cores: not a positive number".to_owned(),
            ),
        }
    }
}

fn keys(p: &mut Problems, keys: Keys, config: &mut Config) {
    let mut lines = Vec::new();
    for (mode, table) in [(KeyMode::Normal, keys.normal), (KeyMode::Popup, keys.popup)] {
        for (name, list) in table.into_iter().flatten() {
            if let Some(action) = rebind(p, mode, &name, &list, &mut config.rebinds) {
                lines.push((mode, action, line_of(p.text, name.span().start)));
            }
        }
    }
    let (_, clashes) = Keymap::build(&config.rebinds);
    for c in clashes {
        // At the line of the second action when the file names it.
        let line = lines
            .iter()
            .find(|(m, a, _)| *m == c.mode && *a == c.clash.second)
            .map(|(_, _, l)| *l);
        p.errors.push(FileError::new(p.path, line, clash_cause(&c)));
    }
}

fn rebind(
    p: &mut Problems,
    mode: KeyMode,
    name: &Spanned<String>,
    list: &Spanned<Vec<Spanned<String>>>,
    rebinds: &mut Vec<Rebind>,
) -> Option<Action> {
    let Some(action) = keymap::names::parse(name.get_ref()) else {
        p.at(
            name.span(),
            format!(
                "keys.{}: unknown action \"{}\" (`pgscope config --dump` lists them)",
                mode.name(),
                name.get_ref()
            ),
        );
        return None;
    };
    let mut keys = Vec::new();
    for k in list.get_ref() {
        match Seq::parse(k.get_ref()) {
            Ok(seq) if !keys.contains(&seq) => keys.push(seq),
            Ok(_) => {}
            Err(e) => p.at(
                k.span(),
                format!("keys.{}.{}: {e}", mode.name(), name.get_ref()),
            ),
        }
    }
    rebinds.push(Rebind { mode, action, keys });
    Some(action)
}

fn clash_cause(c: &keymap::ModeClash) -> String {
    let mode = c.mode.name();
    let (a, b) = (
        keymap::names::name(c.clash.first),
        keymap::names::name(c.clash.second),
    );
    match c.clash.prefix_of {
        None => format!(
            "keys.{mode}: \"{}\" is bound to both {a} and {b}",
            c.clash.keys
        ),
        Some(long) => format!(
            "keys.{mode}: \"{}\" ({a}) starts \"{long}\" ({b}), which could then never be typed",
            c.clash.keys
        ),
    }
}
