//! Drawing: a read-only function of `&State`. The chrome (header, tab line, footer, popups)
//! lives here; each pane draws its body through `pane::Draw`, from its folder under
//! `crate::panes`. Where things go comes from `crate::layout`.

mod fit;
mod footer;
mod header;
mod help;
pub mod lines;
pub mod pane;
pub mod panes;
mod popups;
pub mod table;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::config::theme::Theme;
use crate::keymap::Keymap;
use crate::layout::{Viewport, tabs};
use crate::state::{Mode, Pane, State};
use crate::text::width;

/// What drawing needs besides the state.
pub struct Ctx<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
}

pub fn draw(frame: &mut Frame, state: &State, ctx: &Ctx) {
    let area = frame.area();
    // The frame is the truth about the terminal; the state's viewport follows resizes.
    let viewport = Viewport::new(area.width, area.height);
    if !viewport.fits() {
        let msg = format!("terminal too small ({}x{})", area.width, area.height);
        frame.render_widget(Paragraph::new(Line::raw(msg)), area);
        return;
    }
    let Viewport {
        header: head,
        tabs,
        body,
        footer: foot,
        ..
    } = viewport;
    header::draw(frame, head, state, ctx.theme);
    draw_tabs(frame, tabs, state, ctx.theme);
    if state.views.pooler.only && state.pane != Pane::Pooler {
        frame.render_widget(Paragraph::new(pooler_only_lines(ctx.theme)), body);
    } else {
        pane::draw(frame, body, state, ctx.theme);
    }
    footer::draw(frame, foot, state, ctx);
    match &state.mode {
        Mode::Help(view) => help::draw(frame, body, state, view, ctx),
        Mode::Confirm(c) => popups::confirm::draw(frame, body, c, ctx.theme),
        Mode::Report(r) => popups::report::draw(frame, body, r, ctx.theme),
        Mode::Details(d) => popups::details::draw(frame, body, state, d, ctx.theme),
        Mode::Explain(e) => popups::explain::draw(frame, body, e, ctx.theme),
        Mode::Normal | Mode::Filter(_) => {}
    }
}

/// A database pane while pgscope's target is a PgBouncer admin console: why it is empty.
fn pooler_only_lines(theme: &Theme) -> Vec<Line<'static>> {
    vec![
        Line::styled(
            "not available: the target is a PgBouncer admin console, not PostgreSQL",
            theme.warning,
        ),
        Line::raw("P: the Pooler pane. To watch the database too, connect to it and add"),
        Line::raw("--pooler, e.g. pgscope -h db1 shop --pooler 'port=6432 dbname=pgbouncer'"),
    ]
}

fn draw_tabs(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    use ratatui::text::Span;
    // Drawn at the frame's width (the state's viewport follows resizes).
    let placed = tabs::place(&state.tab_panes(), state.pane, area.width);
    let mut spans = Vec::new();
    for tab in &placed {
        let style = if tab.pane == state.pane {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(tab.label.clone(), style));
        spans.push(Span::raw(" "));
    }
    // The pane's summary only where it fits whole.
    let room = usize::from(area.width).saturating_sub(tabs::used(&placed));
    let summary = pane::summary(state);
    if width(&summary) <= room {
        spans.push(Span::styled(summary, theme.header));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
