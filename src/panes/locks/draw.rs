//! The Locks pane: the blocking tree (root blockers first, their waiters below) over a detail
//! panel for the selected node, or pg_locks grouped (`v`).

use crate::panes::locks::layout::tree_areas;
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_detail;
use super::draw_shared::{grant_hint, node_label};
use crate::config::theme::Theme;
use crate::panes::locks::data::{Lock, Locks, short_mode};
use crate::snapshot::{Backend, Micros, PaneError, Snapshot};
use crate::state::State;
use crate::panes::locks::tree::{NodeKey, TreeRow};
use super::columns::TREE;
use crate::columns::Fit;
use crate::state::tables::Table;
use crate::text::{counted, duration_us, fit, fit_right, sanitize};

/// What a column of the tree shows, in the order of [`TREE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Node,
    Flag,
    Blocked,
    State,
    User,
    Database,
    Wants,
    Holds,
    Object,
    Waited,
    Xact,
    Query,
}

const FIELDS: [Col; 12] = [
    Col::Node,
    Col::Flag,
    Col::Blocked,
    Col::State,
    Col::User,
    Col::Database,
    Col::Wants,
    Col::Holds,
    Col::Object,
    Col::Waited,
    Col::Xact,
    Col::Query,
];

const _: () = assert!(FIELDS.len() == TREE.len());

/// A shown column: what it shows, its place in [`TREE`], its width.
type Shown = (Col, usize, usize);

/// Of the configured columns `chosen` (indices into [`TREE`]), those that fit in `width`, in
/// `chosen` order; the node column grows up to `node` (its longest label), the query takes the
/// rest of the line.
fn layout(width: u16, chosen: &[usize], node: usize) -> Vec<Shown> {
    let fit_to = Fit {
        width: usize::from(width),
        wide_from: 0,
    };
    crate::columns::fit(&TREE, chosen, fit_to, |i| if i == 0 { node } else { 0 })
        .into_iter()
        .map(|(i, w)| (FIELDS[i], i, w))
        .collect()
}

/// The tab line's summary: roots, waiters, and how many locks pg_locks holds.
pub fn summary(state: &State) -> String {
    let tree = &state.views.locks.tree;
    let roots = i64::try_from(tree.roots).unwrap_or(i64::MAX);
    let mut s = format!(
        "{} · {} waiting",
        counted(roots, "root blocker", "root blockers"),
        tree.waiting
    );
    if let Some(Ok(locks)) = locks_of(state.shown.as_deref()) {
        let _ = write!(s, " · {}", counted(locks.locks_total, "lock", "locks"));
    }
    s
}

fn locks_of(snapshot: Option<&Snapshot>) -> Option<&Result<Locks, PaneError>> {
    snapshot?.panes.locks.as_ref()
}

impl crate::ui::pane::Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        draw(frame, area, state, theme);
    }

    fn summary(state: &State) -> String {
        summary(state)
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(snapshot) = state.shown.as_deref() else {
        frame.render_widget(Paragraph::new("waiting for the first refresh…"), area);
        return;
    };
    let activity = match &snapshot.activity {
        Ok(a) => a,
        Err(e) => {
            let mut lines = vec![Line::styled(
                format!("blocking tree n/a: {}", sanitize(&e.to_string())),
                theme.error,
            )];
            if let Some(hint) = grant_hint(e, &snapshot.caps.login) {
                lines.push(Line::styled(hint, theme.warning));
            }
            frame.render_widget(Paragraph::new(lines), area);
            return;
        }
    };
    let locks = locks_of(Some(snapshot));
    if !snapshot.caps.can_blocking_pids && !state.views.locks.show_list {
        // Without blocked-by every waiter would look like a root: no tree rather than a wrong one.
        let login = sanitize(&snapshot.caps.login);
        let lines = vec![
            Line::styled(
                "blocking tree n/a: no EXECUTE on pg_blocking_pids()",
                theme.error,
            ),
            Line::styled(
                format!(
                    "GRANT EXECUTE ON FUNCTION pg_blocking_pids(integer) TO {login}; (v: lock list)"
                ),
                theme.warning,
            ),
        ];
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    if state.views.locks.show_list {
        draw_detail::draw_list(frame, area, locks, state, theme);
        return;
    }
    let [top, bottom] = tree_areas(area);
    let tree = &state.views.locks.tree;
    let page = usize::from(top.height.saturating_sub(1));
    let offset = state.views.locks.offset.min(tree.rows.len().saturating_sub(page));
    let node = tree
        .rows
        .iter()
        .skip(offset)
        .take(page)
        .map(|r| crate::text::width(&node_label(r)))
        .max()
        .unwrap_or(0);
    let cols = layout(top.width, state.tables.get(Table::LocksTree), node);
    let mut lines = vec![header(&cols, theme)];
    let contended: &[Lock] = match locks {
        Some(Ok(l)) => &l.contended,
        _ => &[],
    };
    for (i, row) in tree.rows.iter().enumerate().skip(offset).take(page) {
        let b = row.backend.and_then(|i| activity.backends.get(i));
        let selected = state.views.locks.selected.is_some() && i == state.views.locks.cursor;
        lines.push(row_line(
            row,
            b,
            contended,
            activity.now,
            &cols,
            selected,
            theme,
        ));
    }
    if tree.rows.is_empty() {
        lines.push(Line::styled(
            "no session is waiting on a lock",
            theme.footer,
        ));
    }
    if tree.hidden_waiters > 0 {
        lines.push(Line::styled(
            format!(
                "n/a: {} lock waits belong to sessions this login cannot see: GRANT pg_monitor TO {}",
                tree.hidden_waiters,
                sanitize(&snapshot.caps.login)
            ),
            theme.warning,
        ));
    }
    frame.render_widget(Paragraph::new(lines), top);
    if bottom.height == 0 {
        return;
    }
    if tree.rows.is_empty() {
        draw_detail::draw_list(frame, bottom, locks, state, theme);
    } else {
        draw_detail::draw_selected(frame, bottom, state, activity, locks, theme);
    }
}

fn header<'a>(cols: &[Shown], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, &(_, c, w)) in cols.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" ", theme.table_header));
        }
        let text = if TREE[c].right {
            fit_right(TREE[c].title, w)
        } else {
            fit(TREE[c].title, w)
        };
        spans.push(Span::styled(text, theme.table_header));
    }
    Line::from(spans)
}

fn age(now: Micros, t: Option<Micros>) -> String {
    t.map_or_else(String::new, |t| duration_us(now - t))
}

/// `↻` a cycle closes here, `*` blocked by several (listed under each), `^` shown above.
pub fn flag(row: &TreeRow) -> &'static str {
    if row.cycle {
        "↻"
    } else if row.repeat {
        "^"
    } else if row.multi {
        "*"
    } else {
        ""
    }
}

fn cell(col: Col, row: &TreeRow, b: Option<&Backend>, contended: &[Lock], now: Micros) -> String {
    let lock = |i: Option<usize>| i.and_then(|i| contended.get(i));
    let wants = lock(row.wants);
    let holds = lock(row.holds);
    let prepared = row.prepared.as_ref();
    match col {
        Col::Node => node_label(row),
        Col::Flag => flag(row).to_owned(),
        Col::Blocked => match row.blocked_below {
            0 => String::new(),
            n => n.to_string(),
        },
        Col::State => match (b, &row.key) {
            (_, NodeKey::Prepared(_)) => "prepared".to_owned(),
            (Some(b), _) => match b.state.as_deref() {
                Some("idle in transaction") => "idle in tx".to_owned(),
                Some("idle in transaction (aborted)") => "aborted tx".to_owned(),
                s => s.unwrap_or("-").to_owned(),
            },
            (None, _) => "gone".to_owned(),
        },
        Col::User => b
            .and_then(|b| b.usename.clone())
            .or_else(|| prepared.and_then(|p| p.owner.clone()))
            .unwrap_or_else(|| "-".to_owned()),
        Col::Database => b
            .and_then(|b| b.datname.clone())
            .or_else(|| prepared.and_then(|p| p.database.clone()))
            .unwrap_or_else(|| "-".to_owned()),
        Col::Wants => wants.map_or_else(
            || match b.and_then(|b| b.wait_event.as_deref()) {
                Some(e) if row.depth > 0 => e.to_owned(),
                _ => String::new(),
            },
            |l| short_mode(&l.mode).to_owned(),
        ),
        Col::Holds => holds.map_or_else(String::new, |l| held(l, wants)),
        Col::Object => wants
            .or(holds)
            .map_or_else(String::new, |l| l.target.describe()),
        Col::Waited => match wants.and_then(|l| l.waitstart) {
            Some(t) => duration_us(now - t),
            None if row.depth > 0 => age(now, b.and_then(|b| b.query_start)),
            None => String::new(),
        },
        Col::Xact => match prepared {
            Some(p) => age(now, p.prepared_at),
            None => age(now, b.and_then(|b| b.xact_start)),
        },
        Col::Query => b.map_or_else(String::new, |b| b.query.clone()),
    }
}

/// What a node holds that its first waiter wants. A lock still waiting is only queued ahead;
/// a lock on another object than the one the row waits for (the OBJECT column) is named.
fn held(l: &Lock, wants: Option<&Lock>) -> String {
    let mode = short_mode(&l.mode);
    let mode = if l.granted {
        mode.to_owned()
    } else {
        format!("queued {mode}")
    };
    match wants {
        // A session's own transaction lock: always Exclusive, the id says it all.
        Some(w) if !w.target.same_object(&l.target) => match l.target.locktype.as_str() {
            "transactionid" | "virtualxid" => l.target.describe(),
            _ => format!("{mode} {}", l.target.describe()),
        },
        _ => mode,
    }
}

fn row_line<'a>(
    row: &TreeRow,
    b: Option<&Backend>,
    contended: &[Lock],
    now: Micros,
    cols: &[Shown],
    selected: bool,
    theme: &Theme,
) -> Line<'a> {
    let base = if selected { theme.selection } else { theme.row };
    let accent: Option<Style> = (!selected).then_some(if row.depth == 0 {
        theme.danger
    } else {
        theme.state_waiting
    });
    let mut spans = Vec::with_capacity(cols.len() * 2);
    for (i, &(col, c, w)) in cols.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" ", base));
        }
        let right = TREE[c].right;
        let mut raw = cell(col, row, b, contended, now);
        // A root has no guides: its label starts at the left edge and is cut at the end.
        if col == Col::Node && row.depth > 0 && crate::text::width(&raw) > w {
            // Too deep for the guides: the depth as a number keeps the pid in view.
            let name = node_label(&TreeRow {
                prefix: String::new(),
                ..row.clone()
            });
            raw = format!("{}└─{name}", row.depth);
        }
        let text = if right {
            fit_right(&raw, w)
        } else {
            fit(&raw, w)
        };
        let style = match (col, accent) {
            (Col::Node | Col::Flag | Col::Wants | Col::Holds, Some(a)) => a,
            _ => base,
        };
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}
