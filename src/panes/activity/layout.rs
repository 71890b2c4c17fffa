//! Where the Activity table's columns go at a width: pure, read by drawing and by a click.
//! The columns, their priorities and the query's share of the width are in `columns`.

use crate::columns::{Fit, fit};
use crate::panes::activity::columns::Column;
use crate::panes::activity::view::ActivityView;

/// Of the configured `shown` columns, those that fit in `width` by priority, in `shown` order,
/// with their widths; the query column takes the rest of the line.
pub fn layout(width: u16, shown: &[Column]) -> Vec<(Column, usize)> {
    let cols = Column::ALL.map(|c| *c.col());
    let chosen: Vec<usize> = shown.iter().map(|&c| c as usize).collect();
    let fit_to = Fit {
        width: usize::from(width),
        wide_from: 0,
    };
    fit(&cols, &chosen, fit_to, |_| 0)
        .into_iter()
        .map(|(i, w)| (Column::ALL[i], w))
        .collect()
}

/// The columns of `view` at `width`: TYPE only while background processes are shown (every
/// client row would say "client backend").
pub fn view_layout(width: u16, view: &ActivityView) -> Vec<(Column, usize)> {
    let shown: Vec<Column> = view
        .columns
        .iter()
        .copied()
        .filter(|&c| view.show_background || c != Column::BackendType)
        .collect();
    layout(width, &shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_width(width: u16, view: &ActivityView) -> usize {
        view_layout(width, view)
            .into_iter()
            .find(|(c, _)| *c == Column::Query)
            .map_or(0, |(_, w)| w)
    }

    #[test]
    fn the_query_gets_room_at_80_and_160_columns() {
        let view = ActivityView::default();
        assert!(query_width(80, &view) >= 30, "{:?}", view_layout(80, &view));
        assert!(query_width(160, &view) >= 60, "{:?}", view_layout(160, &view));
        let all = ActivityView {
            show_background: true,
            ..ActivityView::default()
        };
        assert!(query_width(80, &all) >= 30);
        assert!(query_width(160, &all) >= 60);
    }

    #[test]
    fn type_shows_only_with_background_processes() {
        let has_type = |v: &ActivityView| {
            view_layout(250, v)
                .iter()
                .any(|(c, _)| *c == Column::BackendType)
        };
        assert!(!has_type(&ActivityView::default()));
        let all = ActivityView {
            show_background: true,
            ..ActivityView::default()
        };
        assert!(has_type(&all));
    }

    #[test]
    fn columns_fill_the_line_exactly_and_pid_stays() {
        let view = ActivityView::default();
        for width in [60u16, 80, 120, 160, 250] {
            let cols = view_layout(width, &view);
            let used: usize = cols.iter().map(|(_, w)| w + 1).sum::<usize>() - 1;
            assert_eq!(used, usize::from(width), "{cols:?}");
            assert_eq!(cols[0].0, Column::Pid);
        }
    }
}
