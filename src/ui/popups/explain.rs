//! The plan of a backend's query, or why there is none.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::block;
use crate::config::theme::Theme;
use crate::state::dialog::{ExplainOf, ExplainView};
use crate::text::sanitize;

pub fn draw(frame: &mut Frame, area: Rect, view: &ExplainView, theme: &Theme) {
    let lines: Vec<Line> = match &view.result {
        None => vec![Line::styled(
            "planning (read-only transaction, rolled back)…",
            theme.footer,
        )],
        Some(Ok(plan)) => plan
            .iter()
            .skip(view.scroll)
            .map(|l| Line::styled(sanitize(l).into_owned(), theme.row))
            .collect(),
        Some(Err(why)) => vec![Line::styled(
            format!("not explained: {}", sanitize(&why.to_string())),
            theme.warning,
        )],
    };
    frame.render_widget(Clear, area);
    let of = match view.of {
        ExplainOf::Pid(pid) => format!("pid {pid}"),
        ExplainOf::Statement(key) => match key.queryid {
            Some(q) => format!("queryid {q}"),
            None => "statement".to_owned(),
        },
    };
    let title = format!(" EXPLAIN {of} (plan only, never run) — j/k scroll · Esc close ");
    frame.render_widget(Paragraph::new(lines).block(block(title, theme)), area);
}
