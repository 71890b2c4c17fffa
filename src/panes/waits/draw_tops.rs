//! The Waits pane's top waits and top queries over the history's window: their columns in the
//! config file's order, the selected line kept in view, and where each line is drawn, which
//! mouse hit-testing reads so a click lands on the line drawn there.

use crate::panes::waits::layout::{list_start, selected_query, selected_wait, tops_split};
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::columns::TOP_WAITS;
use super::draw_shared::{class_style, span};
use crate::config::theme::Theme;
use crate::panes::waits::data::{QueryKey, QueryTotal, Window};
use crate::state::State;
use crate::state::tables::Table;
use crate::text::{fit, sanitize, width};
use crate::ui::panes::section_table::{layout, line};


/// The top queries' columns, by index into `Table::WaitsTopQueries.columns()`.
const AAS: usize = 0;
const SHARE: usize = 1;
const QUERY: usize = 2;
const WAITS: usize = 3;
const QUERY_TITLES: [&str; 4] = ["AAS", "SHARE", "QUERY", "· main waits"];
const _: () = assert!(QUERY_TITLES.len() == Table::WaitsTopQueries.columns().len());

pub fn draw(frame: &mut Frame, area: Rect, state: &State, w: &Window, theme: &Theme) {
    let (left, right) = tops_split(area);
    if let Some(left) = left {
        frame.render_widget(Paragraph::new(top_waits(w, state, theme, left)), left);
    }
    frame.render_widget(Paragraph::new(top_queries(w, state, theme, right)), right);
}

fn top_waits<'a>(w: &Window, state: &State, theme: &Theme, area: Rect) -> Vec<Line<'a>> {
    let heading = fit(
        &format!("TOP WAITS ({})", span(w.secs)),
        usize::from(area.width).saturating_sub(1),
    );
    let mut lines = vec![Line::styled(heading, theme.table_header)];
    let lay = layout(
        &TOP_WAITS,
        state.tables.get(Table::WaitsTopWaits),
        area.width,
    );
    let rows = usize::from(area.height).saturating_sub(1);
    let selected = selected_wait(state, w);
    let start = list_start(selected, rows);
    for (i, e) in w.events.iter().enumerate().skip(start).take(rows) {
        let chosen = Some(i) == selected;
        let base = if chosen { theme.selection } else { theme.row };
        let accent = (!chosen).then(|| class_style(theme, e.class));
        let cells = [
            (e.label.clone(), accent),
            (aas(e.count, w), None),
            (share(e.count, w), None),
        ];
        lines.push(line(&TOP_WAITS, &lay, &cells, base));
    }
    lines
}

fn aas(count: u64, w: &Window) -> String {
    format!("{:.2}", count as f64 / w.samples.max(1) as f64)
}

fn share(count: u64, w: &Window) -> String {
    format!("{:.0}%", w.share(count) * 100.0)
}

fn top_queries<'a>(w: &Window, state: &State, theme: &Theme, area: Rect) -> Vec<Line<'a>> {
    let width = usize::from(area.width);
    let chosen = state.tables.get(Table::WaitsTopQueries);
    let mut head = format!("TOP QUERIES ({}) by sampled time · ", span(w.secs));
    for (n, &c) in chosen.iter().enumerate() {
        if n > 0 {
            head.push_str(if c == WAITS { " " } else { "  " });
        }
        head.push_str(QUERY_TITLES.get(c).copied().unwrap_or_default());
    }
    let mut lines = vec![Line::styled(fit(&head, width), theme.table_header)];
    if w.queries.is_empty() {
        lines.push(Line::styled("no samples in this window", theme.footer));
        return lines;
    }
    let rows = usize::from(area.height).saturating_sub(1);
    let selected = selected_query(state, w);
    let start = list_start(selected, rows);
    for (i, q) in w.queries.iter().enumerate().skip(start).take(rows) {
        let base = if Some(i) == selected {
            theme.selection
        } else {
            theme.row
        };
        lines.push(query_line(q, w, chosen, width, base));
    }
    lines
}

/// Spaces before the `n`th shown column: the query stands apart by two, the waits bring their
/// own ` ·`.
fn gap(chosen: &[usize], n: usize) -> usize {
    match (n.checked_sub(1).map(|p| chosen[p]), chosen[n]) {
        (None, _) | (_, WAITS) => 0,
        (Some(QUERY), _) | (_, QUERY) => 2,
        _ => 1,
    }
}

/// One top query: the numbers and the waits at their widths, the query text in the rest.
fn query_line<'a>(
    q: &QueryTotal,
    w: &Window,
    chosen: &[usize],
    room: usize,
    base: Style,
) -> Line<'a> {
    let text = match &q.key {
        QueryKey::IdleInTransaction => "(idle in transaction)".to_owned(),
        QueryKey::Others => "(other queries)".to_owned(),
        QueryKey::Id(_) | QueryKey::Shape(_) => q.text.clone(),
    };
    let mut waits = String::new();
    for e in &q.events {
        let pct = e.count as f64 * 100.0 / q.count.max(1) as f64;
        let _ = write!(waits, " {} {pct:.0}%", e.label);
    }
    let waits = format!(" ·{}", sanitize(&waits));
    let waits_w = width(&waits).min(room / 2);
    let cell = |c: usize| match c {
        AAS => format!("{:>6}", aas(q.count, w)),
        SHARE => format!("{:>5}", share(q.count, w)),
        WAITS => fit(&waits, waits_w),
        _ => String::new(),
    };
    let cells: Vec<String> = chosen.iter().map(|&c| cell(c)).collect();
    let fixed: usize = (0..chosen.len())
        .map(|n| gap(chosen, n) + width(&cells[n]))
        .sum();
    let text_w = room.saturating_sub(fixed);
    let mut out = String::new();
    for (n, (&c, cell)) in chosen.iter().zip(&cells).enumerate() {
        out.push_str(&" ".repeat(gap(chosen, n)));
        if c == QUERY {
            out.push_str(&fit(&text, text_w));
        } else {
            out.push_str(cell);
        }
    }
    Line::styled(fit(&out, room), base)
}

#[cfg(test)]
mod tests {
    use super::gap;

    #[test]
    fn gaps_between_the_query_columns() {
        let default = [0, 1, 2, 3];
        let gaps: Vec<usize> = (0..4).map(|n| gap(&default, n)).collect();
        assert_eq!(gaps, [0, 1, 2, 0]);
        let custom = [2, 0, 3, 1];
        let gaps: Vec<usize> = (0..4).map(|n| gap(&custom, n)).collect();
        assert_eq!(gaps, [0, 2, 0, 1]);
    }
}
