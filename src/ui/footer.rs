//! The bottom line: the filter being typed, or the keys that matter here from the live keymap:
//! help, then the focused pane's own keys (declared next to them, in its `keys.rs`), then the
//! global ones, as many as fit whole.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Ctx;
use crate::action::Action;
use crate::keymap::Keymap;
use crate::state::{Mode, State};
use crate::text::{sanitize, width};
use crate::update::pane::{Hint, hints};

/// Before the pane's keys: the one that explains all the others.
const FIRST: [Hint; 1] = [(Action::ToggleHelp, "help")];

/// After the pane's keys, as room allows.
const GLOBAL: [Hint; 5] = [
    (Action::StartFilter, "filter"),
    (Action::TogglePause, "pause"),
    (Action::NextPane, "next pane"),
    (Action::SortReverse, "reverse"),
    (Action::Quit, "quit"),
];

/// The help overlay's keys.
const HELP: [Hint; 5] = [
    (Action::Down, "scroll"),
    (Action::PageDown, "page"),
    (Action::Bottom, "end"),
    (Action::StartFilter, "search"),
    (Action::Clear, "close"),
];

/// Space between two hints.
const GAP: usize = 2;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, ctx: &Ctx) {
    let theme = ctx.theme;
    let room = usize::from(area.width);
    let line = match &state.mode {
        Mode::Filter(text) => Line::from(vec![
            Span::styled("filter: ", theme.footer_key),
            Span::raw(sanitize(text).into_owned()),
            Span::styled("█", theme.footer),
            Span::styled("   Enter keep · Esc clear", theme.footer),
        ]),
        Mode::Help(view) if view.typing => Line::from(vec![
            Span::styled("search: ", theme.footer_key),
            Span::raw(sanitize(&view.search).into_owned()),
            Span::styled("█", theme.footer),
            Span::styled("   Enter keep · Esc clear", theme.footer),
        ]),
        Mode::Help(_) => {
            let shown = fit_hints(&keyed(ctx.keymap, HELP.iter()), room);
            hint_line(shown, theme, Vec::new())
        }
        _ => {
            let mut spans = Vec::new();
            let mut used = 0;
            if let Some(msg) = &state.message {
                let text = format!("{}  ", sanitize(msg));
                used += width(&text);
                spans.push(Span::styled(text, theme.warning));
            }
            if state.read_only {
                used += width("READ-ONLY  ");
                spans.push(Span::styled("READ-ONLY  ", theme.paused));
            }
            let order = FIRST.iter().chain(hints(state.pane)).chain(GLOBAL.iter());
            let shown = fit_hints(&keyed(ctx.keymap, order), room.saturating_sub(used));
            hint_line(shown, theme, spans)
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The hints whose action has a key, as (first key, word), each action once.
fn keyed<'a>(
    keymap: &Keymap,
    hints: impl Iterator<Item = &'a Hint>,
) -> Vec<(String, &'static str)> {
    let mut seen: Vec<Action> = Vec::new();
    let mut out = Vec::new();
    for &(action, word) in hints {
        if seen.contains(&action) {
            continue;
        }
        seen.push(action);
        // The first key only: the footer is one line.
        if let Some(key) = keymap
            .documented()
            .find(|e| e.action == action)
            .and_then(|e| e.keys.first())
        {
            out.push((key.to_string(), word));
        }
    }
    out
}

/// The hints that fit whole in `room` cells, in order: one that does not fit is left out and
/// a shorter one after it may still take the room.
pub fn fit_hints(hints: &[(String, &'static str)], room: usize) -> Vec<(String, &'static str)> {
    let mut used = 0;
    let mut out = Vec::new();
    for (key, word) in hints {
        let w = width(key) + 1 + width(word);
        let need = if out.is_empty() { w } else { GAP + w };
        if used + need <= room {
            used += need;
            out.push((key.clone(), *word));
        }
    }
    out
}

fn hint_line<'a>(
    shown: Vec<(String, &'static str)>,
    theme: &crate::config::theme::Theme,
    mut spans: Vec<Span<'a>>,
) -> Line<'a> {
    for (n, (key, word)) in shown.into_iter().enumerate() {
        if n > 0 {
            spans.push(Span::raw(" ".repeat(GAP)));
        }
        spans.push(Span::styled(key, theme.footer_key));
        spans.push(Span::styled(format!(" {word}"), theme.footer));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_fit_whole_in_order() {
        let h = |k: &str, w: &'static str| (k.to_owned(), w);
        let all = [
            h("?", "help"),
            h("o", "grouping"),
            h("Enter", "open group"),
            h("q", "quit"),
        ];
        // "? help  o grouping" is 18 wide; "Enter open group" does not fit after it, "q quit" does.
        assert_eq!(
            fit_hints(&all, 26),
            [h("?", "help"), h("o", "grouping"), h("q", "quit")]
        );
        assert_eq!(fit_hints(&all[1..], 7), [h("q", "quit")]);
        assert!(fit_hints(&all, 3).is_empty());
    }

    #[test]
    fn every_pane_offers_its_own_keys_and_they_are_bound() {
        let keymap = Keymap::default();
        for &pane in crate::panes::Pane::ALL {
            let own = keyed(&keymap, hints(pane).iter());
            assert!(!own.is_empty(), "{pane:?}");
            assert_eq!(own.len(), hints(pane).len(), "{pane:?}");
        }
    }
}
