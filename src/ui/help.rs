//! The help overlay, generated from the live keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Ctx;

pub fn draw(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let lines: Vec<Line> = ctx
        .keymap
        .documented()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!(" {:>7}  ", b.label), ctx.theme.footer_key),
                Span::raw(b.help),
            ])
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = 56.min(area.width);
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, rect, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width),
        Constraint::Fill(1),
    ])
    .areas(mid);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ctx.theme.border)
        .title(" keys — any key closes ");
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
