//! The Progress pane: long operations with % and ETA, what holds back the xmin horizon,
//! wraparound risk per database, and autovacuum health with the tables most overdue for vacuum.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::progress_table::{Col, amount, bar, col, group, header, layout, line, percent};
use crate::config::theme::Theme;
use crate::snapshot::progress::{
    Freeze, HolderKind, HorizonHolder, OpKind, Operation, Overdue, Progress,
};
use crate::snapshot::{Micros, PaneError};
use crate::state::State;
use crate::state::progress::RowKey;
use crate::text::{duration_us, sanitize};

/// Transaction and multixact ids wrap around at 2^31: the server stops assigning new ones
/// shortly before.
pub const WRAP_LIMIT: i64 = 1 << 31;

const OPS: [Col; 8] = [
    col("PID", 7).right(),
    col("OPERATION", 14),
    col("RELATION", 10).flex(),
    col("PHASE", 20),
    col("PROGRESS", 13),
    col("ETA", 7).right(),
    col("ELAPSED", 7).right().wide(),
    col("DETAIL", 30).wide().flex(),
];

const HOLDERS: [Col; 9] = [
    col("HOLDER", 8),
    col("PID", 7).right(),
    col("NAME", 16).flex(),
    col("DB", 12).wide(),
    col("USER", 12).wide(),
    col("STATE", 12),
    col("HOLDS", 12).wide(),
    col("AGE (XIDS)", 13).right(),
    col("SINCE", 8).right(),
];

const FREEZE: [Col; 7] = [
    col("DATABASE", 14).flex(),
    col("XID AGE", 13).right(),
    col("% FREEZE", 8).right(),
    col("% LIMIT", 7).right(),
    col("MXID AGE", 13).right(),
    col("% FREEZE", 8).right().wide(),
    col("% LIMIT", 7).right(),
];

const OVERDUE: [Col; 7] = [
    col("TABLE", 16).flex(),
    col("DEAD", 11).right(),
    col("THRESHOLD", 11).right(),
    col("% THR", 6).right(),
    col("AV", 3),
    col("LAST AUTOVAC", 12).right(),
    col("LAST VACUUM", 12).right().wide(),
];

/// How close a freeze age is to trouble.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    /// Past autovacuum_freeze_max_age: anti-wraparound autovacuums are forced.
    Forced,
    /// Past half of the hard limit.
    Danger,
}

pub fn level(age: i64, freeze_max_age: i64) -> Level {
    if age >= WRAP_LIMIT / 2 {
        Level::Danger
    } else if freeze_max_age > 0 && age >= freeze_max_age {
        Level::Forced
    } else {
        Level::Ok
    }
}

/// For the tab line: operations running and the horizon's oldest holder.
pub fn summary(state: &State) -> String {
    let Some(p) = state.progress_data() else {
        return "waiting for progress data…".to_owned();
    };
    let mut s = match &p.ops {
        Ok(ops) if ops.len() == 1 => "1 operation".to_owned(),
        Ok(ops) => format!("{} operations", ops.len()),
        Err(_) => "operations unavailable".to_owned(),
    };
    if let Some(h) = p.horizon.as_ref().ok().and_then(|h| h.first()) {
        let _ = write!(s, " · horizon held {} xids by {}", group(h.xid_age), who(h));
    }
    s
}

fn who(h: &HorizonHolder) -> String {
    match (h.kind, h.pid) {
        (HolderKind::Backend | HolderKind::Standby, Some(pid)) => format!("pid {pid}"),
        (HolderKind::Slot, _) => format!("slot {}", sanitize(&h.name)),
        (HolderKind::Prepared, _) => format!("prepared {}", sanitize(&h.name)),
        _ => sanitize(&h.name).into_owned(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(p) = state.progress_data() else {
        frame.render_widget(Paragraph::new("waiting for the first refresh…"), area);
        return;
    };
    let w = area.width;
    let version = state.shown.as_deref().map_or(0, |s| s.caps.version_num);
    let ops = ops_section(p, state, theme, w, version);
    let holders = horizon_section(p, state, theme, w);
    let freeze = freeze_section(p, theme, w);
    let overdue = overdue_section(p, state, theme, w);
    let sections = [ops, holders, freeze, overdue];
    let heights = allocate(
        &sections.each_ref().map(|s| s.rows.len()),
        usize::from(area.height),
    );
    let mut lines = Vec::with_capacity(usize::from(area.height));
    for (s, rows) in sections.into_iter().zip(heights) {
        lines.extend(s.head);
        // Keep the selection in view: start the window so the selected row is its last.
        let start = s.focus.map_or(0, |f| (f + 1).saturating_sub(rows));
        lines.extend(s.rows.into_iter().skip(start).take(rows));
    }
    lines.truncate(usize::from(area.height));
    frame.render_widget(Paragraph::new(lines), area);
}

/// A titled table: title and column header, then rows; `focus` is the selected row, if any.
struct Section<'a> {
    head: Vec<Line<'a>>,
    rows: Vec<Line<'a>>,
    focus: Option<usize>,
}

const HEAD_LINES: usize = 2;

/// Rows per section for a body of `height` lines: every section first gets one row (in order),
/// then the rest goes to them in order, up to what each has.
fn allocate(wanted: &[usize; 4], height: usize) -> [usize; 4] {
    let mut left = height.saturating_sub(HEAD_LINES * wanted.len());
    let mut out = [0; 4];
    for (o, &w) in out.iter_mut().zip(wanted) {
        *o = w.min(1).min(left);
        left -= *o;
    }
    for (o, &w) in out.iter_mut().zip(wanted) {
        let more = (w - *o).min(left);
        *o += more;
        left -= more;
    }
    out
}

fn title<'a>(label: &str, rest: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        ratatui::text::Span::styled(format!(" {label} "), theme.header_label),
        ratatui::text::Span::styled(rest, theme.header),
    ])
}

fn error_line<'a>(what: &str, e: &PaneError, theme: &Theme) -> Line<'a> {
    let mut msg = format!("{what}: {}", sanitize(&e.to_string()));
    if e.is_permission() {
        msg.push_str(" — GRANT pg_monitor to the monitoring role");
    }
    Line::styled(msg, theme.error)
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
    let lay = layout(&OPS, w);
    let head = vec![
        title("OPERATIONS", rest, theme),
        header(&OPS, &lay, theme.table_header),
    ];
    let ops = match &p.ops {
        Ok(ops) => ops,
        Err(e) => {
            return Section {
                head,
                rows: vec![error_line("progress views", e, theme)],
                focus: None,
            };
        }
    };
    let mut focus = None;
    let mut rows = Vec::with_capacity(ops.len().max(1));
    for (i, op) in ops.iter().enumerate() {
        let key = RowKey::Op {
            pid: op.pid,
            kind: op.kind,
        };
        let selected = state.progress.selected == Some(key);
        if selected {
            focus = Some(i);
        }
        let base = if selected { theme.selection } else { theme.row };
        let eta = state.progress.eta(p, i);
        let cells = op_cells(op, p.now, eta, theme, selected);
        rows.push(line(&OPS, &lay, &cells, base));
    }
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
    eta: Option<crate::state::progress_eta::Eta>,
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
        parts.push(format!("{}/{}", group(d), amount(t, &op.unit)));
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

fn horizon_section<'a>(p: &Progress, state: &State, theme: &Theme, w: u16) -> Section<'a> {
    let lay = layout(&HOLDERS, w);
    let rest = match p.horizon.as_ref().ok().and_then(|h| h.first()) {
        Some(h) => format!(
            "oldest {} xids, held by {} · x: show it in Activity",
            group(h.xid_age),
            who(h)
        ),
        None => "nothing holds back cleanup".to_owned(),
    };
    let head = vec![
        title("XMIN HORIZON", rest, theme),
        header(&HOLDERS, &lay, theme.table_header),
    ];
    let holders = match &p.horizon {
        Ok(h) => h,
        Err(e) => {
            return Section {
                head,
                rows: vec![error_line("xmin horizon", e, theme)],
                focus: None,
            };
        }
    };
    let mut focus = None;
    let rows = holders
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let selected = h.pid.is_some()
                && state.progress.selected == h.pid.map(|pid| RowKey::Holder { pid });
            if selected {
                focus = Some(i);
            }
            let kind = match h.kind {
                HolderKind::Backend => "session",
                HolderKind::Standby => "standby",
                HolderKind::Slot => "slot",
                HolderKind::Prepared => "prepared",
            };
            let state_text = match h.state.as_deref() {
                Some("idle in transaction") => "idle in tx".to_owned(),
                Some(s) => s.to_owned(),
                None => "-".to_owned(),
            };
            let accent = (!selected && h.state.as_deref() == Some("idle in transaction"))
                .then_some(theme.state_idle_tx);
            let cells = vec![
                (kind.to_owned(), None),
                (h.pid.map_or_else(String::new, |pid| pid.to_string()), None),
                (h.name.clone(), None),
                (h.datname.clone().unwrap_or_default(), None),
                (h.usename.clone().unwrap_or_default(), None),
                (state_text, accent),
                (h.what.clone(), None),
                (group(h.xid_age), None),
                (
                    h.since.map_or_else(String::new, |t| duration_us(p.now - t)),
                    None,
                ),
            ];
            let base = if selected { theme.selection } else { theme.row };
            line(&HOLDERS, &lay, &cells, base)
        })
        .collect::<Vec<_>>();
    let rows = if rows.is_empty() {
        vec![Line::styled(
            "no snapshot, slot or prepared transaction holds it",
            theme.footer,
        )]
    } else {
        rows
    };
    Section { head, rows, focus }
}

fn freeze_section<'a>(p: &Progress, theme: &Theme, w: u16) -> Section<'a> {
    let lay = layout(&FREEZE, w);
    let rest = match &p.freeze {
        Ok(f) => {
            let shown = f.databases.len() as i64;
            let cap = if shown < f.total {
                format!(" · showing {shown} of {}", f.total)
            } else {
                String::new()
            };
            format!(
                "freeze_max_age {} · multixact {} · limit ~{}{cap}",
                group(f.freeze_max_age),
                group(f.multixact_freeze_max_age),
                group(WRAP_LIMIT)
            )
        }
        Err(_) => String::new(),
    };
    let head = vec![
        title("WRAPAROUND", rest, theme),
        header(&FREEZE, &lay, theme.table_header),
    ];
    let rows = match &p.freeze {
        Ok(f) => f
            .databases
            .iter()
            .map(|d| freeze_row(f, d, &lay, theme))
            .collect(),
        Err(e) => vec![error_line("wraparound", e, theme)],
    };
    Section {
        head,
        rows,
        focus: None,
    }
}

fn freeze_row<'a>(
    f: &Freeze,
    d: &crate::snapshot::progress::DbAge,
    lay: &[(usize, usize)],
    theme: &Theme,
) -> Line<'a> {
    let style = |age: i64, max: i64| match level(age, max) {
        Level::Ok => None,
        Level::Forced => Some(theme.warning),
        Level::Danger => Some(theme.danger),
    };
    let share = |age: i64, of: i64| {
        if of > 0 {
            percent(age as f64 / of as f64)
        } else {
            "n/a".to_owned()
        }
    };
    let xs = style(d.xid_age, f.freeze_max_age);
    let ms = style(d.mxid_age, f.multixact_freeze_max_age);
    let cells = vec![
        (d.datname.clone(), None),
        (group(d.xid_age), xs),
        (share(d.xid_age, f.freeze_max_age), xs),
        (share(d.xid_age, WRAP_LIMIT), xs),
        (group(d.mxid_age), ms),
        (share(d.mxid_age, f.multixact_freeze_max_age), ms),
        (share(d.mxid_age, WRAP_LIMIT), ms),
    ];
    line(&FREEZE, lay, &cells, theme.row)
}

fn overdue_section<'a>(p: &Progress, state: &State, theme: &Theme, w: u16) -> Section<'a> {
    let lay = layout(&OVERDUE, w);
    let busy = state
        .backends()
        .iter()
        .filter(|b| b.backend_type == "autovacuum worker")
        .count();
    let mut rest = match &p.freeze {
        Ok(f) if !f.autovacuum => "autovacuum OFF".to_owned(),
        Ok(f) if !f.track_counts => "track_counts OFF: autovacuum cannot run".to_owned(),
        Ok(f) => format!("on · workers {busy}/{} busy", f.max_workers),
        Err(_) => format!("workers {busy} busy"),
    };
    if let Ok(o) = &p.overdue {
        let _ = write!(
            rest,
            " · {} tables past threshold · top {} of {} with dead tuples",
            o.over_threshold,
            o.tables.len(),
            o.with_dead
        );
    }
    let head = vec![
        title("AUTOVACUUM", rest, theme),
        header(&OVERDUE, &lay, theme.table_header),
    ];
    let rows = match &p.overdue {
        Ok(o) => overdue_rows(o, p.now, &lay, theme),
        Err(e) => vec![error_line("tables overdue for vacuum", e, theme)],
    };
    Section {
        head,
        rows,
        focus: None,
    }
}

fn overdue_rows<'a>(
    o: &Overdue,
    now: Micros,
    lay: &[(usize, usize)],
    theme: &Theme,
) -> Vec<Line<'a>> {
    let ago = |t: Option<Micros>| t.map_or_else(|| "never".to_owned(), |t| duration_us(now - t));
    o.tables
        .iter()
        .map(|t| {
            let over = t.dead > t.threshold;
            let accent = over.then_some(theme.warning);
            let cells = vec![
                (t.relname.clone(), None),
                (group(t.dead), accent),
                (group(t.threshold), None),
                (percent(t.dead as f64 / t.threshold.max(1) as f64), accent),
                (
                    if t.autovacuum_disabled { "off" } else { "" }.to_owned(),
                    Some(theme.warning),
                ),
                (ago(t.last_autovacuum), None),
                (ago(t.last_vacuum), None),
            ];
            line(&OVERDUE, lay, &cells, theme.row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level(1_000, 200_000_000), Level::Ok);
        assert_eq!(level(200_000_000, 200_000_000), Level::Forced);
        assert_eq!(level(1_100_000_000, 2_000_000_000), Level::Danger);
    }

    #[test]
    fn allocation_gives_each_section_a_row_first() {
        assert_eq!(allocate(&[5, 3, 2, 20], 20), [5, 3, 2, 2]);
        assert_eq!(allocate(&[5, 3, 2, 20], 11), [1, 1, 1, 0]);
        assert_eq!(allocate(&[1, 1, 1, 1], 100), [1, 1, 1, 1]);
        assert_eq!(allocate(&[1, 1, 1, 1], 3), [0, 0, 0, 0]);
    }
}
