//! The Tables pane: the table list scrolled to the selection, then the selected table's indexes
//! and the database's flagged indexes with their DROP statements.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Paragraph;

use super::lines::{Kind, Line, details, list, scroll, split};
use crate::config::theme::Theme;
use crate::state::State;

fn style(kind: Kind, theme: &Theme) -> Style {
    match kind {
        Kind::Title => theme.header_label,
        Kind::Header => theme.table_header,
        Kind::Plain => theme.row,
        Kind::Warning => theme.warning,
        Kind::Error => theme.error,
    }
}

fn paragraph<'a>(lines: &[Line], selected: Option<u32>, theme: &Theme) -> Paragraph<'a> {
    Paragraph::new(
        lines
            .iter()
            .map(|l| {
                let mut st = style(l.kind, theme);
                if l.relid.is_some() && l.relid == selected {
                    st = st.patch(theme.selection);
                }
                ratatui::text::Line::styled(l.text.clone(), st)
            })
            .collect::<Vec<_>>(),
    )
}

impl crate::ui::pane::Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        let Some(t) = state.tables_data() else {
            frame.render_widget(Paragraph::new("waiting for the first refresh…"), area);
            return;
        };
        let view = &state.views.tables;
        let w = usize::from(area.width);
        let chosen = state.tables.get(crate::state::tables::Table::Tables);
        let top = list(t, view, chosen, w);
        let bottom = details(t, view, w);
        let (list_h, _) = split(top.len(), bottom.len(), usize::from(area.height));
        let from = scroll(&top, view.selected, list_h);
        let shown: Vec<Line> = top.into_iter().skip(from).take(list_h).collect();
        let h = u16::try_from(list_h).unwrap_or(area.height);
        let upper = Rect { height: h, ..area };
        let lower = Rect {
            y: area.y + h,
            height: area.height.saturating_sub(h),
            ..area
        };
        frame.render_widget(paragraph(&shown, view.selected, theme), upper);
        frame.render_widget(paragraph(&bottom, None, theme), lower);
    }

    fn summary(state: &State) -> String {
        let m = &state.views.tables.model;
        if state.tables_data().is_none() {
            return "waiting for tables…".to_owned();
        }
        let overdue = m
            .rows
            .iter()
            .filter(|r| r.past_threshold.is_some_and(|p| p > 0.0))
            .count();
        format!("{} tables · {overdue} past the vacuum threshold", m.total)
    }
}
