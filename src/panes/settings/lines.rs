//! The Settings pane as lines, from the data and the view alone: drawing styles them and a
//! click finds the parameter on a line, so both agree on what is where. Every server string is
//! sanitized here (through `text::fit`/`sanitize`) before it can reach the terminal.

use crate::panes::settings::checks::{self, Context};
use crate::panes::settings::data::Settings;
use crate::panes::settings::model::{self, Origin, ParamView};
use crate::panes::settings::view::SettingsView;
use crate::snapshot::PaneError;
use crate::columns::{Col, Fit, col, render};
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

/// The parameters' columns: name, value and default up to their longest, the context from
/// 140 cells, and the origin taking the rest.
pub const PARAMS: [Col; 5] = [
    col("NAME", 20).named("name").capped().priority(0),
    col("VALUE", 10).named("value").capped().priority(1),
    col("DEFAULT", 8).named("default").capped().priority(3),
    col("CONTEXT", 10).named("context").wide().priority(4),
    col("ORIGIN", 12).named("origin").flex().priority(2),
];

/// Where the parameters' columns go at width `w`, for these rows' cells.
fn layout(w: usize, rows: &[Vec<String>]) -> Vec<(usize, usize)> {
    let needs = crate::columns::needs(&PARAMS, rows);
    let fit_to = Fit {
        width: w,
        wide_from: 140,
    };
    crate::columns::fit(&PARAMS, &[0, 1, 2, 3, 4], fit_to, |i| needs[i])
}

fn origin(o: &Origin) -> String {
    match o {
        Origin::File { file, line: Some(l) } => format!("{file}:{l}"),
        Origin::File { file, line: None } => file.clone(),
        Origin::FileHidden { grant } => format!("a file (its name needs {grant})"),
        Origin::Source(s) => s.clone(),
    }
}

fn param_cells(v: &ParamView) -> Vec<String> {
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

fn param_line(v: &ParamView, lay: &[(usize, usize)], cells: &[String]) -> Line {
    Line {
        kind: if v.param.pending_restart {
            Kind::Pending
        } else {
            Kind::Plain
        },
        text: render(&PARAMS, lay, cells),
        name: Some(v.param.name.clone()),
    }
}

fn header(lay: &[(usize, usize)]) -> Line {
    let titles: Vec<&str> = PARAMS.iter().map(|c| c.title).collect();
    line(Kind::Header, render(&PARAMS, lay, &titles))
}

/// Every line of the pane at width `w`: checks, parameters, overrides, file issues.
pub fn lines(s: &Settings, view: &SettingsView, w: usize) -> Vec<Line> {
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
            let cells: Vec<Vec<String>> = rows.iter().map(param_cells).collect();
            let lay = layout(w, &cells);
            out.push(header(&lay));
            if rows.is_empty() {
                out.push(line(Kind::Plain, "no parameter set".to_owned()));
            }
            for (v, c) in rows.iter().zip(&cells) {
                out.push(param_line(v, &lay, c));
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
