//! The help overlay, generated from the live keymap: the keys shown are the keys that work,
//! the user's rebinds included.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Ctx;
use crate::keymap::{Entry, KeyMode};
use crate::text::{fit_right, width};

/// Label column width limit: a long list of aliases is cut rather than crowding out the text.
const MAX_LABEL: usize = 16;

pub fn draw(frame: &mut Frame, area: Rect, ctx: &Ctx) {
    let normal: Vec<&Entry> = ctx.keymap.documented().collect();
    let popup: Vec<&Entry> = ctx.keymap.documented_in(KeyMode::Popup).collect();
    let label_w = normal
        .iter()
        .chain(&popup)
        .map(|e| width(&e.label))
        .max()
        .unwrap_or(0)
        .clamp(7, MAX_LABEL);
    let line = |e: &Entry| {
        Line::from(vec![
            Span::styled(
                format!(" {}  ", fit_right(&e.label, label_w)),
                ctx.theme.footer_key,
            ),
            Span::raw(e.help.clone()),
        ])
    };
    let mut lines: Vec<Line> = normal.iter().map(|e| line(e)).collect();
    if !popup.is_empty() {
        lines.push(Line::styled(
            " in details and EXPLAIN:",
            ctx.theme.header_label,
        ));
        lines.extend(popup.iter().map(|e| line(e)));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = (label_w as u16 + 49).min(area.width);
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
