//! The Settings pane: checks, parameters (pending restart first, in red), per-database and
//! per-role overrides, configuration file issues; scrolled to the selected parameter.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Paragraph;

use super::lines::{Kind, lines, scroll};
use crate::config::theme::Theme;
use crate::state::State;

fn style(kind: Kind, theme: &Theme) -> Style {
    match kind {
        Kind::Title => theme.header_label,
        Kind::Header => theme.table_header,
        Kind::Plain => theme.row,
        Kind::Pending => theme.danger,
        Kind::Warning => theme.warning,
        Kind::Error => theme.error,
    }
}

fn summary(state: &State) -> String {
    let Some(p) = state.settings_data().and_then(|s| s.params.as_ref().ok()) else {
        return "waiting for settings…".to_owned();
    };
    let pending = p.rows.iter().filter(|r| r.pending_restart).count();
    format!("{} set · {pending} pending restart", state.views.settings.rows.len())
}

impl crate::ui::pane::Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        let Some(s) = state.settings_data() else {
            frame.render_widget(Paragraph::new("waiting for the first refresh…"), area);
            return;
        };
        let all = lines(
            s,
            &state.views.settings,
            state.tables.get(crate::state::tables::Table::Settings),
            usize::from(area.width));
        let selected = state.views.settings.selected.as_deref();
        let top = scroll(&all, selected, usize::from(area.height));
        let shown: Vec<ratatui::text::Line> = all
            .iter()
            .skip(top)
            .take(usize::from(area.height))
            .map(|l| {
                let mut st = style(l.kind, theme);
                if l.name.is_some() && l.name.as_deref() == selected {
                    st = st.patch(theme.selection);
                }
                ratatui::text::Line::styled(l.text.clone(), st)
            })
            .collect();
        frame.render_widget(Paragraph::new(shown), area);
    }

    fn summary(state: &State) -> String {
        summary(state)
    }
}
