//! The Settings pane as lines, from the data and the view alone: drawing styles them and a
//! click finds the parameter on a line, so both agree on what is where. Every server string is
//! sanitized here (through `text::fit`/`sanitize`) before it can reach the terminal.

use crate::columns::{self, Fit};
use crate::panes::settings::checks::{self, Context};
use crate::panes::settings::columns::{COLUMNS, WIDE};
use crate::panes::settings::data::Settings;
use crate::panes::settings::model::{self, Origin, ParamView};
use crate::panes::settings::view::SettingsView;
use crate::snapshot::PaneError;
use crate::text::{fit, sanitize};

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Title,
    Header,
    Plain,
    /// Changed in a file, waiting for a restart: red.
    Pending,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: Kind,
    pub text: String,
    /// The parameter the line lists, for the selection.
    pub name: Option<String>,
}

fn line(kind: Kind, text: String) -> Line {
    Line {
        kind,
        text,
        name: None,
    }
}

fn error(what: &str, e: &PaneError) -> Line {
    let mut msg = format!("{what}: {}", sanitize(&e.to_string()));
    if e.is_permission() {
        msg.push_str(" — GRANT pg_read_all_settings (or pg_monitor), or SELECT on pg_file_settings");
    }
    line(Kind::Error, msg)
}

fn origin(o: &Origin) -> String {
    match o {
        Origin::File { file, line: Some(l) } => format!("{file}:{l}"),
        Origin::File { file, line: None } => file.clone(),
        Origin::FileHidden { grant } => format!("a file (its name needs {grant})"),
        Origin::Source(s) => s.clone(),
    }
}

/// Every column's cell for one parameter, in [`COLUMNS`] order.
fn cells(v: &ParamView) -> Vec<String> {
    let mut rest = origin(&v.origin);
    if v.param.pending_restart {
        rest = format!("pending restart · {rest}");
    }
    vec![
        v.param.name.clone(),
        v.value.clone(),
        v.default.clone().unwrap_or_else(|| "-".to_owned()),
        v.param.context.clone(),
        rest,
    ]
}

/// The chosen columns that fit `w` with their widths, the name, value and default growing up
/// to their longest value among `rows`.
fn layout(chosen: &[usize], rows: &[Vec<String>], w: usize) -> Vec<(usize, usize)> {
    let need = columns::needs(&COLUMNS, rows);
    let fit = Fit {
        width: w,
        wide_from: WIDE,
    };
    columns::fit(&COLUMNS, chosen, fit, |i| need.get(i).copied().unwrap_or(0))
}

fn render(lay: &[(usize, usize)], cells: &[String]) -> String {
    lay.iter()
        .map(|&(i, w)| fit(cells.get(i).map_or("", String::as_str), w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn param_line(v: &ParamView, cells: &[String], lay: &[(usize, usize)]) -> Line {
    Line {
        kind: if v.param.pending_restart {
            Kind::Pending
        } else {
            Kind::Plain
        },
        text: render(lay, cells),
        name: Some(v.param.name.clone()),
    }
}

/// Every line of the pane at width `w`: checks, parameters (in the `chosen` columns, indices
/// into [`COLUMNS`] from the config file), overrides, file issues.
pub fn lines(s: &Settings, view: &SettingsView, chosen: &[usize], w: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let search = view.search.as_str();
    let filtered = if search.is_empty() {
        String::new()
    } else {
        format!(" · matching \"{}\"", sanitize(search))
    };
    // Checks
    match &s.params {
        Ok(params) => {
            let obs = checks::checks(
                params,
                Context {
                    facts: s.facts.as_ref().ok(),
                    pooler: false,
                },
            );
            out.push(line(Kind::Title, format!(" Checks · {} observations", obs.len())));
            if obs.is_empty() {
                out.push(line(Kind::Plain, "nothing to note".to_owned()));
            }
            for o in &obs {
                out.push(line(Kind::Warning, fit(&format!("{}: {}", o.setting, o.what), w)));
                out.push(line(Kind::Plain, fit(&format!("  why: {}", o.why), w)));
                out.push(line(Kind::Plain, fit(&format!("  change: {}", o.change), w)));
            }
        }
        Err(e) => out.push(error("checks", e)),
    }
    // Parameters
    match &s.params {
        Ok(params) => {
            let rows = model::build(params, search);
            let pending = rows.iter().filter(|r| r.param.pending_restart).count();
            out.push(line(
                Kind::Title,
                format!(" Parameters · {} set · {pending} pending restart{filtered}", rows.len()),
            ));
            let all: Vec<Vec<String>> = rows.iter().map(cells).collect();
            let lay = layout(chosen, &all, w);
            let heads: Vec<String> = COLUMNS.iter().map(|c| c.title.to_owned()).collect();
            out.push(line(Kind::Header, render(&lay, &heads)));
            if rows.is_empty() {
                out.push(line(Kind::Plain, "no parameter set".to_owned()));
            }
            for (v, c) in rows.iter().zip(&all) {
                out.push(param_line(v, c, &lay));
                if view.show_extra && view.selected.as_deref() == Some(v.param.name.as_str()) {
                    let desc = match &v.param.extra_desc {
                        Some(extra) => format!("{} {extra}", v.param.short_desc),
                        None => v.param.short_desc.clone(),
                    };
                    for piece in crate::text::wrap(&sanitize(&desc), w.saturating_sub(4).max(1)) {
                        out.push(line(Kind::Plain, format!("    {piece}")));
                    }
                }
            }
        }
        Err(e) => out.push(error("parameters", e)),
    }
    // Overrides
    match &s.overrides {
        Ok(all) => {
            let rows = model::overrides(all, search);
            out.push(line(
                Kind::Title,
                format!(" Per database / role · {}", rows.len()),
            ));
            for o in rows {
                let scope = format!(
                    "{} / {}",
                    o.database.as_deref().unwrap_or("all databases"),
                    o.role.as_deref().unwrap_or("all roles")
                );
                out.push(line(
                    Kind::Plain,
                    format!("{} {}", fit(&scope, 30.min(w / 3)), fit(&format!("{} = {}", o.name, o.value), w.saturating_sub(31.min(w / 3 + 1)))),
                ));
            }
        }
        Err(e) => out.push(error("overrides", e)),
    }
    // File issues
    match (&s.file_errors, &s.params) {
        (Ok(errors), Ok(params)) => {
            let issues = model::file_issues(errors, params);
            out.push(line(
                Kind::Title,
                format!(" Configuration files · {} issues", issues.len()),
            ));
            for i in issues {
                let at = match (&i.error.sourcefile, i.error.sourceline) {
                    (Some(f), Some(l)) => format!("{f}:{l}"),
                    (Some(f), None) => f.clone(),
                    _ => "?".to_owned(),
                };
                let what = if i.pending_restart {
                    format!("{}: waits for a restart", i.error.name.as_deref().unwrap_or("?"))
                } else {
                    match &i.error.name {
                        Some(name) => format!("{name}: {}", i.error.error),
                        None => i.error.error.clone(),
                    }
                };
                let kind = if i.pending_restart { Kind::Pending } else { Kind::Error };
                out.push(line(kind, fit(&format!("{at}  {what}"), w)));
            }
        }
        (Err(e), _) => out.push(error("configuration files", e)),
        (Ok(_), Err(_)) => {}
    }
    out
}

/// The first line shown so that the selected parameter is on screen.
pub fn scroll(lines: &[Line], selected: Option<&str>, height: usize) -> usize {
    let at = selected
        .and_then(|sel| lines.iter().position(|l| l.name.as_deref() == Some(sel)))
        .unwrap_or(0);
    // Keep its long description, when shown, on screen too.
    let end = lines[at..]
        .iter()
        .skip(1)
        .take_while(|l| l.name.is_none() && l.kind == Kind::Plain && l.text.starts_with("    "))
        .count()
        + at
        + 1;
    end.saturating_sub(height)
}
