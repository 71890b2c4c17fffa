//! The Statements pane: a line saying what the figures span (and how much a read costs), a
//! line of notes (a reset or restart, evictions, hidden statements of other roles), then one
//! row per statement. When pg_stat_statements cannot be read, the pane says why and the fix.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::delta::{Break, evicted_entries};
use super::model::Statements;
use super::view::{Figures, Sort};
use super::{Outcome, probe::Missing};
use crate::config::theme::Theme;
use crate::state::State;
use crate::state::tables::Table;
use crate::text::sanitize;
use super::columns::{RATES, TOTALS};
use crate::ui::panes::section_table::{Col, bytes, error_line, layout, line};

/// Lines above the rows: span, notes, column header.
pub const HEAD: u16 = 3;

const _: () = assert!(Sort::ALL.len() + 3 == RATES.len());
const _: () = assert!(RATES.len() == Table::Statements.columns().len());


impl crate::ui::pane::Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        let lines = lines(state, theme, area);
        // Only the diagnosis wraps: a table row must stay one line.
        let wrap = state.views.statements.details
            || matches!(state.statements_part(), Some(Ok(Outcome::Missing(_)) | Err(_)));
        let p = Paragraph::new(lines);
        let p = if wrap { p.wrap(Wrap { trim: false }) } else { p };
        frame.render_widget(p, area);
    }

    fn summary(state: &State) -> String {
        summary(state)
    }
}

/// For the tab line: statements shown and the load they make.
fn summary(state: &State) -> String {
    match state.statements_part() {
        None => "waiting for pg_stat_statements…".to_owned(),
        Some(Ok(Outcome::Missing(_))) => "pg_stat_statements not available".to_owned(),
        Some(Err(_)) => "pg_stat_statements unreadable".to_owned(),
        Some(Ok(Outcome::Ready(_))) => {
            let v = &state.views.statements;
            let mut s = format!("{} statements · {}", v.rows.len(), v.mode.label());
            if v.mode.rates() && v.about.secs > 0.0 {
                let _ = write!(s, " · load {:.2} cores", v.about.load_ms_s / 1000.0);
            }
            s
        }
    }
}

fn lines<'a>(state: &State, theme: &Theme, area: Rect) -> Vec<Line<'a>> {
    let s = match state.statements_part() {
        None => return vec![Line::raw("waiting for the first read of pg_stat_statements…")],
        Some(Err(e)) => return vec![error_line("pg_stat_statements", e, theme)],
        Some(Ok(Outcome::Missing(m))) => return missing(m, theme),
        Some(Ok(Outcome::Ready(s))) => s,
    };
    let v = &state.views.statements;
    let mut out = vec![
        Line::styled(span_line(state, s), theme.header),
        Line::styled(notes(state, s), theme.warning),
    ];
    if v.details
        && let Some(f) = v.rows.get(v.cursor)
    {
        out.extend(details(state, s, f, theme));
        return out;
    }
    let cols: &[Col] = if v.mode.rates() { &RATES } else { &TOTALS };
    let lay = layout(cols, state.tables.get(Table::Statements), area.width);
    let key = Sort::ALL.iter().position(|x| *x == v.sort);
    let sorted = cols
        .iter()
        .position(|c| c.sort.map(usize::from) == key && key.is_some());
    let head: Vec<(String, Option<Style>)> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let style = (Some(i) == sorted).then_some(theme.table_header_sorted);
            let arrow = match (Some(i) == sorted, v.ascending) {
                (false, _) => "",
                (true, false) => "▼",
                (true, true) => "▲",
            };
            (format!("{}{arrow}", c.title), style)
        })
        .collect();
    out.push(line(cols, &lay, &head, theme.table_header));
    let height = usize::from(area.height.saturating_sub(HEAD));
    let first = v.first_shown(height);
    for (i, f) in v.rows.iter().enumerate().skip(first).take(height) {
        let base = if i == v.cursor {
            theme.selection
        } else {
            theme.row
        };
        out.push(line(cols, &lay, &cells(f, s, v.mode.rates()), base));
    }
    out
}

/// The details of the selected row: the mode's figures, and the interval's and the totals
/// besides them, so a statement's now and its history read together.
fn details<'a>(state: &State, s: &Statements, f: &Figures, theme: &Theme) -> Vec<Line<'a>> {
    use super::draw_details::Set;
    use super::view::Mode;
    let v = &state.views.statements;
    let mut sets = Vec::new();
    if let Mode::Window(_) = v.mode {
        sets.push(Set {
            label: v.mode.label().to_owned(),
            cells: cells(f, s, true),
            rates: true,
        });
    }
    match (v.interval_of(f.key), v.interval_secs()) {
        (Some(i), Some(span)) => sets.push(Set {
            label: format!("last {span:.1} s"),
            cells: cells(&i, s, true),
            rates: true,
        }),
        _ => sets.push(Set {
            label: "interval".to_owned(),
            cells: Vec::new(),
            rates: true,
        }),
    }
    if let Some(t) = v.totals_of(f.key) {
        sets.push(Set {
            label: "cumulative".to_owned(),
            cells: cells(&t, s, false),
            rates: false,
        });
    }
    let full = v.full.as_ref().filter(|t| t.key == f.key);
    let reading = v.reading == Some(f.key);
    super::draw_details::lines(f, &sets, full, reading, v.mode, theme)
}

/// What the pane shows when pg_stat_statements cannot be read: the diagnosis and its fix.
fn missing<'a>(m: &Missing, theme: &Theme) -> Vec<Line<'a>> {
    vec![
        Line::styled("Statements are not available.", theme.warning),
        Line::raw(sanitize(&m.explain()).into_owned()),
    ]
}

/// The first line: what the figures span and what a read costs.
fn span_line(state: &State, s: &Statements) -> String {
    let v = &state.views.statements;
    let mut out = match v.mode {
        _ if v.about.broke.is_some() => format!("{}: rates start over", v.mode.label()),
        _ if v.about.waiting => format!("{}: waiting for a second read…", v.mode.label()),
        super::view::Mode::Cumulative => "cumulative since each statement's reset".to_owned(),
        m => format!(
            "{} over {:.1} s · load {:.2} cores",
            m.label(),
            v.about.secs,
            v.about.load_ms_s / 1000.0
        ),
    };
    let _ = write!(out, " · {} entries", s.read.entries.len());
    out.push_str(&cost(s));
    out
}

/// What a read costs the server (what the pacing spaces reads by) and how far apart reads are.
/// Until the read's own pg_stat_statements entry is found, the cost is the round trip, an upper
/// bound, and says so.
fn cost(s: &Statements) -> String {
    let Some(us) = s.cost_us else {
        return String::new();
    };
    let what = if s.on_server {
        "server time"
    } else {
        "round trip"
    };
    let mut out = format!(" · a read takes {:.1} ms {what}", us / 1000.0);
    if s.every_ms > 0 {
        // Quarter seconds, without trailing zeros: "1", "4.5", "2.25".
        let secs = format!("{:.2}", s.every_ms as f64 / 1000.0);
        let secs = secs.trim_end_matches('0').trim_end_matches('.');
        let _ = write!(out, ", one every {secs} s");
    }
    out
}

/// The second line: why rates restarted, evictions, the privilege note.
fn notes(state: &State, s: &Statements) -> String {
    let v = &state.views.statements;
    let mut notes: Vec<String> = Vec::new();
    match v.about.broke {
        Some(Break::Restart) => notes.push("the server restarted".to_owned()),
        Some(Break::Reset { .. } | Break::ResetInferred) => {
            notes.push("pg_stat_statements was reset".to_owned());
        }
        Some(Break::Clock) => notes.push("the server clock went back".to_owned()),
        None => {}
    }
    if let Some(d) = v.about.deallocs.filter(|d| *d > 0) {
        let max = s.setup.max.unwrap_or(5000);
        notes.push(format!(
            "~{} entries evicted in {:.0} s: the ranking is incomplete, raise \
             pg_stat_statements.max (now {max})",
            evicted_entries(d, max),
            v.about.secs
        ));
    }
    if let Some(p) = s.setup.privilege_note() {
        notes.push(p.to_owned());
    }
    notes.join(" · ")
}

fn cells(f: &Figures, s: &Statements, rates: bool) -> Vec<(String, Option<Style>)> {
    let name = |m: &std::collections::HashMap<u32, String>, oid: u32| {
        m.get(&oid).cloned().unwrap_or_else(|| oid.to_string())
    };
    let num = |x: f64| if rates { rate(x) } else { count(x) };
    let ms = |x: f64| {
        if rates {
            format!("{:.1}%", x / 10.0)
        } else {
            duration_ms(x)
        }
    };
    let query = if f.hidden > 0 {
        format!("{} statements of other roles", f.hidden)
    } else {
        f.text.as_deref().map_or_else(
            || "…".to_owned(),
            |t| t.split_whitespace().collect::<Vec<_>>().join(" "),
        )
    };
    let na = || "n/a".to_owned();
    [
        name(&s.names.roles, f.key.userid),
        name(&s.names.databases, f.key.dbid),
        num(f.calls),
        ms(f.exec_ms),
        f.mean_ms.map_or_else(na, |m| format!("{m:.2}")),
        num(f.rows),
        num(f.hit),
        num(f.read),
        f.hit_pct.map_or_else(na, |p| format!("{p:.0}")),
        num(f.temp),
        f.wal.map_or_else(na, |w| bytes(w as i64)),
        // Planning is counted only with pg_stat_statements.track_planning on.
        f.plan_ms
            .filter(|_| s.setup.track_planning == Some(true))
            .map_or_else(na, ms),
        query,
    ]
    .into_iter()
    .map(|c| (c, None))
    .collect()
}

/// A rate in a few cells: 0.25, 12.5, 1234, 12.3k, 4.5M.
pub fn rate(x: f64) -> String {
    match x {
        0.0 => "0".to_owned(),
        x if x < 10.0 => format!("{x:.2}"),
        x if x < 100.0 => format!("{x:.1}"),
        x if x < 10_000.0 => format!("{x:.0}"),
        x if x < 10_000_000.0 => format!("{:.1}k", x / 1e3),
        x => format!("{:.1}M", x / 1e6),
    }
}

fn count(x: f64) -> String {
    match x {
        x if x < 100_000.0 => format!("{x:.0}"),
        x if x < 100_000_000.0 => format!("{:.0}k", x / 1e3),
        x => format!("{:.0}M", x / 1e6),
    }
}

fn duration_ms(ms: f64) -> String {
    match ms {
        ms if ms < 1000.0 => format!("{ms:.0}ms"),
        ms if ms < 60_000.0 => format!("{:.1}s", ms / 1e3),
        ms if ms < 3_600_000.0 => format!("{:.1}m", ms / 6e4),
        ms => format!("{:.1}h", ms / 3.6e6),
    }
}
