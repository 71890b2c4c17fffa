//! The header: what server, how busy, and how fresh the data is, in one to three lines (the
//! layout says how many at the terminal's width). Items drop by an explicit priority when the
//! width is short; what signals trouble never drops.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

mod items;

use super::fit::{Piece, flow};
use crate::config::theme::Theme;
use crate::state::State;
use crate::text;
use items::{Item, items};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let lines = lines(state, theme, area.width, area.height);
    frame.render_widget(Paragraph::new(lines), area);
}

/// The header fitted to `height` lines of `width` cells, by [`items::DROP_ORDER`].
pub fn lines<'a>(state: &'a State, theme: &Theme, width: u16, height: u16) -> Vec<Line<'a>> {
    let items = items(state, theme);
    let pieces: Vec<Piece> = items
        .iter()
        .map(|i| Piece {
            width: i.spans.iter().map(|s| text::width(&s.content)).sum(),
            rank: i.kind.rank(),
            sep: text::width(i.sep),
            group: i.group,
        })
        .collect();
    let mut items: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    flow(&pieces, usize::from(width), usize::from(height))
        .into_iter()
        .map(|line| {
            let mut spans = Vec::new();
            for (n, i) in line.into_iter().enumerate() {
                let Some(item) = items.get_mut(i).and_then(Option::take) else {
                    continue;
                };
                if n > 0 {
                    spans.push(Span::styled(item.sep, theme.header_label));
                }
                spans.extend(item.spans);
            }
            Line::from(spans)
        })
        .collect()
}
