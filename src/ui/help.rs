//! The help overlay, generated from the live keymap: the keys shown are the keys that work,
//! the user's rebinds included. It shows one page of `update::help::rows` at the scroll the
//! state holds; the footer says how to scroll, search and close it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Ctx;
use super::popups::{block, centered};
use crate::state::HelpView;
use crate::text::{fit, fit_right, sanitize, width};
use crate::update::help::{Row, page, rows, top};

/// Label column width limit: a long list of aliases is cut rather than crowding out the text.
const MAX_LABEL: usize = 16;

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &crate::state::State,
    view: &HelpView,
    ctx: &Ctx,
) {
    let rows = rows(ctx.keymap, state.pane, &view.search);
    // Sized by the whole list, so the box keeps its size while a search narrows it.
    let all = crate::update::help::rows(ctx.keymap, state.pane, "");
    let label_w = all
        .iter()
        .filter_map(|r| match r {
            Row::Key(e) => Some(width(&e.label)),
            Row::Title(_) => None,
        })
        .max()
        .unwrap_or(0)
        .clamp(7, MAX_LABEL);
    let text_w = all
        .iter()
        .map(|r| match r {
            Row::Key(e) => width(&e.help),
            Row::Title(t) => width(t),
        })
        .max()
        .unwrap_or(0)
        .max(30);
    let box_w = u16::try_from(label_w + text_w + 5).unwrap_or(u16::MAX);
    let box_w = box_w.min(area.width);
    let inner = usize::from(box_w.saturating_sub(2));
    let page = page(area.height);
    let first = top(view.scroll, rows.len(), page);
    let mut lines: Vec<Line> = rows
        .iter()
        .skip(first)
        .take(page)
        .map(|r| match r {
            Row::Title(t) => Line::styled(fit(&format!(" {t}"), inner), ctx.theme.header_label),
            Row::Key(e) => {
                let key = format!(" {}  ", fit_right(&e.label, label_w));
                let rest = inner.saturating_sub(width(&key));
                Line::from(vec![
                    Span::styled(key, ctx.theme.footer_key),
                    Span::raw(fit(&e.help, rest)),
                ])
            }
        })
        .collect();
    if rows.is_empty() {
        lines.push(Line::raw(" no key matches the search"));
    }
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, box_w, height);
    frame.render_widget(Clear, rect);
    let title = if rows.len() > page {
        format!(
            " keys {}-{} of {} ",
            first + 1,
            (first + page).min(rows.len()),
            rows.len()
        )
    } else {
        " keys ".to_owned()
    };
    let mut block = block(title, ctx.theme);
    if view.typing || !view.search.is_empty() {
        let cursor = if view.typing { "█" } else { "" };
        block = block.title_bottom(Line::styled(
            format!(" /{}{cursor} ", sanitize(&view.search)),
            ctx.theme.footer_key,
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
