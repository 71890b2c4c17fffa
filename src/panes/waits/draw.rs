//! The Waits pane: what the sessions in a statement or transaction wait on now, grouped, and
//! below it the sampler's history (`waits_history`): a timeline of average active sessions by
//! wait class, the top waits and the top queries over the chosen window.

use crate::panes::waits::layout::{areas, first_shown, heights};
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::columns::NOW;
use super::draw_history;
use super::draw_shared::class_style;
use crate::config::theme::Theme;
use crate::state::State;
use crate::state::tables::Table;
use crate::panes::waits::view::{NowGroup, RowKey};
use crate::text::sanitize;
use crate::ui::panes::section_table::{header, layout, line, title};


/// For the tab line: sessions in flight and the biggest wait now.
pub fn summary(state: &State) -> String {
    let v = &state.views.waits;
    let mut s = format!("in a statement or transaction: {}", v.in_flight);
    if let Some(g) = v.groups.first() {
        let _ = write!(s, " · most: {} ({})", sanitize(&g.label), g.sessions);
    }
    s.push_str(&state.views.activity.narrowing());
    s
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
    let (now_rows, chart) = heights(state, area.height);
    let [now_area, history_area] = areas(state, area);
    let now = match &snapshot.activity {
        Ok(_) => now_lines(state, theme, area.width, now_rows),
        Err(e) => vec![
            title("NOW", String::new(), theme),
            Line::styled(
                format!("activity: {}", sanitize(&e.to_string())),
                theme.error,
            ),
        ],
    };
    frame.render_widget(Paragraph::new(now), now_area);
    draw_history::draw(frame, history_area, state, theme, chart);
}

fn now_lines<'a>(state: &State, theme: &Theme, width: u16, rows: usize) -> Vec<Line<'a>> {
    let v = &state.views.waits;
    let lay = layout(&NOW, state.tables.get(Table::WaitsNow), width);
    let idle: usize = v.groups.iter().map(|g| g.idle_in_transaction).sum();
    let mut rest = format!("{} sessions in a statement or transaction", v.in_flight);
    if idle > 0 {
        let _ = write!(rest, " ({idle} idle in transaction)");
    }
    // The filter narrows this section; say so, or the count reads as the server's.
    rest.push_str(&state.views.activity.narrowing());
    rest.push_str(" · Enter: show them in Activity");
    let mut lines = vec![
        title("NOW", rest, theme),
        header(&NOW, &lay, theme.table_header),
    ];
    if v.groups.is_empty() {
        lines.push(Line::styled(
            "no session is in a statement or transaction",
            theme.footer,
        ));
        return lines;
    }
    let selected = v
        .groups
        .iter()
        .position(|g| v.selected.as_ref() == Some(&RowKey::Wait(g.label.clone())));
    let start = first_shown(state, rows);
    for (i, g) in v.groups.iter().enumerate().skip(start).take(rows) {
        let base = if Some(i) == selected {
            theme.selection
        } else {
            theme.row
        };
        let accent = (Some(i) != selected).then(|| class_style(theme, g.class));
        let cells = now_cells(g, v.in_flight, accent);
        lines.push(line(&NOW, &lay, &cells, base));
    }
    lines
}

fn now_cells(g: &NowGroup, total: usize, accent: Option<Style>) -> Vec<(String, Option<Style>)> {
    let share = g.sessions as f64 * 100.0 / total.max(1) as f64;
    let mut label = g.label.clone();
    if g.idle_in_transaction > 0 {
        let _ = write!(label, " ({} idle in tx)", g.idle_in_transaction);
    }
    vec![
        (label, accent),
        (g.sessions.to_string(), None),
        (format!("{share:.0}%"), None),
        (names(&g.databases), None),
        (names(&g.users), None),
        (names(&g.queries), None),
    ]
}

/// `a ×3, b` — the most frequent first; a hidden (NULL) name shows as `?`.
fn names(v: &[(String, usize)]) -> String {
    v.iter()
        .map(|(name, n)| {
            let name = if name.is_empty() { "?" } else { name.as_str() };
            if *n > 1 {
                format!("{name} ×{n}")
            } else {
                name.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
