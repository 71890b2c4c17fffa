//! The Waits pane's top waits and top queries over the history's window: their columns (Col
//! tables in `columns`, in the config file's order), the selected line kept in view, and where
//! each line is drawn, which mouse hit-testing reads so a click lands on the line drawn there.

use crate::panes::waits::layout::{list_start, selected_query, selected_wait, tops_split};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::columns::{TOP_QUERIES, TOP_WAITS};
use super::draw_shared::{class_style, span};
use crate::config::theme::Theme;
use crate::panes::waits::data::{QueryKey, QueryTotal, Window};
use crate::state::State;
use crate::state::tables::Table;
use crate::text::fit;
use crate::ui::panes::section_table::{Cells, layout, layout_cells, line};


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
    let chosen = state.tables.get(Table::WaitsTopQueries);
    let cells: Vec<Cells> = w.queries.iter().map(|q| query_cells(q, w)).collect();
    let lay = layout_cells(&TOP_QUERIES, chosen, area.width, &cells);
    // One heading line: the column titles, the query's carrying the list's title.
    let title = format!("TOP QUERIES ({}) by sampled time", span(w.secs));
    let titles: Cells = TOP_QUERIES
        .iter()
        .map(|c| {
            let t = if c.name == "query" { title.clone() } else { c.title.to_owned() };
            (t, None)
        })
        .collect();
    let mut lines = vec![line(&TOP_QUERIES, &lay, &titles, theme.table_header)];
    if w.queries.is_empty() {
        lines.push(Line::styled("no samples in this window", theme.footer));
        return lines;
    }
    let rows = usize::from(area.height).saturating_sub(1);
    let selected = selected_query(state, w);
    let start = list_start(selected, rows);
    for (i, c) in cells.iter().enumerate().skip(start).take(rows) {
        let base = if Some(i) == selected {
            theme.selection
        } else {
            theme.row
        };
        lines.push(line(&TOP_QUERIES, &lay, c, base));
    }
    lines
}

/// One top query's cells, in [`TOP_QUERIES`] order; `line` sanitizes them.
fn query_cells(q: &QueryTotal, w: &Window) -> Cells {
    let text = match &q.key {
        QueryKey::IdleInTransaction => "(idle in transaction)".to_owned(),
        QueryKey::Others => "(other queries)".to_owned(),
        QueryKey::Id(_) | QueryKey::Shape(_) => q.text.clone(),
    };
    let waits: Vec<String> = q
        .events
        .iter()
        .map(|e| {
            let pct = e.count as f64 * 100.0 / q.count.max(1) as f64;
            format!("{} {pct:.0}%", e.label)
        })
        .collect();
    vec![
        (aas(q.count, w), None),
        (share(q.count, w), None),
        (text, None),
        (waits.join(" "), None),
    ]
}
