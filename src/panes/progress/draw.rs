//! The Progress pane: long operations with % and ETA, what holds back the xmin horizon,
//! wraparound risk per database, and autovacuum health with the tables most overdue for vacuum.

use std::fmt::Write as _;

use ratatui::Frame;

use crate::ui::table::stack;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::columns::OPS;
use super::draw_health::{freeze_section, horizon_section, overdue_section, who};
use crate::ui::panes::section_table::{
    Cells, Section, amount, bar, error_line, group, header, layout, layout_cells, line, percent,
    title,
};
use crate::config::theme::Theme;
use crate::snapshot::Micros;
use crate::panes::progress::data::{OpKind, Operation, Progress};
use crate::state::State;
use crate::panes::progress::view::RowKey;
use crate::state::tables::Table;
use crate::text::duration_us;


/// For the tab line: operations running and the horizon's oldest holder.
fn summary(state: &State) -> String {
    let Some(p) = state.progress_data() else {
        return "waiting for progress data…".to_owned();
    };
    let mut s = match &p.ops {
        Ok(ops) if ops.len() == 1 => "1 operation".to_owned(),
        Ok(ops) => format!("{} operations", ops.len()),
        Err(_) => "operations unavailable".to_owned(),
    };
    if let Some(h) = p.horizon.as_ref().ok().and_then(|h| h.first()) {
        // On a quiet server a snapshot hours old is only a few xids old: the time says more.
        let xids = if h.xid_age == 1 { "xid" } else { "xids" };
        let _ = write!(s, " · horizon held {} {xids}", group(h.xid_age));
        if let Some(since) = h.since {
            let _ = write!(s, " for {}", crate::text::duration_us(p.now - since));
        }
        let _ = write!(s, " by {}", who(h));
        if let Some(b) = p.blocked() {
            let rows = if b.dead_rows == 1 { "row" } else { "rows" };
            let _ = write!(s, ", vacuum of {} dead {rows} running", group(b.dead_rows));
        }
    }
    s
}

/// The sections in drawing order: operations, xmin horizon, wraparound, autovacuum.
pub fn sections<'a>(p: &Progress, state: &State, theme: &Theme, w: u16) -> Vec<Section<'a>> {
    let version = state.shown.as_deref().map_or(0, |s| s.caps.version_num);
    vec![
        ops_section(p, state, theme, w, version),
        horizon_section(p, state, theme, w),
        freeze_section(p, state, theme, w),
        overdue_section(p, state, theme, w),
    ]
}

impl crate::ui::pane::Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        draw(frame, area, state, theme);
    }

    fn summary(state: &State) -> String {
        summary(state)
    }
}

fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(p) = state.progress_data() else {
        frame.render_widget(Paragraph::new("waiting for the first refresh…"), area);
        return;
    };
    let sections = sections(p, state, theme, area.width);
    // A click plans these lines from the shapes alone: they must be the shapes drawn.
    debug_assert_eq!(
        crate::ui::table::shapes(&sections),
        super::layout::shapes(p, state.views.progress.selected)
    );
    frame.render_widget(
        Paragraph::new(stack(sections, usize::from(area.height))),
        area,
    );
}

fn ops_section<'a>(
    p: &Progress,
    state: &State,
    theme: &Theme,
    w: u16,
    version: i32,
) -> Section<'a> {
    let mut rest = String::new();
    if let Ok(ops) = &p.ops {
        let _ = write!(rest, "{} running", ops.len());
    }
    if !p.unavailable.is_empty() {
        let names: Vec<&str> = p.unavailable.iter().map(|k| k.label()).collect();
        let _ = write!(
            rest,
            " · n/a on PG {}: {}",
            version / 10_000,
            names.join(", ")
        );
    }
    let ops = match &p.ops {
        Ok(ops) => ops,
        Err(e) => {
            let lay = layout(&OPS, state.tables.get(Table::ProgressOperations), w);
            return Section {
                head: vec![
                    title("OPERATIONS", rest, theme),
                    header(&OPS, &lay, theme.table_header),
                ],
                rows: vec![error_line("progress views", e, theme)],
                focus: None,
            };
        }
    };
    let mut focus = None;
    let mut cells = Vec::with_capacity(ops.len());
    for (i, op) in ops.iter().enumerate() {
        let key = RowKey::Op {
            pid: op.pid,
            kind: op.kind,
        };
        let selected = state.views.progress.selected == Some(key);
        if selected {
            focus = Some(i);
        }
        let base = if selected { theme.selection } else { theme.row };
        let eta = state.views.progress.eta(p, i);
        cells.push((op_cells(op, p.now, eta, theme, selected), base));
    }
    let texts: Vec<Cells> = cells.iter().map(|(c, _)| c.clone()).collect();
    let lay = layout_cells(&OPS, state.tables.get(Table::ProgressOperations), w, &texts);
    let head = vec![
        title("OPERATIONS", rest, theme),
        header(&OPS, &lay, theme.table_header),
    ];
    let mut rows: Vec<Line<'a>> = cells
        .iter()
        .map(|(c, base)| line(&OPS, &lay, c, *base))
        .collect();
    if rows.is_empty() {
        rows.push(Line::styled("no long operation running", theme.footer));
    }
    Section { head, rows, focus }
}

fn op_name(op: &Operation) -> String {
    match op.kind {
        Some(OpKind::Vacuum) if op.wraparound => "autovac (wrap)".to_owned(),
        Some(OpKind::Vacuum) if op.autovacuum => "autovacuum".to_owned(),
        Some(OpKind::Analyze) if op.autovacuum => "autoanalyze".to_owned(),
        Some(OpKind::Vacuum | OpKind::Analyze | OpKind::BaseBackup) | None => op
            .kind
            .map_or_else(|| op.command.to_lowercase(), |k| k.label().to_owned()),
        Some(_) => op.command.to_lowercase(),
    }
}

fn relation(op: &Operation) -> String {
    match (&op.relname, op.relid) {
        (Some(name), _) => name.clone(),
        (None, Some(oid)) => match &op.datname {
            Some(db) => format!("oid {oid} in {db}"),
            None => format!("oid {oid}"),
        },
        (None, None) => op.datname.clone().unwrap_or_else(|| "-".to_owned()),
    }
}

fn op_cells(
    op: &Operation,
    now: Micros,
    eta: Option<crate::panes::progress::eta::Eta>,
    theme: &Theme,
    selected: bool,
) -> Vec<(String, Option<ratatui::style::Style>)> {
    let progress = match op.fraction() {
        Some(f) => format!("{} {:>5}", bar(f, 7), percent(f)),
        None => op
            .done
            .map_or_else(|| "n/a".to_owned(), |d| amount(d, &op.unit)),
    };
    let eta = match eta.and_then(|e| e.remaining) {
        Some(us) => duration_us(us),
        None => "-".to_owned(),
    };
    let elapsed = op
        .started
        .map_or_else(String::new, |t| duration_us(now - t));
    let accent = (op.wraparound && !selected).then_some(theme.danger);
    vec![
        (op.pid.to_string(), None),
        (op_name(op), accent),
        (relation(op), None),
        (op.phase.clone(), None),
        (progress, None),
        (eta, None),
        (elapsed, None),
        (detail(op), None),
    ]
}

/// What else the view says about this operation, most telling first.
fn detail(op: &Operation) -> String {
    let mut parts = Vec::new();
    if op.fraction().is_some()
        && let (Some(d), Some(t)) = (op.done, op.total)
    {
        let done = if op.unit == "bytes" {
            amount(d, &op.unit)
        } else {
            group(d)
        };
        parts.push(format!("{done}/{}", amount(t, &op.unit)));
    }
    if let Some(c) = op.index_cycles {
        parts.push(format!("index cycles {c}"));
    }
    if let (Some(now), Some(unit)) = (op.dead_now, &op.dead_unit) {
        let (now, max) = if unit == "bytes" {
            (amount(now, unit), op.dead_max.map(|m| amount(m, unit)))
        } else {
            (
                group(now),
                op.dead_max.map(|m| format!("{} {unit}", group(m))),
            )
        };
        parts.push(format!(
            "dead {now}/{}",
            max.unwrap_or_else(|| "?".to_owned())
        ));
    }
    if let Some(items) = op.dead_items {
        parts.push(format!("{} dead items", group(items)));
    }
    if let (Some(d), Some(t), Some(unit)) = (op.parts_done, op.parts_total, &op.parts_unit) {
        parts.push(format!("{unit} {d}/{t}"));
    }
    if let Some(t) = op.tuples {
        parts.push(format!("{} tuples", group(t)));
    }
    parts.join(" · ")
}
