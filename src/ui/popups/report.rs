//! What really happened to each target of the last cancel or terminate.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{block, centered};
use crate::config::theme::Theme;
use crate::ops::Outcome;
use crate::state::dialog::ReportView;
use crate::text::sanitize;

pub fn draw(frame: &mut Frame, area: Rect, view: &ReportView, theme: &Theme) {
    let mut lines: Vec<Line> = view
        .report
        .results
        .iter()
        .map(|(t, outcome)| {
            let style = match outcome {
                Outcome::Cancelled | Outcome::Terminated => theme.state_active,
                Outcome::Changed => theme.footer,
                _ => theme.warning,
            };
            Line::styled(
                format!("pid {}: {}", t.pid, sanitize(&outcome.describe())),
                style,
            )
        })
        .collect();
    if let Some(e) = &view.log_error {
        lines.push(Line::styled(
            format!("not logged: {}", sanitize(e)),
            theme.error,
        ));
    }
    lines.push(Line::styled(
        "Esc/Enter close · any other key closes and acts",
        theme.footer,
    ));
    let width = area.width.saturating_sub(4).min(100);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let title = format!(" {} result ", view.report.kind.verb());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(title, theme))
            .wrap(Wrap { trim: false }),
        rect,
    );
}
