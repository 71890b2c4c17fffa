//! The bottom line: the filter being typed, or the most useful keys from the live keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Ctx;
use crate::action::Action;
use crate::state::{Mode, State};
use crate::text::sanitize;

/// Actions worth a place in the footer, in order.
const SHOWN: [Action; 8] = [
    Action::ToggleHelp,
    Action::StartFilter,
    Action::SortNext,
    Action::SortReverse,
    Action::TogglePause,
    Action::ToggleIdle,
    Action::ToggleBackground,
    Action::Quit,
];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, ctx: &Ctx) {
    let theme = ctx.theme;
    let line = if let Mode::Filter(text) = &state.mode {
        Line::from(vec![
            Span::styled("filter: ", theme.footer_key),
            Span::raw(sanitize(text).into_owned()),
            Span::styled("█", theme.footer),
            Span::styled("   Enter keep · Esc clear", theme.footer),
        ])
    } else {
        let mut spans = Vec::new();
        if let Some(msg) = &state.message {
            spans.push(Span::styled(format!("{}  ", sanitize(msg)), theme.warning));
        }
        if state.read_only {
            spans.push(Span::styled("READ-ONLY  ", theme.paused));
        }
        for action in SHOWN {
            if let Some(e) = ctx.keymap.documented().find(|e| e.action == action)
                && let Some(first) = e.keys.first()
            {
                // The first key only: the footer is one line.
                spans.push(Span::styled(first.to_string(), theme.footer_key));
                spans.push(Span::styled(format!(" {}  ", e.help), theme.footer));
            }
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}
