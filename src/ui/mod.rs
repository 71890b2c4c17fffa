//! Drawing: a read-only function of `&State`. Layout and dispatch live here; each pane has its
//! own render file under `panes/`.

mod footer;
mod header;
mod help;
pub mod hit;
mod lines;
pub mod pane;
pub mod panes;
mod popups;
pub mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::config::theme::Theme;
use crate::keymap::Keymap;
use crate::state::{Mode, Pane, State};

/// Rows around the table: two header lines, the tab line, the table header and the footer.
pub const CHROME_ROWS: u16 = 5;
/// Below this the screen says so instead of drawing a broken layout.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;

/// What drawing needs besides the state.
pub struct Ctx<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
}

pub fn draw(frame: &mut Frame, state: &State, ctx: &Ctx) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!("terminal too small ({}x{})", area.width, area.height);
        frame.render_widget(Paragraph::new(Line::raw(msg)), area);
        return;
    }
    let [head, tabs, body, foot] = areas(area);
    header::draw(frame, head, state, ctx.theme);
    draw_tabs(frame, tabs, state, ctx.theme);
    pane::draw(frame, body, state, ctx.theme);
    footer::draw(frame, foot, state, ctx);
    match &state.mode {
        Mode::Help => help::draw(frame, body, ctx),
        Mode::Confirm(c) => popups::confirm::draw(frame, body, c, ctx.theme),
        Mode::Report(r) => popups::report::draw(frame, body, r, ctx.theme),
        Mode::Details(d) => popups::details::draw(frame, body, state, d, ctx.theme),
        Mode::Explain(e) => popups::explain::draw(frame, body, e, ctx.theme),
        Mode::Normal | Mode::Filter(_) => {}
    }
}

/// The screen split into header, tab line, pane body and footer. Mouse hit-testing uses the
/// same split, so a click lands where the thing was drawn.
pub fn areas(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// A pane's tab as drawn on the tab line (tabs are separated by one space).
pub fn tab_label(pane: Pane) -> String {
    format!(" {} {} ", pane.number(), pane.name())
}

fn draw_tabs(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    use ratatui::text::Span;
    let mut spans = Vec::new();
    for &pane in Pane::ALL {
        let style = if pane == state.pane {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(tab_label(pane), style));
        spans.push(Span::raw(" "));
    }
    let summary = pane::summary(state);
    spans.push(Span::styled(summary, theme.header));
    if let Some(caps) = state.shown.as_deref().map(|s| &s.caps)
        && !caps.sees_all_sessions()
    {
        // Without it other users' rows read `<insufficient privilege>`: say which grant fixes it.
        let hint = format!(
            "  other users' queries hidden: GRANT pg_monitor TO {}",
            crate::text::sanitize(&caps.login)
        );
        spans.push(Span::styled(hint, theme.warning));
    }
    if let Some(caps) = state.shown.as_deref().map(|s| &s.caps)
        && !caps.can_blocking_pids
    {
        let hint = format!(
            "  blocked-by n/a: GRANT EXECUTE ON FUNCTION pg_blocking_pids(integer) TO {}",
            crate::text::sanitize(&caps.login)
        );
        spans.push(Span::styled(hint, theme.warning));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
